"""Throughput and memory of the coder on real news, in one process.

    python bench/bench_code.py [--corpus ../shared/data/news/ant-2018.jsonl.gz] [--n 2000]

Reports articles/s, sentences/s, events, and peak RSS (resources loaded once, before the clock starts,
and their load time reported separately).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()

    from waqai.pipeline import code_article
    from waqai.read import from_record

    articles = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= args.n:
                break
            articles.append(from_record(json.loads(line), f"{args.corpus}:{n + 1}"))

    t0 = time.perf_counter()
    code_article(articles[0])  # loads every resource once
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    sentences = events = 0
    for a in articles:
        c = code_article(a)
        sentences += len(c.sentences)
        events += len(c.events)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"articles": len(articles), "seconds": round(dt, 2), "articles_per_s": round(len(articles) / dt, 1),
           "sentences_per_s": round(sentences / dt, 1), "events": events, "resource_load_s": round(load, 2),
           "peak_rss_mb": round(rss, 1), "python": sys.version.split()[0]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
