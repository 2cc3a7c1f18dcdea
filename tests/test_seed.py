"""The seed article, coded end to end with no --published (reference date: today)."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from waqai.model import Article
from waqai.pipeline import code_article

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-article.txt"


@pytest.fixture(scope="module")
def events():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    art = Article(id="seed", title=lines[0], text="\n".join(lines[1:]))
    return code_article(art, reference=date.today()).events


def pairs(e):
    return {a.country for a in e.actor}, {a.country for a in e.recipient}


def test_consult_russia_india_in_goa_on_4_may_2023(events):
    consult = [e for e in events if e.event_type == "CONSULT"]
    assert consult, events
    e = consult[0]
    assert pairs(e) == ({"RUS"}, {"IND"})
    assert e.actor[0].code == "RUSGOV" and e.recipient[0].code == "INDGOV"
    assert e.date == "2023-05-04" and e.date_precision == "day"
    assert e.event_loc is not None and e.event_loc.country_code == "IND"
    assert e.event_loc.resolved_place == "Goa"


def test_cooperation_between_russia_and_india(events):
    coop = [e for e in events if e.event_type in ("AGREE", "SUPPORT", "COOPERATE")]
    assert any({"RUS", "IND"} == (pairs(e)[0] | pairs(e)[1]) for e in coop), [(e.event_type, pairs(e)) for e in events]


def test_russia_accuses_the_west_or_the_usa(events):
    acc = [e for e in events if e.event_type == "ACCUSE"]
    assert any(pairs(e)[0] == {"RUS"} and pairs(e)[1] & {"USA", "WST"} for e in acc), \
        [(e.event_type, pairs(e), e.trigger) for e in events]


def test_nothing_from_the_teaser_or_the_captions(events):
    for e in events:
        assert "بلينكن" not in e.text and "اقرأ" not in e.text
        assert "USA" not in pairs(e)[0]
        assert not e.text.startswith("وزير الخارجية الروسي سيرجي لافروف نظيره الهندي سوبرامانيام")


def test_every_event_points_back_to_its_text(events):
    from waqai.pipeline import analyse

    lines = SEED.read_text(encoding="utf-8").split("\n")
    text, _, _ = analyse(Article(id="seed", title=lines[0], text="\n".join(lines[1:])))
    for e in events:  # offsets are into the cleaned article text
        assert text[e.trigger["start"]:e.trigger["end"]] == e.trigger["text"]
        assert text[e.text_info["start"]:e.text_info["end"]] == e.text
        assert e.cite_info["doc_id"] == "seed"


def test_people_and_organisations_of_each_event(events):
    """Lavrov is named as the actor of the meeting and Jaishankar as its recipient, by apposition to
    "نظيره الهندي"; the SCO is an organisation the sentence names; every entity points back to its text."""
    from waqai.pipeline import analyse

    lines = SEED.read_text(encoding="utf-8").split("\n")
    text, _, _ = analyse(Article(id="seed", title=lines[0], text="\n".join(lines[1:])))
    consult = next(e for e in events if e.event_type == "CONSULT")
    people = {x["form"]: x for x in consult.entities if x["type"] == "PERS"}
    assert people["سيرجي لافروف"]["role"] == "actor" and people["سيرجي لافروف"]["code"] == "RUSGOV"
    assert people["سوبرامانيام جايشانكار"]["role"] == "recipient"
    assert consult.recipient[0].name == "Subrahmanyam Jaishankar"
    assert any(x["type"] == "ORG" and x.get("code") == "SCO" for x in consult.entities)
    for e in events:
        for x in e.entities:
            assert text[x["start"]:x["end"]] == x["text"] and x["type"] in ("PERS", "ORG")
            assert e.text_info["start"] <= x["start"] < x["end"] <= e.text_info["end"]


def test_cli_jsonl_record_fields():
    out = subprocess.run([sys.executable, "-m", "waqai", "code", str(SEED)], capture_output=True, text=True, check=True)
    recs = [json.loads(x) for x in out.stdout.splitlines()]
    assert recs
    assert list(recs[0]) == ["id", "date", "date_precision", "event_type", "mode", "context", "actor", "recipient",
                             "event_loc", "cameo", "goldstein", "quad_class", "text", "text_info", "trigger",
                             "cite_info", "confidence", "coder", "entities"]
    for a in recs[0]["actor"]:
        assert {"code", "country", "sector", "entity_text"} <= set(a)
