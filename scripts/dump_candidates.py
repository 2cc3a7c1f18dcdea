"""Dump the rule stage's candidate events of sampled articles, for labelling judge training data.

    python scripts/dump_candidates.py --corpus ../shared/data/news/ant-2018.jsonl.gz --n 150 --out /tmp/cands
    python scripts/dump_candidates.py --n 150 --unlabelled --first-part 3 --out /tmp/cands2   # 150 more articles

Articles: internationalNews and middleEast, 400-4000 characters, not in the team gold sample
(eval/gold/sample.tsv), drawn with a fixed seed. Output (outside the repository: it quotes the texts):
one JSON line per candidate with the article id, sentence, trigger and the codes the rules gave.
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
from waqai.actors import Discourse, find_mentions  # noqa: E402
from waqai.events import candidates  # noqa: E402
from waqai.pipeline import analyse  # noqa: E402
from waqai.read import from_record  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--parts", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/cands"))
    ap.add_argument("--unlabelled", action="store_true",
                    help="leave out the articles that eval/judge/labels-*.jsonl already label (a further sample)")
    ap.add_argument("--first-part", type=int, default=0, help="number of the first part file written")
    args = ap.parse_args()
    gold = {r["doc_id"] for r in csv.DictReader(open(ROOT / "eval/gold/sample.tsv"), delimiter="\t")}
    if args.unlabelled:
        for p in sorted((ROOT / "eval" / "judge").glob("labels-*.jsonl")):
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
    for k in range(args.parts):
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            for a in pool[k::args.parts][: args.n // args.parts]:
                art = from_record(a, "corpus")
                text, sents, _ = analyse(art)
                d = Discourse()
                for s in sents:
                    ms = find_mentions(s, d, text)
                    for c in candidates(s, ms, d.topic):
                        t0 = s.tokens[c.first].start
                        out.write(json.dumps({
                            "doc_id": art.id, "published": str(art.published), "sentence": s.index,
                            "trigger_start": t0, "trigger": text[t0: s.tokens[c.last].end],
                            "event_type": c.entry.event_type, "entry": c.entry.id,
                            "actor": [m.country or m.code for m in c.actor],
                            "recipient": [m.country or m.code for m in c.recipient],
                            "text": s.text}, ensure_ascii=False) + "\n")
                        if c.actor:
                            d.topic = c.actor[0]
    print(f"wrote {args.parts} parts to {args.out}")


if __name__ == "__main__":
    main()
