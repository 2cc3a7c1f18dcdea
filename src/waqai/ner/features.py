"""Token features for the NER sequence tagger, shared by training (scripts/train_ner.py) and tagging.

A token's features are strings (CRFsuite attributes). Everything that depends on the word alone (its
normalised form, clitic-stripped core, affixes, shape, word clusters) is computed once per word type
and cached, with the copies seen from the neighbouring positions (``w[-1]=...``) prepared at the same
time; a sentence then only concatenates cached lists and adds the few features that need context
(word bigrams, multi-word gazetteer matches). This is what makes tagging fast in pure Python.

The feature set is selected by a ``config`` dict that is saved with the model (``meta.json``), so the
tagger always extracts exactly the features the model was trained with.
"""

from __future__ import annotations

import gzip
import io
from typing import Iterable, Sequence

from waqai.arabic import normalize

# Bump when the meaning of a feature changes: a model records the version it was trained with.
FEATURE_VERSION = 2

# Sentences whose features are fingerprinted into meta.json at training time: if the features of the
# same sentences differ at run time (e.g. waqai.arabic.normalize changed), the model is stale.
PROBE = (
    "وقال الرئيس الأمريكي دونالد ترامب للصحفيين في واشنطن إن الولايات المتحدة ستنسحب من الاتفاق .",
    "وأعلنت وزارة الخارجية الفرنسية أن الوزير جان إيف لودريان سيزور بغداد والقاهرة وبيروت الأسبوع المقبل .",
    "سجل ليونيل ميسي هدفين لبرشلونة في مرمى ريال مدريد ( أ ف ب ) 2018 ، وفاز الفريق 3-1 .",
    "The BBC reported 12.5% growth in Jordan's economy ; نقلا عن مصادر في الأمم المتحدة .",
)

DEFAULT_CONFIG: dict = {
    "window": 2,  # context words at -window..+window
    "affixes": True,  # prefixes/suffixes of the word and of its clitic-stripped core
    "clusters": True,  # word-cluster ids at three granularities (from the unlabeled news corpus)
    "gazetteer": True,  # membership in the shipped place / nationality word list
    "bigrams": True,  # word bigrams (-1,0) and (0,+1)
    "ctx_clusters": True,  # cluster ids of the neighbours at -1 and +1
    "ctx_clusters2": False,  # ... and at -2 and +2
    "cluster_columns": 3,  # how many columns of the cluster table to use (coarse to fine, then others)
    "autolex": False,  # the entity type a first-stage tagger gives the word across the news corpus
    "affixes4": False,  # also 4-letter prefixes/suffixes and the core's 3-letter prefix / 4-letter suffix
}

_CONJ = "وف"
_PREP = "بلك"
_ARABIC_LO, _ARABIC_HI = "\u0600", "\u06ff"
_PUNCT_SHAPES = {"،": ",", "؛": ";", "؟": "?"}


def readings(norm: str) -> tuple[str, ...]:
    """The word and its readings with proclitics peeled (و/ف, then ب/ل/ك or لل, then ال), for the
    gazetteer look-up: وبمصر -> (وبمصر, بمصر, مصر), للولايات -> (للولايات, الولايات, ولايات).

    Deliberately local and frozen with FEATURE_VERSION (unlike waqai.arabic.stems, which the lexicons
    tune): a trained model must see at run time exactly the features it was trained with.
    """
    bases = [norm]
    if len(norm) > 2 and norm[0] in _CONJ:
        bases.append(norm[1:])
    for b in list(bases):
        if len(b) > 3 and b.startswith("لل"):
            bases.append("ال" + b[2:])
        elif len(b) > 2 and b[0] in _PREP:
            bases.append(b[1:])
    for b in list(bases):
        if len(b) > 3 and b.startswith("ال"):
            bases.append(b[2:])
    out: list[str] = []
    for b in bases:
        if len(b) >= 2 and b not in out:
            out.append(b)
    return tuple(out)


def core_of(norm: str) -> tuple[str, str]:
    """Split proclitics (و/ف, ب/ل/ك, ال) off a normalised word: returns (proclitics, core).

    Conservative: a core keeps at least two letters; ``لل`` is read as ل + ال.
    """
    pro = ""
    w = norm
    if len(w) > 3 and w[0] in _CONJ:
        pro += w[0]
        w = w[1:]
    if len(w) > 3 and w.startswith("لل"):
        return pro + "لل", w[2:]
    if len(w) > 3 and w[0] in _PREP and w[1:3] == "ال":
        pro += w[0]
        w = w[1:]
    if len(w) > 3 and w.startswith("ال"):
        pro += "ال"
        w = w[2:]
    return pro, w


