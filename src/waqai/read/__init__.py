"""Readers: each input format yields Articles, and Problems for what could not be read.

A problem never stops a batch: it is reported (with the input's name and the reason) and reading goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterator

from waqai.model import Article

MAX_LINE = 20_000_000  # characters: longer lines are rejected, not read into memory whole
MAX_TEXT = 1_000_000  # characters of article text: a longer "article" is a dump, not news, and is refused
MAX_FILE = 100_000_000  # bytes of a .txt/.html file read whole


@dataclass
class Problem:
    origin: str
    reason: str
    fatal: bool = True  # False: a warning, the article was still read


def parse_date(value) -> date | None:
    """ISO 8601 (2023-05-04, 2023-05-04T10:00:00+03:00) or RFC 2822 (Thu, 04 May 2023 10:00:00 +0300)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    s = str(value).strip()
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None


def decode(data: bytes, origin: str) -> tuple[str | None, list[Problem]]:
    """UTF-8, else windows-1256 (with a warning); binary data is refused."""
    if not data.strip():
        return None, [Problem(origin, "empty input")]
    sample = data[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        return None, [Problem(origin, "binary data, not text")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # a few stray bytes in UTF-8 text are replaced, not taken for a whole file in another encoding
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(1, len(text) // 100):
        return text, [Problem(origin, f"{bad} byte sequence(s) that are not UTF-8 replaced by U+FFFD", fatal=False)]
    try:
        text = data.decode("windows-1256")
    except UnicodeDecodeError:
        return None, [Problem(origin, "not UTF-8 and not windows-1256 text")]
    return text, [Problem(origin, "not UTF-8: decoded as windows-1256", fatal=False)]


def _doc_id(origin: str, text: str, url: str | None = None) -> str:
    """An article without an id of its own is known by its content (and URL, for web pages): reading the same
    input twice gives the same id, wherever the file lies."""
    key = f"{url}\n{text}" if url else text
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _check_size(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise ValueError(f"article text of {len(text):,} characters is too long (limit {MAX_TEXT:,})")


def from_txt(text: str, origin: str, doc_id: str | None = None) -> Article:
    _check_size(text)
    lines = text.replace("\r\n", "\n").split("\n")
    k = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    title = lines[k].strip() if lines else None
    body = "\n".join(lines[k + 1:])
    return Article(id=doc_id or _doc_id(origin, text), text=body, title=title, origin=origin)


def from_record(obj: dict, origin: str) -> Article:
    if not isinstance(obj, dict):
        raise ValueError("a JSON line must be an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text'")
    _check_size(text)
    fields = {}
    for k in ("id", "title", "url", "source"):
        v = obj.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and k == "id":
            v = str(v)
        if v is not None and not isinstance(v, str):
            raise ValueError(f"'{k}' must be a string, not {type(v).__name__}")
        fields[k] = v or None
    for k, v in (("text", text), *fields.items()):
        if v is not None and not _encodable(v):
            raise ValueError(f"'{k}' holds invalid Unicode (a lone surrogate)")
    published = obj.get("published")
    pub = parse_date(published) if isinstance(published, (str, type(None))) else None
    if published and pub is None:
        raise ValueError(f"unreadable 'published' date: {str(published)[:40]!r}")
    return Article(id=fields["id"] or _doc_id(origin, text, fields["url"]), text=text, title=fields["title"],
                   published=pub, url=fields["url"], source=fields["source"], origin=origin)


def _encodable(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def from_html(html: str, origin: str, url: str | None = None, published: date | None = None) -> Article:
    """The main text of a web page (trafilatura); `url` and `published` (e.g. from a WARC record) are used
    where the page itself does not say."""
    import trafilatura

    if len(html) > MAX_LINE:
        raise ValueError(f"HTML page of {len(html):,} characters is too long (limit {MAX_LINE:,})")
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None:
        raise ValueError("no main text found in the HTML")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = get("text") or ""
    if not text.strip():
        raise ValueError("no main text found in the HTML")
    _check_size(text)
    url = url or get("url")
    return Article(id=_doc_id(origin, text, url), text=text, title=get("title"),
                   published=parse_date(get("date")) or published, url=url,
                   source=get("sitename") or get("hostname"), origin=origin)


def _jsonl_lines(stream: Iterator[bytes], origin: str) -> Iterator[Article | Problem]:
    for n, raw in enumerate(stream, 1):
        where = f"{origin}:{n}"
        if isinstance(raw, int) or len(raw) > MAX_LINE:
            size = raw if isinstance(raw, int) else len(raw)
            yield Problem(where, f"line of {size:,} bytes is too long (limit {MAX_LINE:,})")
            continue
        if not raw.strip():
            continue
        text, problems = decode(raw, where)
        yield from problems
        if text is None:
            continue
        try:
            yield from_record(json.loads(text), where)
        except (json.JSONDecodeError, ValueError) as e:
            yield Problem(where, f"malformed JSON line: {e}")


def _bounded_lines(f) -> Iterator[bytes | int]:
    """Lines of a binary stream; an overlong line is skipped and yielded as its size (an int)."""
    while True:
        line = f.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            size = len(line)
            while True:
                more = f.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield size
            continue
        yield line


def read_path(p: str, text_column: str = "text") -> Iterator[Article | Problem]:
    if p == "-":
        data = sys.stdin.buffer.read()
        yield from read_bytes(data, "<stdin>")
        return
    path = Path(p)
    if path.is_dir():
        for child in walk(path):
            if isinstance(child, Problem):
                yield child
            else:
                yield from read_path(child, text_column)
        return
    try:
        kind = _kind(path.name) or "txt"
        if kind in ("warc", "warc.gz"):
            from waqai.read.warc import read_warc

            yield from read_warc(path)
            return
        if kind == "csv":
            from waqai.read.table import read_csv

            yield from read_csv(path, text_column)
            return
        if kind in ("jsonl", "jsonl.gz"):
            opener = gzip.open if kind == "jsonl.gz" else open
            with opener(path, "rb") as f:
                yield from _jsonl_lines(_bounded_lines(f), str(path))
            return
        if path.stat().st_size > MAX_FILE:
            yield Problem(str(path), f"file of {path.stat().st_size:,} bytes is too large (limit {MAX_FILE:,})")
            return
        data = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Problem(str(path), f"cannot read: {e.strerror if isinstance(e, OSError) and e.strerror else e}")
        return
    except Exception as e:  # noqa: BLE001 - whatever a damaged file does, the other inputs are still read
        yield Problem(str(path), f"cannot read: {type(e).__name__}: {e}")
        return
    yield from read_bytes(data, str(path), kind)


def walk(folder: Path) -> Iterator[str | Problem]:
    """The input files of a folder, recursively and in name order; hidden files and folders (.git,
    .DS_Store) are skipped, a file of another kind is a Problem."""
    for child in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in child.relative_to(folder).parts) or not child.is_file():
            continue
        if _kind(child.name):
            yield str(child)
        else:
            yield Problem(str(child), f"not a supported input (expected {', '.join(SUFFIXES)})")


SUFFIXES = ("jsonl.gz", "jsonl", "warc.gz", "warc", "csv", "html", "htm", "txt")


def _kind(name: str) -> str | None:
    n = name.lower()
    for k in SUFFIXES:
        if n.endswith("." + k):
            return "html" if k == "htm" else k
    return None


def read_bytes(data: bytes, origin: str, kind: str | None = None) -> Iterator[Article | Problem]:
    head = data.lstrip()[:1]
    if kind is None:  # stdin: sniff
        kind = "jsonl" if head == b"{" else "html" if head == b"<" else "txt"
    if kind == "jsonl":
        yield from _jsonl_lines(_bounded_lines(io.BytesIO(data)), origin)
        return
    text, problems = decode(data, origin)
    yield from problems
    if text is None:
        return
    try:
        yield from_html(text, origin) if kind == "html" else from_txt(text, origin)
    except ValueError as e:
        yield Problem(origin, str(e))


def read_inputs(paths: list[str], text_column: str = "text") -> Iterator[Article | Problem]:
    for p in paths:
        yield from read_path(p, text_column)
