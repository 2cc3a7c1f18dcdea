from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared/data is not available on this machine")
    return SHARED / "data"


@pytest.fixture(scope="session")
def event_db(tmp_path_factory) -> Path:
    """A small event database from the team's synthetic corpus (tests/corpus.py): 12 stories told by several
    outlets, and a few events of other types."""
    from corpus import write_corpus, write_other_news
    from waqai.cli import main

    folder = tmp_path_factory.mktemp("events")
    corpus = write_corpus(folder / "news", n_stories=12)
    other = write_other_news(folder / "other")
    db = folder / "events.db"
    assert main(["ingest", "--quiet", str(corpus["path"]), str(other), "--db", str(db), "--workers", "1"]) == 0
    return db
