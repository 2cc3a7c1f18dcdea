"""Scorers for the gold formats Waqai is measured on, and the `waqai eval` command.

- detection: openeventdata/arabic_event_gsr sentence labels (yes / easy no / difficult no / ambiguous);
- spans: the same benchmark's span files (gold actor and recipient country per positive sentence);
- events: article-level gold (one line per article, events with type, actor and recipient countries,
  `uncertain` events neither rewarded nor penalised), texts read from a corpus by doc_id;
- attribution: trigger-level gold (one line per true event: doc_id, trigger offset, type, actor and
  recipient countries): given the trigger, are the actor and the recipient right? Measures attribution
  apart from detection (the rules and the party models of waqai.parties, no judge, every report kept).

Each F1 comes with a 95% bootstrap interval over the gold set's units (articles, or the benchmark's
sentences: bootstrap_f1) and each span accuracy with a Wilson interval: how far the set can tell two coders
apart.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from waqai.model import Article, Event
from waqai.pipeline import code_article

LABELS = {"yes": True, "easy no": False, "difficult no": False}
EMPTY = {"", "None", "none", "NONE", None, "UNKNOWN"}


def code_sentence(text: str, doc_id: str = "sentence", use_judge: bool = True) -> list[Event]:
    return code_article(Article(id=doc_id, text=text), reference=None, use_judge=use_judge).events


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def outcome(pred: bool, gold: bool) -> tuple[int, int, int]:
    """One judged unit (a sentence) as (tp, fp, fn), the unit bootstrap_f1 draws."""
    return int(pred and gold), int(pred and not gold), int(gold and not pred)


def bootstrap_f1(units: list[tuple[int, int, int]], resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of F1 over the units a gold set is made of (its articles, or its sentences): the units
    are drawn with replacement `resamples` times and each draw's pooled (tp, fp, fn) scored; the 2.5th and
    97.5th percentiles. Deterministic (fixed seed). A set of 36 articles moves F1 by about +-0.09: a gap
    smaller than the interval is not a difference the set can show."""
    if not units:
        return 0.0, 0.0
    rng = random.Random(seed)
    n = len(units)
    f1s = []
    for _ in range(resamples):
        tp = fp = fn = 0
        for _ in range(n):
            a, b, c = units[rng.randrange(n)]
            tp, fp, fn = tp + a, fp + b, fn + c
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    f1s.sort()
    return round(f1s[int(0.025 * resamples)], 4), round(f1s[min(resamples - 1, int(0.975 * resamples))], 4)


def wilson(k: int, n: int) -> tuple[float, float] | None:
    """95% Wilson score interval of a proportion k/n (None for n = 0): how far an accuracy measured on n
    sentences can be trusted (9 sentences: 5/9 is 0.27–0.81)."""
    if not n:
        return None
    z = 1.959964
    p = k / n
    mid, half = (p + z * z / (2 * n)), z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    d = 1 + z * z / n
    return round((mid - half) / d, 4), round((mid + half) / d, 4)


# ---------------------------------------------------------------- detection


def score_detection(rows: list[dict], event_type: str, coder=code_sentence,
                    units: list | None = None) -> tuple[Confusion, list[dict]]:
    """Sentence-level confusion and the errors; `units`, if given, receives each scored sentence's
    (tp, fp, fn), for bootstrap_f1."""
    c = Confusion()
    errors = []
    for r in rows:
        gold = LABELS.get(r["label"].strip())
        if gold is None:
            continue  # ambiguous
        events = [e for e in coder(r["text"], r.get("id", "s")) if e.event_type == event_type]
        pred = bool(events)
        if units is not None:
            units.append(outcome(pred, gold))
        if gold and pred:
            c.tp += 1
        elif gold:
            c.fn += 1
            errors.append({"kind": "FN", "id": r.get("id"), "label": r["label"], "text": r["text"]})
        elif pred:
            c.fp += 1
            errors.append({"kind": "FP", "id": r.get("id"), "label": r["label"], "text": r["text"],
                           "trigger": events[0].trigger["text"]})
        else:
            c.tn += 1
    return c, errors


