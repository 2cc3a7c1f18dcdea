#!/usr/bin/env python
"""Throughput and memory of Waqai's NER tagger on the news corpus.

    PYTHONPATH=src python bench/bench_ner.py [--articles 2000] [--news ../shared/data/news/ant-2018.jsonl.gz]

Writes the first N articles as JSONL to a temporary file and runs `waqai ner --input-format jsonl` on
it in this process (the same code path as the command line: reading, sentence splitting, tokenising,
features, CRF, JSON output to /dev/null), pinned to one CPU core. Prints tokens (waqai.arabic.tokenize
tokens of the article texts), seconds, tokens/s, entities and the peak resident memory of the process.
The first pass over the articles is timed separately: the per-word feature cache starts cold.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=2, help="passes over the articles (the first is cold)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from waqai.arabic import tokenize
    from waqai.ner import load_tagger
    from waqai.ner import cli

    docs = []
    with gzip.open(args.news, "rt", encoding="utf-8") as f:
        for line in f:
            if len(docs) >= args.articles:
                break
            d = json.loads(line)
            docs.append({"id": d.get("id"), "text": d.get("text") or ""})
    ntok = sum(len(tokenize(d["text"])) for d in docs)
    nchar = sum(len(d["text"]) for d in docs)

    t0 = time.perf_counter()
    load_tagger()
    t_load = time.perf_counter() - t0

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for d in docs:
            tmp.write(json.dumps(d, ensure_ascii=False) + "\n")
    try:
        times = []
        nent = 0
        for _ in range(args.repeat):
            buf = io.StringIO()
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(buf):
                rc = cli.run(argparse.Namespace(file=tmp.name, input_format="jsonl"))
            times.append(time.perf_counter() - t0)
            nent = buf.getvalue().count("\n")
            if rc != 0:
                print(f"waqai ner exited {rc}", file=sys.stderr)
    finally:
        os.unlink(tmp.name)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(f"articles {len(docs)}, tokens {ntok}, characters {nchar}, entities {nent}")
    print(f"model load {t_load:.2f}s")
    for i, t in enumerate(times):
        print(f"pass {i + 1}{' (cold cache)' if i == 0 else ''}: {t:.2f}s, {ntok / t:,.0f} tokens/s, "
              f"{len(docs) / t:,.0f} articles/s")
    print(f"peak RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
