"""Speech acts: the verbal acts a sentence of reported speech carries in its quote.

News tells most accusations, demands and threats as reported speech: وأضاف أن "إسرائيل ترتكب جرائم حرب"
is an ACCUSE with no accusing word. The lexicon cannot see them (the recall audit, docs/accuracy.md: a
speech verb is the only word for 49 of the 335 events the rules missed in its dev half). This stage reads
a sentence that reports speech (events.speech_sentence) with one logistic model per verbal type, trained by
scripts/train_speech.py on sentences labelled for the acts they report (eval/speech/), and proposes the
types the lexicon's candidates do not already give in that sentence. Who speaks (the actor) and to whom
(the recipient) are chosen among the actors the sentence names by two more models that score each mention
(gradient-boosted trees since session 13, logistic weights before; scripts/train_speech_parties.py, trained
on the actor and recipient codes of the same labels);
without them, the speaker is the subject of the speech verb and the recipient the first other actor named
in what was said.
"""

from __future__ import annotations

import math
from functools import lru_cache

from waqai.events import (COMPLEMENT, PREPOSITIONS, PRONOUN_COMPLEMENT, Candidate, Trigger, first_after,
                          is_prepositional, is_speech_verb, speech_sentence, subject_of_speech, without_conjunction)
from waqai.judge import sentence_clusters, sentence_words, strip_proclitic
from waqai.model import Mention, Sentence
from waqai.parties import Model, best, role_forests
from waqai.resources import load_table, path, read_rows, role_weights


QUOTE_MARKS = ("«", "»", '"', "“", "”")


def features(s: Sentence) -> list[str]:
    """The sentence's words (clitics stripped, numbers left out) and pairs of adjacent words (يجب على،
    جرائم حرب), its word clusters, its speech verbs and the marks of a quote."""
    toks = s.tokens
    stems = [strip_proclitic(t.norm) for t in toks]
    words = [st for st in stems if len(st) > 1 and not st.isdigit()]
    f = ["bias"] + sentence_words(stems) + sorted({f"w={a}_{b}" for a, b in zip(words, words[1:])})
    f += sentence_clusters(s)
    f += sorted({f"sv={without_conjunction(t.norm, 4)}" for t in toks if is_speech_verb(t.norm)})
    if any(t.text in QUOTE_MARKS for t in toks):
        f.append("quote")
    if any(t.text == ":" for t in toks):
        f.append("colon")
    if s.is_title:
        f.append("title")
    return f


@lru_cache(maxsize=1)
def _model() -> tuple[tuple[str, ...], dict[str, list[float]], dict[str, float]] | None:
    """The types, each feature's weights (one per type, in that order: a sentence's features are looked up
    once for all the models) and the thresholds."""
    if not path("speech/weights.tsv").is_file():
        return None
    rows = read_rows("speech/weights.tsv", ["event_type", "feature", "weight"])
    types = tuple(sorted({t for t, _, _ in rows}))
    index = {t: k for k, t in enumerate(types)}
    weights: dict[str, list[float]] = {}
    for t, feat, w in rows:
        weights.setdefault(feat, [0.0] * len(types))[index[t]] = float(w)
    thresholds = {r["event_type"]: float(r["threshold"]) for r in load_table("speech/thresholds.tsv")}
    return types, weights, thresholds


def probabilities(s: Sentence) -> dict[str, float]:
    """The probability of each verbal type the models know, for a sentence that reports speech."""
    m = _model()
    if m is None:
        return {}
    types, weights, _ = m
    z = [0.0] * len(types)
    for x in features(s):
        w = weights.get(x)
        if w is not None:
            z = [a + b for a, b in zip(z, w)]
    return {t: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for t, v in zip(types, z)}


def read_acts(s: Sentence) -> dict[str, float]:
    """The verbal acts the models read in a sentence that reports speech: {type: probability} for the types
    at or above their threshold; empty for any other sentence."""
    m = _model()
    if m is None or not speech_sentence(s):
        return {}
    return {t: p for t, p in probabilities(s).items() if p >= m[2][t]}


