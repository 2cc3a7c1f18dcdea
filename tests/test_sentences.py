"""At least 40 end-to-end sentences written by the team (tests/data/sentences.tsv)."""

import csv
from pathlib import Path

import pytest

from waqai import code_text

ROWS = [r for r in csv.DictReader(
    (ln for ln in (Path(__file__).parent / "data" / "sentences.tsv").read_text(encoding="utf-8").splitlines()
     if not ln.startswith("#")), delimiter="\t")]


def test_there_are_at_least_40_and_every_type_is_covered():
    from waqai.ontology import plover_table

    assert len(ROWS) >= 40
    assert set(plover_table()) <= {r["event_type"] for r in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[r["text"][:30] for r in ROWS])
def test_sentence(row):
    """Each row checks the rule stage (types, attribution, dates, and NONE: no event at all); the judge, a
    statistical filter whose borderline cases move with each retraining, is checked over all rows below."""
    events = code_text(row["text"], published=row["published"], use_judge=False)
    got = [(e.event_type, sorted({a.country for a in e.actor if a.country}),
            sorted({a.country for a in e.recipient if a.country}), e.date) for e in events]
    if row["event_type"] == "NONE":
        assert events == [], got
        return
    ok = [e for e in events if e.event_type == row["event_type"]]
    assert ok, got
    if row["actor"]:
        ok = [e for e in ok if row["actor"] in {a.country for a in e.actor}]
        assert ok, got
    if row["recipient"]:
        ok = [e for e in ok if row["recipient"] in {a.country for a in e.recipient}]
        assert ok, got
    if row["date"]:
        assert any(e.date == row["date"] for e in ok), got


def test_the_judge_keeps_most_sentence_rows():
    """The rows are plain news sentences: with the judge on, the great majority keep their event."""
    rows = [r for r in ROWS if r["event_type"] != "NONE"]
    kept = sum(any(e.event_type == r["event_type"] for e in code_text(r["text"], published=r["published"]))
               for r in rows)
    assert kept >= 0.85 * len(rows), f"{kept}/{len(rows)}"
