"""The Python API: code_text() for a piece of text, code_article() for a whole Article."""

from __future__ import annotations

from datetime import date

from waqai.model import Article, CodedArticle, Event
from waqai.pipeline import code_article as _code_article
from waqai.read import parse_date


def code_article(article: Article, reference: date | None = None, use_judge: bool = True) -> CodedArticle:
    """Code a whole article; relative dates resolve against its `published` date, else `reference`.
    `use_judge=False` turns the second-stage judge (see waqai.judge) off."""
    return _code_article(article, reference, use_judge)


def code_text(text: str, title: str | None = None, published: str | date | None = None,
              doc_id: str = "text", use_judge: bool = True) -> list[Event]:
    """Code Arabic text and return its events. `published` (ISO 8601 or RFC 2822) anchors relative dates;
    without it, relative dates resolve against today and records carry no publication date."""
    pub = parse_date(published) if published is not None else None
    art = Article(id=doc_id, text=text, title=title, published=pub)
    return _code_article(art, pub or date.today(), use_judge).events
