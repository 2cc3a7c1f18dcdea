"""The Ray engine against the process pool on the same sample: wall time, articles/s, memory per worker,
and whether the fused events are the same.

    python bench/bench_ray.py [--n 5000] [--workers 2] [--corpus ../shared/data/news/ant-2018.jsonl.gz]

Both run as subprocesses (`waqai ingest` and `waqai ingest --engine ray` + `waqai store`), each sampled
every 0.2 s for the resident memory of its processes: the coding workers (Ray's MapWorker processes, or
the pool's worker processes) and the whole tree.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_ingest import _rss, _tree  # noqa: E402


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _ray_workers() -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit() and "MapWorker" in _cmdline(int(d)):
            out.append(int(d))
    return out


def measure(cmd: list[str], ray: bool) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker_peak = tree_peak = 0
    while proc.poll() is None:
        workers = _ray_workers() if ray else _tree(proc.pid)[1:]
        rss = [_rss(p) for p in workers]
        worker_peak = max([worker_peak] + rss)
        tree_peak = max(tree_peak, sum(_rss(p) for p in set(_tree(proc.pid)) | set(workers)))
        time.sleep(0.2)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return {"seconds": time.perf_counter() - t0, "worker_rss": worker_peak, "tree_rss": tree_peak}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"))
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="waqai-bench-ray-"))
    sample = tmp / "sample.jsonl"
    with gzip.open(args.corpus, "rb") as f, open(sample, "wb") as out:
        out.writelines(itertools.islice(f, args.n))
    waqai = [sys.executable, "-m", "waqai"]
    local = measure(waqai + ["ingest", str(sample), "--db", str(tmp / "local.db"), "--workers", str(args.workers),
                             "--quiet"], ray=False)
    ray = measure(waqai + ["ingest", str(sample), "--engine", "ray", "--out", str(tmp / "out"), "--workers",
                           str(args.workers), "--quiet"], ray=True)
    subprocess.run(waqai + ["store", "--from", str(tmp / "out"), "--db", str(tmp / "ray.db")], check=True,
                   capture_output=True)
    q = "SELECT * FROM events ORDER BY id"
    same = sqlite3.connect(tmp / "local.db").execute(q).fetchall() == sqlite3.connect(tmp / "ray.db").execute(q).fetchall()
    n_events = sqlite3.connect(tmp / "ray.db").execute("SELECT count(*) FROM events").fetchone()[0]
    mb = 2 ** 20
    print(f"sample              {args.n:,} articles of {args.corpus}")
    print(f"workers             {args.workers} (cores: {os.cpu_count()})")
    for name, r in (("process pool", local), ("ray (local)", ray)):
        print(f"{name:<20}{r['seconds']:6.1f} s  {args.n / r['seconds']:7.1f} articles/s  "
              f"worker RSS {r['worker_rss'] / mb:5.0f} MB  all processes {r['tree_rss'] / mb:6.0f} MB")
    print(f"fused events        {n_events:,}; identical in both: {same}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
