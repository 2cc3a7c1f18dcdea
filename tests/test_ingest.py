"""`waqai ingest`, `stats`, `export` on a corpus the team wrote (tests/corpus.py): duplicates, fusion,
idempotence, a real kill -9 and resume, bad inputs, and every export format."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import write_bad_inputs, write_corpus
from waqai.cli import main
from waqai.export import CAMEO_COLUMNS, RECORD_FIELDS
from waqai.store import SCHEMA_VERSION, Store, StoreError


def dump(db: Path) -> dict:
    """The logical content of a database: every table's rows (sorted), and what the search index finds."""
    con = sqlite3.connect(db)
    out = {}
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                               "AND name NOT LIKE 'article_search%' ORDER BY name"):
        cols = "rowid, *" if name == "articles" else "*"
        out[name] = sorted(map(repr, con.execute(f"SELECT {cols} FROM {name}")))
    out["search"] = {w: sorted(r[0] for r in con.execute("SELECT rowid FROM article_search WHERE article_search "
                                                         "MATCH ?", (w,)))
                     for w in ("رييس", "موسكو", "الخارجيه", "تعاون")}
    out["version"] = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    return out


def ingest(*args) -> int:
    return main(["ingest", "--quiet", *map(str, args)])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("news"), n_stories=12)


@pytest.fixture(scope="module")
def db(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "w.db"
    assert ingest(corpus["path"], "--db", path, "--workers", "1") == 0
    return path


def _rows(db: Path, sql: str, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _event_of(db: Path, article: str) -> set[str]:
    return {r[0] for r in _rows(db, "SELECT event_id FROM mentions WHERE article_id = ? AND block LIKE 'CONSULT|%'",
                                article)}


def test_schema_wal_and_every_article_stored(db, corpus):
    assert _rows(db, "PRAGMA journal_mode")[0][0] == "wal"
    assert _rows(db, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == len(corpus["rows"])
    text, title = _rows(db, "SELECT text, title FROM articles WHERE id = 'a-0'")[0]
    assert text.startswith(title) and "التقى وزير الخارجية الروسي" in text


def test_offsets_point_into_the_stored_text(db):
    for quote, start, end, trig, ts, te, text in _rows(
            db, "SELECT m.quote, m.quote_start, m.quote_end, m.trigger, m.trigger_start, m.trigger_end, a.text "
                "FROM mentions m JOIN articles a ON a.id = m.article_id"):
        assert text[start:end] == quote and text[ts:te] == trig


def test_syndicated_and_near_copies_form_one_group(db):
    groups = dict(_rows(db, "SELECT id, dup_group FROM articles"))
    for k in range(12):
        assert groups[f"b-{k}"] == groups[f"a-{k}"] == f"a-{k}"  # the earliest article names the group
    for k in (0, 3, 6, 9):  # a changed sentence, three days later
        assert groups[f"c-{k}"] == f"a-{k}"
    assert len({groups[f"a-{k}"] for k in range(12)}) == 12  # different stories stay apart
    assert groups["d-0"] == "d-0"  # a report in other words is not a copy


def test_copies_add_reports_never_events(db):
    for k in range(12):
        ev = _event_of(db, f"a-{k}")
        assert ev and _event_of(db, f"b-{k}") == ev
        if k % 3 == 0:
            assert _event_of(db, f"c-{k}") and _event_of(db, f"c-{k}") <= ev  # three days later: no new event
        if k % 2 == 0:
            assert _event_of(db, f"d-{k}") & ev  # another outlet, other words, same day: fused


def test_fused_event_counts_and_separate_days(db):
    rows = _rows(db, "SELECT e.id, e.n_reports, e.n_articles, e.n_sources, e.first_seen, e.last_seen FROM events e "
                     "JOIN mentions m ON m.event_id = e.id WHERE m.article_id = 'a-0' AND e.block = 'CONSULT|RUS|IND'")
    (eid, n_reports, n_articles, n_sources, first, last), = rows
    assert (n_reports, n_articles, n_sources) == (4, 4, 4)  # a, b, c, d
    assert (first, last) == ("2023-03-01", "2023-03-04")
    # the same two ministers a month later (story 10) are another event
    assert _event_of(db, "a-10") and _event_of(db, "a-10") != _event_of(db, "a-0")
    # every mention belongs to exactly one stored event
    assert _rows(db, "SELECT count(*) FROM mentions WHERE event_id IS NULL OR event_id NOT IN (SELECT id FROM events)")[0][0] == 0


def test_search_index_finds_words_and_stems(db, tmp_path):
    from waqai.store import search_query

    def hits(path, q):
        return {r[0] for r in _rows(path, "SELECT a.id FROM article_search s JOIN articles a ON a.rowid = s.rowid "
                                          "WHERE article_search MATCH ?", search_query(q))}

    assert "a-0" in hits(db, "تعاون")  # التعاون, stem تعاون
    assert "a-0" in hits(db, "الروسي") and "a-1" not in hits(db, "الروسي")
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"id": "x", "text": "قال إن الله واحد وللرئيس رأي."}, ensure_ascii=False) + "\n"
                 + json.dumps({"id": "y", "text": "قال له الرئيس إن القرار نهائي."}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    other = tmp_path / "s.db"
    assert ingest(f, "--db", other, "--workers", "1") == 0
    assert hits(other, "رئيس") == {"x", "y"}  # للرئيس and الرئيس
    assert hits(other, "له") == {"y"}  # a stem (الله -> له) never matches the word له


def test_reingest_changes_nothing(db, corpus, tmp_path):
    copy = tmp_path / "again.db"
    con = sqlite3.connect(db)
    con.execute("VACUUM INTO ?", (str(copy),))
    con.close()
    before = dump(copy)
    assert ingest(corpus["path"], "--db", copy, "--workers", "1") == 0
    assert dump(copy) == before


def test_order_of_arrival_does_not_matter(corpus, db, tmp_path):
    """Fusion depends on what is stored, not on the order it came in: the copies first, then the originals."""
    rows = corpus["rows"]
    first = tmp_path / "copies.jsonl"
    first.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if not r["id"].startswith("a-")),
                     encoding="utf-8")
    other = tmp_path / "o.db"
    assert ingest(first, "--db", other, "--workers", "1") == 0
    assert ingest(corpus["path"], "--db", other, "--workers", "1") == 0
    a, b = dump(db), dump(other)
    for t in ("events", "mentions", "similar", "actors", "signatures"):
        assert a[t] == b[t], t
    groups = lambda p: sorted(_rows(p, "SELECT id, dup_group FROM articles"))  # noqa: E731
    assert groups(db) == groups(other)


