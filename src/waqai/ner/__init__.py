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
from waqai.ner.features import (FEATURE_VERSION, FeatureExtractor, Resources, disagrees, doc_features,
                                has_entity_evidence, propagate, spans_from_tags)

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
                 autolex: bytes | None = None, subtypes: bytes | None = None, stage1_bytes: bytes | None = None):
        import pycrfsuite  # the optional dependency `waqai[ner]`

        if meta.get("feature_version") != FEATURE_VERSION:
            raise RuntimeError(
                f"NER model was trained with feature version {meta.get('feature_version')}, "
                f"this code extracts version {FEATURE_VERSION}: retrain with scripts/train_ner.py")
        self.meta = meta
        self._model_bytes = model_bytes  # CRFsuite reads the model in place: keep the buffer alive
        self._crf = pycrfsuite.Tagger()
        self._crf.open_inmemory(self._model_bytes)
        # document-level designs (docs/ner.md): a first-stage CRF tags the whole document, then a second
        # stage (`model_bytes`) sees non-local features from those labels and/or the labels are propagated
        doc = meta.get("document") or {}
        self.document_window = doc.get("window") if doc else None  # sentences; ANERcorp has no documents
        self._propagate = bool(doc.get("propagate"))
        self._crf1 = None
        self._stacked = doc.get("stage2") == "stacked"
        self._skip = doc.get("skip") or False
        if doc.get("stage2"):
            if stage1_bytes is None:
                raise RuntimeError("NER model: a second-stage model needs its first stage (stage1.crfsuite)")
            self._stage1_bytes = stage1_bytes
            self._crf1 = pycrfsuite.Tagger()
            self._crf1.open_inmemory(self._stage1_bytes)
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
        stage1 = base.joinpath("stage1.crfsuite")
        return cls(base.joinpath("model.crfsuite").read_bytes(),
                   base.joinpath("clusters.tsv.gz").read_bytes(),
                   base.joinpath("gazetteer.tsv").read_text(encoding="utf-8"),
                   meta,
                   autolex.read_bytes() if autolex.is_file() else None,
                   subtypes.read_bytes() if subtypes.is_file() else None,
                   stage1.read_bytes() if stage1.is_file() else None)

    # -- tagging ---------------------------------------------------------------------------------
    def tag_tokens(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (B-/I- + PERS|LOC|ORG|MISC, or O) for one sentence of raw tokens (a document of one
        sentence: no document-level evidence)."""
        return self.tag_document([tokens])[0]

    def tag_document(self, sentences: Sequence[Sequence[str]], window: int | None = None) -> list[list[str]]:
        """BIO tags for the sentences of one document. A document-level model uses what its first stage
        found elsewhere in the document: in the whole of it, or (`window`) in the sentences within
        +-window of each sentence, for text without document boundaries such as ANERcorp."""
        parts, owner = [], []  # sentences longer than _MAX_SENTENCE_TOKENS are tagged in windows
        for n, s in enumerate(sentences):
            s = list(s)
            for k in range(0, len(s), _MAX_SENTENCE_TOKENS):
                parts.append(s[k:k + _MAX_SENTENCE_TOKENS])
                owner.append(n)
        fx = self._fx
        # a document of one sentence has no evidence elsewhere: its tags are the first stage's
        document = (self._crf1 is not None or self._propagate) and len(parts) > 1
        keys: list[list[str | None]] = [[] for _ in parts]
        xs = [fx.sentence(p, k if document else None) for p, k in zip(parts, keys)]
        first = self._crf if self._crf1 is None else self._crf1
        with self._lock:
            tags = [first.tag(x) for x in xs]
        if document:
            if self._crf1 is not None:
                extra = doc_features(keys, tags, window)
                # only the sentences with some entity evidence elsewhere in the document are tagged
                # again (design "/skip": speed); the others keep their first-stage tags
                if self._skip == "disagree":  # design "/skip-agree"
                    redo = [i for i, d in enumerate(extra) if disagrees(d, tags[i])]
                else:
                    redo = [i for i, d in enumerate(extra) if not self._skip or has_entity_evidence(d)]
                if self._stacked:  # a small second stage: first-stage labels + document features
                    xs2 = [fx.stacked(parts[i], tags[i], extra[i]) for i in redo]
                else:  # the first stage's features + document features (the lists are ours: extended)
                    xs2 = [xs[i] for i in redo]
                    for i in redo:
                        for a, b in zip(xs[i], extra[i]):
                            if b:
                                a.extend(b)
                with self._lock:
                    for i, x in zip(redo, xs2):
                        tags[i] = self._crf.tag(x)
            if self._propagate:
                tags = propagate(keys, tags, window)
        out: list[list[str]] = [[] for _ in sentences]
        for n, t in zip(owner, tags):
            out[n].extend(t)
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
        sents = []
        for s, e in split_sentences(text):
            toks = tokenize(text[s:e], offset=s)
            if toks:
                sents.append(toks)
        all_words = [[t.text for t in toks] for toks in sents]
        for toks, words, tags in zip(sents, all_words, self.tag_document(all_words)):
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
