"""Arabic named-entity recognition: a CRF trained by the project (scripts/train_ner.py) and shipped in
``waqai/resources/ner/``. Tags are BIO over PERS, LOC, ORG, MISC (ANERcorp's scheme).

    from waqai.ner import load_tagger
    tagger = load_tagger()
    tagger.tag_tokens(["قال", "الرئيس", "عبد", "الفتاح", "السيسي", "في", "القاهرة"])
    # ['O', 'O', 'B-PERS', 'I-PERS', 'I-PERS', 'O', 'B-LOC']
    tagger.entities("قال الرئيس المصري عبد الفتاح السيسي في القاهرة ...", doc_id="a1")
    # [{'text': 'عبد الفتاح السيسي', 'type': 'PERS', 'start': 18, 'end': 35, 'doc_id': 'a1'}, ...]

Nothing is downloaded: the model and its tables are read from the installed package.
"""

from __future__ import annotations

import gzip
import json
import threading
import warnings
from functools import lru_cache
from importlib import resources
from typing import Sequence

from waqai.arabic import split_sentences, tokenize
from waqai.ner.features import FEATURE_VERSION, FeatureExtractor, Resources

__all__ = ["Tagger", "SubtypeModel", "load_tagger", "ENTITY_TYPES", "spans_from_tags", "repair_bio", "read_conll"]

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
_RESOURCE_PACKAGE = "waqai.resources"
_MAX_SENTENCE_TOKENS = 400  # longer "sentences" (tables, lists) are tagged in windows of this size


def read_conll(path) -> list[list[tuple[str, str]]]:
    """A labelled CoNLL file: `token TAG` per line, blank line between sentences; empty tokens dropped."""
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if cur:
                    sents.append(cur)
                cur = []
                continue
            tok, _, tag = line.rpartition(" ")
            if tok.strip():
                cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def repair_bio(tags: Sequence[str]) -> list[str]:
    """A stray I- (after O or another type) becomes B-: the training files hold a few."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) token spans of a BIO sequence; a stray I- starts an entity (conlleval)."""
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


class SubtypeModel:
    """Entity subtype (NewsFANE's fine classes: politician, athlete, government, media, nation, city...)
    from a logistic-regression span classifier; only the classes of the entity's coarse type compete."""

    def __init__(self, model: dict):
        self.classes = [c.split(".", 1) for c in model["classes"]]
        self.intercept = model["intercept"]
        self.weights = model["weights"]
        self.by_type: dict[str, list[int]] = {}
        for i, (ty, _) in enumerate(self.classes):
            self.by_type.setdefault(ty, []).append(i)

    def predict(self, feats: Sequence[str], typ: str) -> str | None:
        idx = self.by_type.get(typ)
        if not idx:
            return None
        scores = list(self.intercept)
        for f in feats:
            for i, w in self.weights.get(f, ()):
                scores[i] += w
        best = max(idx, key=lambda i: (scores[i], -i))
        return self.classes[best][1]


