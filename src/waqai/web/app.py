"""The HTTP API and the dashboard: FastAPI over a read-only event database (`waqai serve`).

Every request opens its own read-only connection (SQLite in WAL mode lets an ingest write meanwhile).
Errors are JSON with a 4xx status; a body over 1 MB gets 413; when WAQAI_API_KEY is set, POST requests must
carry it (header `X-API-Key`, or `Authorization: Bearer KEY`); CORS only for the origins given.
"""

from __future__ import annotations

import hmac
import json
import os
import sqlite3
from datetime import date
from enum import Enum
from importlib import resources as ir
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from waqai import __version__, analytics
from waqai.ontology import plover_table
from waqai.store import Store, StoreError, date_conditions, entity_key, event_record, like_pattern, search_query

MAX_BODY = 1_000_000  # bytes
STATIC = Path(str(ir.files("waqai.web") / "static"))

PloverType = Enum("PloverType", {t: t for t in plover_table()}, type=str)
EntityType = Enum("EntityType", {"PERS": "PERS", "ORG": "ORG"}, type=str)
Code = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,12}$", description="country or organisation code (RUS, UNO)")]
Since = Annotated[date | None, Query(description="first event date (YYYY-MM-DD)")]
Until = Annotated[date | None, Query(description="last event date, inclusive (YYYY-MM-DD)")]


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_BODY)
    title: str | None = Field(default=None, max_length=2000)
    published: date | None = None


def get_store(request: Request):
    """A read-only connection for one request."""
    s = Store(request.app.state.db_path, readonly=True)
    try:
        yield s
    finally:
        s.close()


DB = Annotated[Store, Depends(get_store)]


