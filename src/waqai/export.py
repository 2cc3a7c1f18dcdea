"""Output records: the PLOVER-style JSON record of DESIGN.md, and a terminal table."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict

from waqai.model import Actor, Event

RECORD_FIELDS = ("id", "date", "date_precision", "event_type", "mode", "context", "actor", "recipient",
                 "event_loc", "cameo", "goldstein", "quad_class", "text", "text_info", "trigger", "cite_info",
                 "confidence", "coder", "entities")


def _actor(a: Actor) -> dict:
    d = {"code": a.code, "country": a.country, "sector": a.sector, "entity_text": a.entity_text}
    if a.name:
        d["name"] = a.name
    if a.wikidata:
        d["wikidata"] = a.wikidata
    return d


def to_record(e: Event) -> dict:
    rec = {}
    for f in RECORD_FIELDS:
        v = getattr(e, f)
        if f in ("actor", "recipient"):
            v = [_actor(a) for a in v]
        elif f == "event_loc":
            v = asdict(v) if v is not None else None
        rec[f] = v
    return rec


def to_json(e: Event) -> str:
    return json.dumps(to_record(e), ensure_ascii=False, sort_keys=False)


def _isolate(s: str) -> str:
    """Wrap right-to-left text in Unicode isolates so a terminal lays out each cell on its own."""
    return f"\u2067{s}\u2069" if any(unicodedata.bidirectional(c) in ("AL", "R") for c in s) else s


def _snippet(e: Event, width: int = 45) -> str:
    """The words around the trigger, so the table shows why the event was coded."""
    start = e.trigger["start"] - e.text_info["start"]
    end = e.trigger["end"] - e.text_info["start"]
    a, b = max(0, start - width), min(len(e.text), end + width)
    while a > 0 and not e.text[a - 1].isspace():
        a -= 1
    while b < len(e.text) and not e.text[b].isspace():
        b += 1
    return ("… " if a > 0 else "") + e.text[a:b].strip() + (" …" if b < len(e.text) else "")


def table(events: list[Event], console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    t = Table(show_lines=True)
    for col in ("date", "type", "actor", "recipient", "place", "trigger", "text"):
        t.add_column(col, overflow="fold")
    for e in events:
        t.add_row(e.date or "", f"{e.event_type}" + (f"/{e.mode}" if e.mode else "") + f"\n{e.cameo}",
                  _isolate(", ".join(a.code for a in e.actor)), _isolate(", ".join(a.code for a in e.recipient)),
                  _isolate(e.event_loc.resolved_place if e.event_loc else ""), _isolate(e.trigger["text"]),
                  _isolate(_snippet(e)))
    console.print(t)


# ---- exports of the event database (fused events) -------------------------------------------------------

def plover_record(row: dict) -> dict:
    """A fused event as a PLOVER record: the record of DESIGN.md (from the report that speaks for the event)
    with the fused id, plus n_reports and n_sources."""
    return row["record"]


CAMEO_COLUMNS = ("GlobalEventID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor2Code",
                 "Actor2Name", "Actor2CountryCode", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                 "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "ActionGeo_Type",
                 "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
                 "DateAdded", "SOURCEURL", "PLOVERType", "Confidence")
# our place resolution -> GDELT ActionGeo_Type (1 country, 4 world city, 5 world first-level division)
_GEO_TYPE = {1: 1, 2: 5, 3: 4, 4: 4, 5: 4}


def cameo_row(row: dict, url: str | None) -> list:
    rec = row["record"]
    a = rec["actor"][0] if rec["actor"] else {}
    r = rec["recipient"][0] if rec["recipient"] else {}
    loc = rec.get("event_loc") or {}
    code = rec["cameo"]
    return [row["id"], (rec["date"] or "").replace("-", ""), a.get("code", ""), a.get("name") or a.get("entity_text", ""),
            a.get("country") or "", r.get("code", ""), r.get("name") or r.get("entity_text", ""), r.get("country") or "",
            code, code[:3], code[:2], rec["quad_class"], rec["goldstein"], row["n_reports"], row["n_sources"],
            row["n_articles"], _GEO_TYPE.get(loc.get("resolution"), "") if loc else "", loc.get("resolved_place", ""),
            loc.get("country_code") or "", loc.get("lat", ""), loc.get("lon", ""),
            (row["first_seen"] or "").replace("-", ""), url or "", rec["event_type"], rec["confidence"]]


def parquet_schema():
    import pyarrow as pa

    strs = pa.list_(pa.string())
    return pa.schema([
        ("id", pa.string()), ("date", pa.string()), ("date_precision", pa.string()), ("event_type", pa.string()),
        ("mode", pa.string()), ("cameo", pa.string()), ("quad_class", pa.int8()), ("goldstein", pa.float32()),
        ("actor_codes", strs), ("actor_countries", strs), ("recipient_codes", strs), ("recipient_countries", strs),
        ("place", pa.string()), ("place_country", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
        ("place_resolution", pa.int8()), ("confidence", pa.float32()), ("n_reports", pa.int32()),
        ("n_articles", pa.int32()), ("n_sources", pa.int32()), ("first_seen", pa.string()), ("last_seen", pa.string()),
        ("quote", pa.string()), ("trigger", pa.string()), ("doc_id", pa.string()), ("url", pa.string()),
        ("record", pa.string()),
    ])


def parquet_row(row: dict) -> dict:
    rec = row["record"]
    loc = rec.get("event_loc") or {}
    cite = rec.get("cite_info") or {}
    return {
        "id": row["id"], "date": rec["date"], "date_precision": rec["date_precision"], "event_type": rec["event_type"],
        "mode": rec["mode"], "cameo": rec["cameo"], "quad_class": rec["quad_class"], "goldstein": rec["goldstein"],
        "actor_codes": [a["code"] for a in rec["actor"]], "actor_countries": [a.get("country") for a in rec["actor"]],
        "recipient_codes": [a["code"] for a in rec["recipient"]],
        "recipient_countries": [a.get("country") for a in rec["recipient"]],
        "place": loc.get("resolved_place"), "place_country": loc.get("country_code"), "lat": loc.get("lat"),
        "lon": loc.get("lon"), "place_resolution": loc.get("resolution"), "confidence": rec["confidence"],
        "n_reports": row["n_reports"], "n_articles": row["n_articles"], "n_sources": row["n_sources"],
        "first_seen": row["first_seen"], "last_seen": row["last_seen"], "quote": rec["text"],
        "trigger": rec["trigger"]["text"], "doc_id": cite.get("doc_id"), "url": cite.get("url"),
        "record": json.dumps(rec, ensure_ascii=False),
    }


def export_db(store, fmt: str, out, since: str | None = None, until: str | None = None) -> int:
    """Write the fused events of `store` to the open file `out` (text for plover/cameo, binary for parquet).
    Returns the number of events written."""
    n = 0
    if fmt == "plover":
        for row in store.events(since, until):
            out.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "cameo":
        import csv

        w = csv.writer(out, lineterminator="\n")
        w.writerow(CAMEO_COLUMNS)
        for row in store.events(since, until):
            w.writerow(cameo_row(row, row["record"].get("cite_info", {}).get("url")))
            n += 1
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        with pq.ParquetWriter(out, schema, compression="zstd") as w:
            batch = []
            for row in store.events(since, until):
                batch.append(parquet_row(row))
                n += 1
                if len(batch) == 10_000:
                    w.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch or n == 0:
                w.write_table(pa.Table.from_pylist(batch, schema=schema))
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return n