def shape_of(tok: str) -> str:
    """A coarse orthographic class of the raw token."""
    if not tok:
        return "empty"
    c = tok[0]
    if len(tok) == 1 and not c.isalnum():
        return "p" + _PUNCT_SHAPES.get(tok, tok)
    if _ARABIC_LO <= c <= _ARABIC_HI:
        if tok.isalpha() or all(_ARABIC_LO <= ch <= _ARABIC_HI for ch in tok):
            return "ar"
        return "armix"
    if c.isdigit():
        return "num" if all(ch.isdigit() for ch in tok) else "nummix"
    if c.isalpha():
        if tok.isupper():
            return "LAT"
        if c.isupper():
            return "Lat"
        return "lat"
    return "sym"


def _len_bucket(n: int) -> str:
    return str(n) if n <= 4 else ("5-6" if n <= 6 else "7+")


class Resources:
    """The compact tables the features read: word clusters and the gazetteer."""

    def __init__(self, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, list[tuple[tuple[str, ...], str]]] | None = None,
                 autolex: dict[str, str] | None = None):
        self.clusters = clusters or {}
        self.autolex = autolex or {}  # normalised word -> e.g. "PERS:hi"
        # first word -> [(rest of the name, type), ...], longest first
        self.gazetteer = gazetteer or {}

    @staticmethod
    def read_clusters(data: bytes) -> dict[str, tuple[str, ...]]:
        """`word TAB id TAB id ...` per line (gzip); ids of several clusterings, coarse to fine."""
        table = {}
        with gzip.open(io.BytesIO(data), "rt", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    table[parts[0]] = tuple(parts[1:])
        return table

    @staticmethod
    def read_autolex(data: bytes) -> dict[str, str]:
        """`word TAB class` per line (gzip)."""
        table = {}
        with gzip.open(io.BytesIO(data), "rt", encoding="utf-8") as f:
            for line in f:
                w, _, c = line.rstrip("\n").partition("\t")
                if c:
                    table[w] = c
        return table

    @staticmethod
    def read_gazetteer(text: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        gaz: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            name, _, typ = line.partition("\t")
            words = name.split(" ")
            gaz.setdefault(words[0], []).append((tuple(words[1:]), typ))
        for v in gaz.values():
            v.sort(key=lambda e: (-len(e[0]), e))
        return gaz


class FeatureExtractor:
    """Turns a sentence (list of raw tokens) into a list of attribute lists."""

    def __init__(self, resources: Resources, config: dict | None = None,
                 known: set[str] | None = None):
        self.res = resources
        self.cfg = dict(DEFAULT_CONFIG)
        if config:
            self.cfg.update(config)
        self.window = int(self.cfg["window"])
        self.known = known  # if given, attributes the model does not know are dropped (speed)
        self._cache: dict[str, tuple] = {}
        self._offsets = [o for o in range(-self.window, self.window + 1) if o]
        self.ncols = int(self.cfg["cluster_columns"])

    # -- per word type ---------------------------------------------------------------------------
    def _type_feats(self, tok: str) -> tuple:
        """(norm, gazetteer readings, own features, {offset: features seen from a neighbour})."""
        norm = normalize(tok)
        pro, core = core_of(norm)
        cfg = self.cfg
        own = ["b", "w=" + norm, "sh=" + shape_of(tok), "len=" + _len_bucket(len(norm))]
        if core != norm:
            own.append("c=" + core)
        own.append("pro=" + pro)
        if cfg["affixes"]:
            own += ["p2=" + norm[:2], "p3=" + norm[:3], "s1=" + norm[-1:], "s2=" + norm[-2:],
                    "s3=" + norm[-3:], "cp2=" + core[:2], "cs2=" + core[-2:], "cs3=" + core[-3:]]
            if tok.endswith("ة"):
                own.append("ta")
            if cfg["affixes4"] and len(norm) > 4:
                own += ["p4=" + norm[:4], "s4=" + norm[-4:], "cp3=" + core[:3], "cs4=" + core[-4:]]
        kl = None
        if cfg["clusters"]:
            kl = self.res.clusters.get(norm)
            if kl is None and core != norm:
                kl = self.res.clusters.get(core)
                if kl is not None:
                    own.append("kc")
            if kl is None:
                own.append("k=none")
            else:
                own += ["k%d=%s" % (i + 1, kl[i]) for i in range(min(len(kl), self.ncols))]
        al = None
        if cfg["autolex"]:
            al = self.res.autolex.get(norm)
            if al is None and core != norm:
                al = self.res.autolex.get(core)
            own.append("al=" + (al or "none"))
        ctx = {}
        for o in self._offsets:
            p = "[%+d]" % o
            f = ["w%s=%s" % (p, norm)]
            if abs(o) == 1:
                f.append("c%s=%s" % (p, core))
                f.append("sh%s=%s" % (p, shape_of(tok)))
                if cfg["affixes"]:
                    f.append("s2%s=%s" % (p, norm[-2:]))
                if cfg["clusters"] and cfg["ctx_clusters"]:
                    f.append("k2%s=%s" % (p, kl[1] if kl else "none"))
                    f.append("k3%s=%s" % (p, kl[2] if kl else "none"))
                if cfg["autolex"]:
                    f.append("al%s=%s" % (p, al or "none"))
            elif cfg["clusters"] and cfg["ctx_clusters2"]:
                f.append("k2%s=%s" % (p, kl[1] if kl else "none"))
            ctx[o] = self._filter(f)
        st = readings(norm) if cfg["gazetteer"] else ()
        return norm, st, self._filter(own), ctx

    def _filter(self, feats: list[str]) -> list[str]:
        if self.known is None:
            return feats
        return [f for f in feats if f in self.known]

    def _get(self, tok: str) -> tuple:
        t = self._cache.get(tok)
        if t is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            t = self._cache[tok] = self._type_feats(tok)
        return t

    # -- per sentence ----------------------------------------------------------------------------
    def gazetteer_tags(self, infos: Sequence[tuple]) -> list[str | None]:
        """Longest-match gazetteer look-up over the sentence: 'TYPE-B' / 'TYPE-I' per token."""
        n = len(infos)
        out: list[str | None] = [None] * n
        gaz = self.res.gazetteer
        i = 0
        while i < n:
            matched = 0
            for st in infos[i][1]:
                entries = gaz.get(st)
                if not entries:
                    continue
                for rest, typ in entries:
                    k = len(rest)
                    if i + k < n and all(rest[j] == infos[i + 1 + j][0] for j in range(k)):
                        out[i] = typ + "-B"
                        for j in range(1, k + 1):
                            out[i + j] = typ + "-I"
                        matched = k + 1
                        break
                if matched:
                    break
            i += matched or 1
        return out

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        infos = [self._get(t) for t in tokens]
        n = len(infos)
        cfg = self.cfg
        gz = self.gazetteer_tags(infos) if cfg["gazetteer"] else [None] * n
        out = []
        for i, info in enumerate(infos):
            f = list(info[2])
            for o in self._offsets:
                j = i + o
                if 0 <= j < n:
                    f += infos[j][3][o]
                elif j == -1 or j == n:
                    f.append("BOS" if j < 0 else "EOS")
            if cfg["bigrams"]:
                prev = infos[i - 1][0] if i > 0 else "<s>"
                nxt = infos[i + 1][0] if i + 1 < n else "</s>"
                f.append("bg-=" + prev + "|" + info[0])
                f.append("bg+=" + info[0] + "|" + nxt)
            if gz[i] is not None:
                f.append("g=" + gz[i])
            if i > 0 and gz[i - 1] is not None:
                f.append("g[-1]=" + gz[i - 1])
            if i + 1 < n and gz[i + 1] is not None:
                f.append("g[+1]=" + gz[i + 1])
            out.append(f)
        return out

    def sentences(self, sents: Iterable[Sequence[str]]) -> list[list[list[str]]]:
        return [self.sentence(s) for s in sents]

    def fingerprint(self) -> str:
        """A hash of the features of the PROBE sentences (tokenised by white space)."""
        import hashlib

        h = hashlib.sha256()
        for sent in PROBE:
            for feats in self.sentence(sent.split(" ")):
                h.update("\x1f".join(sorted(feats)).encode("utf-8") + b"\x1e")
        return h.hexdigest()[:16]


# -- entity subtypes (NewsFANE's fine classes) ---------------------------------------------------------
def span_features(fx: FeatureExtractor, tokens: Sequence[str], first: int, last: int, typ: str) -> list[str]:
    """Features of an entity span for the subtype classifier: its words, their cores and clusters, the
    words around it. `typ` is the coarse type (PERS/LOC/ORG/MISC)."""
    infos = [fx._get(t) for t in tokens[max(0, first - 2): last + 3]]
    off = max(0, first - 2)
    f = ["T=" + typ]
    clusters = fx.res.clusters
    for k in range(first, last + 1):
        norm = infos[k - off][0]
        core = core_of(norm)[1]
        f += ["sw=" + norm, "sc=" + core]
        kl = clusters.get(norm) or clusters.get(core)
        if kl:
            f += ["sk2=" + kl[1], "sk3=" + kl[2]]
    f.append("first=" + infos[first - off][0])
    f.append("last=" + infos[last - off][0])
    for name, j in (("l1", first - 1), ("l2", first - 2), ("r1", last + 1), ("r2", last + 2)):
        if 0 <= j < len(tokens):
            norm = infos[j - off][0]
            core = core_of(norm)[1]
            f += [name + "=" + core]
            kl = clusters.get(norm) or clusters.get(core)
            if kl and name in ("l1", "r1"):
                f.append(name + "k2=" + kl[1])
        else:
            f.append(name + "=<none>")
    return f