class Tagger:
    """A loaded NER model. Thread-safe; tagging is deterministic."""

    def __init__(self, model_bytes: bytes, clusters: bytes, gazetteer: str, meta: dict,
                 autolex: bytes | None = None, subtypes: bytes | None = None):
        import pycrfsuite  # the optional dependency `waqai[ner]`

        if meta.get("feature_version") != FEATURE_VERSION:
            raise RuntimeError(
                f"NER model was trained with feature version {meta.get('feature_version')}, "
                f"this code extracts version {FEATURE_VERSION}: retrain with scripts/train_ner.py")
        self.meta = meta
        self._model_bytes = model_bytes  # CRFsuite reads the model in place: keep the buffer alive
        self._crf = pycrfsuite.Tagger()
        self._crf.open_inmemory(self._model_bytes)
        self._lock = threading.Lock()
        res = Resources(Resources.read_clusters(clusters), Resources.read_gazetteer(gazetteer),
                        Resources.read_autolex(autolex) if autolex else None)
        known = set(meta["attributes"]) if meta.get("attributes") else None
        self._fx = FeatureExtractor(res, meta.get("features"), known=known)
        self.feature_drift = False
        if meta.get("feature_fingerprint"):
            now = FeatureExtractor(res, meta.get("features")).fingerprint()
            if now != meta["feature_fingerprint"]:
                self.feature_drift = True
                warnings.warn("waqai.ner: the features of the probe sentences differ from those the model "
                              "was trained with (has waqai.arabic.normalize changed?): retrain with "
                              "scripts/train_ner.py", RuntimeWarning, stacklevel=3)
        self._subtypes = None
        if subtypes:
            self._subtypes = SubtypeModel(json.loads(gzip.decompress(subtypes).decode("utf-8")))

    @classmethod
    def from_package(cls) -> "Tagger":
        base = resources.files(_RESOURCE_PACKAGE).joinpath("ner")
        meta = json.loads(base.joinpath("meta.json").read_text(encoding="utf-8"))
        attrs = base.joinpath("attributes.txt")
        if attrs.is_file():
            meta = dict(meta, attributes=attrs.read_text(encoding="utf-8").split("\n"))
        autolex = base.joinpath("autolex.tsv.gz")
        subtypes = base.joinpath("subtypes.json.gz")
        return cls(base.joinpath("model.crfsuite").read_bytes(),
                   base.joinpath("clusters.tsv.gz").read_bytes(),
                   base.joinpath("gazetteer.tsv").read_text(encoding="utf-8"),
                   meta,
                   autolex.read_bytes() if autolex.is_file() else None,
                   subtypes.read_bytes() if subtypes.is_file() else None)

    # -- tagging ---------------------------------------------------------------------------------
    def tag_tokens(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (B-/I- + PERS|LOC|ORG|MISC, or O) for one sentence of raw tokens."""
        tokens = list(tokens)
        if not tokens:
            return []
        out: list[str] = []
        for k in range(0, len(tokens), _MAX_SENTENCE_TOKENS):
            part = tokens[k:k + _MAX_SENTENCE_TOKENS]
            xseq = self._fx.sentence(part)
            with self._lock:
                out.extend(self._crf.tag(xseq))
        return out

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return [self.tag_tokens(s) for s in sentences]

    @property
    def has_subtypes(self) -> bool:
        return self._subtypes is not None

    def subtype(self, tokens: Sequence[str], first: int, last: int, typ: str) -> str | None:
        """The fine class of the entity tokens[first..last] of coarse type `typ` (PERS: politician,
        athlete, artist, religious, business, scientist, police, other; ORG: government,
        nongovernmental, sports, media, commercial, educational, medical, religious, other; LOC: nation,
        city, province, district, continent, gpe_cluster, water, region, facility), or None (MISC, or
        no subtype model shipped)."""
        if self._subtypes is None:
            return None
        from waqai.ner.features import span_features

        return self._subtypes.predict(span_features(self._fx, tokens, first, last, typ), typ)

    def entities(self, text: str, doc_id: str | None = None, subtypes: bool = False) -> list[dict]:
        """Named entities of a text: {"text", "type", "start", "end", "doc_id"}, character offsets
        into `text` (end exclusive), in text order. With `subtypes=True` each also has "subtype"
        (see `subtype`), a hint for actor coding (sector) learnt from NewsFANE's fine classes."""
        out = []
        for s, e in split_sentences(text):
            toks = tokenize(text[s:e], offset=s)
            if not toks:
                continue
            words = [t.text for t in toks]
            tags = self.tag_tokens(words)
            for first, last, typ in spans_from_tags(tags):
                start, end = toks[first].start, toks[last].end
                ent = {"text": text[start:end], "type": typ, "start": start, "end": end, "doc_id": doc_id}
                if subtypes:
                    ent["subtype"] = self.subtype(words, first, last, typ)
                out.append(ent)
        return out


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Tagger:
    return Tagger.from_package()


def load_tagger() -> Tagger:
    """The shipped tagger, loaded once per process."""
    with _LOAD_LOCK:
        return _load()
