"""Multi-word lexicon look-up over clitic-aware stems.

A lexicon entry is a phrase of one or more words. Each word is normalised and stripped of the article
(الخارجية -> خارجيه); a token matches a word when the word is one of the token's candidate stems
(`waqai.arabic.stems`). The first reading wins: readings are ordered from the least to the most stripped,
so "بحث" is looked up as بحث before حث.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from waqai.arabic.normalize import normalize, strip_marks
from waqai.arabic.tokenize import stems
from waqai.model import Token

_CLITIC_LETTERS = set("وفبلكسال")


def key(word: str) -> str:
    """The look-up key of a lexicon word: normalised, article removed."""
    raw = strip_marks(word.strip())
    w = normalize(raw)
    if raw.startswith("ال") and len(w) > 3:  # the article, not a hamzated alef (ألمان, إلياس)
        w = w[2:]
    return w


@dataclass(slots=True)
class Hit:
    first: int  # token index, inclusive
    last: int  # token index, inclusive
    payload: object
    prefix: str  # clitics before the stem of the first token ("و", "ب", "سي"...)
    stem: str  # the reading of the first token that matched
    suffix: str = ""  # what follows the stem in the first token (a pronoun: ه، ها، هم، ي…)


class PhraseIndex:
    def __init__(self) -> None:
        self._first: dict[str, list[tuple[tuple[str, ...], object]]] = defaultdict(list)

    def add(self, first_keys: list[str] | str, rest: tuple[str, ...], payload: object) -> None:
        for k in [first_keys] if isinstance(first_keys, str) else first_keys:
            if len(k) >= 2:
                self._first[k].append((rest, payload))

    def add_phrase(self, phrase: str, payload: object) -> None:
        words = phrase.split()
        if words:
            self.add(key(words[0]), tuple(key(w) for w in words[1:]), payload)

    def __contains__(self, k: str) -> bool:
        return k in self._first

    def find(self, tokens: list[Token], readings: list[tuple[str, ...]]) -> list[Hit]:
        """All longest matches, left to right, not overlapping."""
        hits = []
        i, n = 0, len(tokens)
        while i < n:
            best = self.match_at(tokens, readings, i)
            if best:
                hits.append(best[0])
                i = best[0].last + 1
            else:
                i += 1
        return hits

    def match_at(self, tokens: list[Token], readings: list[tuple[str, ...]], i: int) -> list[Hit]:
        """Matches starting at token i, longest first (several when payloads tie in length)."""
        first = self._first
        out: list[Hit] = []
        for stem in readings[i]:
            cands = first.get(stem)
            if not cands:
                continue
            for rest, payload in cands:
                j = i
                for w in rest:
                    j += 1
                    if j >= len(tokens) or w not in readings[j]:
                        break
                else:
                    pre = _prefix(tokens[i].norm, stem)
                    out.append(Hit(i, j, payload, pre, stem, tokens[i].norm[len(pre) + len(stem):]))
            if out:
                break  # the least stripped reading that matches wins
        if len(out) > 1:
            longest = max(h.last for h in out)
            out = [h for h in out if h.last == longest]
        return out


def _prefix(norm: str, stem: str) -> str:
    k = norm.find(stem)
    return norm[:k] if k > 0 else ""


def readings(tokens: list[Token]) -> list[tuple[str, ...]]:
    return [stems(t.norm) for t in tokens]


def sentence_readings(sentence) -> list[tuple[str, ...]]:
    """The readings of a sentence's tokens, computed once and kept on the sentence."""
    r = getattr(sentence, "_readings", None)
    if r is None:
        r = readings(sentence.tokens)
        sentence._readings = r
    return r
