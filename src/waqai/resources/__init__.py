"""Resource files shipped with the package: read-only data, loaded once per process."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources as _res


def path(name: str):
    return _res.files(__name__).joinpath(name)


def read_rows(name: str, header: list[str]) -> list[list[str]]:
    """The lines of a large TSV resource (a model's weights) split into fields, after a header that must be
    `header`: read directly, not through the cached load_table, whose row dict per line would hold ~100k
    dicts."""
    with path(name).open(encoding="utf-8") as f:
        if f.readline().rstrip("\n").split("\t") != header:
            raise ValueError(f"{name}: the header must be '{'<TAB>'.join(header)}'")
        return [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]


def role_weights(name: str) -> dict[str, dict[str, float]] | None:
    """A party model's weights (`role<TAB>feature<TAB>weight` rows: waqai.speech's and waqai.parties') as
    role -> feature -> weight; None when the file is not shipped (the coder then keeps its rules)."""
    if not path(name).is_file():
        return None
    weights: dict[str, dict[str, float]] = {}
    for role, feature, weight in read_rows(name, ["role", "feature", "weight"]):
        weights.setdefault(role, {})[feature] = float(weight)
    return weights


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict, ...]:
    """Rows of a TSV resource as dicts (header line first; lines starting with # are comments)."""
    text = path(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader)