# the trigger of an act that only a quote carries: the speech verb, coded by type
SPEECH_TRIGGERS = {t: Trigger(f"speech+{t.lower()}", t, mode, cameo, "verb", frozenset()) for t, mode, cameo in (
    ("ACCUSE", "disapprove", "111"), ("REQUEST", None, "100"), ("THREATEN", None, "130"), ("REJECT", None, "120"),
    ("AGREE", None, "030"), ("SUPPORT", None, "051"))}


def speech_acts(s: Sentence, mentions: list[Mention], topic: Mention | None, acts: dict[str, float],
                have: set[str]) -> list[tuple[Candidate, float]]:
    """A candidate (trigger: the speech verb, SPEECH_TRIGGERS) and its probability for each act in `acts`
    (read_acts) whose type is not in `have` (those the lexicon's candidates give)."""
    found = [(t, p) for t, p in sorted(acts.items()) if t not in have]
    if not found:
        return []
    verb, comp = layout(s)
    speaker = choose_speaker(s, mentions, topic, verb, comp)
    out = []
    for t, p in found:
        recipient = choose_recipient(s, mentions, topic, verb, comp, speaker, t)
        out.append((Candidate(SPEECH_TRIGGERS[t], verb, verb, [speaker] if speaker else [],
                              [recipient] if recipient else []), p))
    return out


def layout(s: Sentence) -> tuple[int, int | None]:
    """The speech verb's token (the first; 0 for a headline that quotes) and the complementiser (أن، بأن،
    أنها…) or colon that opens what was said (None if there is none)."""
    toks = s.tokens
    verb = next((j for j, t in enumerate(toks) if is_speech_verb(t.norm)), 0)
    comp = next((j for j in range(verb + 1, len(toks))
                 if toks[j].norm in COMPLEMENT or toks[j].norm in PRONOUN_COMPLEMENT or toks[j].text == ":"), None)
    return verb, comp


def speaker_candidates(mentions: list[Mention], topic: Mention | None) -> list[Mention]:
    """Who may be speaking: the actors the sentence names with a country, and the topic (the discourse's
    last actor) when the sentence names none of its country."""
    out = [m for m in mentions if m.country]
    if topic is not None and topic.country and all(m.country != topic.country for m in out):
        out.append(topic)
    return out


def recipient_candidates(mentions: list[Mention], speaker: Mention | None) -> list[Mention]:
    """Whom an act may be aimed at: the actors the sentence names with a country, but the speaker and the
    speaker's own country named as "his country" (قال لافروف إن بلاده…)."""
    return [x for x in mentions if x.country and x is not speaker
            and not (x.kind == "pronoun" and speaker is not None and x.country == speaker.country)]


def _position(s: Sentence, m: Mention, verb: int, end: int) -> tuple[str, str]:
    """Where a mention stands (before the speech verb, in its clause up to `end`, or in what was said) and
    the preposition before it ('w' for any other word)."""
    region = "pre" if m.last < verb else ("subj" if m.first < end else "said")
    prev = s.tokens[m.first - 1].norm if m.first > 0 else "^"
    return region, prev if prev in PREPOSITIONS else "w"


def speaker_features(s: Sentence, mentions: list[Mention], topic: Mention | None, m: Mention, verb: int,
                     comp: int | None) -> list[str]:
    """What tells the speaker among the candidates: where the mention stands against the speech verb and
    what was said, whether the rule (events.subject_of_speech) would take it, its kind, the word before it."""
    end = comp if comp is not None else len(s.tokens)
    if all(m is not x for x in mentions):  # the topic, not named in the sentence
        return ["topic-only"] + (["none-in-clause"] if not any(verb < x.first < end for x in mentions) else [])
    region, prev = _position(s, m, verb, end)
    subject = [x for x in mentions if verb < x.first < end and not is_prepositional(s, x)]
    f = ["bias", f"r={region}", f"k={m.kind}", f"r={region}|k={m.kind}",
         f"prev={prev}", f"dist={min(30, abs(m.first - verb)) // 5}"]
    f += ["rule"] if m is rule_speaker(s, mentions, None, verb, comp) else []
    f += ["prep"] if is_prepositional(s, m) else []
    f += ["first-subject"] if subject and subject[0] is m else []
    f += ["next-to-verb"] if m.last < verb and verb - m.last <= 2 else []
    f += ["topic", f"topic|r={region}"] if topic is not None and topic.country == m.country else []
    f += ["title"] if s.is_title else []
    f += ["no-complement"] if comp is None else []
    return f


