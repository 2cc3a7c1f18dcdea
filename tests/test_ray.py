"""The Ray engine (local Ray, 2 CPUs) gives the same database as the process pool, and survives a coder
process killed in the middle of a run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("ray")
pytest.importorskip("duckdb")

from corpus import write_bad_inputs, write_corpus, write_other_news  # noqa: E402
from test_ingest import dump  # noqa: E402

WAQAI = [sys.executable, "-m", "waqai"]


def _logical(db: Path) -> dict:
    """Everything but the order in which articles were stored (row ids, and the search index's row ids)."""
    d = dump(db)
    con = sqlite3.connect(db)
    d["articles"] = con.execute("SELECT id, url, source, title, published, origin, text, content_hash, dup_group, "
                                "n_mentions, warnings, fused FROM articles ORDER BY id").fetchall()
    d["search"] = {w: sorted(r[0] for r in con.execute(
        "SELECT a.id FROM article_search s JOIN articles a ON a.rowid = s.rowid WHERE article_search MATCH ?", (w,)))
        for w in ("موسكو", "تعاون", "رييس")}
    con.close()
    return d


def _run(*args, timeout=600):
    r = subprocess.run(WAQAI + [str(a) for a in args], capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stderr[-2000:]
    return r


def test_ray_engine_gives_the_same_database(tmp_path):
    folder = tmp_path / "in"
    write_corpus(folder, n_stories=12)
    write_other_news(folder)
    # an id that the corpus uses for another text: read first (files in name order), the corpus's is refused
    (folder / "collide.jsonl").write_text('{"id": "a-0", "text": "ندد وزير الخارجية المصري بالهجوم."}\n'
                                          '{"id": "a-0", "text": "ندد وزير الخارجية المصري بالهجوم."}\n',
                                          encoding="utf-8")
    bad = tmp_path / "bad"
    write_bad_inputs(bad)
    (bad / "huge.jsonl").unlink()  # the 50 MB line is tested with the local engine; keep this test light
    (bad / "unreadable.txt").chmod(0o644)
    out, ray_db, local_db = tmp_path / "out", tmp_path / "ray.db", tmp_path / "local.db"
    _run("ingest", folder, bad, "--engine", "ray", "--workers", "2", "--out", out, "--quiet")
    _run("store", "--from", out, "--db", ray_db)
    _run("ingest", folder, bad, "--workers", "2", "--db", local_db, "--quiet")
    assert _logical(ray_db) == _logical(local_db)
    assert any("already used by another article" in r for (r,) in
               sqlite3.connect(ray_db).execute("SELECT reason FROM rejects"))
    assert (out / "fused" / "events").is_dir() and list((out / "articles").glob("month=2023-03/*.parquet"))
    # running it again codes nothing new and changes nothing
    r = _run("ingest", folder, bad, "--engine", "ray", "--workers", "2", "--out", out, "--quiet")
    assert '"articles": 0' in r.stderr
    again = tmp_path / "again.db"
    _run("store", "--from", out, "--db", again)
    assert _logical(again) == _logical(local_db)
    # `store` refuses to mix the shards into a database that holds other articles
    other = tmp_path / "other.db"
    _run("ingest", tmp_path / "in" / "other.jsonl", "--db", other, "--quiet", "--workers", "1")
    _run("ingest", Path(__file__).parent.parent / "examples", "--db", other, "--quiet", "--workers", "1")
    r = subprocess.run(WAQAI + ["store", "--from", str(out), "--db", str(other)], capture_output=True, text=True)
    assert r.returncode == 1 and "new database" in r.stderr


def _map_workers() -> list[int]:
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    if b"MapWorker" in f.read():
                        pids.append(int(d))
            except OSError:
                pass
    return pids


def test_a_killed_coder_is_replaced_and_nothing_is_lost_or_doubled(tmp_path):
    corpus = write_corpus(tmp_path / "in", n_stories=120)
    out, ray_db, local_db = tmp_path / "out", tmp_path / "ray.db", tmp_path / "local.db"
    proc = subprocess.Popen(WAQAI + ["ingest", str(corpus["path"]), "--engine", "ray", "--workers", "2", "--out",
                                     str(out), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = None
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        workers = _map_workers()
        if workers and any((out / "articles").glob("month=*/*.parquet")):
            victim = workers[0]
            os.kill(victim, signal.SIGKILL)  # a coder dies in the middle of the run
            break
        time.sleep(0.05)
    assert victim is not None, "the run ended before a coder could be killed"
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    _run("store", "--from", out, "--db", ray_db)
    _run("ingest", corpus["path"], "--workers", "2", "--db", local_db, "--quiet")
    got = _logical(ray_db)
    assert len(got["articles"]) == len(corpus["rows"]) == len({a[0] for a in got["articles"]})
    assert got == _logical(local_db)
