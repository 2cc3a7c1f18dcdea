"""Parquet shards: what the Ray engine writes, fusion over them (DuckDB), and loading them into the store.

Layout of an output folder:

    DIR/articles/month=YYYY-MM/part-<hash>.parquet   one row per article (cleaned text, hash, MinHash
                                                     signature and its LSH bands, the coder's records)
    DIR/reports/month=YYYY-MM/part-<hash>.parquet    one row per report: the coder's PLOVER record
    DIR/rejects/part-<hash>.parquet                  inputs that could not be used (origin, reason, severity)
    DIR/fused/events/month=YYYY-MM/*.parquet         fused events: PLOVER record + n_reports, n_sources
    DIR/fused/{groups,similar,assignment}.parquet    duplicate groups, duplicate links, report -> event

Each shard is named after the ids it holds and written whole (a temporary name, then a rename), so a batch
that is coded again after a worker died overwrites its own shard; readers also keep one row per article id
and per report id. "month" is the publication month, or "undated".
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from pathlib import Path

from waqai import fuse as F

ARTICLE_COLUMNS = ("id", "url", "source", "title", "published", "origin", "text", "words", "source_hash",
                   "content_hash", "seq", "signature", "bands", "warnings", "reports")
REPORT_COLUMNS = ("id", "article_id", "article_seq", "block", "event_type", "date", "date_precision",
                  "place_country", "place_resolution", "confidence", "record")


def month_of(published: str | None) -> str:
    return published[:7] if published else "undated"


def _schemas():
    import pyarrow as pa

    s = pa.string()
    articles = pa.schema([(c, s) for c in ARTICLE_COLUMNS[:11]] + [("signature", pa.binary()),
                                                                    ("bands", pa.list_(pa.binary())),
                                                                    ("warnings", s), ("reports", s)])
    reports = pa.schema([("id", s), ("article_id", s), ("article_seq", s), ("block", s), ("event_type", s),
                         ("date", s), ("date_precision", s), ("place_country", s), ("place_resolution", pa.int16()),
                         ("confidence", pa.float64()), ("record", s)])
    rejects = pa.schema([("origin", s), ("reason", s), ("severity", s)])
    return articles, reports, rejects


def article_row(item: dict) -> dict:
    """A row of the articles shards from what waqai.ingest.prepare returns."""
    a = item["article"]
    sig = item["signature"]
    return {**{k: a[k] for k in ("id", "url", "source", "title", "published", "origin")},
            "text": item["text"], "words": item["words"], "source_hash": item["source_hash"],
            "content_hash": item["content_hash"], "seq": item["seq"], "signature": sig,
            "bands": F.bands(sig) if sig is not None else None,
            "warnings": json.dumps(item["warnings"], ensure_ascii=False) if item["warnings"] else None,
            "reports": json.dumps(item["events"], ensure_ascii=False)}


def report_rows(item: dict) -> list[dict]:
    out = []
    for rec in item["events"]:
        loc = rec.get("event_loc") or {}
        out.append({"id": rec["id"], "article_id": item["article"]["id"], "article_seq": item["seq"],
                    "block": F.block_key(rec["event_type"], _keys(rec["actor"]), _keys(rec["recipient"])),
                    "event_type": rec["event_type"], "date": rec["date"], "date_precision": rec["date_precision"],
                    "place_country": loc.get("country_code"), "place_resolution": loc.get("resolution") or 0,
                    "confidence": rec["confidence"], "record": json.dumps(rec, ensure_ascii=False)})
    return out


def _keys(actors: list[dict]) -> list[str]:
    return [a.get("country") or a["code"] for a in actors]


def write_batch(out: str | Path, items: list[dict], rejects: list[tuple[str, str, str]]) -> None:
    """Write the shards of one coded batch (see the module docstring). Each item is what
    waqai.ingest.prepare returns, with `seq`: its place in the inputs (run, file, line), which names the shard
    and decides which of two articles with one id is kept (the first read, as the local engine does)."""
    import pyarrow as pa

    art_schema, rep_schema, rej_schema = _schemas()
    by_month: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_month[month_of(item["article"]["published"])].append(item)
    for month, group in sorted(by_month.items()):
        name = _name(item["seq"] for item in group)
        arts = [article_row(i) for i in group]
        reps = [r for i in group for r in report_rows(i)]
        _write(pa.Table.from_pylist(arts, schema=art_schema), Path(out) / "articles" / f"month={month}" / name)
        if reps:
            _write(pa.Table.from_pylist(reps, schema=rep_schema), Path(out) / "reports" / f"month={month}" / name)
    if rejects:
        rows = [{"origin": o, "reason": r, "severity": s} for o, r, s in rejects]
        _write(pa.Table.from_pylist(rows, schema=rej_schema), Path(out) / "rejects" / _name(o + r for o, r, _ in rejects))


def _name(keys) -> str:
    return f"part-{hashlib.sha1(chr(10).join(sorted(keys)).encode()).hexdigest()[:20]}.parquet"


def _write(table, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


# ---- reading the shards (DuckDB) ---------------------------------------------------------------------------

def _connect(out: str | Path):
    import duckdb

    con = duckdb.connect()
    base = Path(out)
    for name in ("articles", "reports"):
        files = base / name
        cols = ARTICLE_COLUMNS if name == "articles" else REPORT_COLUMNS
        if any(files.glob("month=*/*.parquet")):
            con.execute(f"CREATE VIEW raw_{name} AS SELECT {', '.join(cols)} FROM read_parquet("
                        f"'{_sql_path(files)}/month=*/*.parquet', hive_partitioning = true)")
        else:
            con.execute(f"CREATE VIEW raw_{name} AS SELECT * FROM (SELECT "
                        f"{', '.join('NULL::VARCHAR ' + c for c in cols)}) WHERE false")
    # one article per id: the first read (a batch coded twice gives the same rows twice); its reports only
    con.execute("CREATE VIEW articles AS SELECT DISTINCT ON (id) * FROM raw_articles ORDER BY id, seq")
    con.execute("CREATE VIEW reports AS SELECT DISTINCT ON (r.id) r.* FROM raw_reports r JOIN articles a "
                "ON a.id = r.article_id AND a.seq = r.article_seq ORDER BY r.id")
    rej = base / "rejects"
    if any(rej.glob("*.parquet")):
        con.execute(f"CREATE VIEW rejects AS SELECT DISTINCT origin, reason, severity FROM "
                    f"read_parquet('{_sql_path(rej)}/*.parquet')")
    else:
        con.execute("CREATE VIEW rejects AS SELECT NULL::VARCHAR origin, NULL::VARCHAR reason, "
                    "NULL::VARCHAR severity WHERE false")
    return con


def _sql_path(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")


def article_keys(out: str | Path) -> dict[str, tuple[str, str | None]]:
    """id -> (source hash, origin) of the articles already in `out`."""
    if not any((Path(out) / "articles").glob("month=*/*.parquet")):
        return {}
    con = _connect(out)
    try:
        return {i: (h, o) for i, h, o in con.execute("SELECT id, source_hash, origin FROM articles").fetchall()}
    finally:
        con.close()


def conflicts(con) -> list[tuple[str, str, str]]:
    """Rejects for articles read under an id that an earlier article with another text holds."""
    from waqai.ingest import id_conflict
    from waqai.model import Article

    rows = con.execute("SELECT r.id, r.origin, a.origin FROM raw_articles r JOIN articles a ON a.id = r.id "
                       "WHERE r.source_hash != a.source_hash ORDER BY r.seq").fetchall()
    return sorted({(origin or i, id_conflict(Article(id=i, text=""), first), "error") for i, origin, first in rows})


def fuse_dir(out: str | Path) -> dict:
    """Duplicate groups and fused events over the shards of `out`, by the rules of waqai.fuse, written under
    out/fused/. Returns counts."""
    import numpy as np
    import pyarrow as pa

    con = _connect(out)
    try:
        con.execute("CREATE TEMP TABLE art AS SELECT id, published, coalesce(source, url) source, content_hash, "
                    "signature, bands FROM articles")
        # duplicate links: the same normalised text, or an LSH band in common and a signature similarity >= 0.8
        similar: dict[tuple[str, str], float] = {}
        for a, b in con.execute("SELECT x.id, y.id FROM art x JOIN art y ON x.content_hash = y.content_hash "
                                "AND x.id < y.id").fetchall():
            similar[(a, b)] = 1.0
        con.execute("CREATE TEMP TABLE band AS SELECT id, generate_subscripts(bands, 1) k, unnest(bands) h FROM art "
                    "WHERE bands IS NOT NULL")
        cur = con.execute("SELECT DISTINCT x.id a, y.id b FROM band x JOIN band y ON x.k = y.k AND x.h = y.h "
                          "AND x.id < y.id")
        pairs = cur.fetchall()
        sigs = {}
        if pairs:
            need = sorted({i for p in pairs for i in p})
            con.execute("CREATE TEMP TABLE need (id VARCHAR)")
            con.executemany("INSERT INTO need VALUES (?)", [(i,) for i in need])
            sigs = dict(con.execute("SELECT art.id, art.signature FROM art JOIN need USING (id)").fetchall())
        for a, b in pairs:
            s = F.similarity(sigs[a], sigs[b])
            if s >= F.THRESHOLD and (a, b) not in similar:
                similar[(a, b)] = s
        links: dict[str, set[str]] = defaultdict(set)
        for a, b in similar:
            links[a].add(b)
            links[b].add(a)
        order = {i: (p or "9999", i) for i, p in con.execute("SELECT id, published FROM art").fetchall()}
        grouping = {i: i for i in order}
        grouping.update(F.groups(dict(links), order))
        con.execute("CREATE TEMP TABLE grp (id VARCHAR, dup_group VARCHAR)")
        con.register("grp_arrow", pa.table({"id": list(grouping), "dup_group": list(grouping.values())}))
        con.execute("INSERT INTO grp SELECT * FROM grp_arrow")
        # one event from many reports, block by block
        cur = con.execute(
            "SELECT r.block, r.id, r.article_id, g.dup_group, a.published, a.source, r.event_type, r.date, "
            "r.date_precision, r.place_country, r.place_resolution, r.confidence, r.record FROM reports r "
            "JOIN art a ON a.id = r.article_id JOIN grp g ON g.id = r.article_id ORDER BY r.block, r.id")
        events, assignment = [], []
        block, rows = None, []
        while True:
            chunk = cur.fetchmany(10_000)
            for row in chunk:
                if row[0] != block and rows:
                    _fuse_into(block, rows, events, assignment)
                    rows = []
                block = row[0]
                rows.append(row[1:])
            if not chunk:
                break
        if rows:
            _fuse_into(block, rows, events, assignment)
        records = dict(con.execute("SELECT id, record FROM reports").fetchall()) if events else {}
    finally:
        con.close()
    _write_fused(Path(out), events, assignment, grouping, similar, records, np)
    return {"articles": len(grouping), "duplicates": sum(1 for a, g in grouping.items() if a != g),
            "reports": len(assignment), "events": len(events)}


def _fuse_into(block, rows, events, assignment) -> None:
    evs, asg = F.fuse_block(block, rows)
    events.extend(evs)
    assignment.extend(asg)


def _write_fused(out: Path, events, assignment, grouping, similar, records, np) -> None:
    import pyarrow as pa

    from waqai.store import event_record

    fused = out / "fused"
    fused.mkdir(parents=True, exist_ok=True)
    cols = {c: [e[k] for e in events] for k, c in enumerate(F.EVENT_COLUMNS)}
    plover = []
    for e in events:
        row = dict(zip(F.EVENT_COLUMNS, e))
        rec = json.loads(records[row["mention_id"]])
        quote = rec.pop("text")
        plover.append(json.dumps(event_record(row, json.dumps(rec, ensure_ascii=False), quote), ensure_ascii=False))
    table = pa.table({**cols, "record": plover,
                      "month": [month_of(d) for d in cols["date"]] if events else []})
    _replace_dir(fused / "events", lambda d: _write_partitioned(table, d))
    _write(pa.table({"event_id": [x for x, _ in assignment], "mention_id": [y for _, y in assignment]}),
           fused / "assignment.parquet")
    _write(pa.table({"id": sorted(grouping), "dup_group": [grouping[i] for i in sorted(grouping)]}),
           fused / "groups.parquet")
    keys = sorted(similar)
    _write(pa.table({"a": [a for a, _ in keys], "b": [b for _, b in keys],
                     "similarity": [round(similar[k], 4) for k in keys]}), fused / "similar.parquet")


def _write_partitioned(table, folder: Path) -> None:
    import pyarrow.compute as pc

    folder.mkdir(parents=True, exist_ok=True)
    for month in sorted(set(table.column("month").to_pylist())):
        part = table.filter(pc.equal(table.column("month"), month)).drop_columns(["month"])
        _write(part, folder / f"month={month}" / "events.parquet")


def _replace_dir(folder: Path, fill) -> None:
    """Build a folder next to its final place, then swap it in."""
    import shutil

    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    fill(tmp)
    old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


# ---- loading into the store --------------------------------------------------------------------------------

def load_store(out: str | Path, db: str | Path) -> dict:
    """Load the shards and their fusion into the SQLite store, so that stats, export, serve and network work
    on them unchanged. Articles already in the database are left as they are."""
    import pyarrow.parquet as pq

    from waqai.store import Store

    fused = Path(out) / "fused"
    if not (Path(out) / "articles").is_dir():
        raise FileNotFoundError(f"{out}: no articles/ shards; run `waqai ingest --engine ray --out {out}` first")
    con = _connect(out)
    here = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    done = set(pq.read_table(fused / "groups.parquet").column("id").to_pylist()) \
        if (fused / "groups.parquet").exists() else None
    if done != here:  # no fusion yet, or shards added since (waqai code --engine ray): fuse them all now
        con.close()
        fuse_dir(out)
        con = _connect(out)
    store = Store(db)
    n = 0
    try:
        foreign = store.article_ids() - here
        if foreign:
            raise ValueError(f"{db} holds {len(foreign):,} articles that are not in {out}: load into a new database")
        rejects = con.execute("SELECT * FROM rejects ORDER BY origin, reason").fetchall() + conflicts(con)
        for origin, reason, severity in rejects:
            store.add_reject(origin, reason, severity)
        cur = con.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY published NULLS LAST, id")
        while True:
            chunk = cur.fetchmany(512)
            if not chunk:
                break
            with store.transaction():
                for row in chunk:
                    r = dict(zip(ARTICLE_COLUMNS, row))
                    item = {"article": {k: r[k] for k in ("id", "url", "source", "title", "published", "origin")},
                            "text": r["text"], "words": r["words"], "source_hash": r["source_hash"],
                            "content_hash": r["content_hash"],
                            "signature": r["signature"], "events": json.loads(r["reports"]),
                            "warnings": json.loads(r["warnings"]) if r["warnings"] else []}
                    n += store.add_article(item, [])
        groups = pq.read_table(fused / "groups.parquet").to_pylist()
        similar = pq.read_table(fused / "similar.parquet").to_pylist()
        assignment = pq.read_table(fused / "assignment.parquet").to_pylist()
        events = [tuple(r[c] for c in F.EVENT_COLUMNS)
                  for f in sorted((fused / "events").glob("month=*/*.parquet"))
                  for r in pq.read_table(f, columns=list(F.EVENT_COLUMNS)).to_pylist()]
        store.load_fusion(groups, similar, events, assignment)
    finally:
        con.close()
        store.close()
    return {"articles": n, "events": len(events)}