def test_kill_during_ingest_then_resume_equals_uninterrupted(tmp_path):
    big = write_corpus(tmp_path / "big", n_stories=150)
    total = len(big["rows"])
    ref, killed = tmp_path / "ref.db", tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "waqai", "ingest", str(big["path"]), "--workers", "2", "--quiet", "--db"]
    subprocess.run(cmd + [str(ref)], check=True, timeout=300)
    proc = subprocess.Popen(cmd + [str(killed)], start_new_session=True)
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            stored = _rows(killed, "SELECT count(*) FROM articles")[0][0]
        except sqlite3.OperationalError:
            stored = 0  # not created yet
        if stored >= 40:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _rows(killed, "SELECT count(*), sum(fused) FROM articles")[0]
    assert 0 < partial[0] < total and partial[1] == 0  # killed mid-run, before fusion
    subprocess.run(cmd + [str(killed)], check=True, timeout=300)
    assert dump(killed) == dump(ref)


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_ingested(tmp_path, capsys):
    folder = tmp_path / "in"
    bad = write_bad_inputs(folder)
    (folder / "good.txt").write_text("عنوان الخبر\n\nالتقى وزير الخارجية الروسي نظيره الهندي في موسكو.", encoding="utf-8")
    db = tmp_path / "b.db"
    assert ingest(folder, "--db", db, "--workers", "1", "--published", "2023-05-04") == 0
    rejects = {Path(o).name: (r, s) for o, r, s in _rows(db, "SELECT origin, reason, severity FROM rejects")}
    unreadable_ok = os.access(folder / "unreadable.txt", os.R_OK)  # root can read anything
    for name in bad:
        if name == "unreadable.txt" and unreadable_ok:
            continue
        assert name in rejects, (name, rejects)
    assert "malformed JSON" in rejects["malformed.jsonl:2"][0]
    assert rejects["empty.txt"][0] == "empty input"
    assert "binary" in rejects["binary.txt"][0]
    assert rejects["cp1256.txt"] == ("not UTF-8: decoded as windows-1256", "warning")
    assert "too long" in rejects["huge.jsonl:1"][0]
    ids = {r[0] for r in _rows(db, "SELECT id FROM articles")}
    # ok-1, good.txt, the windows-1256 text decoded (and the "unreadable" file, when run as root)
    assert "ok-1" in ids and len(ids) == 3 + unreadable_ok
    cp = _rows(db, "SELECT text FROM articles WHERE origin LIKE '%cp1256.txt'")[0][0]
    assert "ندد وزير الخارجية المصري" in cp
    st = json.loads(_stats(db, capsys))
    assert st["rejects"] == len(rejects)
    (folder / "unreadable.txt").chmod(0o644)


