"""Article near-duplicates, and one event from many reports.

Two rules, each a pure function of what is stored, so that the result does not depend on the order in
which articles arrive (docs/storage.md states them with their limits):

1. Duplicate articles. Articles whose normalised texts are identical, or whose word 5-gram sets have an
   estimated Jaccard similarity >= 0.8 (MinHash, 128 permutations, LSH to find candidates), are linked; the
   connected components of these links are duplicate groups, named after their earliest article
   (publication date, then id). A syndicated copy is a new report of the same story, never a second event.
2. One event from many reports. Every event the coder finds in an article is a report (a mention). Reports
   of the same type between the same actor and recipient countries are one event when they come from one
   duplicate group (whatever dates the copies give), or when their dates lie within one day of the
   event's first date and their places are compatible (same country, or one of them unplaced).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from waqai.arabic import normalize

SHINGLE = 5  # words per shingle
NUM_PERM = 128
THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets
# LSH bands x rows: a pair with Jaccard 0.8 becomes a candidate with probability 1 - (1 - 0.8**4)**32 > 0.9999,
# one with 0.3 with probability 0.23; every candidate is then checked on its whole signature
BANDS = (32, 4)
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0 hashing scheme: stored signatures are only comparable within one


def words(text: str) -> list[str]:
    return [w for w in normalize(text).split() if any(c.isalnum() for c in w)]


def content_hash(text: str) -> str:
    """Identity of a text up to spelling variants, punctuation and spacing."""
    return hashlib.sha1(" ".join(_clean(w) for w in words(text)).encode()).hexdigest()


def _clean(w: str) -> str:
    return "".join(c for c in w if c.isalnum())


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text's word 5-grams (None for a text too short to have one)."""
    from datasketch import MinHash

    ws = [_clean(w) for w in words(text)]
    shingles = {" ".join(ws[i:i + SHINGLE]).encode() for i in range(len(ws) - SHINGLE + 1)}
    if not shingles:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    m.update_batch(sorted(shingles))
    return m.hashvalues.astype("<u4").tobytes()


def bands(sig: bytes) -> list[bytes]:
    """The LSH bands of a signature (BANDS[0] slices of BANDS[1] values): two articles are near-duplicate
    candidates when any band is equal, as in datasketch's MinHashLSH with the same parameters."""
    width = 4 * BANDS[1]
    return [sig[i * width:(i + 1) * width] for i in range(BANDS[0])]


def similarity(a: bytes, b: bytes) -> float:
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / len(x)


class NearDuplicates:
    """MinHash LSH over the signatures seen so far; `add` returns the earlier articles a new one resembles."""

    def __init__(self):
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=BANDS)
        self._sigs: dict[str, bytes] = {}

    def _minhash(self, sig: bytes):
        from datasketch import MinHash

        return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                       hashvalues=np.frombuffer(sig, dtype="<u4").astype(np.uint64))

    def add(self, article_id: str, sig: bytes | None) -> list[tuple[str, float]]:
        if sig is None or article_id in self._sigs:
            return []
        m = self._minhash(sig)
        found = []
        for other in self._lsh.query(m):
            s = similarity(sig, self._sigs[other])
            if s >= THRESHOLD:
                found.append((other, s))
        self._lsh.insert(article_id, m)
        self._sigs[article_id] = sig
        return sorted(found)

    def __len__(self) -> int:
        return len(self._sigs)


def groups(members: dict[str, set[str]], order: dict[str, tuple]) -> dict[str, str]:
    """Connected components of the duplicate links: article id -> group id (its earliest member by `order`)."""
    out: dict[str, str] = {}
    for start in sorted(members):
        if start in out:
            continue
        comp, todo = {start}, [start]
        while todo:
            for n in members.get(todo.pop(), ()):
                if n not in comp:
                    comp.add(n)
                    todo.append(n)
        head = min(comp, key=lambda a: order.get(a, ("9999", a)))
        for a in comp:
            out[a] = head
    return out


# ---- one event from many reports -------------------------------------------------------------------------

@dataclass
class Report:
    """One event as one article reports it (a row of the mentions table), with what fusion needs."""

    id: str
    article_id: str
    group: str  # duplicate group of the article
    published: str | None
    source: str | None
    event_type: str
    actors: tuple[str, ...]  # countries (or codes, for actors with no country)
    recipients: tuple[str, ...]
    date: str | None
    date_precision: str | None
    place_country: str | None
    place_resolution: int
    confidence: float


@dataclass
class Fused:
    id: str
    reports: list[Report] = field(default_factory=list)
    best: Report | None = None  # the report that speaks for the event

    @property
    def first_seen(self) -> str | None:
        return min((r.published for r in self.reports if r.published), default=None)

    @property
    def last_seen(self) -> str | None:
        return max((r.published for r in self.reports if r.published), default=None)

    @property
    def n_articles(self) -> int:
        return len({r.article_id for r in self.reports})

    @property
    def n_sources(self) -> int:
        return len({r.source or r.article_id for r in self.reports})


