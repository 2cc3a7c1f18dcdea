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
        for k in gaz:  # tuples: nothing here for the garbage collector to scan
            gaz[k] = tuple(gaz[k])
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
        # what a position shows its neighbours is a tuple indexed by the offset (t[-1] is what the token
        # to the right sees of it); outside the sentence, the first position shows BOS / EOS
        empty = ((),) * (2 * self.window + 1)
        self._pad_left = [empty] * (self.window - 1) + [(("BOS",),) * (2 * self.window + 1)]
        self._pad_right = [(("EOS",),) * (2 * self.window + 1)] + [empty] * (self.window - 1)

    # -- per word type ---------------------------------------------------------------------------
    def _type_feats(self, tok: str) -> tuple:
        """(norm, gazetteer entries of its readings, own features, {offset: features seen from a
        neighbour}, doc_key)."""
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
        ctx: list = [()] * (2 * self.window + 1)  # by offset; negative offsets index from the end
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
            ctx[o] = tuple(self._filter(f))
        st = self.gazetteer_entries(norm) if cfg["gazetteer"] else ()
        dkey = core if len(core) >= 2 and any(ch.isalpha() for ch in norm) else None  # = doc_key(tok)
        # tuples, not lists: the cache can hold 500k words, and the garbage collector stops scanning
        # tuples of strings (a full collection would otherwise walk every cached list again)
        return norm, st, tuple(self._filter(own)), tuple(ctx), dkey

    def gazetteer_entries(self, norm: str) -> tuple:
        """The gazetteer entries ((rest of the name, type), ...) of each reading of a normalised word
        that has some: what `gazetteer_tags` reads as the second field of a token's info."""
        gaz = self.res.gazetteer
        return tuple(e for e in (gaz.get(r) for r in readings(norm)) if e)

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
        i = 0
        while i < n:
            matched = 0
            for entries in infos[i][1]:  # the gazetteer entries of each reading of the word
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

    def sentence(self, tokens: Sequence[str], keys: list | None = None) -> list[list[str]]:
        """The attribute lists of a sentence's tokens; `keys`, if given, receives their `doc_key`s."""
        infos = [self._get(t) for t in tokens]
        if keys is not None:
            keys.extend(info[4] for info in infos)
        n = len(infos)
        cfg = self.cfg
        gz = self.gazetteer_tags(infos) if cfg["gazetteer"] else [None] * n
        w = self.window
        # what each position shows its neighbours, padded: the first position outside the sentence
        # shows BOS / EOS, the others nothing
        ctx = self._pad_left + [info[3] for info in infos] + self._pad_right
        offsets = self._offsets
        bigrams = cfg["bigrams"]
        norms = ["<s>"] + [info[0] for info in infos] + ["</s>"]
        out = []
        for i in range(n):
            f = list(infos[i][2])
            for o in offsets:
                f += ctx[i + w + o][o]
            if bigrams:
                f.append("bg-=" + norms[i] + "|" + norms[i + 1])
                f.append("bg+=" + norms[i + 1] + "|" + norms[i + 2])
            if gz[i] is not None:
                f.append("g=" + gz[i])
            if i > 0 and gz[i - 1] is not None:
                f.append("g[-1]=" + gz[i - 1])
            if i + 1 < n and gz[i + 1] is not None:
                f.append("g[+1]=" + gz[i + 1])
            out.append(f)
        return out

    def stacked(self, tokens: Sequence[str], tags1: Sequence[str], extra: Sequence[list[str]]) -> list[list[str]]:
        """The features of a small second-stage tagger (design `doc2s`): the first stage's labels around
        the token, the word, its core and clusters, gazetteer membership and the document features
        `extra`, the latter also joined with the token's first-stage label."""
        n = len(tokens)
        infos = [self._get(t) for t in tokens]
        gz = self.gazetteer_tags(infos) if self.cfg["gazetteer"] else [None] * n
        out = []
        for i in range(n):
            norm = infos[i][0]
            y = tags1[i]
            yp = tags1[i - 1] if i > 0 else "BOS"
            yn = tags1[i + 1] if i + 1 < n else "EOS"
            f = ["b", "y=" + y, "y[-1]=" + yp, "y[+1]=" + yn, "yy-=" + yp + "|" + y, "yy+=" + y + "|" + yn,
                 "y[-2]=" + (tags1[i - 2] if i > 1 else "BOS"), "y[+2]=" + (tags1[i + 2] if i + 2 < n else "EOS"),
                 "w=" + norm]
            core = core_of(norm)[1]
            if core != norm:
                f.append("c=" + core)
            kl = self.res.clusters.get(norm) or self.res.clusters.get(core)
            if kl:
                f += ["k2=" + kl[1], "k3=" + kl[2]]
            if gz[i] is not None:
                f.append("g=" + gz[i])
            for d in extra[i]:
                f.append(d)
                f.append(y + "|" + d)
            out.append(f)
        return out

    def doc_keys(self, tokens: Sequence[str]) -> list[str | None]:
        """`doc_key` of each token (from the per-word cache)."""
        return [self._get(t)[4] for t in tokens]

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


