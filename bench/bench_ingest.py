"""Whole-corpus ingest: wall time, articles/s, peak memory, database size, duplicates and fused events.

    python bench/bench_ingest.py [--corpus ../shared/data/news/ant-2018.jsonl.gz] [--workers 2] [--db FILE]

Runs `waqai ingest` as a subprocess into a fresh database and samples, every 0.1 s, the resident memory of
the whole process tree (main process + coding workers): "peak RSS (sum)" is the largest total seen,
"peak RSS (largest process)" the largest single process. Bytes written to disk come from /proc/PID/io.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _written(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/io") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("write_bytes:"))
    except (OSError, StopIteration):
        return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", help="database to create (default: a temporary file, removed afterwards)")
    args = ap.parse_args()
    tmp = None
    if args.db is None:
        tmp = tempfile.mkdtemp(prefix="waqai-bench-")
        args.db = os.path.join(tmp, "bench.db")
    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "waqai", "ingest", args.corpus, "--db", args.db, "--workers", str(args.workers),
           "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak_sum = peak_one = written = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        rss = [_rss(p) for p in pids]
        peak_sum, peak_one = max(peak_sum, sum(rss)), max(peak_one, max(rss, default=0))
        written = max(written, _written(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"ingest failed with exit status {proc.returncode}")
    stats = json.loads(subprocess.run([sys.executable, "-m", "waqai", "stats", "--db", args.db, "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    size = sum(Path(args.db + s).stat().st_size for s in ("", "-wal") if Path(args.db + s).exists())
    print(f"corpus            {args.corpus}")
    print(f"workers           {args.workers} (cores: {os.cpu_count()})")
    print(f"wall time         {wall:.1f} s (including start-up and fusion)")
    print(f"articles          {stats['articles']:,}  ({stats['articles'] / wall:,.1f} articles/s)")
    print(f"peak RSS (sum)    {peak_sum / 2**20:,.0f} MB over the process tree")
    print(f"peak RSS (max)    {peak_one / 2**20:,.0f} MB in the largest process")
    print(f"database size     {size / 2**20:,.1f} MB")
    print(f"written to disk   {written / 2**20:,.0f} MB by the main process")
    print(f"duplicates        {stats['duplicates']:,} articles in {stats['duplicate_groups']:,} duplicate groups")
    print(f"event reports     {stats['mentions']:,}")
    print(f"fused events      {stats['events']:,}")
    print(f"rejects           {stats['rejects']:,}")
    if tmp:
        for p in Path(tmp).iterdir():
            p.unlink()
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
