"""Speech acts: the verbal acts a sentence of reported speech carries in its quote.

News tells most accusations, demands and threats as reported speech: وأضاف أن "إسرائيل ترتكب جرائم حرب"
is an ACCUSE with no accusing word. The lexicon cannot see them (the recall audit, docs/accuracy.md: a
speech verb is the only word for 49 of the 335 events the rules missed in its dev half). This stage reads
a sentence that reports speech (events.speech_sentence) with one logistic model per verbal type, trained by
scripts/train_speech.py on sentences labelled for the acts they report (eval/speech/), and proposes the
types the lexicon's candidates do not already give in that sentence. The speaker is the actor; the first
other actor named in what was said is the recipient.
"""

from __future__ import annotations

import math
from functools import lru_cache

from waqai.events import COMPLEMENT, _bare, _first_after, is_speech_verb, speech_sentence, subject_of_speech
from waqai.judge import _stem, sentence_clusters, sentence_words
from waqai.model import Mention, Sentence
from waqai.resources import load_table, path


def features(s: Sentence) -> list[str]:
    """The sentence's words (clitics stripped, numbers left out), its word clusters, its speech verbs and
    the marks of a quote."""
    toks = s.tokens
    f = ["bias"] + sentence_words([_stem(t.norm) for t in toks]) + sentence_clusters(s)
    f += sorted({f"sv={_bare(t.norm, 4)}" for t in toks if is_speech_verb(t.norm)})
    if any(t.text in ("«", "»", '"', "“", "”") for t in toks):
        f.append("quote")
    if any(t.text == ":" for t in toks):
        f.append("colon")
    if s.is_title:
        f.append("title")
    return f


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, dict[str, float]], dict[str, float]] | None:
    if not path("speech/weights.tsv").is_file():
        return None
    weights: dict[str, dict[str, float]] = {}
    with path("speech/weights.tsv").open(encoding="utf-8") as f:
        if f.readline().rstrip("\n").split("\t") != ["event_type", "feature", "weight"]:
            raise ValueError("speech/weights.tsv: the header must be 'event_type<TAB>feature<TAB>weight'")
        for line in f:
            if line.strip():
                t, feat, w = line.rstrip("\n").split("\t")
                weights.setdefault(t, {})[feat] = float(w)
    thresholds = {r["event_type"]: float(r["threshold"]) for r in load_table("speech/thresholds.tsv")}
    return weights, thresholds


def probabilities(s: Sentence) -> dict[str, float]:
    """The probability of each verbal type the models know, for a sentence that reports speech."""
    m = _model()
    if m is None:
        return {}
    weights, _ = m
    f = features(s)
    out = {}
    for t, w in weights.items():
        z = sum(w.get(x, 0.0) for x in f)
        out[t] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return out


def read_acts(s: Sentence) -> dict[str, float]:
    """The verbal acts the models read in a sentence that reports speech: {type: probability} for the types
    at or above their threshold; empty for any other sentence."""
    m = _model()
    if m is None or not speech_sentence(s):
        return {}
    return {t: p for t, p in probabilities(s).items() if p >= m[1][t]}


def speech_acts(s: Sentence, mentions: list[Mention], topic: Mention | None, acts: dict[str, float],
                have: set[str]) -> list[tuple[str, float, int, list[Mention], list[Mention]]]:
    """(event type, probability, speech verb's token, actor, recipient) of each act in `acts` (read_acts)
    whose type is not in `have` (those the lexicon's candidates give)."""
    found = [(t, p) for t, p in sorted(acts.items()) if t not in have]
    if not found:
        return []
    toks = s.tokens
    verb = next((j for j, t in enumerate(toks) if is_speech_verb(t.norm)), 0)
    comp = next((j for j in range(verb + 1, len(toks)) if toks[j].norm in COMPLEMENT or toks[j].text == ":"), None)
    end = comp if comp is not None else len(toks)
    speaker = subject_of_speech(s, mentions, verb, end) or topic
    start = comp if comp is not None else (speaker.last if speaker is not None and speaker.last > verb else verb)
    recipient = _first_after([x for x in mentions if speaker is None or x.country != speaker.country], start, 25)
    return [(t, p, verb, [speaker] if speaker else [], [recipient] if recipient else []) for t, p in found]