def block_key(event_type: str, actors, recipients) -> str:
    """Reports can only be one event if they share this key."""
    return f"{event_type}|{','.join(sorted(set(actors)))}|{','.join(sorted(set(recipients)))}"


def _when(r: Report) -> str:
    return r.date or ""


def _informative(r: Report) -> tuple:
    """Which report speaks for the event: dated to the day, precisely placed, confident, then earliest."""
    return (r.date is not None and r.date_precision == "day", r.place_resolution, r.confidence,
            _neg(r.published or "9999"), _neg(r.id))


def _neg(s: str) -> tuple:
    return tuple(-ord(c) for c in s)


def fuse(reports: list[Report]) -> list[Fused]:
    """One event per real-world event among reports of one block (same type, actors, recipients)."""
    stories: dict[str, list[Report]] = {}
    for r in sorted(reports, key=lambda r: (r.published or "", r.article_id, r.id)):
        stories.setdefault(r.group, []).append(r)
    # a story: the reports of one duplicate group, dated by its earliest dated report
    items = []
    for rs in stories.values():
        dated = [r.date for r in rs if r.date]
        place = next((r.place_country for r in rs if r.place_country), None)
        items.append((min(dated) if dated else None, place, rs))
    items.sort(key=lambda x: (x[0] or "~", x[2][0].published or "", x[2][0].id))
    clusters: list[tuple[date | None, list, list[Report]]] = []  # start date, place (as a 1-list), reports
    for day, place, rs in items:
        d = date.fromisoformat(day[:10]) if day and len(day) >= 10 else None
        home = None
        if d is not None:
            for c in clusters:
                if c[0] is not None and d - c[0] <= timedelta(days=1) and (place is None or c[1][0] in (None, place)):
                    home = c
                    break
        if home is None:
            home = (d, [place], [])
            clusters.append(home)
        elif home[1][0] is None:
            home[1][0] = place
        home[2].extend(rs)
    out = []
    for _, _, rs in clusters:
        first = min(rs, key=lambda r: (_when(r) or "~", r.published or "", r.id))
        best = max(rs, key=_informative)
        out.append(Fused(id=hashlib.sha1(f"event|{first.id}".encode()).hexdigest()[:20], reports=rs, best=best))
    return out


# ---- one block of reports -> rows of the events table (the same for the SQLite store and Parquet shards) --

# what fuse_block reads for each report (a mention joined with its article), in this order
REPORT_COLUMNS = ("id", "article_id", "dup_group", "published", "source", "event_type", "date", "date_precision",
                  "place_country", "place_resolution", "confidence", "record")
# the columns of the events table, in order
EVENT_COLUMNS = ("id", "block", "mention_id", "event_type", "mode", "cameo", "quad_class", "goldstein", "date",
                 "date_precision", "actors", "actor_countries", "recipients", "recipient_countries", "place",
                 "place_country", "lat", "lon", "confidence", "n_reports", "n_articles", "n_sources", "first_seen",
                 "last_seen")


def fuse_block(block: str, rows) -> tuple[list[tuple], list[tuple[str, str]]]:
    """Fuse the reports of one block. `rows` are REPORT_COLUMNS tuples (`source`: the outlet, or the URL when
    the article names none). Returns the events (EVENT_COLUMNS tuples) and (event id, mention id) pairs."""
    import json

    _, actors, recipients = block.split("|")
    records = {}
    reports = []
    for (mid, art, group, pub, source, etype, d, prec, pc, pres, conf, rec) in rows:
        records[mid] = rec
        reports.append(Report(mid, art, group or art, pub, _host(source), etype,
                              tuple(actors.split(",")) if actors else (),
                              tuple(recipients.split(",")) if recipients else (), d, prec, pc, pres or 0, conf))
    events, assignment = [], []
    for ev in fuse(reports):
        rec = json.loads(records[ev.best.id])
        loc = rec.get("event_loc") or {}
        events.append((ev.id, block, ev.best.id, rec["event_type"], rec["mode"], rec["cameo"], rec["quad_class"],
                       rec["goldstein"], rec["date"], rec["date_precision"], ",".join(a["code"] for a in rec["actor"]),
                       actors, ",".join(a["code"] for a in rec["recipient"]), recipients, loc.get("resolved_place"),
                       loc.get("country_code"), loc.get("lat"), loc.get("lon"), max(r.confidence for r in ev.reports),
                       len(ev.reports), ev.n_articles, ev.n_sources, ev.first_seen, ev.last_seen))
        assignment.extend((ev.id, r.id) for r in ev.reports)
    return events, assignment


def _host(source: str | None) -> str | None:
    if source and "://" in source:
        from urllib.parse import urlsplit

        return urlsplit(source).hostname
    return source
