"""The second stage: judge each candidate event, keep it or drop it, and give it a confidence.

Most sentences with a protest or attack word do not report a new protest or attack (background,
analysis, anniversaries, slogans, sport). A logistic regression over lexical features of the sentence and
the candidate (trigger entry and form, clitics, position, the words before the trigger, the word clusters
around it, time expressions, counts of people, numbers, a year other than the publication's, quotes, the
actors found, the sentence's place in the article, the sentence's words), each plain and conjoined with
the event type, and the word clusters of the sentence, gives the probability that the candidate reports
an event; candidates under the threshold are dropped, and the probability is the record's confidence.
The model is trained by scripts/train_judge.py (reproducible; its cross-validated figures are in
docs/accuracy.md). Inference is a sum of weights: no numerical library is needed at run time.
"""

from __future__ import annotations

import math
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.events import Candidate
from waqai.model import Sentence
from waqai.resources import load_table, path, read_rows

TIME_WORDS = {normalize(w) for w in (
    "امس اليوم الليلة فجر صباح مساء ظهر ليلا ليل الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعة السبت "
    "منذ الماضي الماضية المقبل العام عام سنة قبل خلال حاليا الان").split()}
# Counts of people: a protest or an attack that happened is reported with how many took part or died.
QUANTITY_WORDS = {normalize(w) for w in (
    "الاف آلاف ألوف مئات عشرات آلافا مئات عشرات المئات الالاف العشرات حشود حشد نحو قرابة اكثر أكثر "
    "اقل أقل اثنين ثلاثة اربعة خمسة ستة سبعة ثمانية تسعة عشرة").split()}
CASUALTY_WORDS = {normalize(w) for w in "قتيل قتيلا قتلى جريح جرحى مصاب مصابين اصابة إصابة ضحايا شهيد شهداء مقتل".split()}
CLITIC_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")


def strip_proclitic(norm: str) -> str:
    for p in CLITIC_PREFIXES:
        if norm.startswith(p) and len(norm) - len(p) >= 3:
            return norm[len(p):]
    return norm


@lru_cache(maxsize=1)
def _clusters() -> dict[str, tuple[str, ...]]:
    """The news corpus's word clusters (the NER tagger's table: word -> ids, coarse to fine). The judge's
    weights hold for this table only: judge/clusters.sha256 records it, and a test checks it."""
    from waqai.ner.features import Resources
    return Resources.read_clusters(path("ner/clusters.tsv.gz").read_bytes())


def _cluster(norm: str, level: int) -> str:
    ids = _clusters().get(norm) or _clusters().get(strip_proclitic(norm))
    return ids[level] if ids else "none"


def sentence_words(stems: list[str]) -> list[str]:
    """The sentence's words (what it is about), as features: stems, not its numbers (a year is news or
    background by the date, not by its digits)."""
    return sorted({f"w={st}" for st in stems if len(st) > 1 and not st.isdigit()})


def sentence_clusters(s: Sentence) -> list[str]:
    """The sentence's word clusters (the 256 level), as features."""
    return sorted({f"cb={_cluster(tok.norm, 1)}" for tok in s.tokens})


def features(s: Sentence, c: Candidate, year: int | None = None) -> list[str]:
    """`year`: the article's publication year, if known (a year named in the sentence that is the
    publication's own is not a sign of background)."""
    toks = s.tokens
    e = c.entry
    f = ["bias", f"trig={e.id.split('+')[0]}", f"pos={e.pos}"]
    if "+" in e.id:  # derived by a rule (an act reported by a speaker of another country: +alleged)
        f.append(f"derived={e.id.split('+', 1)[1]}")
    if c.hit is not None:
        f.append(f"pref={c.hit.prefix or '-'}")
        f.append(f"form={c.hit.stem}")
    if c.first <= 2:
        f.append("trig_at_start")
    f.append(f"sent={min(s.index, 4)}")  # the lead tells the news, later sentences its background
    stems = [strip_proclitic(t.norm) for t in toks]
    for k in range(max(0, c.first - 2), c.first):
        f.append(f"L={stems[k]}")
        f.append(f"Lc{c.first - k}={_cluster(toks[k].norm, 0)}")  # the coarsest clusters (32) near the trigger
    for k in range(c.last + 1, min(len(toks), c.last + 3)):
        f.append(f"Rc{k - c.last}={_cluster(toks[k].norm, 0)}")
    f += sentence_words(stems)
    for k, st in enumerate(stems):
        if st in TIME_WORDS or toks[k].norm in TIME_WORDS:
            f.append(f"time={st}")
        if st in QUANTITY_WORDS or toks[k].norm in QUANTITY_WORDS:
            f.append("quantity")
        if st in CASUALTY_WORDS:
            f.append("casualty")
        if toks[k].norm.isdigit():
            if len(toks[k].norm) == 4:
                f.append("year_current" if year is not None and int(toks[k].norm) == year else "year")
            else:
                f.append("number")
            if 0 < k - c.last <= 3:
                f.append("number_after_trigger")
    if any(t.text in ("«", "»", '"', "“", "”") for t in toks):
        f.append("quote")
    if any(t.text in ("؟", "?") for t in toks):
        f.append("question")
    n = len(toks)
    f.append("len<12" if n < 12 else "len<30" if n < 30 else "len<60" if n < 60 else "len>=60")
    f.append("actor" if c.actor else "no_actor")
    f.append("recipient" if c.recipient else "no_recipient")
    for a in c.actor[:1]:
        f.append(f"actor_kind={a.kind}")
        for sec in a.sector:
            f.append(f"actor_sector={sec}")
    return f


def model_features(s: Sentence, c: Candidate, year: int | None = None) -> list[str]:
    """The features plain and conjoined with the event type (one model serves every type)."""
    t = c.entry.event_type
    f = features(s, c, year)
    return f + [f"type={t}"] + [f"{t}|{x}" for x in f if x != "bias"] + sentence_clusters(s)  # clusters plain only


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], dict[str, float]] | None:
    if not path("judge/weights.tsv").is_file():
        return None
    weights = {k: float(v) for k, v in read_rows("judge/weights.tsv", ["feature", "weight"])}
    thresholds = {r["event_type"]: float(r["threshold"]) for r in load_table("judge/thresholds.tsv")}
    return weights, thresholds


def judge(s: Sentence, c: Candidate, year: int | None = None) -> tuple[bool, float]:
    """(keep, probability that the candidate reports an event); `year`: the publication year, if known."""
    m = _model()
    if m is None:
        return True, 0.5
    w, thresholds = m
    z = sum(w.get(x, 0.0) for x in model_features(s, c, year))
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return p >= thresholds.get(c.entry.event_type, thresholds.get("*", 0.5)), p
