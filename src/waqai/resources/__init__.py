"""Resource files shipped with the package: read-only data, loaded once per process."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources as _res


def path(name: str):
    return _res.files(__name__).joinpath(name)


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict, ...]:
    """Rows of a TSV resource as dicts (header line first; lines starting with # are comments)."""
    text = path(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader)
