"""Place resolution against the gazetteer.

Places come from resources/places/gazetteer.tsv (derived by scripts/build_resources.py: countries,
first-level regions of the Arab states, every city with an Arabic name; small towns and towns named like
common words count only when the article's country context agrees), regions_ar.tsv and cities_extra.tsv
(the team's own tables). A name counts as a place only with a locative cue (في، إلى، من، قرب، the ب clitic,
or a place noun: مدينة، منتجع، محافظة، ولاية…) or as the article's dateline. Names shared by several
places are resolved by country context: a nisba right after the name (جوا الهندي), then the countries of
the sentence's actors, then the dateline country, then population.
"The capital" of a country (العاصمة الأردنية، عاصمة الأردن, or العاصمة after a cue in a sentence about one
country) is its capital city.
Resolution levels: 1 country, 2 first-level region, 5 city or town.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.lexicon import PhraseIndex, key, sentence_readings
from waqai.model import Place, Sentence
from waqai.resources import load_table, path

CUES = {normalize(w) for w in (
    "في الى إلى من قرب بالقرب شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي مدينة منتجع محافظة ولاية "
    "إقليم بلدة قرية العاصمة عاصمة مخيم حي منطقة جزيرة ضواحي أنحاء داخل خارج أطراف").split()}
CUE_KEYS = {key(w) for w in CUES}
STOP_NAMES = {key(w) for w in "الأمن السلام الوحدة النصر الحرية العدل الخير النور الأمل".split()}


@dataclass(frozen=True, slots=True)
class GazEntry:
    name_ar: str
    name_en: str
    country: str
    kind: str
    resolution: int
    lat: float | None
    lon: float | None
    population: int
    context: bool = False  # a place only when the article's country context agrees (small or word-like names)


def _f(s: str) -> float | None:
    try:
        return round(float(s), 4)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def iso2to3() -> dict[str, str]:
    return {r["iso2"]: r["iso3"] for r in load_table("actors/countries.tsv")}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[GazEntry, ...]:
    """The rows of places/gazetteer.tsv (read once: the place index and the capitals both use them)."""
    return tuple(GazEntry(r["name_ar"], r["name_en"], r["country"], r["kind"], int(r["resolution"]),
                          _f(r["lat"]), _f(r["lon"]), int(r["population"] or 0), r["context"] == "1")
                 for r in load_table("places/gazetteer.tsv"))


@lru_cache(maxsize=1)
def place_index() -> PhraseIndex:
    idx = PhraseIndex()
    entries: list[tuple[str, GazEntry]] = [(e.name_ar, e) for e in _gazetteer()]
    if path("places/regions_ar.tsv").is_file():
        for r in load_table("places/regions_ar.tsv"):
            iso = r["iso3166_2"]
            cc = iso2to3().get(iso.split("-")[0], "")
            lat, lon, name_en = _region_coords().get(iso, (None, None, iso))
            e = GazEntry(r["name_ar"], name_en, cc, "region", 2, lat, lon, 0)
            for n in [r["name_ar"], *r.get("variants", "").split("|")]:
                if n.strip():
                    entries.append((n, e))
    if path("places/cities_extra.tsv").is_file():
        for r in load_table("places/cities_extra.tsv"):
            e = GazEntry(r["name_ar"], r["name_en"], iso2to3().get(r["country_iso2"], ""), "city", 5,
                         _f(r["lat"]), _f(r["lon"]), int(float(r["population"] or 0)))
            for n in [r["name_ar"], *r.get("variants", "").split("|")]:
                if n.strip():
                    entries.append((n, e))
    for name, e in entries:
        if key(name.split()[0]) in STOP_NAMES and len(name.split()) == 1:
            continue
        idx.add_phrase(name, e)
    return idx


@lru_cache(maxsize=1)
def _region_coords() -> dict[str, tuple[float | None, float | None, str]]:
    return {r["iso3166_2"]: (_f(r["lat"]), _f(r["lon"]), r["name_en"]) for r in load_table("places/region_coords.tsv")}


def find_places(sentence: Sentence, context: list[str], dateline: bool = False) -> list[tuple[int, int, Place]]:
    """Places named with a locative cue in the sentence, most specific first, as (first token, last token
    including a nisba that qualifies the place (جوا الهندي), place)."""
    toks = sentence.tokens
    reads = sentence_readings(sentence)
    idx = place_index()
    out: list[tuple[int, int, Place]] = []
    i = 0
    while i < len(toks):
        cap = _capital_at(toks, reads, i, context)
        if cap is not None:
            out.append((-cap[1].resolution, i, cap[0], cap[1]))
            i = cap[0] + 1
            continue
        hits = idx.match_at(toks, reads, i)
        if not hits:
            i += 1
            continue
        h = hits[0]
        cued = ("ب" in h.prefix or (i > 0 and (bool(set(reads[i - 1]) & CUE_KEYS) or toks[i - 1].norm in CUES))
                or (dateline and i == 0))
        nisba_cc = _nisba_after(toks, reads, h.last) if cued else None
        cands = [x.payload for x in hits if (not x.payload.context or x.payload.country in context
                 or x.payload.country == nisba_cc) and _written_as_name(x)]
        if cued and cands:
            e = _disambiguate(cands, [nisba_cc] if nisba_cc else [], context)
            place = Place(toks[h.first].text if h.first == h.last else sentence.text[toks[h.first].start - sentence.start: toks[h.last].end - sentence.start],
                          e.name_en, e.country or None, e.lat, e.lon, e.resolution)
            clitics = h.prefix[:-2] if h.prefix.endswith("ال") else h.prefix  # keep the article: القاهرة
            if clitics:
                place.extracted_place = _strip_prefix(place.extracted_place, clitics)
            out.append((-e.resolution, i, h.last + (1 if nisba_cc else 0), place))
        i = h.last + 1
    out.sort(key=lambda x: (x[0], x[1]))
    return [(first, last, p) for _, first, last, p in out]


@lru_cache(maxsize=1)
def _capitals() -> dict[str, GazEntry]:
    out: dict[str, GazEntry] = {}
    for e in _gazetteer():
        if e.kind == "capital" and e.country and (e.country not in out or e.population > out[e.country].population):
            out[e.country] = e
    return out


def _capital_at(toks, reads, i, context: list[str]) -> tuple[int, Place] | None:
    """"The capital" as a place: العاصمة الأردنية، عاصمة الأردن, or, after a locative cue, العاصمة alone
    in a sentence about one country (…في الشارع الأردني، لاسيما في العاصمة): that country's capital."""
    from waqai.actors import actor_index

    if "عاصمه" not in reads[i]:
        return None
    last, cc = i, _nisba_after(toks, reads, i)
    if cc is not None:
        last = i + 1
    elif i + 1 < len(toks):
        nxt = [h for h in actor_index().match_at(toks, reads, i + 1) if h.payload.kind == "country"]
        if nxt:
            cc, last = nxt[0].payload.country, nxt[0].last
    if cc is None:
        cued = i > 0 and (bool(set(reads[i - 1]) & CUE_KEYS) or toks[i - 1].norm in CUES) or "ب" in toks[i].norm[:2]
        own = sorted(set(context))
        if not (cued and toks[i].norm.endswith("العاصمه") and len(own) == 1):
            return None
        cc = own[0]
    e = _capitals().get(cc)
    if e is None:
        return None
    return last, Place(toks[i].text if last == i else " ".join(t.text for t in toks[i:last + 1]), e.name_en, cc,
                       e.lat, e.lon, e.resolution)


def _written_as_name(h) -> bool:
    """A place name takes no pronoun suffix (بإيوائها is "by sheltering them", not Iwai), and a name with the
    article is written with it (بندقية is a rifle, البندقية Venice; للقاهرة keeps it as لل)."""
    if h.suffix:
        return False
    if h.payload.name_ar.startswith("ال") and "ال" not in h.prefix and not h.prefix.endswith("لل"):
        return False
    return True


def _strip_prefix(text: str, prefix: str) -> str:
    return text[len(prefix):] if normalize(text[: len(prefix)]) == prefix else text


def _nisba_after(toks, reads, last) -> str | None:
    from waqai.actors import actor_index

    if last + 1 >= len(toks):
        return None
    hits = actor_index().match_at(toks, reads, last + 1)
    for h in hits:
        if h.payload.kind == "nisba":
            return h.payload.country
    return None


def _disambiguate(cands: list[GazEntry], strong: list[str], context: list[str]) -> GazEntry:
    def score(e: GazEntry):
        return (e.country in strong, e.country in context, e.kind == "capital", e.resolution == 1,
                e.population, -e.resolution)

    return max(cands, key=score)
