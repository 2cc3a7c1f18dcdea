"""Dump the rule stage's candidate events of sampled articles, for labelling judge training data.

    python scripts/dump_candidates.py --corpus ../shared/data/news/ant-2018.jsonl.gz --n 150 --out /tmp/cands
    python scripts/dump_candidates.py --n 150 --unlabelled --first-part 3 --out /tmp/cands2   # 150 more articles
    python scripts/dump_candidates.py --true-events --out /tmp/attr   # for the attribution gold set
    python scripts/dump_candidates.py --true-events --judge-files 0-2,6-89 --events 2000 --parts 8 --out /tmp/pa
        # the party models' labels, eval/parties/labels-0..7
    python scripts/dump_candidates.py --true-events --judge-files 0-2,6-89 --events 2000 --skip-events 2000 --parts 8 --first-part 8 --out /tmp/pb
        # labels-8..15
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
    ap.add_argument("--judge-files", default="",
                    help="with --true-events: the true events of these judge label files instead (FIRST-LAST[,…]; "
                         "never 3-5), for the attribution model's training labels; --events of them, whole "
                         "articles drawn with a fixed seed, in --parts files")
    ap.add_argument("--events", type=int, default=2000, help="with --judge-files: how many true events")
    ap.add_argument("--skip-events", type=int, default=0,
                    help="with --judge-files: leave out the articles an earlier batch with --events SKIP took")
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
    write_parts(args, rows, "candidates")


def true_events(args) -> None:
    """The true events of labels-3..5 (the attribution gold's), or of --judge-files (the attribution model's
    training labels), with the two sentences before each and no codes."""
    files = [3, 4, 5]
    if args.judge_files:
        files = [k for span in args.judge_files.split(",") for a, b in [span.split("-")]
                 for k in range(int(a), int(b) + 1)]
        if set(files) & {3, 4, 5}:
            raise SystemExit("labels-3..5 hold the attribution gold's articles: choose other files")
    want = {}
    for k in files:
        for x in open(ROOT / "eval" / "judge" / f"labels-{k}.jsonl", encoding="utf-8"):
            if x.strip() and json.loads(x)["event"]:
                o = json.loads(x)
                want[(o["doc_id"], o["trigger_start"], o["event_type"])] = o
    ids = {k[0] for k in want} - held_out_articles()
    if args.judge_files:  # whole articles, drawn with a fixed seed, up to --events true events
        order = sorted(ids)
        random.Random(11).shuffle(order)
        per = {}
        for d, *_ in want:
            per[d] = per.get(d, 0) + 1
        ids, n = set(), 0
        for d in order:
            if n >= args.skip_events + args.events:
                break
            if n >= args.skip_events:
                ids.add(d)
            n += per[d]
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] not in ids:
                continue
            art = from_record(a, "corpus")
            text, sents, _ = analyse(art)
            for s, c in rule_candidates(text, sents):
                t0 = s.tokens[c.first].start
                if (art.id, t0, c.entry.event_type) in want:
                    rows.append({
                        "doc_id": art.id, "published": str(art.published), "title": art.title,
                        "trigger_start": t0, "trigger": text[t0: s.tokens[c.last].end],
                        "event_type": c.entry.event_type,
                        "before": [x.text for x in sents[max(0, s.index - 2): s.index]],
                        "sentence": s.text})
    if not args.judge_files:
        with open(args.out / "true-events.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        print(f"wrote {len(rows)} of {len(want)} labelled true events to {args.out}/true-events.jsonl")
        return
    write_parts(args, rows, "true events")


def write_parts(args, rows: list[dict], what: str) -> None:
    """`rows` in --parts files part-K.jsonl (from --first-part), whole articles per file."""
    docs = sorted({r["doc_id"] for r in rows})
    for k in range(args.parts):
        part = set(docs[k::args.parts])
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["doc_id"] in part)
    print(f"wrote {len(rows)} {what} of {len(docs)} articles in {args.parts} parts to {args.out}")


def held_out_articles() -> set[str]:
    """The articles of the team gold sample, the recall audit and the attribution gold: never training data."""
    ev = ROOT / "eval"
    out = {r["doc_id"] for r in csv.DictReader(open(ev / "gold" / "sample.tsv", encoding="utf-8"), delimiter="\t")}
    for p in list((ev / "recall").glob("*/part-*.jsonl")) + list((ev / "gold").glob("attribution-*.jsonl")):
        out |= {json.loads(x)["doc_id"] for x in open(p, encoding="utf-8") if x.strip()}
    return out


if __name__ == "__main__":
    main()