def require_key(request: Request) -> None:
    """When WAQAI_API_KEY is set, the request must carry it."""
    key = os.environ.get("WAQAI_API_KEY")
    if not key:
        return
    given = request.headers.get("x-api-key") or ""
    auth = request.headers.get("authorization") or ""
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not hmac.compare_digest(given.encode(), key.encode()):
        raise HTTPException(401, "missing or wrong API key (X-API-Key header)")


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413 before the application reads it."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                return await _error(send, 400, "invalid Content-Length header")
            if too_big:
                return await _error(send, 413, f"request body over {self.limit:,} bytes")
        if length is not None or scope["method"] in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        # no Content-Length (chunked): read the body here, up to the limit, then hand it on
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                return
            chunks.append(msg.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                return await _error(send, 413, f"request body over {self.limit:,} bytes")
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _error(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(db_path: str, cors_origins: list[str] | None = None) -> FastAPI:
    Store(db_path, readonly=True).close()  # fail now, with a clear message, if the database is unusable
    app = FastAPI(title="Waqai", version=__version__,
                  description="Political events coded from Arabic news, each with the quotes it came from.")

    app.state.db_path = db_path

    @app.exception_handler(StoreError)
    async def _store_error(request, exc):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(sqlite3.Error)
    async def _db_error(request, exc):
        return JSONResponse({"detail": f"database error: {exc}"}, status_code=503)

    @app.get("/health")
    def health(s: DB) -> dict:
        one = lambda sql: s.db.execute(sql).fetchone()[0]  # noqa: E731
        return {"status": "ok", "version": __version__, "articles": one("SELECT count(*) FROM articles"),
                "events": one("SELECT count(*) FROM events")}

    @app.get("/api/events")
    def events(s: DB, event_type: PloverType | None = None, actor: Code = None, recipient: Code = None,
               country: Code = None, since: Since = None, until: Until = None,
               q: Annotated[str | None, Query(max_length=200, description="words of the article text")] = None,
               min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
               entity: Annotated[str | None, Query(max_length=200, description="a person or organisation named "
                                                   "in a report (whole words: لافروف finds سيرجي لافروف)")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 50,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict:
        conds, args = [], []
        if entity is not None:
            k = entity_key(" ".join(entity.split()))
            if not k:
                return {"total": 0, "items": []}
            conds.append("e.id IN (SELECT m2.event_id FROM mentions m2 JOIN entities en ON en.mention_id = m2.id "
                         "WHERE ' ' || en.key || ' ' LIKE ? ESCAPE '\\')")
            args.append("% " + like_pattern(k) + " %")
        if event_type is not None:
            conds.append("e.event_type = ?")
            args.append(event_type.value)
        for col, val in (("e.actor_countries", actor), ("e.recipient_countries", recipient)):
            if val:
                conds.append(f"(',' || {col} || ',') LIKE ?")
                args.append(f"%,{val.upper()},%")
        if country:
            conds.append("((',' || e.actor_countries || ',') LIKE ? OR (',' || e.recipient_countries || ',') LIKE ?)")
            args += [f"%,{country.upper()},%"] * 2
        dates, dargs = date_conditions(_iso(since), _iso(until))
        conds += dates
        args += dargs
        if min_confidence is not None:
            conds.append("e.confidence >= ?")
            args.append(min_confidence)
        fts = search_query(q) if q else None
        if q and fts is None:
            return {"total": 0, "items": []}
        if fts:
            conds.append("e.id IN (SELECT m2.event_id FROM mentions m2 JOIN articles a ON a.id = m2.article_id "
                         "WHERE a.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?))")
            args.append(fts)
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        total = s.db.execute(f"SELECT count(*) FROM events e {where}", args).fetchone()[0]
        cur = s.db.execute(f"SELECT e.id, e.n_reports, e.n_sources, e.confidence, m.record, m.quote FROM events e "
                           f"JOIN mentions m ON m.id = e.mention_id {where} "
                           f"ORDER BY e.date DESC, e.n_reports DESC, e.id LIMIT ? OFFSET ?", args + [limit, offset])
        items = [event_record({"id": i, "n_reports": n, "n_sources": ns, "confidence": c}, rec, quote)
                 for i, n, ns, c, rec, quote in cur]
        named = _named(s, [it["id"] for it in items])
        for it in items:
            it.update(named.get(it["id"], {"people": [], "organisations": []}))
        return {"total": total, "items": items}

    @app.get("/api/events/{event_id}")
    def event(s: DB, event_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{1,40}$")]) -> dict:
        row = s.db.execute("SELECT e.id, e.n_reports, e.n_sources, e.confidence, m.record, m.quote FROM events e "
                           "JOIN mentions m ON m.id = e.mention_id WHERE e.id = ?", (event_id,)).fetchone()
        if row is None:
            raise HTTPException(404, f"no event {event_id}")
        rec = event_record({"id": row[0], "n_reports": row[1], "n_sources": row[2], "confidence": row[3]}, row[4], row[5])
        reports = []
        for mid, art, title, url, source, pub, d, quote, record, conf in s.db.execute(
                "SELECT m.id, a.id, a.title, a.url, a.source, a.published, m.date, m.quote, m.record, m.confidence "
                "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ? "
                "ORDER BY a.published, a.id, m.id", (event_id,)):
            r = json.loads(record)
            reports.append({"mention_id": mid, "article_id": art, "title": title, "url": url, "source": source,
                            "published": pub, "date": d, "quote": quote, "text_info": r["text_info"],
                            "trigger": r["trigger"], "actor": r["actor"], "recipient": r["recipient"],
                            "entities": r.get("entities", []), "confidence": conf})
        rec.update(_named(s, [event_id]).get(event_id, {"people": [], "organisations": []}))
        return {"event": rec, "reports": reports}

    @app.post("/api/code", dependencies=[Depends(require_key)])
    def code(body: CodeRequest) -> dict:
        from waqai.api import code_text

        evs = code_text(body.text, title=body.title, published=body.published, doc_id="request")
        from waqai.export import to_record

        return {"items": [to_record(e) for e in evs]}

    @app.get("/api/actors")
    def actors(s: DB, q: Annotated[str | None, Query(max_length=100)] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict:
        cond, args = "", []
        if q:
            like = "%" + like_pattern(q) + "%"
            cond = "WHERE code LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR entity_text LIKE ? ESCAPE '\\'"
            args = [like, like, like]
        # the matching codes, and for each its commonest wording over all its mentions, in one query
        rows = s.db.execute(
            f"WITH hit AS (SELECT code, country, max(name) name, count(*) n FROM actors {cond} "
            f"GROUP BY code, country ORDER BY n DESC, code LIMIT ?), "
            "texts AS (SELECT code, entity_text, row_number() OVER (PARTITION BY code ORDER BY count(*) DESC, "
            "entity_text) r FROM actors WHERE code IN (SELECT code FROM hit) GROUP BY code, entity_text) "
            "SELECT h.code, h.country, h.name, t.entity_text, h.n FROM hit h "
            "LEFT JOIN texts t ON t.code = h.code AND t.r = 1 ORDER BY h.n DESC, h.code", args + [limit]).fetchall()
        return {"items": [{"code": c, "country": country, "name": name, "entity_text": text, "mentions": n}
                          for c, country, name, text, n in rows]}

    @app.get("/api/entities")
    def entities(s: DB, type: Annotated[EntityType | None, Query(description="PERS or ORG")] = None,  # noqa: A002
                 q: Annotated[str | None, Query(max_length=100)] = None,
                 since: Since = None, until: Until = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict:
        """The people and organisations the reports name, by the number of events they are named in."""
        return {"items": s.top_entities(type.value if type is not None else None, q, _iso(since), _iso(until),
                                        limit)}

    @app.get("/api/dyads")
    def dyads(s: DB, actor: Code = None, recipient: Code = None, since: Since = None, until: Until = None,
              period: Annotated[str, Query(pattern="^(all|month)$")] = "all",
              limit: Annotated[int, Query(ge=1, le=10000)] = 1000) -> dict:
        items = analytics.dyads(s.db, _iso(since), _iso(until), period, actor and actor.upper(),
                                recipient and recipient.upper())
        return {"items": items[:limit]}

    @app.get("/api/network")
    def network(s: DB, since: Since = None, until: Until = None) -> dict:
        return analytics.network(s.db, _iso(since), _iso(until))

    @app.get("/api/polarity")
    def polarity(s: DB, since: Since = None, until: Until = None) -> dict:
        return {"series": analytics.polarity(s.db, _iso(since), _iso(until))}

    @app.get("/api/countries")
    def countries() -> dict:
        return analytics.names()

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "Authorization"])
    from fastapi.middleware.gzip import GZipMiddleware

    app.add_middleware(GZipMiddleware, minimum_size=2000)
    app.add_middleware(BodyLimit)
    return app


def _named(s: Store, event_ids: list[str]) -> dict[str, dict]:
    """event id -> {"people": [...], "organisations": [...]}: who the event's reports name, each once, with
    its commonest form, its code and name where known, and in how many reports it is named."""
    out: dict[str, dict] = {}
    if not event_ids:
        return out
    rows = s.db.execute(
        "SELECT m.event_id, en.type, en.key, en.form, en.code, en.name, en.role, m.id FROM entities en "
        f"JOIN mentions m ON m.id = en.mention_id WHERE m.event_id IN ({','.join('?' * len(event_ids))}) "
        "ORDER BY m.event_id, en.type, en.key, m.id, en.position", event_ids).fetchall()
    acc: dict[tuple, dict] = {}
    for ev, typ, k, form, code, name, role, mid in rows:
        a = acc.setdefault((ev, typ, name or k), {"forms": {}, "code": None, "name": None, "roles": set(),
                                                  "mentions": set()})
        a["forms"][form] = a["forms"].get(form, 0) + 1
        a["code"] = a["code"] or code
        a["name"] = a["name"] or name
        if role:
            a["roles"].add(role)
        a["mentions"].add(mid)
    for (ev, typ, _), a in acc.items():
        item = {"form": min(a["forms"], key=lambda f: (-a["forms"][f], f)), "code": a["code"],
                "name": a["name"], "roles": sorted(a["roles"]), "reports": len(a["mentions"])}
        d = out.setdefault(ev, {"people": [], "organisations": []})
        d["people" if typ == "PERS" else "organisations"].append(item)
    for d in out.values():
        for lst in d.values():
            lst.sort(key=lambda x: (-len(x["roles"]), -x["reports"], x["form"]))
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
