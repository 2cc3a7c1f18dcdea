"""Dump sentences that report speech (a speech verb: قال، أكد، أضاف…), for labelling the verbal acts they
report (ACCUSE, REQUEST, THREATEN, REJECT, AGREE, SUPPORT), whether a trigger word names the act or only
the quote does (docs/annotation.md, "Speech acts").

    python scripts/dump_speech.py --n 3200 --parts 8 --out /tmp/a                              # labels-0..7
    python scripts/dump_speech.py --n 3200 --skip 3200 --parts 8 --first-part 8 --out /tmp/b    # labels-8..15
    python scripts/dump_speech.py --n 3200 --skip 6400 --parts 8 --first-part 16 --out /tmp/c   # labels-16..23
    python scripts/dump_speech.py --n 3200 --skip 9600 --parts 8 --first-part 24 --out /tmp/d   # labels-24..31
    python scripts/dump_speech.py --n 3200 --skip 12800 --parts 6 --first-part 32 --out /tmp/e  # labels-32..37
    # a second draw, from the articles of other judge label files (J=0-2,6-21,86-89):
    python scripts/dump_speech.py --judge-files $J --n 800 --parts 2 --first-part 38 --out /tmp/f     # labels-38..39
    python scripts/dump_speech.py --judge-files $J --n 3200 --skip 800 --parts 8 --first-part 40 --out /tmp/g
    python scripts/dump_speech.py --judge-files $J --n 3200 --skip 4000 --parts 8 --first-part 48 --out /tmp/h
    # a third draw, from articles that no label file holds, 1,500 a batch:
    python scripts/dump_speech.py --free 1500 --n 3200 --parts 8 --first-part 56 --out /tmp/i      # labels-56..63
    python scripts/dump_speech.py --free 1500 --free-skip 1500 --n 3200 --parts 8 --first-part 64 --out /tmp/j  # 64..71
    # session 11: four more batches of the third draw (labels-72..79, 80..87, 88..95, 96..103)
    python scripts/dump_speech.py --free 1500 --free-skip 3000 --n 3200 --parts 8 --first-part 72 --out /tmp/k
    python scripts/dump_speech.py --free 1500 --free-skip 4500 --n 3200 --parts 8 --first-part 80 --out /tmp/l
    python scripts/dump_speech.py --free 1500 --free-skip 6000 --n 3200 --parts 8 --first-part 88 --out /tmp/m
    python scripts/dump_speech.py --free 1500 --free-skip 7500 --n 3200 --parts 8 --first-part 96 --out /tmp/n
    # the draw of free articles ends at 9,000; then the unlabelled speech sentences of those articles:
    python scripts/dump_speech.py --free 9000 --unlabelled --n 3200 --parts 8 --first-part 104 --out /tmp/o
    python scripts/dump_speech.py --free 9000 --unlabelled --n 3200 --parts 8 --first-part 112 --out /tmp/p   # after 104..111 are in eval/speech
    python scripts/dump_speech.py --free 9000 --unlabelled --n 3200 --parts 8 --first-part 120 --out /tmp/q   # after 112..119

(the first draw ends at 15,078 sentences, so labels-32..37 hold its last 2,278; /tmp/g gives labels-40..47,
/tmp/h labels-48..55). Sentences are drawn, with a fixed seed, from the articles of eval/judge/labels-22..85
(ANT internationalNews and middleEast; none is in the team gold or the recall audit), or of other judge
label files (--judge-files; not 3-5, whose articles hold the attribution gold), or of articles no label
file or gold set holds (--free, --free-skip). Output (outside the repository: it quotes the texts): one
JSON line per sentence with the article id, date, sentence index, the sentence before it, and the
sentence. Only ids, indices and labels are committed (eval/speech/).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
from dump_candidates import held_out_articles  # noqa: E402
from waqai.evaluate import read_corpus  # noqa: E402
from waqai.events import speech_sentence  # noqa: E402
from waqai.pipeline import analyse  # noqa: E402


def free_articles(corpus: str, n: int, skip: int = 0) -> set[str]:
    """`n` articles, drawn with a fixed seed, of internationalNews and middleEast (400-4,000 characters) that
    no judge label file, team gold, recall audit or attribution gold holds; `skip` leaves out the first ones
    of the draw (an earlier batch's)."""
    used = {json.loads(x)["doc_id"] for p in (ROOT / "eval" / "judge").glob("labels-*.jsonl")
            for x in open(p, encoding="utf-8")} | held_out_articles()
    free = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if (o["id"] not in used and o["id"].split("-")[1] in ("internationalNews", "middleEast")
                    and 400 <= len(o.get("text") or "") <= 4000):
                free.append(o["id"])
    free.sort()
    random.Random(9).shuffle(free)
    return set(free[skip: skip + n])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--n", type=int, default=3200)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--skip", type=int, default=0, help="leave out the first SKIP sentences of the shuffled draw "
                    "(those an earlier batch took)")
    ap.add_argument("--first-part", type=int, default=0, help="number of the first part file written")
    ap.add_argument("--out", type=Path, default=Path("/tmp/speech"))
    ap.add_argument("--judge-files", default="22-85", help="the articles of these judge label files "
                    "(eval/judge/labels-K.jsonl; FIRST-LAST[,FIRST-LAST…]); 3-5 hold the attribution gold's articles")
    ap.add_argument("--free", type=int, default=0, help="instead, N articles drawn from those no label file, "
                    "gold set or audit holds (internationalNews and middleEast, 400-4,000 characters)")
    ap.add_argument("--free-skip", type=int, default=0, help="leave out the first articles of that draw")
    ap.add_argument("--unlabelled", action="store_true", help="leave out the sentences eval/speech/ already "
                    "labels (the rest of earlier batches' articles)")
    args = ap.parse_args()
    if args.free:
        ids = free_articles(args.corpus, args.free, args.free_skip)
    else:
        files = [k for span in args.judge_files.split(",") for a, b in [span.split("-")]
                 for k in range(int(a), int(b) + 1)]
        ids = set()
        for k in files:
            for line in open(ROOT / "eval" / "judge" / f"labels-{k}.jsonl", encoding="utf-8"):
                ids.add(json.loads(line)["doc_id"])
    rows = []
    for art in read_corpus(args.corpus, ids).values():
        _, sents, _ = analyse(art)
        rows += [{"doc_id": art.id, "published": str(art.published), "sentence": s.index,
                  "before": sents[s.index - 1].text if s.index else "", "text": s.text}
                 for s in sents if speech_sentence(s)]
    if args.unlabelled:
        done = {(o["doc_id"], o["sentence"]) for p in (ROOT / "eval" / "speech").glob("labels-*.jsonl")
                for o in map(json.loads, open(p, encoding="utf-8"))}
        rows = [r for r in rows if (r["doc_id"], r["sentence"]) not in done]
    random.Random(8).shuffle(rows)
    rows = rows[args.skip: args.skip + args.n]
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(args.parts):
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[k::args.parts])
    print(f"wrote {len(rows)} sentences in {args.parts} parts to {args.out}")


if __name__ == "__main__":
    main()
