"""Output records: the PLOVER-style JSON record of DESIGN.md, and a terminal table."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict

from waqai.model import Actor, Event

RECORD_FIELDS = ("id", "date", "date_precision", "event_type", "mode", "context", "actor", "recipient",
                 "event_loc", "cameo", "goldstein", "quad_class", "text", "text_info", "trigger", "cite_info",
                 "confidence", "coder")


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