def read_detection(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- spans


def _gold_country(role) -> str | None:
    if not isinstance(role, dict):
        return None
    main = role.get("main")
    return None if main in EMPTY else main


def score_spans(items: list[dict], event_type: str, coder=code_sentence) -> dict:
    """Actor (and recipient) country agreement on positive sentences where the gold gives a country."""
    res = {"sentences": 0, "detected": 0, "actor_gold": 0, "actor_correct": 0, "actor_detected": 0,
           "recipient_gold": 0, "recipient_correct": 0, "errors": []}
    for it in items:
        if it.get("event_type", event_type) != event_type:
            continue
        res["sentences"] += 1
        spans = it.get("spans") or [{}]
        gold_a = next((g for g in (_gold_country(s.get("source_role")) for s in spans) if g), None)
        gold_r = next((g for g in (_gold_country(s.get("target_role")) for s in spans) if g), None)
        events = [e for e in coder(it["text"], it.get("_id", "s")) if e.event_type == event_type]
        res["detected"] += bool(events)
        pred_a = {a.country for e in events for a in e.actor if a.country}
        pred_r = {a.country for e in events for a in e.recipient if a.country}
        if gold_a:
            res["actor_gold"] += 1
            res["actor_detected"] += bool(events)
            ok = gold_a in pred_a
            res["actor_correct"] += ok
            if not ok:
                res["errors"].append({"role": "actor", "gold": gold_a, "pred": sorted(pred_a), "text": it["text"]})
        if gold_r:
            res["recipient_gold"] += 1
            ok = gold_r in pred_r
            res["recipient_correct"] += ok
            if not ok:
                res["errors"].append({"role": "recipient", "gold": gold_r, "pred": sorted(pred_r), "text": it["text"]})
    res["actor_accuracy"] = round(res["actor_correct"] / res["actor_gold"], 4) if res["actor_gold"] else None
    res["recipient_accuracy"] = (round(res["recipient_correct"] / res["recipient_gold"], 4)
                                 if res["recipient_gold"] else None)
    for role in ("actor", "recipient"):
        ci = wilson(res[f"{role}_correct"], res[f"{role}_gold"])
        res[f"{role}_accuracy_ci95"] = list(ci) if ci else None
    return res


# ---------------------------------------------------------------- events (article level)

LEVELS = ("type", "type+actor", "type+actor+recipient")


def _countries(actors) -> set[str]:
    out = set()
    for a in actors:
        if isinstance(a, str):
            out.add(a)
        elif a.country:
            out.add(a.country)
    return out


def _match(level: str, pred: Event, gold: dict) -> bool:
    if pred.event_type != gold["event_type"]:
        return False
    if level == "type":
        return True
    if not _agree(_countries(pred.actor), set(gold.get("actor") or [])):
        return False
    if level == "type+actor":
        return True
    return _agree(_countries(pred.recipient), set(gold.get("recipient") or []))


def _agree(pred: set[str], gold: set[str]) -> bool:
    """A role is right when the countries share one, or when neither side names any."""
    return bool(pred & gold) or (not pred and not gold)


@dataclass
class EventScore:
    total: dict = field(default_factory=lambda: {lv: Confusion() for lv in LEVELS})
    per_type: dict = field(default_factory=lambda: defaultdict(lambda: {lv: Confusion() for lv in LEVELS}))
    errors: list = field(default_factory=list)
    per_article: dict = field(default_factory=lambda: {lv: [] for lv in LEVELS})  # (tp, fp, fn) per article

    def interval(self, level: str) -> tuple[float, float]:
        """The 95% bootstrap interval of the level's F1 over the gold set's articles."""
        return bootstrap_f1(self.per_article[level])


def score_article(pred: list[Event], gold: list[dict], level: str) -> tuple[list, list, list]:
    """Greedy one-to-one matching. Returns (matched pairs, false positives, missed certain gold)."""
    certain = [g for g in gold if not g.get("uncertain")]
    uncertain = [g for g in gold if g.get("uncertain")]
    free = list(pred)
    pairs = []
    for g in certain:
        m = next((p for p in free if _match(level, p, g)), None)
        if m is not None:
            free.remove(m)
            pairs.append((m, g))
    missed = [g for g in certain if all(g is not pg for _, pg in pairs)]
    for g in uncertain:  # a prediction that matches an uncertain event is neither right nor wrong
        m = next((p for p in free if _match(level, p, g)), None)
        if m is not None:
            free.remove(m)
    return pairs, free, missed


def score_events(gold_lines: list[dict], texts: dict[str, Article], coder=None, use_judge: bool = True,
                 min_confidence: float = 0.0) -> EventScore:
    """Article-level scores at the three levels; only the coder's events with `confidence` >= min_confidence
    count (what an analyst keeps with the dashboard's filter)."""
    coder = coder or (lambda art: code_article(art, reference=art.published, use_judge=use_judge).events)
    sc = EventScore()
    for g in gold_lines:
        art = texts.get(g["doc_id"])
        if art is None:
            raise KeyError(f"doc_id {g['doc_id']} not found in the corpus")
        pred = [e for e in coder(art) if e.confidence >= min_confidence]
        for level in LEVELS:
            pairs, fps, missed = score_article(pred, g["events"], level)
            sc.total[level].tp += len(pairs)
            sc.total[level].fp += len(fps)
            sc.total[level].fn += len(missed)
            sc.per_article[level].append((len(pairs), len(fps), len(missed)))
            for p, _ in pairs:
                sc.per_type[p.event_type][level].tp += 1
            for p in fps:
                sc.per_type[p.event_type][level].fp += 1
            for m in missed:
                sc.per_type[m["event_type"]][level].fn += 1
            if level == "type+actor":
                for p in fps:
                    sc.errors.append({"doc_id": g["doc_id"], "kind": "FP", "event_type": p.event_type,
                                      "actor": sorted(_countries(p.actor)), "recipient": sorted(_countries(p.recipient)),
                                      "trigger": p.trigger["text"], "text": p.text[:200]})
                for m in missed:
                    sc.errors.append({"doc_id": g["doc_id"], "kind": "FN", **{k: m.get(k) for k in
                                      ("event_type", "actor", "recipient", "quote")}})
    return sc


ROLES = ("actor", "recipient")


def score_attribution(items: list[dict], texts: dict[str, Article], coder=None, use_parties: bool = True) -> dict:
    """For each certain gold event, the coder's report of that type at that trigger (no judge, unmerged; the
    rules' parties, chosen again by the party models of waqai.parties unless `use_parties` is False):
    is its actor right, its recipient, both? A gold event the rules no longer find counts as missed. Errors
    are classed: `empty` (the coder names no one where the gold does), `spurious` (the coder names someone
    where the gold has no one), `wrong` (both name, no country in common)."""
    coder = coder or (lambda art: code_article(art, reference=art.published, use_judge=False, merge=False,
                                               use_parties=use_parties).events)
    res = {"events": 0, "found": 0, **{f"{r}_correct": 0 for r in ROLES}, "both_correct": 0,
           **{f"{r}_{k}": 0 for r in ROLES for k in ("empty", "spurious", "wrong")}, "errors": []}
    by_doc = defaultdict(list)
    for it in items:
        if not it.get("uncertain"):
            by_doc[it["doc_id"]].append(it)
    for doc_id, golds in by_doc.items():
        art = texts.get(doc_id)
        if art is None:
            raise KeyError(f"doc_id {doc_id} not found in the corpus")
        pred = coder(art)
        for g in golds:
            res["events"] += 1
            e = next((p for p in pred if p.event_type == g["event_type"] and p.trigger["start"] == g["trigger_start"]),
                     None)
            if e is None:
                res["errors"].append({"doc_id": doc_id, "kind": "not found", **{k: g.get(k) for k in
                                      ("trigger_start", "event_type", "actor", "recipient")}})
                continue
            res["found"] += 1
            ok = {}
            for role in ROLES:
                p, gg = _countries(getattr(e, role)), set(g.get(role) or [])
                ok[role] = _agree(p, gg)
                res[f"{role}_correct"] += ok[role]
                if not ok[role]:
                    kind = "empty" if not p else "spurious" if not gg else "wrong"
                    res[f"{role}_{kind}"] += 1
                    res["errors"].append({"doc_id": doc_id, "kind": f"{role} {kind}", "event_type": e.event_type,
                                          "trigger": e.trigger["text"], "trigger_start": g["trigger_start"],
                                          "gold": sorted(gg), "pred": sorted(p), "text": e.text[:300]})
            res["both_correct"] += ok["actor"] and ok["recipient"]
    n, f = res["events"], res["found"]
    for k in ("actor", "recipient", "both"):
        res[f"{k}_accuracy"] = round(res[f"{k}_correct"] / n, 4) if n else None
        res[f"{k}_accuracy_found"] = round(res[f"{k}_correct"] / f, 4) if f else None
    return res


def read_corpus(path: str, ids: set[str]) -> dict[str, Article]:
    from waqai.read import from_record

    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not ids - set(out):
                break
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if obj.get("id") in ids:
                out[obj["id"]] = from_record(obj, f"{path}:{n}")
    return out


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- command line


def add_parser(sub) -> None:
    p = sub.add_parser("eval", help="measure accuracy against gold data")
    es = p.add_subparsers(dest="eval_kind", required=True)
    d = es.add_parser("detection", help="sentence-level detection (arabic_event_gsr CSV)")
    d.add_argument("--gold", required=True)
    d.add_argument("--type", required=True, dest="event_type")
    d.add_argument("--errors", action="store_true", help="list the false positives and false negatives")
    d.add_argument("--json", action="store_true")
    s = es.add_parser("spans", help="actor/recipient country on positive sentences (arabic_event_gsr spans)")
    s.add_argument("--gold", required=True)
    s.add_argument("--type", required=True, dest="event_type")
    s.add_argument("--errors", action="store_true")
    s.add_argument("--json", action="store_true")
    e = es.add_parser("events", help="article-level events (team gold format)")
    e.add_argument("--gold", required=True)
    e.add_argument("--corpus", required=True)
    e.add_argument("--errors", action="store_true")
    e.add_argument("--json", action="store_true")
    e.add_argument("--min-confidence", type=float, default=0.0, metavar="P",
                   help="count only the events whose confidence is at least P (the dashboard's filter)")
    for sp in (d, s, e):
        sp.add_argument("--no-judge", action="store_true",
                        help="code with the rules alone (the judge and the speech-act models off)")
    a = es.add_parser("attribution", help="actor and recipient at known triggers (trigger-level gold)")
    a.add_argument("--gold", required=True)
    a.add_argument("--corpus", required=True)
    a.add_argument("--errors", action="store_true")
    a.add_argument("--json", action="store_true")
    a.add_argument("--no-parties", action="store_true", help="the rules' parties alone (the party models off)")
    p.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    try:
        if args.eval_kind == "detection":
            units: list = []
            c, errors = score_detection(read_detection(args.gold), args.event_type,
                                        coder=lambda t, i: code_sentence(t, i, not args.no_judge), units=units)
            ci = bootstrap_f1(units)
            if args.json:
                print(json.dumps({"type": args.event_type, **c.as_dict(), "f1_ci95": list(ci),
                                  **({"errors": errors} if args.errors else {})}, ensure_ascii=False))
                return 0
            t = Table(title=f"detection {args.event_type} — {args.gold}")
            for col in ("precision", "recall", "F1", "95% CI", "TP", "FP", "FN", "TN"):
                t.add_column(col, justify="right")
            t.add_row(f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", f"{ci[0]:.2f}–{ci[1]:.2f}", str(c.tp),
                      str(c.fp), str(c.fn), str(c.tn))
            console.print(t)
            if args.errors:
                for e in errors:
                    console.print(f"[bold]{e['kind']}[/] ({e['label']}) {e.get('trigger', '')}: {e['text'][:300]}")
        elif args.eval_kind == "spans":
            with open(args.gold, encoding="utf-8") as f:
                res = score_spans(json.load(f), args.event_type, coder=lambda t, i: code_sentence(t, i, not args.no_judge))
            errors = res.pop("errors")
            if args.json:
                print(json.dumps({"type": args.event_type, **res, **({"errors": errors} if args.errors else {})},
                                 ensure_ascii=False))
                return 0
            t = Table(title=f"spans {args.event_type} — {args.gold}")
            for col in ("sentences", "detected", "actor gold", "actor correct", "actor acc.", "recip. gold",
                        "recip. correct", "recip. acc."):
                t.add_column(col, justify="right")
            t.add_row(*(str(res[k]) for k in ("sentences", "detected", "actor_gold", "actor_correct",
                                               "actor_accuracy", "recipient_gold", "recipient_correct",
                                               "recipient_accuracy")))
            console.print(t)
            for role in ("actor", "recipient"):
                if res[f"{role}_accuracy_ci95"]:
                    lo, hi = res[f"{role}_accuracy_ci95"]
                    console.print(f"{role} accuracy, 95% interval (Wilson): {lo:.2f}–{hi:.2f}")
            if args.errors:
                for e in errors:
                    console.print(f"[bold]{e['role']}[/] gold={e['gold']} pred={e['pred']}: {e['text'][:300]}")
        elif args.eval_kind == "attribution":
            gold = read_jsonl(args.gold)
            res = score_attribution(gold, read_corpus(args.corpus, {g["doc_id"] for g in gold}),
                                    use_parties=not args.no_parties)
            errors = res.pop("errors")
            if args.json:
                print(json.dumps({**res, **({"errors": errors} if args.errors else {})}, ensure_ascii=False))
                return 0
            t = Table(title=f"attribution — {args.gold} ({res['events']} certain events, {res['found']} found "
                            "by the rules)")
            for col in ("", "correct", "of all", "of found", "empty", "spurious", "wrong"):
                t.add_column(col, justify="right")
            for k in ("actor", "recipient", "both"):
                t.add_row(k, str(res[f"{k}_correct"]), f"{res[f'{k}_accuracy']}", f"{res[f'{k}_accuracy_found']}",
                          *(str(res.get(f"{k}_{x}", "")) for x in ("empty", "spurious", "wrong")))
            console.print(t)
            if args.errors:
                for e in errors:
                    console.print(json.dumps(e, ensure_ascii=False))
        else:
            if not 0.0 <= args.min_confidence <= 1.0:
                raise ValueError(f"--min-confidence {args.min_confidence}: a probability between 0 and 1")
            gold = read_jsonl(args.gold)
            texts = read_corpus(args.corpus, {g["doc_id"] for g in gold})
            sc = score_events(gold, texts, use_judge=not args.no_judge, min_confidence=args.min_confidence)
            out = {"articles": len(gold), "min_confidence": args.min_confidence,
                   "levels": {lv: {**sc.total[lv].as_dict(), "f1_ci95": list(sc.interval(lv))} for lv in LEVELS},
                   "per_type": {t: {lv: v[lv].as_dict() for lv in LEVELS} for t, v in sorted(sc.per_type.items())}}
            if args.json:
                if args.errors:
                    out["errors"] = sc.errors
                print(json.dumps(out, ensure_ascii=False))
                return 0
            floor = f", confidence ≥ {args.min_confidence:g}" if args.min_confidence else ""
            t = Table(title=f"events — {args.gold} ({len(gold)} articles{floor})")
            t.add_column("level", no_wrap=True, min_width=20)
            for col in ("precision", "recall", "F1", "95% CI", "TP", "FP", "FN"):
                t.add_column(col, justify="right")
            for lv in LEVELS:
                c, ci = sc.total[lv], out["levels"][lv]["f1_ci95"]
                t.add_row(lv, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", f"{ci[0]:.2f}–{ci[1]:.2f}",
                          str(c.tp), str(c.fp), str(c.fn))
            console.print(t)
            console.print("95% CI of F1: bootstrap over the gold set's articles (2,000 draws, fixed seed)")
            pt = Table(title="per type (type+actor level)")
            pt.add_column("type")
            for col in ("P", "R", "F1", "TP", "FP", "FN"):
                pt.add_column(col, justify="right")
            for ty, v in sorted(sc.per_type.items()):
                c = v["type+actor"]
                pt.add_row(ty, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.tp), str(c.fp), str(c.fn))
            console.print(pt)
            if args.errors:
                for e in sc.errors:
                    console.print(json.dumps(e, ensure_ascii=False))
    except (OSError, ValueError, KeyError) as e:
        print(f"waqai eval: {e}", file=sys.stderr)
        return 2
    return 0


__all__ = ["Confusion", "score_detection", "score_spans", "score_events", "score_article", "score_attribution"]
