"""CSV files with one article per row: the text in `text_column`; `id`, `title`, `url`, `published` and
`source` columns are used where present."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from waqai.model import Article
from waqai.read import MAX_LINE, Problem, from_record

_FIELDS = ("id", "title", "url", "published", "source")


def read_csv(path: Path, text_column: str = "text") -> Iterator[Article | Problem]:
    csv.field_size_limit(MAX_LINE)
    with open(path, "rb") as raw:
        head = raw.read(65536)
        raw.seek(0)
        encoding = "utf-8-sig"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(head) - 4:  # not just a character cut at the end of the sample
                encoding = "windows-1256"
                yield Problem(str(path), "not UTF-8: decoded as windows-1256", fatal=False)
        if b"\x00" in head:
            yield Problem(str(path), "binary data, not text")
            return
        # a stray undecodable byte becomes U+FFFD in its record; it does not end the file
        f = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="replace")
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(str(path), "empty input")
            return
        except (csv.Error, UnicodeDecodeError) as e:
            yield Problem(str(path), f"unreadable CSV header: {e}")
            return
        if text_column not in header:
            yield Problem(str(path), f"no column {text_column!r} (columns: {', '.join(header)[:200]}); "
                          "choose one with --text-column")
            return
        cols = {name: header.index(name) for name in (text_column, *_FIELDS) if name in header}
        while True:
            # the origin is the line the record starts on (a quoted text may span lines)
            where = f"{path}:{reader.line_num + 1}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield Problem(where, f"malformed CSV row: {e}")
                continue
            except UnicodeDecodeError as e:
                yield Problem(where, f"undecodable bytes, rest of file not read: {e}")
                return
            if not row:
                continue
            obj = {name: row[i] for name, i in cols.items() if i < len(row)}
            obj["text"] = obj.pop(text_column, None) if text_column != "text" else obj.get("text")
            try:
                yield from_record(obj, where)
            except ValueError as e:
                yield Problem(where, str(e))
