"""Dump the rule stage's candidate events of sampled articles, for labelling judge training data.

    python scripts/dump_candidates.py --corpus ../shared/data/news/ant-2018.jsonl.gz --n 150 --out /tmp/cands
    python scripts/dump_candidates.py --n 150 --unlabelled --first-part 3 --out /tmp/cands2   # 150 more articles
    python scripts/dump_candidates.py --true-events --out /tmp/attr   # for the attribution gold set
    python scripts/dump_candidates.py --audit --n 192 --parts 16 --unlabelled --out /tmp/audit   # recall audit
    python scripts/dump_candidates.py --unlabelled --only pos:participle,coerce.remand,request.call:noun --n 600 --out /tmp/new

With --audit: whole articles, one JSON line each, every sentence listed with the candidates the judge
would see in it, for the recall audit (eval/recall/, docs/annotation.md "The recall audit"): the
annotator labels the candidates as for the judge and lists the events the rules did not propose.

With --true-events: the candidates that eval/judge/labels-*.jsonl mark as events, in the articles of
labels-3..5 (the current rules' sample), with the two sentences before each and no codes (so that the
annotator is not anchored by the rules' answer), for eval/gold/attribution-*.jsonl (docs/annotation.md).

Articles: internationalNews and middleEast, 400-4000 characters, not in the team gold sample
(eval/gold/sample.tsv), drawn with a fixed seed. The candidates are those the judge sees in
production (code_article's `judged` hook: past the date filters; labels-0..21 were drawn from the rule
stage before the filters, and train_judge.py uses only those that pass them). Output (outside the
repository: it quotes the texts): one JSON line per candidate with the article id, sentence, trigger and
the codes the rules gave.
Only the labels (ids, offsets, yes/no) are committed, in eval/judge/labels-*.jsonl.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from waqai.pipeline import analyse, code_article, rule_candidates  # noqa: E402
from waqai.read import from_record  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--parts", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/cands"))
    ap.add_argument("--unlabelled", action="store_true",
                    help="leave out the articles that eval/judge/labels-*.jsonl and the recall audit (eval/recall/) "
                         "already label (a further sample)")
    ap.add_argument("--exclude-dumped", type=Path, action="append", default=[],
                    help="also leave out the articles of the part-*.jsonl files in this directory (dumped, not yet "
                         "labelled)")
    ap.add_argument("--first-part", type=int, default=0, help="number of the first part file written")
    ap.add_argument("--only", default="",
                    help="comma-separated entry ids, ID:POS (request.call:noun) or pos:POS (pos:participle): dump "
                         "only those candidates (labels for new entries); --n then counts candidates, not articles")
    ap.add_argument("--audit", action="store_true",
                    help="dump whole articles (every sentence, with its candidates) for the recall audit")
    ap.add_argument("--true-events", action="store_true",
                    help="dump the labelled true events of labels-3..5 for attribution annotation")
    args = ap.parse_args()
    if args.true_events:
        return true_events(args)
    gold = {r["doc_id"] for r in csv.DictReader(open(ROOT / "eval/gold/sample.tsv"), delimiter="\t")}
    if args.unlabelled:
        for p in sorted((ROOT / "eval" / "judge").glob("labels-*.jsonl")) + sorted(
                (ROOT / "eval" / "recall").glob("*/part-*.jsonl")):
            gold |= {json.loads(x)["doc_id"] for x in open(p, encoding="utf-8") if x.strip()}
    for d in args.exclude_dumped:
        for p in sorted(d.glob("part-*.jsonl")):
            gold |= {json.loads(x)["doc_id"] for x in open(p, encoding="utf-8") if x.strip()}
    pool = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if (a.get("category") in ("internationalNews", "middleEast") and 400 <= len(a.get("text", "")) <= 4000
                    and a["id"] not in gold):
                pool.append(a)
    rng = random.Random(7)
    rng.shuffle(pool)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only:
        return only(args, pool)
    for k in range(args.parts):
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            for a in pool[k::args.parts][: args.n // args.parts]:
                coded, pairs = judged_rows(from_record(a, "corpus"))
                art, rows = coded.article, [r for _, r in pairs]
                if args.audit:
                    out.write(json.dumps({
                        "doc_id": art.id, "published": str(art.published), "title": art.title,
                        "sentences": [{"sentence": s.index, "start": s.start, "text": s.text, "candidates": [
                            {k: r[k] for k in ("trigger_start", "trigger", "event_type", "entry", "actor", "recipient")}
                            for r in rows if r["sentence"] == s.index]} for s in coded.sentences]},
                        ensure_ascii=False) + "\n")
                    continue
                for r in rows:
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {args.parts} parts to {args.out}")


def judged_rows(art):
    """(the coded article, [(candidate, dump row)]) for the candidates the judge sees in production, past the
    date filters (code_article's `judged` hook: what scripts/train_judge.py trains on)."""
    judged = []
    coded = code_article(art, reference=art.published, use_judge=False, merge=False, judged=judged)
    text = coded.text
    return coded, [(c, {"doc_id": art.id, "published": str(art.published), "sentence": s.index,
                        "trigger_start": s.tokens[c.first].start,
                        "trigger": text[s.tokens[c.first].start: s.tokens[c.last].end],
                        "event_type": c.entry.event_type, "entry": c.entry.id,
                        "actor": [m.country or m.code for m in c.actor],
                        "recipient": [m.country or m.code for m in c.recipient],
                        "text": s.text}) for s, c, _ in judged]


def only(args, pool) -> None:
    """The candidates of some entries (or of one part of speech) in the sampled articles, up to --n, in
    --parts files."""
    wanted = set(args.only.split(","))
    rows = []
    for a in pool:
        if len(rows) >= args.n:
            break
        rows += [r for c, r in judged_rows(from_record(a, "corpus"))[1]
                 if c.entry.id in wanted or f"pos:{c.entry.pos}" in wanted or f"{c.entry.id}:{c.entry.pos}" in wanted]
    docs = sorted({r["doc_id"] for r in rows})
    for k in range(args.parts):  # whole articles per part
        part = set(docs[k::args.parts])
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["doc_id"] in part)
    print(f"wrote {len(rows)} candidates of {len(docs)} articles in {args.parts} parts to {args.out}")


def true_events(args) -> None:
    want = {}
    for p in sorted((ROOT / "eval" / "judge").glob("labels-[345].jsonl")):
        for x in open(p, encoding="utf-8"):
            if x.strip() and json.loads(x)["event"]:
                o = json.loads(x)
                want[(o["doc_id"], o["trigger_start"], o["event_type"])] = o
    ids = {k[0] for k in want}
    args.out.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f, \
            open(args.out / "true-events.jsonl", "w", encoding="utf-8") as out:
        for line in f:
            a = json.loads(line)
            if a["id"] not in ids:
                continue
            art = from_record(a, "corpus")
            text, sents, _ = analyse(art)
            for s, c in rule_candidates(text, sents):
                t0 = s.tokens[c.first].start
                if (art.id, t0, c.entry.event_type) in want:
                    n += 1
                    out.write(json.dumps({
                        "doc_id": art.id, "published": str(art.published), "title": art.title,
                        "trigger_start": t0, "trigger": text[t0: s.tokens[c.last].end],
                        "event_type": c.entry.event_type,
                        "before": [x.text for x in sents[max(0, s.index - 2): s.index]],
                        "sentence": s.text}, ensure_ascii=False) + "\n")
    print(f"wrote {n} of {len(want)} labelled true events to {args.out}/true-events.jsonl")


if __name__ == "__main__":
    main()
