"""The scorers on small fixtures the team wrote: each count is known by hand, so a scorer that drifts fails."""

import json
from pathlib import Path

from waqai.evaluate import (Confusion, bootstrap_f1, read_detection, score_article, score_attribution, score_detection, score_events,
                            score_spans, wilson)
from waqai.model import Actor, Article, Event

DATA = Path(__file__).parent / "data" / "eval"


def fake(event_type, actor=(), recipient=()):
    act = [Actor(code=c, country=c, sector=[], entity_text=c) for c in actor]
    rec = [Actor(code=c, country=c, sector=[], entity_text=c) for c in recipient]
    return Event(id="e", date=None, date_precision=None, event_type=event_type, mode=None, context=[], actor=act,
                 recipient=rec, event_loc=None, cameo="", goldstein=0.0, quad_class=1, text="", text_info={},
                 trigger={"text": "", "start": 0, "end": 0}, cite_info={}, confidence=1.0, coder="test")


def test_confusion_arithmetic():
    c = Confusion(tp=3, fp=1, fn=2, tn=10)
    assert (round(c.precision, 3), round(c.recall, 3), round(c.f1, 3)) == (0.75, 0.6, 0.667)
    assert Confusion().f1 == 0.0


def test_detection_with_a_scripted_coder():
    rows = read_detection(DATA / "detection.csv")
    # the scripted coder "detects" s1, s3 and s5: s1 TP, s3 FP (difficult no), s5 left out (ambiguous),
    # s4 FN, s2 and s6 TN
    fired = {"s1", "s3", "s5"}
    units: list = []
    c, errors = score_detection(rows, "PROTEST", coder=lambda text, i: [fake("PROTEST")] if i in fired else [],
                                units=units)
    assert (c.tp, c.fp, c.fn, c.tn) == (1, 1, 1, 2)
    assert sorted(e["id"] for e in errors) == ["s3", "s4"]
    # one (tp, fp, fn) per scored sentence (the ambiguous s5 is not scored), for the bootstrap interval
    assert sorted(units) == [(0, 0, 0), (0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0)]


def test_detection_with_the_real_coder():
    c, _ = score_detection(read_detection(DATA / "detection.csv"), "PROTEST")
    assert c.tp + c.fn == 2 and c.fp + c.tn == 3
    assert c.tp == 2 and c.fp == 0  # these sentences are plain: the coder must get them right


def test_spans():
    items = json.loads((DATA / "spans.json").read_text(encoding="utf-8"))
    script = {"p1": [fake("PROTEST", ["IRQ"])], "p2": [fake("PROTEST", ["ISR"], ["PSE"])], "p3": []}
    res = score_spans(items, "PROTEST", coder=lambda text, i: script[i])
    assert (res["sentences"], res["detected"], res["actor_gold"], res["actor_correct"]) == (3, 2, 2, 1)
    assert (res["recipient_gold"], res["recipient_correct"], res["actor_accuracy"]) == (1, 0, 0.5)
    lo, hi = res["actor_accuracy_ci95"]
    assert lo < 0.5 < hi and res["recipient_accuracy_ci95"][0] == 0.0


def test_wilson_interval():
    assert wilson(5, 9) == (0.2667, 0.8112)  # the textbook values for 5 of 9
    assert wilson(0, 0) is None
    lo, hi = wilson(90, 100)
    assert lo < 0.9 < hi and hi - lo < wilson(9, 10)[1] - wilson(9, 10)[0]


def test_article_matching_levels_and_uncertain_events():
    gold = [{"event_type": "CONSULT", "actor": ["RUS"], "recipient": ["IND"]},
            {"event_type": "ACCUSE", "actor": ["RUS"], "recipient": ["USA"]},
            {"event_type": "ASSAULT", "actor": ["ISR"], "recipient": [], "uncertain": True}]
    pred = [fake("CONSULT", ["RUS"], ["IND"]), fake("ACCUSE", ["RUS"], ["WST"]), fake("ASSAULT", ["ISR"]),
            fake("PROTEST", ["IRQ"])]
    pairs, fps, missed = score_article(pred, gold, "type")
    assert (len(pairs), len(fps), len(missed)) == (2, 1, 0)  # the uncertain ASSAULT is neither TP nor FP
    pairs, fps, missed = score_article(pred, gold, "type+actor+recipient")
    assert (len(pairs), len(fps), len(missed)) == (1, 2, 1)  # ACCUSE to the West is not to the USA