def recipient_features(s: Sentence, mentions: list[Mention], topic: Mention | None, m: Mention, verb: int,
                       comp: int | None, speaker: Mention | None, event_type: str) -> list[str]:
    """What tells the recipient of an act among the sentence's other actors: where the mention stands, its
    rank among the actors named in what was said, whether it is of the speaker's country, the preposition
    before it, and these crossed with the act's type."""
    toks = s.tokens
    end = comp if comp is not None else len(toks)
    region, prev = _position(s, m, verb, end)
    after = [x for x in mentions if x.first > (end if comp is not None else verb) and x is not speaker and x.country]
    rank = next((str(min(i, 3)) for i, x in enumerate(after) if x is m), "na")
    same = speaker is not None and m.country == speaker.country
    clitics = "".join(ch for ch in (m.prefix or "").replace("ال", "") if ch in "بلكو")
    t = event_type
    f = ["bias", f"r={region}", f"k={m.kind}", f"rank={rank}", f"prev={prev}", f"pfx={clitics}",
         f"n={min(3, sum(1 for x in mentions if x.country == m.country))}", f"dist={min(30, abs(m.first - end)) // 5}",
         f"t={t}|r={region}", f"t={t}|rank={rank if rank in ('0', '1') else 'x'}", f"t={t}|prev={prev}"]
    f += ["same", f"t={t}|same"] if same else []
    f += ["prep"] if is_prepositional(s, m) else []
    f += ["quoted"] if sum(1 for k in range(m.first) if toks[k].text in QUOTE_MARKS) % 2 else []
    f += ["topic"] if topic is not None and topic.country == m.country else []
    f += ["title"] if s.is_title else []
    return f


@lru_cache(maxsize=1)
def _party_model() -> dict[str, Model] | None:
    """The speaker and recipient models: gradient-boosted trees (speech/party_trees.tsv, since session 13), else
    logistic weights (speech/parties.tsv), as scripts/train_speech_parties.py wrote them."""
    return role_forests("speech/party_trees.tsv") or role_weights("speech/parties.tsv")


def rule_speaker(s: Sentence, mentions: list[Mention], topic: Mention | None, verb: int,
                 comp: int | None) -> Mention | None:
    """The rule the speaker model replaced: the subject of the speech verb, else the topic."""
    return subject_of_speech(s, mentions, verb, comp if comp is not None else len(s.tokens)) or topic


def rule_recipient(mentions: list[Mention], verb: int, comp: int | None, speaker: Mention | None) -> Mention | None:
    """The rule the recipient model replaced: the first actor of another country than the speaker's named in
    what was said (within 25 words)."""
    start = comp if comp is not None else (speaker.last if speaker is not None and speaker.last > verb else verb)
    return first_after([x for x in mentions if speaker is None or x.country != speaker.country], start, 25)


def choose_speaker(s: Sentence, mentions: list[Mention], topic: Mention | None, verb: int,
                   comp: int | None) -> Mention | None:
    """The actor of the sentence's speech acts: the best scored candidate (speaker_candidates), or without
    the model, the subject of the speech verb (else the topic)."""
    m = _party_model()
    if m is None:
        return rule_speaker(s, mentions, topic, verb, comp)
    return best(m["actor"], [(x, speaker_features(s, mentions, topic, x, verb, comp))
                             for x in speaker_candidates(mentions, topic)])


def choose_recipient(s: Sentence, mentions: list[Mention], topic: Mention | None, verb: int, comp: int | None,
                     speaker: Mention | None, event_type: str) -> Mention | None:
    """The recipient of an act: the best scored of the sentence's other actors with a country, or without
    the model, the first actor of another country than the speaker's named in what was said."""
    m = _party_model()
    if m is None:
        return rule_recipient(mentions, verb, comp, speaker)
    return best(m["recipient"], [(x, recipient_features(s, mentions, topic, x, verb, comp, speaker, event_type))
                                 for x in recipient_candidates(mentions, speaker)])
