"""WARC archives (.warc, .warc.gz): every HTML response becomes an Article, its main text extracted by
trafilatura, its URL from WARC-Target-URI and, where the page gives no date, its date from WARC-Date."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from waqai.model import Article
from waqai.read import MAX_LINE, Problem, decode, from_html, parse_date

_CHARSET = re.compile(r"charset=[\"']?([\w-]+)", re.I)


def read_warc(path: Path) -> Iterator[Article | Problem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as f:
        try:
            for record in ArchiveIterator(f):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{url or record.rec_headers.get_header('WARC-Record-ID')}"
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
                if "html" not in ctype.lower():
                    continue  # images, scripts, feeds: not articles
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if not str(status).startswith("2"):
                    continue  # redirects and errors carry no article
                data = record.content_stream().read(MAX_LINE + 1)
                if len(data) > MAX_LINE:
                    yield Problem(where, f"HTML payload over {MAX_LINE:,} bytes is too long")
                    continue
                yield from _page(data, ctype, url, record.rec_headers.get_header("WARC-Date"), where)
        except ArchiveLoadFailed as e:
            yield Problem(str(path), f"not a readable WARC archive: {e}")


def _page(data: bytes, ctype: str, url: str | None, warc_date: str | None, where: str) -> Iterator[Article | Problem]:
    m = _CHARSET.search(ctype)
    text = None
    if m and m.group(1).lower() not in ("utf-8", "utf8"):
        try:
            text = data.decode(m.group(1))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, problems = decode(data, where)
        yield from problems
        if text is None:
            return
    try:
        yield from_html(text, where, url=url, published=parse_date(warc_date))
    except ValueError as e:
        yield Problem(where, str(e))
