"""`waqai ner FILE [--input-format conll|text|jsonl]`: named entities of Arabic text.

conll  one token per line (a second column, if present, is ignored), blank line between sentences;
       prints `token TAG` per line with the input tokens kept exactly, and the blank lines.
text   the file is one document; prints one JSON object per entity:
       {"text", "type", "start", "end", "doc_id"} with character offsets into the file's text
       (the doc id is the file name, or "-" for standard input).
jsonl  one JSON object per line with "id" and "text"; one JSON object per entity as for text, offsets
       into that "text".

Bad input (missing file, binary data, a line that is not UTF-8, a malformed JSON line) is reported as
one line on standard error naming the input and the line; the rest is processed. Exit code 0, or 1
if any input error was reported (2 if the model cannot be loaded).
"""

from __future__ import annotations

import json
import os
import sys
from typing import BinaryIO, Iterator

FORMATS = ("text", "conll", "jsonl")
_SNIFF = 8192


def add_parser(subparsers):
    """Register the `ner` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "ner", help="tag named entities (PERS, LOC, ORG, MISC) in Arabic text",
        description=__doc__.split("\n\n")[0])
    p.add_argument("file", metavar="FILE", help="input file, or - for standard input")
    p.add_argument("--input-format", choices=FORMATS, default="text",
                   help="text (default): one document; jsonl: objects with id and text; "
                        "conll: one token per line, blank line between sentences")
    p.set_defaults(func=run)
    return p


class _Errors:
    def __init__(self, name: str):
        self.name = name
        self.count = 0

    def report(self, msg: str, line: int | None = None) -> None:
        self.count += 1
        where = f"{self.name}:{line}" if line is not None else self.name
        print(f"waqai ner: {where}: {msg}", file=sys.stderr)


def _lines(stream: BinaryIO, errors: _Errors) -> Iterator[tuple[int, str | None, bytes]]:
    """(line number, decoded line or None if it is not UTF-8, raw bytes). Keeps line ends."""
    for n, raw in enumerate(stream, 1):
        if b"\x00" in raw:
            errors.report("binary data (NUL byte), line skipped", n)
            yield n, None, raw
            continue
        try:
            yield n, raw.decode("utf-8"), raw
        except UnicodeDecodeError as e:
            errors.report(f"not valid UTF-8 (byte {e.start + 1}), line skipped", n)
            yield n, None, raw


def _open(path: str, errors: _Errors) -> BinaryIO | None:
    if path == "-":
        return sys.stdin.buffer
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        errors.report("no such file")
        return None
    except IsADirectoryError:
        errors.report("is a directory")
        return None
    except OSError as e:
        errors.report(f"cannot read ({e.strerror})")
        return None
    head = f.peek(_SNIFF)[:_SNIFF] if hasattr(f, "peek") else b""
    if b"\x00" in head:
        errors.report("binary file (NUL bytes), not text: skipped")
        f.close()
        return None
    return f


def run(args) -> int:
    """Run `waqai ner` for parsed arguments (attributes `file`, `input_format`)."""
    path = getattr(args, "file", "-")
    fmt = getattr(args, "input_format", None) or "text"
    name = "<stdin>" if path == "-" else str(path)
    errors = _Errors(name)
    stream = _open(str(path), errors)
    if stream is None:
        return 1
    try:
        from waqai.ner import load_tagger

        tagger = load_tagger()
    except (ImportError, OSError, RuntimeError, ValueError) as e:
        print(f"waqai ner: cannot load the NER model: {e}", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        if fmt == "conll":
            _run_conll(stream, tagger, errors, out)
        elif fmt == "jsonl":
            _run_jsonl(stream, tagger, errors, out)
        else:
            _run_text(stream, tagger, errors, out, "-" if path == "-" else str(path))
        out.flush()
    except BrokenPipeError:  # `waqai ner ... | head`: stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # the interpreter's flush at exit must not fail
        except (OSError, AttributeError, ValueError):
            pass
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return 1 if errors.count else 0


def _conll_token(line: str) -> str:
    """The first column of a CoNLL line: everything before the first space or tab."""
    for i, ch in enumerate(line):
        if ch == " " or ch == "\t":
            return line[:i]
    return line


def _run_conll(stream, tagger, errors, out) -> None:
    """Tokens and blank lines are kept as they are. A document-level model reads the whole file first:
    CoNLL files such as ANERcorp have no document boundaries, so each sentence's 'document' is the
    sentences within +-tagger.document_window of it (as in training)."""
    window = getattr(tagger, "document_window", None)
    pending: list[list[str] | None] = []  # sentences, None for a blank line
    sent: list[str] = []

    def write(sents: list[list[str] | None]) -> None:
        idx = [[i for i, t in enumerate(s) if t.strip()] for s in sents if s is not None]
        tagged = iter(tagger.tag_document([[s[i] for i in ix] for s, ix in
                                           zip((s for s in sents if s is not None), idx)], window=window))
        ix_iter = iter(idx)
        for s in sents:
            if s is None:
                out.write("\n")
                continue
            tags = ["O"] * len(s)
            for i, t in zip(next(ix_iter), next(tagged)):
                tags[i] = t
            out.write("".join(f"{tok} {tag}\n" for tok, tag in zip(s, tags)))

    def flush() -> None:
        if sent:
            pending.append(list(sent))
            sent.clear()
        if window is None:  # a sentence-level model: stream
            write(pending)
            pending.clear()

    for _, line, _ in _lines(stream, errors):
        if line is None:
            continue
        line = line.rstrip("\r\n")
        if not line.strip():
            flush()
            pending.append(None)
            if window is None:
                write(pending)
                pending.clear()
            continue
        sent.append(_conll_token(line))
    flush()
    write(pending)


def _run_text(stream, tagger, errors, out, doc_id: str) -> None:
    """The file is one document; offsets are characters from its start. A line that cannot be
    decoded counts as that many replacement characters (it is not tagged)."""
    base = 0
    dumps = json.dumps
    for _, line, raw in _lines(stream, errors):
        if line is None:
            base += len(raw.decode("utf-8", errors="replace"))
            continue
        if line.strip():
            for ent in tagger.entities(line):
                ent["start"] += base
                ent["end"] += base
                ent["doc_id"] = doc_id
                out.write(dumps(ent, ensure_ascii=False) + "\n")
        base += len(line)


def _run_jsonl(stream, tagger, errors, out) -> None:
    dumps = json.dumps
    for n, line, _ in _lines(stream, errors):
        if line is None or not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.report(f"malformed JSON ({e.msg} at column {e.colno}), line skipped", n)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            errors.report('not a JSON object with a string "text", line skipped', n)
            continue
        doc_id = obj.get("id")
        if doc_id is not None and not isinstance(doc_id, str):
            doc_id = str(doc_id)
        for ent in tagger.entities(obj["text"], doc_id=doc_id):
            out.write(dumps(ent, ensure_ascii=False) + "\n")
