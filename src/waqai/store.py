"""The event database: SQLite (WAL), a versioned schema, idempotent writes, and the queries on it.

Tables: articles (with the cleaned text the offsets point into), signatures (MinHash), similar (duplicate
links), mentions (one row per report of an event, with its quote and offsets, and the coder's record),
actors (who each report names), entities (the people and organisations each report's sentence names), events (fused: one row per real-world event), rejects (inputs that could
not be used, and warnings), article_search (FTS5 over the Arabic-normalised text).

Every article is written with its mentions in one transaction, so a killed ingest leaves whole articles or
none. Fusion (duplicate groups, events) is recomputed from the stored reports for what changed, in one
transaction, so its result depends only on what is stored, never on the order it came in.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from waqai import fuse as F
from waqai.arabic import normalize
from waqai.export import RECORD_FIELDS as _RECORD_ORDER

MIGRATIONS = [
    # 1: the first schema
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT, source TEXT, title TEXT, published TEXT, origin TEXT,
        text TEXT NOT NULL,                 -- cleaned text: every offset in mentions points into it
        source_hash TEXT NOT NULL,          -- of the title and text as read: the same id with another text is refused
        content_hash TEXT NOT NULL,         -- of the normalised words: exact duplicates share it
        dup_group TEXT,                     -- id of the earliest article of its duplicate group
        n_mentions INTEGER NOT NULL DEFAULT 0,
        warnings TEXT,
        fused INTEGER NOT NULL DEFAULT 0    -- 0 until fusion has seen the article
    );
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_group ON articles(dup_group);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_unfused ON articles(fused) WHERE fused = 0;
    CREATE TABLE signatures (article_id TEXT PRIMARY KEY, minhash BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE similar (
        a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL, PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE INDEX similar_b ON similar(b);
    CREATE TABLE mentions (
        id TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL,
        event_id TEXT,
        block TEXT NOT NULL,                -- type|actor countries|recipient countries: fusion candidates
        event_type TEXT NOT NULL, date TEXT, date_precision TEXT,
        quote TEXT NOT NULL, sentence INTEGER, quote_start INTEGER, quote_end INTEGER,
        trigger TEXT, trigger_start INTEGER, trigger_end INTEGER,
        place_country TEXT, place_resolution INTEGER NOT NULL DEFAULT 0,
        confidence REAL NOT NULL,
        record TEXT NOT NULL                -- the coder's PLOVER record as JSON, its "text" in quote
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_event ON mentions(event_id);
    CREATE INDEX mentions_block ON mentions(block);
    CREATE TABLE actors (
        mention_id TEXT NOT NULL, role TEXT NOT NULL, position INTEGER NOT NULL,
        code TEXT NOT NULL, country TEXT, sector TEXT, entity_text TEXT, name TEXT,
        PRIMARY KEY (mention_id, role, position)
    ) WITHOUT ROWID;
    CREATE INDEX actors_code ON actors(code);
    CREATE INDEX actors_country ON actors(country);
    CREATE TABLE events (
        id TEXT NOT NULL UNIQUE,
        block TEXT NOT NULL,
        mention_id TEXT NOT NULL,           -- the report that speaks for the event
        event_type TEXT NOT NULL, mode TEXT, cameo TEXT NOT NULL, quad_class INTEGER, goldstein REAL,
        date TEXT, date_precision TEXT,
        actors TEXT NOT NULL, actor_countries TEXT NOT NULL,
        recipients TEXT NOT NULL, recipient_countries TEXT NOT NULL,
        place TEXT, place_country TEXT, lat REAL, lon REAL,
        confidence REAL NOT NULL,
        n_reports INTEGER NOT NULL, n_articles INTEGER NOT NULL, n_sources INTEGER NOT NULL,
        first_seen TEXT, last_seen TEXT     -- its record: the mention's, with this id, n_reports, n_sources
    );
    CREATE INDEX events_block ON events(block);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_type ON events(event_type);
    CREATE TABLE rejects (
        origin TEXT NOT NULL, reason TEXT NOT NULL, severity TEXT NOT NULL, PRIMARY KEY (origin, reason)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE article_search USING fts5(words, content='', tokenize='unicode61 remove_diacritics 2');
    """,
    # 2: people and organisations per report (reports stored before it list none: they were coded without)
    """
    CREATE TABLE entities (
        mention_id TEXT NOT NULL, position INTEGER NOT NULL,
        type TEXT NOT NULL,                 -- PERS | ORG
        text TEXT NOT NULL,                 -- as written, at start..end of the article's text
        form TEXT NOT NULL,                 -- without the clitics on its first word
        key TEXT NOT NULL,                  -- the form normalised: what groups and finds an entity
        start INTEGER NOT NULL, end INTEGER NOT NULL,
        code TEXT, name TEXT, role TEXT,    -- the actor code and table name where known; actor | recipient
        PRIMARY KEY (mention_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX entities_key ON entities(key, type);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    pass


STEM = "s"  # marks a stem in the index, so that a stem never matches a word of the same letters (له, لله)


def search_words(text: str) -> str:
    """The text as the search index holds it: normalised words, each followed by its stem without the
    leading clitics (و ف ب ل ك ال), marked, so that رئيس finds للرئيس and له does not find الله."""
    out = []
    for w in normalize(text).split():
        w = "".join(c for c in w if c.isalnum())
        if not w:
            continue
        out.append(w)
        s = light_stem(w)
        if s != w:
            out.append(STEM + s)
    return " ".join(out)


def light_stem(w: str) -> str:
    """The word without leading clitics (و ف, then ب ل ك, then ال), each peeled only if at least three
    letters remain: وللرئيس -> رئيس, الله stays الله."""
    s = w
    if len(s) > 3 and s[0] in "وف":
        s = s[1:]
    if len(s) > 3 and s[0] in "بلك":
        s = s[1:]
    if len(s) > 4 and s.startswith("ال"):
        s = s[2:]
    elif len(s) > 3 and w[len(w) - len(s) - 1: len(w) - len(s)] == "ل" and s.startswith("ل"):
        s = s[1:]  # لل + noun: للرئيس
    return s


def search_query(q: str) -> str | None:
    """An FTS5 query from free text: every word must occur, as written or with clitics (its stem)."""
    terms = []
    for w in normalize(q).split():
        w = "".join(c for c in w if c.isalnum())
        if w:
            s = light_stem(w)
            terms.append(f'("{w}" OR "{STEM}{s}")')
    return " AND ".join(terms) or None


class Store:
    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).is_file():
                    raise StoreError(f"{self.path}: no such database")
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open ({e})") from None
        try:
            self.db.execute("PRAGMA busy_timeout = 10000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self.migrate()
            else:
                self._check_version()
        except sqlite3.OperationalError as e:
            self.db.close()
            raise StoreError(f"{self.path}: cannot open ({e})") from None
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise StoreError(f"{self.path}: not a Waqai database ({e})") from None

    def close(self) -> None:
        self.db.close()

    # ---- schema ---------------------------------------------------------------------------------------
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self) -> None:
        v = self.version()
        if v > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {v} is newer than this Waqai ({SCHEMA_VERSION})")
        if v < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {v}; run `waqai ingest` once to migrate it")

    def migrate(self) -> None:
        v = self.version()
        if v > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {v} is newer than this Waqai ({SCHEMA_VERSION})")
        if v == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path}: an existing SQLite file that is not a Waqai database")
        for n in range(v, SCHEMA_VERSION):
            with self.transaction():
                for stmt in _statements(MIGRATIONS[n]):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {n + 1}")

    def transaction(self):
        return _Transaction(self.db)

    # ---- writes ---------------------------------------------------------------------------------------
    def article_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM articles")}

    def article_keys(self) -> dict[str, tuple[str, str | None]]:
        """id -> (source hash, origin) of every stored article."""
        return {i: (h, o) for i, h, o in self.db.execute("SELECT id, source_hash, origin FROM articles")}

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        yield from self.db.execute("SELECT article_id, minhash FROM signatures ORDER BY article_id")

    def same_hash(self, content_hash: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,))]

    def add_reject(self, origin: str, reason: str, severity: str = "error") -> None:
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO rejects VALUES (?, ?, ?)", (origin, reason, severity))

    def add_article(self, item: dict, links: list[tuple[str, float]]) -> bool:
        """Write one coded article (see waqai.ingest.prepare) with its reports and duplicate links, in one
        transaction. Returns False (and writes nothing) when the article is already stored."""
        a = item["article"]
        with self.transaction():
            if self.db.execute("SELECT 1 FROM articles WHERE id = ?", (a["id"],)).fetchone():
                return False
            self.db.execute("SAVEPOINT article")  # an article that cannot be stored leaves nothing behind
            try:
                self._insert_article(item, links)
            except BaseException:
                self.db.execute("ROLLBACK TO article")
                self.db.execute("RELEASE article")
                raise
            self.db.execute("RELEASE article")
            # it is stored now: an earlier failure to code it is no longer true
            self.db.execute("DELETE FROM rejects WHERE origin = ? AND reason LIKE 'coding failed:%'",
                            (a["origin"] or a["id"],))
        return True

    def _insert_article(self, item: dict, links: list[tuple[str, float]]) -> None:
        a = item["article"]
        cur = self.db.execute(
            "INSERT INTO articles (id, url, source, title, published, origin, text, source_hash, content_hash, "
            "n_mentions, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (a["id"], a["url"], a["source"], a["title"], a["published"], a["origin"], item["text"],
             item["source_hash"], item["content_hash"], len(item["events"]),
             json.dumps(item["warnings"], ensure_ascii=False) if item["warnings"] else None))
        self.db.execute("INSERT INTO article_search (rowid, words) VALUES (?, ?)", (cur.lastrowid, item["words"]))
        if item["signature"] is not None:
            self.db.execute("INSERT INTO signatures VALUES (?, ?)", (a["id"], item["signature"]))
        for other, sim in links:
            x, y = sorted((a["id"], other))
            self.db.execute("INSERT OR IGNORE INTO similar VALUES (?, ?, ?)", (x, y, round(sim, 4)))
        for rec in item["events"]:
            self._add_mention(a["id"], rec)

    def _add_mention(self, article_id: str, rec: dict) -> None:
        loc = rec.get("event_loc") or {}
        block = F.block_key(rec["event_type"], _keys(rec["actor"]), _keys(rec["recipient"]))
        self.db.execute(
            "INSERT INTO mentions VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec["id"], article_id, block, rec["event_type"], rec["date"], rec["date_precision"], rec["text"],
             rec["text_info"]["sequence"], rec["text_info"]["start"], rec["text_info"]["end"],
             rec["trigger"]["text"], rec["trigger"]["start"], rec["trigger"]["end"],
             loc.get("country_code"), loc.get("resolution") or 0, rec["confidence"],
             json.dumps({k: v for k, v in rec.items() if k != "text"}, ensure_ascii=False)))
        for role in ("actor", "recipient"):
            for k, x in enumerate(rec[role]):
                self.db.execute("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (rec["id"], role, k, x["code"], x.get("country"), ",".join(x.get("sector") or []),
                                 x.get("entity_text"), x.get("name")))
        for k, x in enumerate(rec.get("entities") or []):
            self.db.execute("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (rec["id"], k, x["type"], x["text"], x["form"], entity_key(x["form"]), x["start"],
                             x["end"], x.get("code"), x.get("name"), x.get("role")))

    # ---- fusion ---------------------------------------------------------------------------------------
    def fuse(self) -> dict:
        """Recompute duplicate groups and fused events for every article not yet fused (and for what they
        touch), in one transaction. Returns counts of what was recomputed."""
        with self.transaction():
            new = [r[0] for r in self.db.execute("SELECT id FROM articles WHERE fused = 0")]
            if not new:
                return {"articles": 0, "blocks": 0}
            links = self._links_from(new)
            order = self._order(set(links))
            grouping = F.groups(links, order)
            self.db.executemany("UPDATE articles SET dup_group = ? WHERE id = ?",
                                [(g, a) for a, g in sorted(grouping.items())])
            affected = sorted(grouping)
            blocks = set()
            for chunk in _chunks(affected, 500):
                q = ",".join("?" * len(chunk))
                blocks.update(r[0] for r in self.db.execute(
                    f"SELECT DISTINCT block FROM mentions WHERE article_id IN ({q})", chunk))
            for block in sorted(blocks):
                self._fuse_block(block)
            self.db.execute("UPDATE articles SET fused = 1 WHERE fused = 0")
            return {"articles": len(new), "blocks": len(blocks)}

    def load_fusion(self, groups: list[dict], similar: list[dict], events: list[tuple],
                    assignment: list[dict]) -> None:
        """Take fusion results computed elsewhere (waqai.shards.fuse_dir over Parquet shards), in one
        transaction: duplicate groups and links, events, and which event each report belongs to."""
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO similar VALUES (?, ?, ?)",
                                [(r["a"], r["b"], r["similarity"]) for r in similar])
            self.db.executemany("UPDATE articles SET dup_group = ? WHERE id = ?",
                                [(r["dup_group"], r["id"]) for r in groups])
            self.db.execute("DELETE FROM events")
            self.db.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(F.EVENT_COLUMNS))})", events)
            self.db.executemany("UPDATE mentions SET event_id = ? WHERE id = ?",
                                [(r["event_id"], r["mention_id"]) for r in assignment])
            self.db.execute("UPDATE articles SET fused = 1 WHERE fused = 0")

    def _links_from(self, start: list[str]) -> dict[str, set[str]]:
        """The duplicate links of the components that contain `start`: article -> linked articles."""
        links: dict[str, set[str]] = {a: set() for a in start}
        todo = list(start)
        seen = set(start)
        while todo:
            chunk, todo = todo[:500], todo[500:]
            q = ",".join("?" * len(chunk))
            for x, y in self.db.execute(f"SELECT a, b FROM similar WHERE a IN ({q}) UNION "
                                        f"SELECT a, b FROM similar WHERE b IN ({q})", chunk + chunk):
                links.setdefault(x, set()).add(y)
                links.setdefault(y, set()).add(x)
                for n in (x, y):
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
        return links

    def _order(self, ids: set[str]) -> dict[str, tuple]:
        out = {}
        ids_l = sorted(ids)
        for chunk in _chunks(ids_l, 500):
            q = ",".join("?" * len(chunk))
            for i, pub in self.db.execute(f"SELECT id, published FROM articles WHERE id IN ({q})", chunk):
                out[i] = (pub or "9999", i)
        return out

    def _fuse_block(self, block: str) -> None:
        rows = self.db.execute(
            f"SELECT {', '.join('m.' + c for c in F.REPORT_COLUMNS)} "
            "FROM (SELECT m.*, a.dup_group, a.published, coalesce(a.source, a.url) source FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.block = ?) m ORDER BY m.id", (block,)).fetchall()
        self.db.execute("DELETE FROM events WHERE block = ?", (block,))
        events, assignment = F.fuse_block(block, rows)
        self.db.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(F.EVENT_COLUMNS))})", events)
        self.db.executemany("UPDATE mentions SET event_id = ? WHERE id = ?", assignment)

    # ---- reads ----------------------------------------------------------------------------------------
    def stats(self, top: int = 10) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        out = {
            "articles": one("SELECT count(*) FROM articles"),
            "duplicates": one("SELECT count(*) FROM articles WHERE dup_group IS NOT NULL AND dup_group != id"),
            "duplicate_groups": one("SELECT count(*) FROM (SELECT dup_group FROM articles WHERE dup_group IS NOT NULL "
                                    "GROUP BY dup_group HAVING count(*) > 1)"),
            "events": one("SELECT count(*) FROM events"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "rejects": one("SELECT count(*) FROM rejects"),
            "warnings": one("SELECT count(*) FROM rejects WHERE severity = 'warning'"),
            "unfused_articles": one("SELECT count(*) FROM articles WHERE fused = 0"),
            "published": list(self.db.execute("SELECT min(published), max(published) FROM articles").fetchone()),
            "event_dates": list(self.db.execute("SELECT min(date), max(date) FROM events").fetchone()),
            "event_types": [{"event_type": t, "events": n} for t, n in self.db.execute(
                "SELECT event_type, count(*) n FROM events GROUP BY event_type ORDER BY n DESC, event_type")],
            "top_dyads": [{"actor": a, "recipient": r, "events": n, "reports": m} for a, r, n, m in self.db.execute(
                "SELECT actor_countries, recipient_countries, count(*) n, sum(n_reports) FROM events "
                "WHERE actor_countries != '' AND recipient_countries != '' "
                "GROUP BY actor_countries, recipient_countries ORDER BY n DESC, actor_countries, recipient_countries "
                "LIMIT ?", (top,))],
            "reject_reasons": [{"reason": r, "count": n} for r, n in self.db.execute(
                "SELECT reason, count(*) n FROM (SELECT CASE WHEN instr(reason, ':') > 0 "
                "THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END reason FROM rejects) "
                "GROUP BY reason ORDER BY n DESC, reason LIMIT ?", (top,))],
            "top_people": self.top_entities("PERS", limit=top),
            "top_organisations": self.top_entities("ORG", limit=top),
        }
        return out

    def top_entities(self, typ: str | None = None, q: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = 10) -> list[dict]:
        """The people (PERS) and organisations (ORG) the reports name, by the number of events naming them:
        one entry per table name, else per normalised form, with its commonest form."""
        conds, args = [], []
        if typ is not None:
            conds.append("en.type = ?")
            args.append(typ)
        if q:
            conds.append("(en.key LIKE ? ESCAPE '\\' OR en.name LIKE ? ESCAPE '\\' OR en.code LIKE ? ESCAPE '\\')")
            args += ["%" + like_pattern(entity_key(q)) + "%", "%" + like_pattern(q) + "%", like_pattern(q.upper()) + "%"]
        dates, dargs = date_conditions(since, until)
        conds += dates
        args += dargs
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        rows = self.db.execute(
            "WITH hit AS (SELECT en.type, coalesce(en.name, en.key) grp, count(DISTINCT e.id) n_events, "
            "count(*) n_reports, max(en.code) code, max(en.name) name FROM entities en "
            f"JOIN mentions m ON m.id = en.mention_id JOIN events e ON e.id = m.event_id {where} "
            "GROUP BY en.type, grp ORDER BY n_events DESC, n_reports DESC, grp LIMIT ?), "
            "forms AS (SELECT type, coalesce(name, key) grp, form, row_number() OVER (PARTITION BY type, "
            "coalesce(name, key) ORDER BY count(*) DESC, form) r FROM entities "
            "WHERE coalesce(name, key) IN (SELECT grp FROM hit) GROUP BY type, grp, form) "
            "SELECT h.type, f.form, h.code, h.name, h.n_events, h.n_reports FROM hit h "
            "JOIN forms f ON f.type = h.type AND f.grp = h.grp AND f.r = 1 "
            "ORDER BY h.n_events DESC, h.n_reports DESC, h.grp", args + [limit]).fetchall()
        return [{"type": t, "form": f, "code": c, "name": n, "events": ne, "reports": nr}
                for t, f, c, n, ne, nr in rows]

    def events(self, since: str | None = None, until: str | None = None) -> Iterator[dict]:
        """Fused events as stored rows (with the record parsed), in date then id order."""
        conds, args = date_conditions(since, until)
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        cur = self.db.execute(f"SELECT e.*, m.record, m.quote FROM events e JOIN mentions m ON m.id = e.mention_id "
                              f"{where} ORDER BY e.date, e.id", args)
        cols = [c[0] for c in cur.description]
        for row in cur:
            d = dict(zip(cols, row))
            d["record"] = event_record(d, d.pop("record"), d.pop("quote"))
            yield d

    def article(self, article_id: str) -> dict | None:
        cur = self.db.execute("SELECT id, url, source, title, published FROM articles WHERE id = ?", (article_id,))
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    def source_urls(self, event_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT a.url FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.event_id = ? AND a.url IS NOT NULL ORDER BY a.published, a.url", (event_id,))]


def event_record(event: dict, mention_record: str, quote: str) -> dict:
    """The PLOVER record of a fused event: that of the report that speaks for it, with the event's id and
    confidence, and how many reports and sources it has."""
    rec = json.loads(mention_record)
    rec["text"] = quote
    rec = {k: rec[k] for k in _RECORD_ORDER if k in rec} | {k: v for k, v in rec.items() if k not in _RECORD_ORDER}
    rec["id"] = event["id"]
    if event.get("confidence") is not None:
        rec["confidence"] = event["confidence"]  # the highest of its reports
    rec["n_reports"] = event["n_reports"]
    rec["n_sources"] = event["n_sources"]
    return rec


def like_pattern(s: str) -> str:
    """`s` with the LIKE wildcards escaped (for `LIKE ? ESCAPE '\\'`)."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def entity_key(form: str) -> str:
    """What groups the mentions of one person or organisation: the form, normalised (عبدالله / عبد الله kept
    apart; alef, yaa and taa marbuta forms and diacritics not)."""
    return normalize(form)


def date_conditions(since: str | None, until: str | None, column: str = "e.date") -> tuple[list[str], list]:
    """SQL conditions (and their arguments) for an event date window, both ends included."""
    conds, args = [], []
    if since:
        conds.append(f"{column} >= ?")
        args.append(since)
    if until:
        conds.append(f"{column} <= ?")
        args.append(until)
    return conds, args


def _keys(actors: list[dict]) -> list[str]:
    return [a.get("country") or a["code"] for a in actors]


def _chunks(xs: list, n: int) -> Iterable[list]:
    for i in range(0, len(xs), n):
        yield xs[i:i + n]


def _statements(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s]


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; nested uses join the outer transaction."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.outer = False

    def __enter__(self):
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if self.outer:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
