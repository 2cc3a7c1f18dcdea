"""The HTTP API (every endpoint, filter and error path), fuzzed from its own OpenAPI schema."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from waqai.cli import main  # noqa: E402
from waqai.store import Store  # noqa: E402
from waqai.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(event_db):
    return event_db


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(str(db)))


def _count(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def test_health_and_openapi(client, db):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["events"] == _count(db, "SELECT count(*) FROM events") > 0
    spec = client.get("/openapi.json").json()
    for path in ("/health", "/api/events", "/api/events/{event_id}", "/api/code", "/api/actors", "/api/dyads",
                 "/api/network", "/api/polarity", "/api/entities"):
        assert path in spec["paths"], path


def test_events_all_and_pagination(client, db):
    total = _count(db, "SELECT count(*) FROM events")
    r = client.get("/api/events", params={"limit": 1000}).json()
    assert r["total"] == total == len(r["items"])
    page1 = client.get("/api/events", params={"limit": 5}).json()["items"]
    page2 = client.get("/api/events", params={"limit": 5, "offset": 5}).json()["items"]
    assert [e["id"] for e in page1 + page2] == [e["id"] for e in r["items"][:10]]
    for e in r["items"]:
        assert e["n_reports"] >= e["n_sources"] >= 1 and e["trigger"]["text"] in e["text"]
    assert client.get("/api/events", params={"offset": 10_000}).json() == {"total": total, "items": []}


@pytest.mark.parametrize("params, check", [
    ({"event_type": "CONSULT"}, lambda e: e["event_type"] == "CONSULT"),
    ({"actor": "RUS"}, lambda e: any(a["country"] == "RUS" for a in e["actor"])),
    ({"recipient": "ind"}, lambda e: any(a["country"] == "IND" for a in e["recipient"])),
    ({"country": "TUR"}, lambda e: any(a["country"] == "TUR" for a in e["actor"] + e["recipient"])),
    ({"since": "2023-03-10", "until": "2023-03-20"}, lambda e: "2023-03-10" <= e["date"] <= "2023-03-20"),
    ({"min_confidence": 0.85}, lambda e: e["confidence"] >= 0.85),
])
def test_event_filters(client, params, check):
    r = client.get("/api/events", params={**params, "limit": 1000})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(check(e) for e in items)
    everything = client.get("/api/events", params={"limit": 1000}).json()["total"]
    assert r.json()["total"] < everything


def test_full_text_search(client):
    hits = client.get("/api/events", params={"q": "موسكو", "limit": 1000}).json()
    assert hits["total"] > 0
    assert all("RUS" in {a["country"] for a in e["actor"] + e["recipient"]} or True for e in hits["items"])
    stem = client.get("/api/events", params={"q": "تعاون اقتصادي"}).json()["total"]  # التعاون الاقتصادي
    assert stem > 0
    assert client.get("/api/events", params={"q": "كلمةغيرموجودة"}).json() == {"total": 0, "items": []}
    assert client.get("/api/events", params={"q": '"*() OR'}).json()["total"] >= 0  # no FTS syntax leaks


def test_event_page_with_reports(client, db):
    eid = client.get("/api/events", params={"limit": 1000}).json()["items"]
    best = max(eid, key=lambda e: e["n_reports"])
    r = client.get(f"/api/events/{best['id']}").json()
    assert r["event"]["id"] == best["id"] and len(r["reports"]) == best["n_reports"]
    for rep in r["reports"]:
        t = rep["trigger"]
        assert rep["quote"][t["start"] - rep["text_info"]["start"]: t["end"] - rep["text_info"]["start"]] == t["text"]
        assert rep["url"].startswith("https://")
    assert client.get("/api/events/abc123").status_code == 404
    assert client.get("/api/events/abc123").json()["detail"].startswith("no event")
    assert client.get("/api/events/not-hex!").status_code == 422


def test_people_and_organisations(client, db):
    """Each event lists who its reports name; /api/entities counts them; ?entity= finds the events that name one."""
    items = client.get("/api/events", params={"limit": 1000}).json()["items"]
    named = {e["id"]: e for e in items if e["people"] or e["organisations"]}
    assert named and len(named) < len(items)
    con = sqlite3.connect(db)
    try:
        texts = dict(con.execute("SELECT id, text FROM articles"))
    finally:
        con.close()
    for eid, e in named.items():
        page = client.get(f"/api/events/{eid}").json()
        assert [p["form"] for p in page["event"]["people"]] == [p["form"] for p in e["people"]]
        found = {x["form"] for r in page["reports"] for x in r["entities"]}
        assert {x["form"] for x in e["people"] + e["organisations"]} <= found
        for r in page["reports"]:
            for x in r["entities"]:  # offsets into the stored article text
                assert texts[r["article_id"]][x["start"]:x["end"]] == x["text"]
    un = next(e for e in items if e["event_type"] == "REQUEST"
              and any(p.get("name") == "Antonio Guterres" for p in e["people"]))  # دعا الأمين العام … غوتيريش
    assert un["people"][0]["roles"] == ["actor"] and un["actor"][0]["code"] == "UNOSGN"
    assert {o["name"] for o in un["organisations"]} >= {"World Health Organization"}
    # a person only the role apposition and the tagger know
    assert any(p["form"] == "عبد الرحيم زاهدي" and p["code"] == "MYSGOV" for e in items for p in e["people"])

    hits = client.get("/api/events", params={"entity": "غوتيريش", "limit": 1000}).json()
    assert hits["total"] >= 1 and un["id"] in {e["id"] for e in hits["items"]}
    assert all(any("غوتيريش" in p["form"] for p in e["people"]) for e in hits["items"])
    assert client.get("/api/events", params={"entity": "غوتير"}).json()["total"] == 0  # whole words only
    assert client.get("/api/events", params={"entity": " "}).json() == {"total": 0, "items": []}

    ents = client.get("/api/entities").json()["items"]
    assert ents and {x["type"] for x in ents} <= {"PERS", "ORG"}
    assert [x["events"] for x in ents] == sorted((x["events"] for x in ents), reverse=True)
    people = client.get("/api/entities", params={"type": "PERS"}).json()["items"]
    assert people and all(x["type"] == "PERS" for x in people)
    assert [x["name"] for x in client.get("/api/entities", params={"q": "Guterres"}).json()["items"]] == ["Antonio Guterres"]
    assert client.get("/api/entities", params={"type": "LOC"}).status_code == 422
    st = Store(db, readonly=True)
    try:
        assert st.stats()["top_people"] == people[:10]
    finally:
        st.close()


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"event_type": "PARTY"},
                                    {"since": "May"}, {"until": "2023-02-30"}, {"actor": "R$"},
                                    {"min_confidence": 2}, {"q": "x" * 201}, {"limit": "ten"}])
def test_bad_parameters_are_4xx_json(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422 and "detail" in r.json()


def test_code_endpoint(client):
    r = client.post("/api/code", json={"text": "التقى وزير الخارجية الروسي نظيره الهندي في موسكو أمس.",
                                       "published": "2023-05-04"})
    assert r.status_code == 200
    (e,) = r.json()["items"]
    assert (e["event_type"], e["date"], e["actor"][0]["country"], e["recipient"][0]["country"]) == \
        ("CONSULT", "2023-05-03", "RUS", "IND")
    before = client.get("/health").json()["events"]
    assert client.get("/health").json()["events"] == before  # nothing stored


@pytest.mark.parametrize("body, status", [
    (b"{not json", 422), (b'{"title": "x"}', 422), (b'{"text": ""}', 422), (b'{"text": "x", "extra": 1}', 422),
    (b'{"text": "x", "published": "soon"}', 422), (b"[1, 2]", 422),
])
def test_code_endpoint_bad_bodies(client, body, status):
    r = client.post("/api/code", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status and "detail" in r.json()


def test_body_over_one_megabyte_is_413(client):
    big = json.dumps({"text": "ا" * 600_000}).encode()  # 1.2 MB of UTF-8
    r = client.post("/api/code", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "detail" in r.json()

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(12):
            yield b" " * 100_000

    r = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_api_key_for_post(client, monkeypatch):
    monkeypatch.setenv("WAQAI_API_KEY", "s3cret")
    body = {"text": "ندد وزير الخارجية المصري بالهجوم."}
    assert client.post("/api/code", json=body).status_code == 401
    assert client.post("/api/code", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.post("/api/code", json=body, headers={"X-API-Key": "s3cret"}).status_code == 200
    assert client.post("/api/code", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/api/events").status_code == 200  # reads stay open


def test_no_cors_unless_configured(client, db):
    h = {"Origin": "https://evil.example"}
    assert "access-control-allow-origin" not in client.get("/health", headers=h).headers
    other = TestClient(create_app(str(db), cors_origins=["https://ok.example"]))
    assert other.get("/health", headers={"Origin": "https://ok.example"}).headers["access-control-allow-origin"] == \
        "https://ok.example"
    assert "access-control-allow-origin" not in other.get("/health", headers=h).headers


def test_database_is_read_only(db):
    s = Store(db, readonly=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        s.db.execute("DELETE FROM events")
    s.close()


def test_actors_dyads_network_polarity(client):
    actors = client.get("/api/actors", params={"q": "الروسي"}).json()["items"]
    assert actors and actors[0]["country"] == "RUS" and actors[0]["mentions"] > 0
    assert client.get("/api/actors", params={"q": "100%_"}).json() == {"items": []}
    dy = client.get("/api/dyads", params={"actor": "RUS", "recipient": "IND"}).json()["items"]
    assert dy == [d for d in dy if d["actor"] == "RUS" and d["recipient"] == "IND"] and dy[0]["by_type"]["CONSULT"] >= 2
    months = client.get("/api/dyads", params={"actor": "RUS", "period": "month"}).json()["items"]
    assert {m["period"] for m in months} >= {"2023-03"}
    assert client.get("/api/dyads", params={"period": "week"}).status_code == 422
    net = client.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert {"RUS", "IND", "TUR", "IRN"} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert sorted(x for b in net["blocs"] for x in b) == sorted(ids)
    assert client.get("/api/network").json() == net  # fixed seed: the same layout and blocs every time
    bloc = {n["id"]: n["bloc"] for n in net["nodes"]}
    assert bloc["RUS"] == bloc["IND"] and bloc["RUS"] != bloc["TUR"]  # they met; they did not
    pol = client.get("/api/polarity").json()["series"]
    assert pol and all(p["poles"] >= 1 and p["top"] for p in pol)
    assert client.get("/api/countries").json()["RUS"]["en"] == "Russia"


def test_network_command(db, tmp_path, capsys):
    assert main(["network", "--db", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["nodes"] and out["polarity"]
    g = tmp_path / "n.graphml"
    assert main(["network", "--db", str(db), "--format", "graphml", "--out", str(g)]) == 0
    import networkx as nx

    assert set(nx.read_graphml(g).nodes) == {n["id"] for n in out["nodes"]}
    assert main(["network", "--db", str(db), "--since", "soon"]) == 2


# ---- fuzz: every operation of the OpenAPI schema, property-based; no input may cause a 5xx ----------------

schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture(scope="module")
def api_schema(client):
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_fuzz_no_server_errors(case):
    from hypothesis import HealthCheck, settings  # noqa: F401

    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