def _stats(db, capsys) -> str:
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    return capsys.readouterr().out


def test_stats_json(db, capsys, corpus):
    st = json.loads(_stats(db, capsys))
    for k in ("articles", "duplicates", "events", "mentions", "rejects"):
        assert isinstance(st[k], int)
    assert st["articles"] == len(corpus["rows"])
    assert st["duplicates"] == 12 + 4  # b-* copies and c-* near copies
    assert st["mentions"] > st["events"] > 0
    assert st["top_dyads"] and st["event_types"][0]["event_type"] == "CONSULT"
    assert main(["stats", "--db", str(db)]) == 0  # the table form
    assert "duplicate_groups" in capsys.readouterr().out


def test_stats_on_missing_or_foreign_database(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 1
    assert "no such database" in capsys.readouterr().err
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(StoreError, match="not a Waqai database"):
        Store(other)
    assert ingest(tmp_path, "--db", other) == 1


def test_export_plover(db, tmp_path):
    out = tmp_path / "e.jsonl"
    assert main(["export", "--db", str(db), "--format", "plover", "--out", str(out)]) == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == _rows(db, "SELECT count(*) FROM events")[0][0]
    for r in recs:
        assert list(r)[: len(RECORD_FIELDS)] == list(RECORD_FIELDS)
        assert r["n_reports"] >= r["n_sources"] >= 1
    best = max(recs, key=lambda r: r["n_reports"])
    assert best["n_reports"] == 4 and best["trigger"]["text"] in best["text"]


def test_export_cameo_and_dates(db, tmp_path):
    out = tmp_path / "e.csv"
    assert main(["export", "--db", str(db), "--format", "cameo", "--out", str(out),
                 "--since", "2023-03-05", "--until", "2023-03-20"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and list(rows[0]) == list(CAMEO_COLUMNS)
    for r in rows:
        assert "20230305" <= r["SQLDATE"] <= "20230320"
        assert r["EventRootCode"] == r["EventCode"][:2] and r["EventBaseCode"] == r["EventCode"][:3]
        assert int(r["NumMentions"]) >= int(r["NumSources"]) >= 1
    assert any(r["Actor1CountryCode"] == "TUR" and r["Actor2CountryCode"] == "IRN" and r["EventCode"] == "040"
               and r["SOURCEURL"].startswith("https://") for r in rows)


def test_export_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "e.parquet"
    assert main(["export", "--db", str(db), "--format", "parquet", "--out", str(out)]) == 0
    t = pq.read_table(out)
    assert t.num_rows == _rows(db, "SELECT count(*) FROM events")[0][0]
    assert {"id", "date", "event_type", "actor_countries", "n_reports", "quote", "record"} <= set(t.column_names)


def test_export_errors(db, tmp_path, capsys):
    assert main(["export", "--db", str(db), "--format", "cameo", "--out", str(tmp_path), "--since", "May"]) == 2
    assert main(["export", "--db", str(db), "--format", "parquet", "--out", "-"]) == 2
    assert main(["export", "--db", str(db), "--format", "cameo", "--out", str(tmp_path / "no" / "x.csv")]) == 1
    assert not list(tmp_path.glob(".waqai-export-*"))


def test_csv_and_warc_inputs(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "news.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "published", "body", "url"])
        w.writerow(["csv-1", "2023-05-04", "ندد وزير الخارجية المصري بالهجوم على السفارة الأردنية.\n\nوأدان "
                    "الهجوم بشدة.", "https://x.example/1"])  # a text over three lines: the next record is line 5
        w.writerow(["csv-2", "2023-05-04", "", ""])
    html = ("<html><head><title>لقاء في عمان</title></head><body><article><h1>لقاء في عمان</h1>"
            "<p>التقى وزير الخارجية الأردني نظيره المصري في عمان اليوم الأحد، وبحث الجانبان تطورات الأوضاع "
            "في المنطقة والعلاقات الثنائية بين البلدين الشقيقين وسبل تعزيزها في مختلف المجالات.</p>"
            "</article></body></html>").encode()
    with open(folder / "crawl.warc.gz", "wb") as f:
        ww = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        ww.write_record(ww.create_warc_record("https://news.example/jo", "response", payload=io.BytesIO(html),
                                              http_headers=headers,
                                              warc_headers_dict={"WARC-Date": "2023-05-07T10:00:00Z"}))
    db = tmp_path / "c.db"
    assert ingest(folder, "--db", db, "--workers", "1", "--text-column", "body") == 0
    arts = {r[0]: r[1:] for r in _rows(db, "SELECT id, url, published FROM articles")}
    assert arts["csv-1"] == ("https://x.example/1", "2023-05-04")
    web = [v for k, v in arts.items() if k != "csv-1"]
    assert web == [("https://news.example/jo", "2023-05-07")]
    assert any(o.endswith("news.csv:5") and "empty" in r for o, r in _rows(db, "SELECT origin, reason FROM rejects"))
    types = {r[0] for r in _rows(db, "SELECT event_type FROM events")}
    assert {"ACCUSE", "CONSULT"} <= types or {"CONSULT"} <= types
    assert ingest(folder, "--db", tmp_path / "d.db", "--workers", "1") == 0  # no such column: rejected, not fatal
    assert any("no column 'text'" in r for (r,) in _rows(tmp_path / "d.db", "SELECT reason FROM rejects"))


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer than this Waqai"):
        Store(path)
    with pytest.raises(StoreError, match="newer than this Waqai"):
        Store(path, readonly=True)


def test_version_1_database_is_migrated_and_keeps_its_data(tmp_path):
    """A database written before the entities table (schema 1) is migrated by the next ingest: its events stay,
    and the articles coded from then on list their people and organisations."""
    from waqai.store import MIGRATIONS, _statements

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    for stmt in _statements(MIGRATIONS[0]):
        con.execute(stmt)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="run `waqai ingest` once"):
        Store(path, readonly=True)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("لقاء\n\nالتقى وزير الخارجية الروسي سيرجي لافروف نظيره الهندي في موسكو أمس.",
                                  encoding="utf-8")
    assert ingest(folder, "--db", path, "--workers", "1") == 0
    assert _rows(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert _rows(path, "SELECT type, form, code, role FROM entities") == [("PERS", "سيرجي لافروف", "RUSGOV", "actor")]


def test_stdin(tmp_path, monkeypatch):
    data = "لقاء\n\nالتقى وزير الخارجية الروسي نظيره الهندي في موسكو أمس.".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    db = tmp_path / "s.db"
    assert ingest("-", "--db", db, "--workers", "1", "--published", "2023-05-04") == 0
    assert _rows(db, "SELECT date, actor_countries, recipient_countries FROM events") == [("2023-05-03", "RUS", "IND")]


def test_review_cases_are_rejected_not_lost(tmp_path, capsys):
    """Inputs a reviewer found harmful: a reused id, fields of the wrong type, lone surrogates, a corrupt gzip
    file, a stray byte in UTF-8 text. Each is reported and the rest is stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{"id": "n-1", "text": "التقى وزير الخارجية الروسي نظيره الهندي في موسكو.", "published": "2023-05-04"},
            {"id": "n-1", "text": "ندد وزير الخارجية المصري بالهجوم.", "published": "2023-05-04"},  # reused id
            {"id": "n-2", "text": "نص", "url": ["http://x"]},
            {"id": "n-3", "text": "نص", "title": "\ud800"},
            {"id": "n-1", "text": "التقى وزير الخارجية الروسي نظيره الهندي في موسكو.", "published": "2023-05-04"}]
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    good = gzip.compress(b'{"id": "z-1", "text": "x"}\n' * 2000)
    (folder / "b.jsonl.gz").write_bytes(good[:40] + bytes(200) + good[240:])
    (folder / "c.txt").write_bytes("عنوان\n\nتظاهر مئات العراقيين في بغداد".encode() + b"\xff" + " اليوم.".encode())
    db = tmp_path / "r.db"
    assert ingest(folder, "--db", db, "--workers", "1", "--published", "2023-05-04") == 0
    rejects = {(Path(o).name, r) for o, r in _rows(db, "SELECT origin, reason FROM rejects")}
    assert any(o == "a.jsonl:2" and "already used by another article" in r for o, r in rejects)
    assert any(o == "a.jsonl:3" and "'url' must be a string" in r for o, r in rejects)
    assert any(o == "a.jsonl:4" and "invalid Unicode" in r for o, r in rejects)
    assert any(o == "b.jsonl.gz" and "cannot read" in r for o, r in rejects)
    assert any(o == "c.txt" and "replaced by U+FFFD" in r for o, r in rejects)
    ids = {r[0] for r in _rows(db, "SELECT id FROM articles")}
    assert "n-1" in ids and len(ids) == 2  # n-1 once (its exact repeat is skipped), and c.txt, in UTF-8
    text = _rows(db, "SELECT text FROM articles WHERE id != 'n-1'")[0][0]
    assert "تظاهر مئات العراقيين في بغداد" in text
    # the database is never an export's output, and an RFC 2822 date is a date
    assert main(["export", "--db", str(db), "--format", "plover", "--out", str(db)]) == 2
    out = tmp_path / "e.jsonl"
    assert main(["export", "--db", str(db), "--format", "plover", "--out", str(out),
                 "--since", "Wed, 03 May 2023 00:00:00 +0000"]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == _rows(db, "SELECT count(*) FROM events")[0][0] > 0


def test_one_writer_at_a_time(tmp_path, capsys):
    import fcntl

    db = tmp_path / "l.db"
    with open(f"{db}.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert ingest(Path(__file__).parent.parent / "examples", "--db", db, "--workers", "1") == 1
    assert "another waqai ingest" in capsys.readouterr().err
    assert ingest(Path(__file__).parent.parent / "examples", "--db", db, "--workers", "1") == 0


def test_a_worker_that_hangs_costs_one_article(tmp_path, monkeypatch):
    """An article on which coding never ends (a pathological input): its worker is stopped after
    ARTICLE_SECONDS, that article is rejected with a reason naming the limit, every other article is stored."""
    import time as _time

    import waqai.ingest as ing

    real = ing._work

    def stuck(article):
        if "HANG" in article.text:
            _time.sleep(3600)
        return real(article)

    monkeypatch.setattr(ing, "START_METHOD", "fork")
    monkeypatch.setattr(ing, "_work", stuck)
    monkeypatch.setattr(ing, "ARTICLE_SECONDS", 2.0)
    monkeypatch.setattr(ing, "BATCH_SECONDS_PER_ARTICLE", 0.05)
    rows = [{"id": f"h-{i}", "text": f"التقى وزير الخارجية الروسي نظيره الهندي في موسكو {'HANG' if i == 5 else ''}.",
             "published": "2023-05-04"} for i in range(30)]
    f = tmp_path / "h.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "h.db"
    t0 = _time.monotonic()
    assert ingest(f, "--db", db, "--workers", "2") == 0
    assert _time.monotonic() - t0 < 120
    ids = {r[0] for r in _rows(db, "SELECT id FROM articles")}
    assert ids == {f"h-{i}" for i in range(30)} - {"h-5"}
    (reason,), = _rows(db, "SELECT reason FROM rejects WHERE origin LIKE '%h.jsonl:6'")
    assert reason.startswith("coding took longer than 2 s")


def test_a_worker_that_dies_costs_one_article(tmp_path, monkeypatch):
    """A worker process killed by one article (a crash in native code, the OOM killer): the pool is started
    again, that article is rejected, every other article is stored."""
    import waqai.ingest as ing

    real = ing._work

    def fragile(article):
        if "CRASH" in article.text:
            os._exit(70)
        return real(article)

    monkeypatch.setattr(ing, "START_METHOD", "fork")  # the workers inherit the patched function
    monkeypatch.setattr(ing, "_work", fragile)
    rows = [{"id": f"k-{i}", "text": f"التقى وزير الخارجية الروسي نظيره الهندي في موسكو {'CRASH' if i == 7 else ''}.",
             "published": "2023-05-04"} for i in range(40)]
    f = tmp_path / "k.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "k.db"
    assert ingest(f, "--db", db, "--workers", "2") == 0
    ids = {r[0] for r in _rows(db, "SELECT id FROM articles")}
    assert ids == {f"k-{i}" for i in range(40)} - {"k-7"}
    assert _rows(db, "SELECT reason FROM rejects WHERE origin LIKE '%k.jsonl:8'") == [(ing.CRASHED,)]
