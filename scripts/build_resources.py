"""Derive the compact resources Waqai ships from the reference data in ../shared/data.

    python scripts/build_resources.py [--data ../shared/data]

Writes (each a small TSV, sorted, byte-identical on re-run):
  src/waqai/resources/ontology/cameo.tsv      CAMEO code, name, Goldstein score, PLOVER type/mode/context
  src/waqai/resources/actors/countries.tsv    ISO codes, English and Arabic names, nisba forms, capital, wikidata
  src/waqai/resources/places/gazetteer.tsv    countries, first-level regions and cities with Arabic names
  src/waqai/resources/arabic/common_words.txt  the 3,000 most frequent words of the news corpus
  src/waqai/resources/places/region_coords.tsv  coordinates and English names of first-level divisions
Sources and licences are listed in NOTICE. Hand-written tables (roles, organisations, metonyms,
countries_extra, regions_ar, cities_extra, triggers) are the team's own and are not touched here.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RES = ROOT / "src" / "waqai" / "resources"
sys.path.insert(0, str(ROOT / "src"))
from waqai.arabic.normalize import normalize  # noqa: E402

_ARABIC = re.compile(r"^[\u0600-\u06ff\s\-]+$")
# Countries whose every town in the city table is kept; elsewhere only towns of 15,000 people or more.
# Arabic names in the source tables that are wrong (a common word or a mistranslation): never shipped.
BAD_NAMES = {"ديك رومى", "ديك رومي", "يشيد", "الحبار", "قاعدة أم", "قسطنطين"}
MENA = set("DZ BH EG IQ IR IL JO KW LB LY MA MR OM PS QA SA SD SO SY TN TR AE YE DJ KM AF PK ER ET SS".split())


def write_tsv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted({tuple("" if v is None else str(v) for v in r) for r in rows})
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def build_cameo(data: Path) -> None:
    gold = {}
    for line in open(data / "ontology/CAMEO.goldsteinscale.txt", encoding="utf-8"):
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            gold[parts[0]] = float(parts[1])
    plover = {}
    for line in open(data / "ontology/CAMEO2PLOVER-2021.txt", encoding="utf-8"):
        m = re.match(r"^(\d+):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?", line)
        if m:
            plover[m.group(1)] = (m.group(2), (m.group(3) or "").strip(), (m.group(4) or "").strip())
    rows = []
    with open(data / "ontology/cameo_eventtypes.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["code"].strip()
            p = plover.get(code)
            if p is None:  # inherit from the nearest coded parent (e.g. 0211 -> 021 -> 02)
                for k in range(len(code) - 1, 1, -1):
                    if code[:k] in plover:
                        p = plover[code[:k]]
                        break
            g = gold.get(code, float(r["goldstein"]) if r["goldstein"] not in ("", "NULL", "NA") else 0.0)
            rows.append([code, r["name"].strip(), f"{g:.1f}", *(p or ("", "", ""))])
    write_tsv(RES / "ontology/cameo.tsv", ["code", "name", "goldstein", "plover_type", "plover_mode", "plover_context"], rows)


def build_countries(data: Path) -> dict[str, str]:
    """Country names and nisba forms; returns iso2 -> iso3 for the gazetteer."""
    nat = json.load(open(data / "gazetteer/nationalities.json", encoding="utf-8"))
    by_ar: dict[str, set[str]] = {}
    for v in nat.values():
        forms = {v.get(k, "") for k in ("male", "males", "female", "females")}
        by_ar.setdefault(normalize(v.get("ar", "")), set()).update(f for f in forms if f and " " not in f)
    rows, iso = [], {}
    with open(data / "gazetteer/countries.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            iso[r["iso2"]] = r["iso3"]
            names = {r["name_ar"].strip()} - BAD_NAMES - {""}
            if _ARABIC.match(r["native"] or "x") and len(r["native"]) < 40:
                names.add(r["native"].strip())
            nisbas = by_ar.get(normalize(r["name_ar"]), set())
            rows.append([r["iso3"], r["iso2"], r["name_en"], "|".join(sorted(names)), "|".join(sorted(nisbas)),
                         r["capital_en"], r["lat"][:8], r["lon"][:8], r["wikidata"]])
    write_tsv(RES / "actors/countries.tsv",
              ["iso3", "iso2", "name_en", "names_ar", "nisbas_ar", "capital_en", "lat", "lon", "wikidata"], rows)
    return iso


def corpus_counts(data: Path) -> tuple[list[str], Counter, Counter]:
    """Counts over the news corpus (normalised words):
    - the 20,000 most frequent words (article removed). A small town whose Arabic name is one of them
      (إطار، صور، الأمل) would turn ordinary prose into places: such names need country context unless
      the place is a capital or has at least 200,000 people;
    - for every reading of every word (conjunction, one preposition and the article peeled), how often it
      occurs, and how often right after a locative cue (في، من، إلى، قرب، مدينة…, waqai.where.CUES). A name
      that follows a cue in under 10% of its 50 or more occurrences is a word first (اسم "name" for the
      town Noun, واسطة "means", بندقية "rifle") or a club (ليفربول): such a town needs country context
      too, unless it is a capital or a Middle Eastern city of 500,000 people or more (دبي: datelines)."""
    import gzip

    from waqai.where import CUES

    freq: Counter = Counter()
    total: Counter = Counter()
    located: Counter = Counter()
    word = re.compile(r"[\u0621-\u064a]+")
    with gzip.open(data / "news/ant-2018.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            prev = ""
            for w in word.findall(json.loads(line).get("text", "")):
                freq[_key(w)] += 1
                n = normalize(w)
                for r in _readings(n):
                    total[r] += 1
                    if prev in CUES:
                        located[r] += 1
                prev = n
    return [w for w, _ in freq.most_common(20000)], total, located


def _readings(n: str) -> set[str]:
    out = {n}
    if len(n) > 3 and n[0] in "وف":
        out.add(n[1:])
    for x in list(out):
        if len(x) > 4 and x.startswith("لل"):
            out.add(x[2:])
        elif len(x) > 3 and x[0] in "بلك":
            out.add(x[1:])
    for x in list(out):
        if len(x) > 4 and x.startswith("ال"):
            out.add(x[2:])
    return out


def word_first(name: str, total: Counter, located: Counter) -> bool:
    k = _key(name)
    return " " not in name.strip() and total[k] >= 50 and located[k] < 0.1 * total[k]


def _key(w: str) -> str:
    w = normalize(w)
    for p in ("وال", "بال", "لل", "فال", "ال"):
        if w.startswith(p) and len(w) > len(p) + 2:
            return w[len(p):]
    return w


# First-level regions whose Arabic name is also an ordinary word or phrase part ("the capital", "the
# south", "the interior", "volcano", "gang"): a place only when the article's country context agrees.
GENERIC_REGION_NAMES = {"العاصمة", "عاصمة", "الجنوب", "جنوب", "شمال", "شمالي", "الشرقية", "الغربية", "الوسطى",
                        "الداخلية", "الجديدة", "الجزيرة", "الظاهرة", "البيضاء", "بركان", "صافي", "عصابة", "ميديا",
                        "زاوية", "بير", "قبلي", "فارس", "الكاف"}


def build_gazetteer(data: Path, iso: dict[str, str], common_list: list[str], total: Counter, located: Counter) -> None:
    """Countries, first-level regions with Arabic names (Arab states and neighbours) and every city with an
    Arabic name. `context` = 1 marks a name that counts as a place only when the article's country context
    agrees (a town of under 15,000 people outside the Middle East and North Africa, a town of under
    200,000 whose name is one of the corpus's 20,000 commonest words: إطار، صور، الأمل, a town or region
    whose name is a word first (see corpus_counts: اسم، واسطة), or a region named by a generic word:
    العاصمة)."""
    common = set(common_list)
    rows = []
    with open(data / "gazetteer/countries.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if not r["name_ar"].strip() or r["name_ar"].strip() in BAD_NAMES:
                continue
            rows.append([r["name_ar"], r["name_en"], r["iso3"], "", "country", 1, r["lat"][:7], r["lon"][:7], "",
                         r["wikidata"], 0])
    with open(data / "gazetteer/states.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            native = (r["native"] or "").strip()
            if native and _ARABIC.match(native) and r["country_code"] in MENA and native not in BAD_NAMES:
                # a region named by a generic word (العاصمة: Kuwait's Capital Governorate) needs context too
                context = native in GENERIC_REGION_NAMES
                rows.append([native, r["name"], iso.get(r["country_code"], ""), r["iso3166_2"], "region", 2,
                             (r["latitude"] or "")[:7], (r["longitude"] or "")[:7], "", r["wikiDataId"], int(context)])
    with open(data / "gazetteer/cities.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            name = (r["name_ar"] or "").strip()
            pop = int(float(r["population"] or 0))
            if not name or not _ARABIC.match(name) or len(normalize(name)) < 3 or name in BAD_NAMES:
                continue
            context = r["type"] != "capital" and (
                (pop < 15000 and r["country"] not in MENA)
                or (pop < 200000 and " " not in name and _key(name) in common)
                or (word_first(name, total, located) and (pop < 500000 or r["country"] not in MENA)))
            rows.append([name, r["name_en"], iso.get(r["country"], ""), r["state_code"], r["type"] or "city", 5,
                         r["lat"][:7], r["lon"][:7], pop, r["wikidata"], int(context)])
    write_tsv(RES / "places/gazetteer.tsv",
              ["name_ar", "name_en", "country", "admin1", "kind", "resolution", "lat", "lon", "population", "wikidata",
               "context"], rows)


def build_region_coords(data: Path) -> None:
    """Coordinates of first-level divisions, for the team's Arabic region names (regions_ar.tsv)."""
    rows = []
    with open(data / "gazetteer/states.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["iso3166_2"] and r["latitude"]:
                rows.append([r["iso3166_2"], r["name"], r["latitude"][:7], r["longitude"][:7]])
    write_tsv(RES / "places/region_coords.tsv", ["iso3166_2", "name_en", "lat", "lon"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    build_cameo(args.data)
    iso = build_countries(args.data)
    common, total, located = corpus_counts(args.data)
    build_gazetteer(args.data, iso, common, total, located)
    # The 3,000 most frequent words: a personal name does not continue into one of them with a clitic
    # attached (الوزير القطري بدور…), see actors.py.
    path = RES / "arabic/common_words.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(sorted(common[:3000])) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: 3000 words")
    build_region_coords(args.data)


if __name__ == "__main__":
    main()
