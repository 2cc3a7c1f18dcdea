"""The `waqai` command."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from waqai import __version__


def _code(args) -> int:
    if args.engine == "ray":
        return _ray(args, fuse=False)
    if args.out or args.address:
        print("waqai: --out and --address go with --engine ray", file=sys.stderr)
        return 2
    from waqai.api import code_article
    from waqai.export import table, to_json
    from waqai.read import Problem, read_inputs

    ref = args.published or date.today()
    read = failed = 0
    out = sys.stdout
    for item in read_inputs(args.paths, args.text_column):
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


def _date_arg(value: str):
    """--published as a date (argparse rejects, with exit status 2, what is not one)."""
    from waqai.read import parse_date

    d = parse_date(value)
    if d is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)")
    return d


MAX_SHOWN = 20  # problems printed one by one; all of them are in the rejects table


def _ingest(args) -> int:
    if args.engine == "ray":
        if args.db:
            print("waqai: --engine ray writes Parquet shards to --out; load them with `waqai store --from DIR "
                  "--db FILE`", file=sys.stderr)
            return 2
        return _ray(args, fuse=True)
    args.db = args.db or "waqai.db"
    if args.out or args.address:
        print("waqai: --out and --address go with --engine ray", file=sys.stderr)
        return 2
    from rich.console import Console
    from rich.table import Table

    from waqai.ingest import ingest
    from waqai.store import StoreError

    ref = args.published
    if args.workers is not None and args.workers < 1:
        print("waqai: --workers must be at least 1", file=sys.stderr)
        return 2
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = None
    if console.is_terminal and not args.quiet:
        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                       TimeElapsedColumn(), console=console)
        task = bar.add_task("reading…", total=None, info="")
    shown = [0]

    def progress(s):
        if bar is not None:
            bar.update(task, description=f"{s.stored:,} articles",
                       info=f"{s.rate:,.0f}/s · {s.mentions:,} event reports · {s.duplicates:,} duplicates · "
                            f"{s.skipped:,} already stored · {s.rejects:,} rejected")

    def problem(origin, reason, fatal):
        shown[0] += 1
        if shown[0] <= MAX_SHOWN and not args.quiet:
            console.print(f"waqai: {origin}: {'' if fatal else 'warning: '}{reason}", markup=False, highlight=False,
                          soft_wrap=True)

    try:
        if bar is not None:
            bar.start()
        s = ingest(args.paths, args.db, workers=args.workers, reference=ref, text_column=args.text_column,
                   use_judge=not args.no_judge, progress=progress, on_problem=problem)
    except StoreError as e:
        print(f"waqai: {e}", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.stop()
    if shown[0] > MAX_SHOWN and not args.quiet:
        print(f"waqai: … and {shown[0] - MAX_SHOWN:,} more problems: `waqai stats --db {args.db}` lists them by reason",
              file=sys.stderr)
    t = Table(title=f"waqai ingest → {args.db}", show_header=False)
    for k, v in (("articles read", s.read), ("stored", s.stored), ("already stored (skipped)", s.skipped),
                 ("duplicates of an earlier article", s.duplicates), ("event reports", s.mentions),
                 ("rejected inputs", s.rejects), ("warnings", s.warnings), ("coding failures", s.failed),
                 ("fused: articles / event blocks", f"{s.fusion.get('articles', 0):,} / {s.fusion.get('blocks', 0):,}"),
                 ("seconds", f"{s.seconds:.1f}"), ("articles/s", f"{s.rate:,.1f}")):
        t.add_row(k, f"{v:,}" if isinstance(v, int) else v)
    Console(stderr=args.quiet).print(t) if not args.quiet else None
    if s.read == 0 and s.rejects:
        print("waqai: no input could be read", file=sys.stderr)
        return 1
    return 0


def _stats(args) -> int:
    import json

    store = _open_readonly(args.db)
    if store is None:
        return 1
    st = store.stats(top=args.top)
    store.close()
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    con = Console()
    t = Table(title=args.db, show_header=False)
    for k in ("articles", "duplicates", "duplicate_groups", "events", "mentions", "rejects", "warnings"):
        t.add_row(k, f"{st[k]:,}")
    t.add_row("published", " … ".join(x or "?" for x in st["published"]))
    t.add_row("event dates", " … ".join(x or "?" for x in st["event_dates"]))
    con.print(t)
    for title, rows, cols in (("event types", st["event_types"], ("event_type", "events")),
                              ("top dyads", st["top_dyads"], ("actor", "recipient", "events", "reports")),
                              ("people most named", st["top_people"], ("form", "name", "code", "events")),
                              ("organisations most named", st["top_organisations"], ("form", "name", "code", "events")),
                              ("reject reasons", st["reject_reasons"], ("reason", "count"))):
        if rows:
            t = Table(title=title)
            for c in cols:
                t.add_column(c)
            for r in rows:
                t.add_row(*(f"{r[c]:,}" if isinstance(r[c], int) else str(r[c] or "") for c in cols))
            con.print(t)
    return 0


def _open_readonly(db: str):
    """The database for reading, or None after a message saying why it cannot be."""
    from waqai.store import Store, StoreError

    try:
        return Store(db, readonly=True)
    except StoreError as e:
        print(f"waqai: {e}", file=sys.stderr)
        return None


def _dates(args) -> bool:
    """--since / --until as ISO dates (any form parse_date reads); False after a message if one is not."""
    from waqai.read import parse_date

    for name in ("since", "until"):
        v = getattr(args, name)
        if v:
            d = parse_date(v)
            if d is None:
                print(f"waqai: --{name} {v!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
                return False
            setattr(args, name, d.isoformat())
    return True


def _not_the_db(args) -> bool:
    """--out must not be the database (or its WAL files): an export never overwrites its source."""
    import os

    if not args.out or args.out == "-":
        return True
    for suffix in ("", "-wal", "-shm"):
        src = args.db + suffix
        if os.path.exists(src) and os.path.exists(args.out) and os.path.samefile(src, args.out):
            print(f"waqai: --out {args.out} is the database itself", file=sys.stderr)
            return False
    return True


def _export(args) -> int:
    import os
    import tempfile

    from waqai.export import export_db

    if not _dates(args) or not _not_the_db(args):
        return 2
    store = _open_readonly(args.db)
    if store is None:
        return 1
    binary = args.format == "parquet"
    try:
        if args.out == "-":
            if binary:
                print("waqai: Parquet cannot be written to stdout; give --out FILE", file=sys.stderr)
                return 2
            n = export_db(store, args.format, sys.stdout, args.since, args.until)
        else:
            # written next to the target and renamed: a failed export never leaves half a file
            folder = os.path.dirname(os.path.abspath(args.out))
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".waqai-export-")
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
            try:
                with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as f:
                    n = export_db(store, args.format, f, args.since, args.until)
                os.replace(tmp, args.out)
            except BaseException:
                os.unlink(tmp)
                raise
    except BrokenPipeError:
        raise
    except OSError as e:
        print(f"waqai: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"waqai: {n:,} events written to {args.out}", file=sys.stderr)
    return 0


def _serve(args) -> int:
    import uvicorn

    from waqai.store import StoreError
    from waqai.web.app import create_app

    try:
        app = create_app(args.db, cors_origins=args.cors_origin)
    except StoreError as e:
        print(f"waqai: {e}", file=sys.stderr)
        return 1
    print(f"waqai: serving {args.db} on http://{args.host}:{args.port}/ (dashboard) and /docs (API)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0


def _network(args) -> int:
    import json

    from waqai import analytics

    if not _dates(args) or not _not_the_db(args):
        return 2
    store = _open_readonly(args.db)
    if store is None:
        return 1
    try:
        net = analytics.network(store.db, args.since, args.until)
        if args.format == "graphml":
            text = analytics.graphml(net)
        else:
            net["polarity"] = analytics.polarity(store.db, args.since, args.until)
            text = json.dumps(net, ensure_ascii=False, indent=1)
    finally:
        store.close()
    if args.out and args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
    return 0


def _engine_options(p) -> None:
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this machine's cores; ray: a Ray cluster (pip install 'waqai[ray]')")
    p.add_argument("--address", help="with --engine ray: ray://HOST:PORT or auto to join a cluster (default: start "
                   "a local Ray)")
    p.add_argument("--out", help="with --engine ray: output folder of Parquet shards (required)")


def _ray(args, fuse: bool) -> int:
    import json

    if not args.out:
        print("waqai: --engine ray writes Parquet shards: give --out DIR", file=sys.stderr)
        return 2
    ref = args.published
    try:
        from waqai import ray_engine
        import ray  # noqa: F401
        import duckdb  # noqa: F401
    except ImportError as e:
        print(f"waqai: the Ray engine needs the ray extra: pip install 'waqai[ray]' ({e})", file=sys.stderr)
        return 2
    totals = ray_engine.run(args.paths, args.out, address=args.address, workers=args.workers, reference=ref,
                            text_column=args.text_column, use_judge=not args.no_judge, fuse=fuse,
                            progress=sys.stderr.isatty() and not args.quiet)
    print(json.dumps(totals), file=sys.stderr)
    return 0


def _store(args) -> int:
    from waqai.shards import load_store
    from waqai.store import StoreError

    try:
        got = load_store(args.source, args.db)
    except (FileNotFoundError, ValueError, StoreError) as e:
        print(f"waqai: {e}", file=sys.stderr)
        return 1
    print(f"waqai: {got['articles']:,} articles and {got['events']:,} events loaded into {args.db}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="waqai", description="Arabic news to PLOVER/CAMEO political event records.")
    p.add_argument("--version", action="version", version=f"waqai {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("code", help="code articles into event records")
    c.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .jsonl, .jsonl.gz, .html files, folders, or - for stdin")
    c.add_argument("--published", type=_date_arg, help="publication date YYYY-MM-DD of inputs that carry none (else relative "
                   "dates resolve against today and undated events get no date)")
    c.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    c.add_argument("--no-judge", action="store_true", help="rules only: keep every candidate the second-stage judge "
                   "would drop, and no speech acts (waqai.speech)")
    c.add_argument("--workers", type=int, default=None, help="with --engine ray: coding processes")
    c.add_argument("--text-column", default="text", help="the column of a .csv input that holds the text")
    c.add_argument("--quiet", action="store_true", help="with --engine ray: no progress")
    _engine_options(c)
    c.set_defaults(func=_code)

    so = sub.add_parser("store", help="load the Parquet output of the Ray engine into an event database")
    so.add_argument("--from", dest="source", required=True, metavar="DIR", help="the --out folder of `ingest --engine ray`")
    so.add_argument("--db", default="waqai.db")
    so.set_defaults(func=_store)

    i = sub.add_parser("ingest", help="code inputs into an event database (SQLite): duplicates, fusion, resumable")
    i.add_argument("paths", nargs="+", metavar="PATH",
                   help=".txt, .jsonl(.gz), .html, .warc(.gz), .csv files, folders, or - for stdin")
    i.add_argument("--db", help="database file (default ./waqai.db; created if missing; local engine only)")
    i.add_argument("--workers", type=int, default=None, help="coding processes (default: number of cores)")
    i.add_argument("--text-column", default="text", help="the column of a .csv input that holds the text")
    i.add_argument("--published", type=_date_arg, help="publication date YYYY-MM-DD of inputs that carry none (without it, "
                   "their relative dates stay unresolved and their events undated)")
    i.add_argument("--no-judge", action="store_true", help="rules only (see `waqai code --no-judge`)")
    i.add_argument("--quiet", action="store_true", help="no progress and no summary table")
    _engine_options(i)
    i.set_defaults(func=_ingest)

    st = sub.add_parser("stats", help="what an event database holds")
    st.add_argument("--db", default="waqai.db")
    st.add_argument("--json", action="store_true", help="print the figures as a JSON object")
    st.add_argument("--top", type=int, default=10, help="rows of the top-dyad and reason tables")
    st.set_defaults(func=_stats)

    ex = sub.add_parser("export", help="write the fused events of a database as PLOVER JSONL, CAMEO CSV or Parquet")
    ex.add_argument("--db", default="waqai.db")
    ex.add_argument("--format", choices=("plover", "cameo", "parquet"), required=True)
    ex.add_argument("--out", required=True, help="output file (- for stdout, except parquet)")
    ex.add_argument("--since", help="first event date, YYYY-MM-DD")
    ex.add_argument("--until", help="last event date, YYYY-MM-DD (inclusive)")
    ex.set_defaults(func=_export)

    sv = sub.add_parser("serve", help="the HTTP API and the dashboard over an event database (read-only)")
    sv.add_argument("--db", default="waqai.db")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                    help="allow cross-origin requests from this origin (repeatable; default: none)")
    sv.set_defaults(func=_serve)

    nw = sub.add_parser("network", help="the network of states: nodes, edges, blocs, polarity per month")
    nw.add_argument("--db", default="waqai.db")
    nw.add_argument("--since", help="first event date, YYYY-MM-DD")
    nw.add_argument("--until", help="last event date, YYYY-MM-DD (inclusive)")
    nw.add_argument("--format", choices=("json", "graphml"), default="json")
    nw.add_argument("--out", help="output file (default: stdout)")
    nw.set_defaults(func=_network)

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
    import sqlite3

    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except BrokenPipeError:
        return 0
    except sqlite3.Error as e:
        print(f"waqai: database {getattr(args, 'db', '')}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