def test_score_events_over_a_corpus():
    gold = [{"doc_id": "a", "events": [{"event_type": "SANCTION", "actor": ["USA"], "recipient": ["RUS"]}]},
            {"doc_id": "b", "events": []}]
    texts = {"a": Article(id="a", text="فرضت الولايات المتحدة عقوبات جديدة على روسيا."),
             "b": Article(id="b", text="سجل اللاعب هدفا في الدقيقة الأخيرة من المباراة.")}
    sc = score_events(gold, texts)
    c = sc.total["type+actor+recipient"]
    assert (c.tp, c.fp, c.fn) == (1, 0, 0)
    assert sc.per_type["SANCTION"]["type"].tp == 1


def test_attribution_scripted():
    """Each gold event is looked up by type and trigger offset; errors are classed empty/spurious/wrong."""
    def at(event_type, start, actor=(), recipient=()):
        e = fake(event_type, actor, recipient)
        e.trigger = {"text": "", "start": start, "end": start + 1}
        return e

    pred = {"a": [at("ASSAULT", 10, ["ISR"], ["PSE"]), at("ACCUSE", 40, [], ["USA"]), at("CONSULT", 70, ["RUS"])],
            "b": [at("PROTEST", 5, ["IRQ"])]}
    gold = [{"doc_id": "a", "trigger_start": 10, "event_type": "ASSAULT", "actor": ["ISR"], "recipient": ["PSE"]},
            {"doc_id": "a", "trigger_start": 40, "event_type": "ACCUSE", "actor": ["IRN"], "recipient": ["USA", "ISR"]},
            {"doc_id": "a", "trigger_start": 70, "event_type": "CONSULT", "actor": ["USA"], "recipient": []},
            {"doc_id": "a", "trigger_start": 99, "event_type": "SANCTION", "actor": ["USA"], "recipient": ["RUS"]},
            {"doc_id": "b", "trigger_start": 5, "event_type": "PROTEST", "actor": ["IRQ"], "recipient": ["IRQ"]},
            {"doc_id": "b", "trigger_start": 5, "event_type": "ASSAULT", "actor": [], "recipient": [],
             "uncertain": True}]
    texts = {"a": Article(id="a", text="x"), "b": Article(id="b", text="y")}
    res = score_attribution(gold, texts, coder=lambda art: pred[art.id])
    assert (res["events"], res["found"]) == (5, 4)  # the uncertain one is left out; SANCTION@99 is not found
    assert (res["actor_correct"], res["recipient_correct"], res["both_correct"]) == (2, 3, 1)
    assert (res["actor_empty"], res["actor_wrong"], res["actor_spurious"]) == (1, 1, 0)
    assert (res["recipient_spurious"], res["recipient_empty"], res["recipient_wrong"]) == (0, 1, 0)
    assert res["actor_accuracy"] == 0.4 and res["actor_accuracy_found"] == 0.5
    assert sorted(e["kind"] for e in res["errors"]) == ["actor empty", "actor wrong", "not found", "recipient empty"]


def test_attribution_with_the_real_coder():
    art = Article(id="a", text="فرضت الولايات المتحدة عقوبات جديدة على روسيا.")
    gold = [{"doc_id": "a", "trigger_start": 0, "event_type": "SANCTION", "actor": ["USA"], "recipient": ["RUS"]}]
    res = score_attribution(gold, {"a": art})
    assert res["found"] == 1 and res["both_correct"] == 1
    gold[0]["recipient"] = ["CHN"]
    assert score_attribution(gold, {"a": art})["recipient_wrong"] == 1


