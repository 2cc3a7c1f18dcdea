"""CAMEO and PLOVER tables (resources/ontology/)."""

from __future__ import annotations

from functools import lru_cache

from waqai.resources import load_table


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, dict]:
    return {r["code"]: r for r in load_table("ontology/cameo.tsv")}


@lru_cache(maxsize=1)
def plover_table() -> dict[str, dict]:
    out = {}
    for r in load_table("ontology/plover.tsv"):
        out[r["event_type"]] = {"quad_class": int(r["quad_class"]), "score": float(r["score"]),
                                "modes": [m for m in r["modes"].split("|") if m],
                                "requires_recipient": r["requires_recipient"] == "yes"}
    return out


def cameo_info(code: str) -> dict | None:
    return cameo_table().get(code)


def plover_info(event_type: str) -> dict:
    return plover_table()[event_type]