# -- document-level (non-local) features for a second-stage tagger --------------------------------------
# Krishnan & Manning (2006) style: a first-stage CRF tags the document; the second stage sees, for each
# token, what the first stage said about the same word (clitic-stripped core) and the same entity string
# ELSEWHERE in the document (the token's own sentence is left out).
def doc_key(tok: str) -> str | None:
    """The word as matched across a document: its clitic-stripped core, or None for punctuation and
    numbers (they carry no document-level evidence)."""
    norm = normalize(tok)
    if not any(ch.isalpha() for ch in norm):
        return None
    core = core_of(norm)[1]
    return core if len(core) >= 2 else None


class DocIndex:
    """Counts of first-stage labels per word and per entity string over a set of sentences; sentences
    are added and removed (sign -1) so that a sliding window or 'the document minus this sentence' is
    cheap."""

    MAX_ENT = 6  # entity strings longer than this are not matched

    def __init__(self):
        self.tok: dict[str, dict[str, int]] = {}  # key -> {"B-ORG": n, "I-ORG": n, "O": n}
        self.ent: dict[str, dict[tuple[str, ...], dict[str, int]]] = {}  # first key -> {rest: {type: n}}

    def contribution(self, keys: Sequence[str | None], tags: Sequence[str]) -> tuple[list, list]:
        """What a sentence adds to the index: its (word, label) pairs and (first word, rest, type) of
        its entity strings of two or more words."""
        toks = [(k, t) for k, t in zip(keys, tags) if k is not None]
        ents = []
        for first, last, typ in spans_from_tags(tags):
            span = keys[first:last + 1]
            if 2 <= len(span) <= self.MAX_ENT and all(k is not None for k in span):
                ents.append((span[0], tuple(span[1:]), typ))
        return toks, ents

    def apply(self, contribution: tuple[list, list], sign: int = 1) -> None:
        toks, ents = contribution
        index = self.tok
        for k, t in toks:
            d = index.get(k)
            if d is None:
                d = index[k] = {}
            d[t] = d.get(t, 0) + sign
        for first, rest, typ in ents:
            d = self.ent.setdefault(first, {}).setdefault(rest, {})
            d[typ] = d.get(typ, 0) + sign

    def update(self, keys: Sequence[str | None], tags: Sequence[str], sign: int = 1) -> None:
        self.apply(self.contribution(keys, tags), sign)

    @staticmethod
    def _major(counts: dict[str, int]) -> tuple[str | None, int, int]:
        """(majority entity type or None, entity count, total count)."""
        ents: dict[str, int] = {}
        total = 0
        for t, c in counts.items():
            if c <= 0:
                continue
            total += c
            if t != "O":
                ents[t[2:]] = ents.get(t[2:], 0) + c
        if not ents:
            return None, 0, total
        best = min(ents.items(), key=lambda e: (-e[1], e[0]))[0]
        return best, sum(ents.values()), total

    def features(self, keys: Sequence[str | None]) -> list[list[str]]:
        """Extra attributes per token of a sentence (whose own labels must not be in the index)."""
        n = len(keys)
        word = [None] * n  # per token: "T" / "O" / None (no other occurrence)
        out: list[list[str]] = [[] for _ in range(n)]
        get = self.tok.get
        for i, k in enumerate(keys):
            if k is None:
                continue
            counts = get(k)
            if not counts:
                continue
            if len(counts) == 1 and "O" in counts:  # the common case: a word never tagged
                if counts["O"] > 0:
                    word[i] = "O"
                    out[i].append("d=O")
                continue
            typ, ne, tot = self._major(counts)
            if tot == 0:
                continue
            if typ is None:
                word[i] = "O"
                out[i].append("d=O")
                continue
            word[i] = typ
            lvl = "all" if ne == tot else "most" if 2 * ne >= tot else "some"
            b = counts.get("B-" + typ, 0)
            out[i] += ["d=" + typ, "d=%s:%s" % (typ, lvl), ("dB=" if b * 2 >= ne else "dI=") + typ]
        for i in range(n):
            if i > 0 and word[i - 1] is not None:
                out[i].append("d[-1]=" + word[i - 1])
            if i + 1 < n and word[i + 1] is not None:
                out[i].append("d[+1]=" + word[i + 1])
        # entity strings of two or more words found elsewhere: longest match
        i = 0
        while i < n:
            k = keys[i]
            best = _longest_entity(self.ent.get(k) if k is not None else None, keys, i + 1)
            if best:
                m = len(best[0])
                out[i].append("de=B-" + best[1])
                for j in range(i + 1, i + 1 + m):
                    out[j].append("de=I-" + best[1])
                i += m + 1
            else:
                i += 1
        return out


