"""Score the coder against the recall audit: whole news articles where every sentence was read.

    python scripts/recall_audit.py                       # dev half, rules + judge
    python scripts/recall_audit.py --no-judge            # the rules alone
    python scripts/recall_audit.py --no-speech           # rules + judge, no speech acts
    python scripts/recall_audit.py --split test          # the held-out half (measure, never tune on it)
    python scripts/recall_audit.py --missed              # dev half: the missed events' trigger words by type
    python scripts/recall_audit.py --by-confidence       # precision and recall of the events kept at each
                                                         # confidence floor (the dashboard's min_confidence)

The audit (eval/recall/{dev,test}/, docs/annotation.md "The recall audit") labels every candidate the rule
stage proposed in an article (`part-N.labels.jsonl`, the judge's label format) and lists, sentence by
sentence, the events that no true candidate of the same type covers (`part-N.missed.jsonl`). Together
they give every (sentence, event type) pair the article reports as news, so precision and recall can
both be counted at that level: a prediction is an event the coder writes (one per trigger: merge off)
of that type in that sentence. A coarser second level counts each type an article reports once (an event
told in three sentences is found when one of them is coded). The dev half's labels also train the judge (scripts/train_judge.py); the
test half trains nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from waqai.arabic.normalize import normalize  # noqa: E402
from waqai.pipeline import analyse, code_article  # noqa: E402
from waqai.evaluate import Confusion, bootstrap_f1, read_corpus  # noqa: E402

AUDIT = ROOT / "eval" / "recall"
FLOORS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)  # confidence floors for --by-confidence


def read_audit(split: str) -> tuple[dict, dict]:
    """(labels by doc_id, missed events by doc_id) of one half."""
    labels, missed = defaultdict(list), {}
    for p in sorted((AUDIT / split).glob("part-*.labels.jsonl")):
        for line in open(p, encoding="utf-8"):
            if line.strip():
                o = json.loads(line)
                labels[o["doc_id"]].append(o)
        for line in open(p.with_name(p.name.replace(".labels.", ".missed.")), encoding="utf-8"):
            if line.strip():
                o = json.loads(line)
                missed[o["doc_id"]] = o["missed"]
    return labels, missed


def gold_units(art, labels: list[dict], missed: list[dict]) -> dict:
    """{(sentence index, event type): [trigger words]} of the events the article reports."""
    _, sents, _ = analyse(art)
    starts = [s.start for s in sents]
    out = defaultdict(list)
    for o in labels:
        if o["event"]:
            i = max(k for k, st in enumerate(starts) if st <= o["trigger_start"])
            out[(i, o["event_type"])].append(None)
    for m in missed:
        out[(m["sentence"], m["event_type"])].append(m["trigger"])
    return out


def compare(gold: set, pred: set) -> Counter:
    """True positives, false positives and misses of a predicted set of units against the gold set."""
    return Counter(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def score(split: str, corpus: Path, use_judge: bool, use_speech: bool | None = None) -> dict:
    labels, missed = read_audit(split)
    per_type, errors = defaultdict(Counter), []
    sentences, types = [], []  # each article's counts: its (sentence, type) units, and the types it reports
    scored = []  # (gold units, {predicted unit: its highest confidence}) of each article
    for art in read_corpus(str(corpus), set(missed)).values():
        gold = gold_units(art, labels.get(art.id, []), missed[art.id])
        coded = code_article(art, reference=art.published, use_judge=use_judge, merge=False, use_speech=use_speech)
        pred = {(e.text_info["sequence"], e.event_type): e.trigger["text"] for e in coded.events}
        conf: dict = {}
        for e in coded.events:
            u = (e.text_info["sequence"], e.event_type)
            conf[u] = max(conf.get(u, 0.0), e.confidence)
        scored.append((set(gold), conf))
        types.append(compare({t for _, t in gold}, {t for _, t in pred}))
        sentences.append(compare(set(gold), set(pred)))
        for t in {u[1] for u in gold} | {u[1] for u in pred}:
            per_type[t].update(compare({u for u in gold if u[1] == t}, {u for u in pred if u[1] == t}))
        for u in sorted(set(gold) ^ set(pred)):
            errors.append({"doc_id": art.id, "sentence": u[0], "event_type": u[1], "kind": "FN" if u in gold else "FP",
                           "trigger": pred.get(u) or next((t for t in gold[u] if t), None)})
    speech = use_judge if use_speech is None else use_speech
    coder = " + ".join(["rules"] + ["judge"] * use_judge + ["speech acts"] * speech)
    return {"split": split, "judge": use_judge, "speech": speech, "coder": coder, "articles": len(missed),
            "total": _pooled(sentences), "article_types": _pooled(types),
            "per_type": {t: _prf(c) for t, c in sorted(per_type.items())}, "errors": errors,
            "by_confidence": by_confidence(scored)}


def by_confidence(scored: list) -> list[dict]:
    """Sentence + type precision and recall of the events whose confidence is at least each floor: what an
    analyst keeps with the dashboard's and the API's min_confidence."""
    out = []
    for floor in FLOORS:
        c = Counter()
        for gold, conf in scored:
            c.update(compare(gold, {u for u, v in conf.items() if v >= floor}))
        out.append({"min_confidence": floor, **_prf(c)})
    return out


def _pooled(articles: list[Counter]) -> dict:
    """The articles' counts summed and scored, with the 95% interval of F1 over the articles."""
    return {**_prf(sum(articles, Counter())),
            "f1_ci95": list(bootstrap_f1([(c["tp"], c["fp"], c["fn"]) for c in articles]))}


