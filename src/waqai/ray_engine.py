"""The Ray engine: the same coding, duplicate and fusion rules as `waqai ingest`, on a Ray cluster.

    inputs ──► Ray Dataset of input files ──flat_map──► articles and problems (waqai.read, one task per file)
           ──map_batches (actor pool: one coder per worker process, resources loaded once)──► Parquet shards
           ──► fusion over the shards (DuckDB; waqai.shards.fuse_dir) ──► out/fused/

Only the engine is Ray's: reading, coding, duplicates and fusion are the functions the local engine uses,
so the two give the same events. Shards are named after the article ids they hold and written whole, so
a batch coded again after a worker died replaces its own shard (and readers keep one row per id): Ray Data
restarts a dead coder and gives its batches to a live one. On a cluster, `out` must be a folder every node
sees (a shared file system).
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from datetime import date
from pathlib import Path

from waqai.read import Problem, read_path, walk

BATCH = 16  # articles per call of a coder
BLOCK_BYTES = 1 << 20  # Ray blocks of at most ~1 MB of articles: work moves between workers in these


def input_files(paths: list[str]) -> tuple[list[str], list[Problem]]:
    """The files behind the inputs (folders walked as `waqai ingest` walks them), and problems found."""
    files, problems = [], []
    for p in paths:
        path = Path(p)
        if p == "-":
            problems.append(Problem("<stdin>", "the Ray engine reads files, not standard input"))
        elif path.is_dir():
            for child in walk(path):
                (problems if isinstance(child, Problem) else files).append(child)
        else:
            files.append(str(path))
    return files, problems


def _read_rows(row: dict, text_column: str) -> list[dict]:
    """flat_map: one input file -> its articles and problems, as rows; `seq` is each one's place in the
    inputs (run, file, position), so that the first article read under an id is the one kept."""
    out = []
    for n, item in enumerate(read_path(row["path"], text_column)):
        seq = f"{row['run']}|{row['index']:06d}|{n:09d}"
        if isinstance(item, Problem):
            out.append({"kind": "problem", "seq": seq, "id": None, "text": None, "title": None, "published": None,
                        "url": None, "source": None, "origin": item.origin, "reason": item.reason, "fatal": item.fatal})
        else:
            out.append({"kind": "article", "seq": seq, "id": item.id, "text": item.text, "title": item.title,
                        "published": item.published.isoformat() if item.published else None, "url": item.url,
                        "source": item.source, "origin": item.origin, "reason": None, "fatal": None})
    return out


class _Coder:
    """map_batches: code a batch of articles and write its shards. One instance per worker process."""

    def __init__(self, out: str, reference: str | None, use_judge: bool, known):
        import ray

        from waqai.ingest import _warm

        self.out = out
        self.reference = date.fromisoformat(reference) if reference else None
        self.use_judge = use_judge
        self.known = ray.get(known) if isinstance(known, ray.ObjectRef) else known
        _warm()

    def __call__(self, batch: dict) -> dict:
        from waqai.ingest import id_conflict, prepare, source_hash
        from waqai.model import Article
        from waqai.shards import write_batch

        items, rejects, skipped = [], [], 0
        for k in range(len(batch["kind"])):
            get = {c: _plain(batch[c][k]) for c in batch}
            if get["kind"] == "problem":
                rejects.append((get["origin"], get["reason"], "error" if get["fatal"] else "warning"))
                continue
            pub = date.fromisoformat(get["published"]) if get["published"] else self.reference
            art = Article(id=get["id"], text=get["text"], title=get["title"], published=pub, url=get["url"],
                          source=get["source"], origin=get["origin"])
            if art.id in self.known:  # in DIR already; another text under its id is refused, as locally
                first_hash, first_origin = self.known[art.id]
                if first_hash == source_hash(art):
                    skipped += 1
                else:
                    rejects.append((art.origin or art.id, id_conflict(art, first_origin), "error"))
                continue
            try:
                items.append({**prepare(art, self.reference, self.use_judge), "seq": get["seq"]})
            except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
                rejects.append((art.origin or art.id, f"coding failed: {type(e).__name__}: {e}", "error"))
        write_batch(self.out, items, rejects)
        return {"articles": [len(items)], "reports": [sum(len(i["events"]) for i in items)],
                "rejects": [sum(s == "error" for *_, s in rejects)], "warnings": [sum(s == "warning" for *_, s in rejects)],
                "skipped": [skipped]}


def _plain(v):
    """numpy scalars from a batch -> Python values."""
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v != v:  # NaN stands for a missing value
        return None
    return v


def run(paths: list[str], out: str, address: str | None = None, workers: int | None = None,
        reference: date | None = None, text_column: str = "text", use_judge: bool = True, fuse: bool = True,
        progress: bool = False) -> dict:
    """Code `paths` into Parquet shards under `out` on Ray (a local Ray when `address` is None), then, with
    `fuse`, find duplicates and fuse events over all the shards of `out`. Returns counts."""
    import ray

    from waqai import shards

    t0 = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    files, problems = input_files(paths)
    if problems:
        shards.write_batch(out, [], [(p.origin, p.reason, "error") for p in problems])
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors")
    started = not ray.is_initialized()
    if started:
        kwargs = {"include_dashboard": False, "logging_level": "ERROR", "log_to_driver": False}
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **kwargs)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress
        ctx.print_on_execution_start = False
        ctx.target_max_block_size = BLOCK_BYTES  # one big input file still spreads over every coder
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        known = ray.put(shards.article_keys(out))
        totals = {"articles": 0, "reports": 0, "rejects": len(problems), "warnings": 0, "skipped": 0}
        if files:
            run = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
            ds = ray.data.from_items([{"path": f, "index": k, "run": run} for k, f in enumerate(files)],
                                     override_num_blocks=len(files))
            ds = ds.flat_map(_read_rows, fn_kwargs={"text_column": text_column}, num_cpus=0)
            ds = ds.map_batches(_Coder, batch_size=BATCH, num_cpus=1,
                                compute=ray.data.ActorPoolStrategy(size=size),
                                fn_constructor_kwargs={"out": str(out),
                                                       "reference": reference.isoformat() if reference else None,
                                                       "use_judge": use_judge, "known": known})
            for row in ds.iter_rows():
                for k in totals:
                    if k in row:
                        totals[k] += int(row[k])
    finally:
        if started:
            ray.shutdown()
    totals["coding_seconds"] = round(time.perf_counter() - t0, 2)
    if fuse:
        totals["fusion"] = shards.fuse_dir(out)
    totals["seconds"] = round(time.perf_counter() - t0, 2)
    return totals