def test_eval_commands(tmp_path):
    import subprocess
    import sys

    def run(*args):
        r = subprocess.run([sys.executable, "-m", "waqai", "eval", *args, "--json"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    d = run("detection", "--gold", str(DATA / "detection.csv"), "--type", "PROTEST")
    assert d["tp"] + d["fn"] == 2 and {"precision", "recall", "f1"} <= set(d)
    s = run("spans", "--gold", str(DATA / "spans.json"), "--type", "PROTEST")
    assert s["actor_gold"] == 2
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "فرضت الولايات المتحدة عقوبات جديدة على روسيا.",
                                  "published": "2024-03-10"}, ensure_ascii=False) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "a", "events": [{"event_type": "SANCTION", "actor": ["USA"],
                                                           "recipient": ["RUS"], "uncertain": False}]}) + "\n")
    e = run("events", "--gold", str(gold), "--corpus", str(corpus))
    assert e["levels"]["type+actor+recipient"]["tp"] == 1 and e["articles"] == 1
    gold.write_text(json.dumps({"doc_id": "a", "trigger_start": 0, "event_type": "SANCTION", "actor": ["USA"],
                                "recipient": ["GBR"]}) + "\n")
    a = run("attribution", "--gold", str(gold), "--corpus", str(corpus))
    assert (a["found"], a["actor_correct"], a["recipient_correct"], a["recipient_wrong"]) == (1, 1, 0, 1)


def test_bootstrap_interval_of_f1():
    """The interval brackets the pooled F1, narrows as the set grows, is deterministic, and is a point when
    every unit is right (or empty for an empty set)."""
    units = [(2, 1, 0), (0, 2, 1), (1, 0, 1), (3, 1, 1), (0, 0, 2), (2, 2, 0)] * 3
    tp, fp, fn = (sum(u[k] for u in units) for k in range(3))
    f1 = 2 * tp / (2 * tp + fp + fn)
    lo, hi = bootstrap_f1(units)
    assert lo < f1 < hi and 0.0 < lo and hi < 1.0
    assert bootstrap_f1(units) == (lo, hi)
    lo4, hi4 = bootstrap_f1(units * 4)
    assert hi4 - lo4 < hi - lo
    assert bootstrap_f1([(1, 0, 0), (2, 0, 0)]) == (1.0, 1.0)
    assert bootstrap_f1([]) == (0.0, 0.0)


def test_per_article_counts_add_up_to_the_totals():
    gold = [{"doc_id": "a", "events": [{"event_type": "SANCTION", "actor": ["USA"], "recipient": ["RUS"]}]},
            {"doc_id": "b", "events": [{"event_type": "PROTEST", "actor": ["IRQ"], "recipient": []}]}]
    texts = {"a": Article(id="a", text="x"), "b": Article(id="b", text="y")}
    pred = {"a": [fake("SANCTION", ["USA"], ["RUS"])], "b": [fake("ASSAULT", ["IRQ"])]}
    sc = score_events(gold, texts, coder=lambda art: pred[art.id])
    for level in ("type", "type+actor", "type+actor+recipient"):
        c = sc.total[level]
        assert [sum(u[k] for u in sc.per_article[level]) for k in range(3)] == [c.tp, c.fp, c.fn]
    assert sc.per_article["type"] == [(1, 0, 0), (0, 1, 1)]
    lo, hi = sc.interval("type")
    assert lo <= sc.total["type"].f1 <= hi


def test_a_confidence_floor_keeps_the_surer_events():
    """score_events(min_confidence=…) counts only the events at or above the floor, as the dashboard's filter
    keeps them."""
    gold = [{"doc_id": "a", "events": [{"event_type": "SANCTION", "actor": ["USA"], "recipient": ["RUS"]},
                                       {"event_type": "ACCUSE", "actor": ["RUS"], "recipient": ["USA"]}]}]
    texts = {"a": Article(id="a", text="x")}
    sure, unsure, wrong = fake("SANCTION", ["USA"], ["RUS"]), fake("ACCUSE", ["RUS"], ["USA"]), fake("ASSAULT", ["USA"])
    sure.confidence, unsure.confidence, wrong.confidence = 0.9, 0.6, 0.55
    sc = score_events(gold, texts, coder=lambda art: [sure, unsure, wrong])
    c = sc.total["type"]
    assert (c.tp, c.fp, c.fn) == (2, 1, 0)
    sc = score_events(gold, texts, coder=lambda art: [sure, unsure, wrong], min_confidence=0.7)
    c = sc.total["type"]
    assert (c.tp, c.fp, c.fn) == (1, 0, 1)
