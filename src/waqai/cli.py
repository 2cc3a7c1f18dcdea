"""The `waqai` command."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from waqai import __version__


def _code(args) -> int:
    from waqai.api import code_article
    from waqai.export import table, to_json
    from waqai.read import Problem, parse_date, read_inputs

    ref = date.today()
    if args.published:
        ref = parse_date(args.published)
        if ref is None:
            print(f"waqai: --published {args.published!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
            return 2
    read = failed = 0
    out = sys.stdout
    for item in read_inputs(args.paths):
        if isinstance(item, Problem):
            print(f"waqai: {item.origin}: {'warning: ' if not item.fatal else ''}{item.reason}", file=sys.stderr)
            failed += item.fatal
            continue
        read += 1
        if args.published and item.published is None:
            item.published = ref  # --published is the publication date of inputs that carry none
        try:
            coded = code_article(item, ref, use_judge=not args.no_judge)
        except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
            print(f"waqai: {item.origin or item.id}: coding failed: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        for w in coded.warnings:
            if not w.startswith("removed "):
                print(f"waqai: {item.origin or item.id}: warning: {w}", file=sys.stderr)
        if args.format == "table":
            table(coded.events)
        else:
            for e in coded.events:
                out.write(to_json(e) + "\n")
    out.flush()
    if read == 0:
        print("waqai: no input could be read", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="waqai", description="Arabic news to PLOVER/CAMEO political event records.")
    p.add_argument("--version", action="version", version=f"waqai {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("code", help="code articles into event records")
    c.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .jsonl, .jsonl.gz, .html files, folders, or - for stdin")
    c.add_argument("--published", help="publication date YYYY-MM-DD of inputs that carry none (else relative "
                   "dates resolve against today and undated events get no date)")
    c.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    c.add_argument("--no-judge", action="store_true", help="rules only: keep every candidate the second-stage judge would drop")
    c.set_defaults(func=_code)

    try:
        from waqai.ner import cli as ner_cli
    except ImportError:
        ner_cli = None
    if ner_cli is not None:
        ner_cli.add_parser(sub)

    try:
        from waqai import evaluate
    except ImportError:
        evaluate = None
    if evaluate is not None:
        evaluate.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