def _longest_entity(cands: dict | None, keys: Sequence[str | None], start: int) -> tuple[tuple, str] | None:
    """Of `cands` ({key string: {type: count}}), the longest string that `keys` holds from `start` and that
    has a positive count, with its majority type (most votes, then the first type by name); the first of
    equally long ones. The match that DocIndex.features and EntityVotes.propagate both look for."""
    best = None
    for span, counts in (cands or {}).items():
        m = len(span)
        if (best is None or m > len(best[0])) and tuple(keys[start:start + m]) == span:
            ents = [(t, c) for t, c in counts.items() if c > 0]
            if ents:
                best = (span, min(ents, key=lambda e: (-e[1], e[0]))[0])
    return best


class EntityVotes:
    """First-stage entity strings (as tuples of `doc_key`s) and how often each was given each type, for
    label propagation: an entity found elsewhere in the document is tagged again where the first stage
    left the same string untagged."""

    def __init__(self):
        self.votes: dict[str, dict[tuple[str, ...], dict[str, int]]] = {}  # first key -> {keys: {type: n}}

    def contribution(self, keys: Sequence[str | None], tags: Sequence[str]) -> list:
        out = []
        for first, last, typ in spans_from_tags(tags):
            span = tuple(keys[first:last + 1])
            if None in span or len(span) > DocIndex.MAX_ENT:
                continue
            if len(span) == 1 and len(span[0]) < 3:
                continue
            out.append((span, typ))
        return out

    def apply(self, contribution: list, sign: int = 1) -> None:
        for span, typ in contribution:
            d = self.votes.setdefault(span[0], {}).setdefault(span, {})
            d[typ] = d.get(typ, 0) + sign

    def update(self, keys: Sequence[str | None], tags: Sequence[str], sign: int = 1) -> None:
        self.apply(self.contribution(keys, tags), sign)

    def propagate(self, keys: Sequence[str | None], tags: Sequence[str]) -> list[str]:
        """`tags` with every untagged occurrence of an entity string of the index tagged with that
        string's majority type (longest match first, left to right; a match that overlaps a tagged token
        or would cut an entity is left alone)."""
        out = list(tags)
        n = len(keys)
        i = 0
        while i < n:
            k = keys[i]
            best = _longest_entity(self.votes.get(k) if k is not None else None, keys, i)
            if not best:
                i += 1
                continue
            m = len(best[0])
            if all(t == "O" for t in out[i:i + m]) and not (i + m < n and out[i + m].startswith("I-")):
                out[i] = "B-" + best[1]
                for j in range(i + 1, i + m):
                    out[j] = "I-" + best[1]
            i += m
        return out


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) of a BIO sequence; a stray I- starts an entity (conlleval)."""
    out = []
    start, typ = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        kind, ty = (t[:1], t[2:]) if t != "O" else ("O", None)
        if start is not None and (kind != "I" or ty != typ):
            out.append((start, i - 1, typ))
            start, typ = None, None
        if kind in ("B", "I") and start is None:
            start, typ = i, ty
    return out


def over_documents(keys: Sequence[Sequence[str | None]], tags: Sequence[Sequence[str]], window: int | None,
                   index, visit) -> list:
    """For each sentence i: `visit(index, i)` while `index` (a DocIndex or EntityVotes) holds the
    first-stage labels of the sentences within +-`window` of i (None: all sentences), sentence i
    itself excluded. Returns the visits' results."""
    n = len(keys)
    w = n if window is None else window
    parts = [index.contribution(k, t) for k, t in zip(keys, tags)]
    for j in range(0, min(n, w + 1)):
        index.apply(parts[j])
    out = []
    for i in range(n):
        index.apply(parts[i], -1)
        out.append(visit(index, i))
        index.apply(parts[i], +1)
        if i - w >= 0:
            index.apply(parts[i - w], -1)
        if i + w + 1 < n:
            index.apply(parts[i + w + 1], +1)
    return out


def doc_features(keys, tags, window: int | None) -> list[list[list[str]]]:
    """The document features of each sentence (see DocIndex.features)."""
    return over_documents(keys, tags, window, DocIndex(), lambda idx, i: idx.features(keys[i]))


def has_entity_evidence(extra: Sequence[Sequence[str]]) -> bool:
    """Whether the document features of a sentence say that one of its words (or a neighbour's) is an
    entity elsewhere: anything but d=O, d[-1]=O, d[+1]=O."""
    return any(f[-2:] != "=O" for fs in extra for f in fs)


def disagrees(extra: Sequence[Sequence[str]], tags: Sequence[str]) -> bool:
    """Whether the document features of a sentence contradict its first-stage `tags`: a word whose
    other occurrences have another majority label (d=T, d=O), or an entity string found elsewhere that
    the first stage tagged otherwise here (de=)."""
    for fs, t in zip(extra, tags):
        for f in fs:
            if f[:2] == "d=":
                if ":" not in f and f[2:] != (t[2:] if t != "O" else "O"):
                    return True
            elif f[:3] == "de=" and f[3:] != t:
                return True
    return False


def propagate(keys, tags, window: int | None) -> list[list[str]]:
    """Label propagation over each sentence's document (see EntityVotes.propagate)."""
    return over_documents(keys, tags, window, EntityVotes(), lambda v, i: v.propagate(keys[i], tags[i]))