def _prf(c: Counter) -> dict:
    m = Confusion(tp=c["tp"], fp=c["fp"], fn=c["fn"])
    return {"precision": round(m.precision, 3), "recall": round(m.recall, 3), "f1": round(m.f1, 3),
            "tp": m.tp, "fp": m.fp, "fn": m.fn}


def missed_triggers(split: str) -> None:
    """The missed events' trigger words, normalised, by type (where the lexicon has gaps)."""
    _, missed = read_audit(split)
    by_type = defaultdict(Counter)
    for ms in missed.values():
        for m in ms:
            by_type[m["event_type"]][normalize(m["trigger"])] += 1
    for t, c in sorted(by_type.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{t} ({sum(c.values())}): " + ", ".join(f"{w} {n}" for w, n in c.most_common()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz")
    ap.add_argument("--no-judge", action="store_true", help="the rules alone (no judge, no speech acts)")
    ap.add_argument("--no-speech", action="store_true", help="the speech-act stage off (waqai.speech)")
    ap.add_argument("--errors", action="store_true", help="list the false positives and the misses")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--missed", action="store_true", help="the missed events' trigger words by type")
    ap.add_argument("--by-confidence", action="store_true",
                    help="precision and recall of the events kept at each confidence floor")
    args = ap.parse_args()
    if args.missed:
        return missed_triggers(args.split)
    r = score(args.split, args.corpus, not args.no_judge, False if args.no_speech else None)
    if args.json:
        print(json.dumps(r if args.errors else {k: v for k, v in r.items() if k != "errors"}, ensure_ascii=False))
        return
    t = r["total"]
    print(f"recall audit, {args.split} half, {r['articles']} articles, {r['coder']}: "
          f"sentence + type P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f} "
          f"(95% interval over the articles {t['f1_ci95'][0]:.3f}–{t['f1_ci95'][1]:.3f}; "
          f"tp {t['tp']}, fp {t['fp']}, fn {t['fn']})")
    a = r["article_types"]
    print(f"  article + type (each type an article reports, once): P {a['precision']:.3f} R {a['recall']:.3f} "
          f"F1 {a['f1']:.3f} ({a['f1_ci95'][0]:.3f}–{a['f1_ci95'][1]:.3f}; tp {a['tp']}, fp {a['fp']}, fn {a['fn']})")
    for ty, c in r["per_type"].items():
        print(f"  {ty:10} P {c['precision']:.2f} R {c['recall']:.2f} F1 {c['f1']:.2f}  tp {c['tp']} fp {c['fp']} fn {c['fn']}")
    if args.by_confidence:
        print("  sentence + type, events kept at each confidence floor:")
        for c in r["by_confidence"]:
            print(f"    >= {c['min_confidence']:.1f}: kept {c['tp'] + c['fp']:4d}  P {c['precision']:.3f} "
                  f"R {c['recall']:.3f} F1 {c['f1']:.3f}")
    if args.errors:
        for e in r["errors"]:
            print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    main()
