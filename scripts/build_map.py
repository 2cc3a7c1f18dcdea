"""Build the dashboard's world map, src/waqai/web/static/world.json, from Natural Earth outlines.

    pip install -e ".[build]"    # pycountry, only needed to run this script
    python scripts/build_map.py

Downloads the npm package world-atlas@2.0.2 with `npm pack` into a temporary folder (only when a
developer re-runs this script; the dashboard never fetches anything), reads countries-110m.json
(TopoJSON) from the tarball, decodes it here (quantized, delta-encoded arcs), projects it
equirectangularly into the SVG viewBox 0 0 360 180 (x = lon + 180, y = 90 - lat) and writes
{"source", "viewBox", "countries": [{"iso3", "name", "d"}]} sorted by iso3. Output is
byte-identical on re-run.

Licences: Natural Earth data is in the public domain; the world-atlas package is ISC-licensed.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "waqai" / "web" / "static" / "world.json"
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-110m.json"

# Features that carry no ISO numeric id in world-atlas. They follow the codes Waqai's actor tables
# use (resources/actors/countries.tsv, countries_extra.tsv): Kosovo has the user-assigned XKX,
# Northern Cyprus and Somaliland have no code of their own and are drawn as part of CYP and SOM.
NO_ID = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}


def fetch_topology() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as tar:
            return json.load(tar.extractfile(MEMBER))


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (undo delta encoding, then the quantization transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """Stitch a ring from arc indexes; ~i (a negative index) is arc i reversed."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)  # each arc starts where the previous one ended
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def unwrap(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Rings that cross the antimeridian (Fiji, Chukotka) jump between -180 and 180 longitude; make
    them continuous and add a copy shifted by 360 degrees so that both map edges show their part
    (the SVG viewport clips the rest). A ring around the pole (Antarctica) is left as it is."""
    out = [points[0]]
    shift = 0.0
    for (lon0, _), (lon, lat) in itertools.pairwise(points):
        if lon - lon0 > 180:
            shift -= 360
        elif lon0 - lon > 180:
            shift += 360
        out.append((lon + shift, lat))
    if abs(out[-1][0] - out[0][0]) > 180:
        return [points]
    low, high = min(p[0] for p in out), max(p[0] for p in out)
    copies = [out]
    if low < -180:
        copies.append([(lon + 360, lat) for lon, lat in out])
    if high > 180:
        copies.append([(lon - 360, lat) for lon, lat in out])
    return copies


def path_of(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data, equirectangular, 1 decimal, repeated points and degenerate rings dropped."""
    parts = []
    for points in (copy for r in rings for copy in unwrap(r)):
        projected: list[tuple[float, float]] = []
        for lon, lat in points:
            p = (round(lon + 180, 1), round(90 - lat, 1))
            if not projected or p != projected[-1]:
                projected.append(p)
        if len(projected) > 1 and projected[-1] == projected[0]:
            projected.pop()  # Z closes the ring
        if len(projected) < 3:
            continue
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in projected) + "Z")
    return "".join(parts)


def iso3_of(feature: dict) -> tuple[str, str]:
    name = feature.get("properties", {}).get("name", "")
    if "id" not in feature:
        return NO_ID.get(name, ""), name
    country = pycountry.countries.get(numeric=str(feature["id"]).zfill(3))
    return (country.alpha_3, name) if country else ("", name)


def main() -> None:
    topology = fetch_topology()
    arcs = decode_arcs(topology)
    rings: dict[str, list] = {}
    names: dict[str, str] = {}
    for feature in topology["objects"]["countries"]["geometries"]:
        iso3, name = iso3_of(feature)
        if not iso3:
            print(f"skipped (no ISO code): {name!r}")
            continue
        if iso3 not in names or "id" in feature:
            names[iso3] = name  # a country's own name wins over a merged part's
        for polygon in polygons(feature):
            rings.setdefault(iso3, []).extend(ring(r, arcs) for r in polygon)
    countries = [{"iso3": c, "name": names[c], "d": path_of(rings[c])} for c in sorted(rings)]
    countries = [c for c in countries if c["d"]]
    data = {"source": "Natural Earth 1:110m via world-atlas 2.0.2", "viewBox": "0 0 360 180", "countries": countries}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
