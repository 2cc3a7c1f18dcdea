#!/usr/bin/env python
"""Train Waqai's Arabic named-entity tagger (a CRF) and write it into the package.

    python scripts/train_ner.py --data ../shared/data --out src/waqai/resources/ner

rebuilds the shipped model: word clusters from the unlabeled news corpus, the gazetteer word list, and
the CRF trained on the ANERcorp training part and the team-labelled news sentences of eval/ner/ (read
again from the corpus by scripts/dump_ner.py; --no-team-labels leaves them out) (+ NewsFANE labels, see
--design), then prints the
entity-level evaluation (conlleval style) on the held-out development split.

The development split is fixed: the LAST 10% of ANERcorp's sentences (a contiguous block, so whole
articles are held out, like the CAMeL Lab test split that follows it). NewsFANE holds the same news
text, re-segmented and re-annotated: every NewsFANE sentence that overlaps a dev sentence is dropped
before training.

    --compare   trains and evaluates every design in DESIGNS (the figures in docs/ner.md)
    --design X  the design to ship (default: the one recorded in DEFAULT_DESIGN)

Reproducible: fixed seeds, single-threaded numerics, sorted iteration; the same data gives the same
model files. Nothing is downloaded.
"""

from __future__ import annotations

import os

# Single-threaded BLAS/OpenMP: the clusters must not depend on thread scheduling.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import collections  # noqa: E402
import csv  # noqa: E402
import difflib  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from waqai.arabic import normalize, tokenize  # noqa: E402
from waqai.ner import read_conll, repair_bio, spans_from_tags  # noqa: E402
from waqai.ner.features import (  # noqa: E402
    DEFAULT_CONFIG, FEATURE_VERSION, FeatureExtractor, Resources)

TYPES = ("PERS", "LOC", "ORG", "MISC")
SEED = 20240601

# NewsFANE fine class -> coarse type. Checked against ANERcorp's labels on the same text
# (--mapping-report prints the confusion); classes ANERcorp does not treat as named entities -> None.
FANE_MAP = {
    # persons
    "Politician": "PERS", "Athlete": "PERS", "Artist": "PERS", "Other_PER": "PERS",
    "Religious_PER": "PERS", "Scientist": "PERS", "Businessperson": "PERS", "Lawyer": "PERS",
    "Engineer": "PERS", "Police": "PERS",
    # places
    "Nation": "LOC", "Population-Center": "LOC", "State-or-Province": "LOC", "Continent": "LOC",
    "Water-Body": "LOC", "County-or-District": "LOC", "GPE-Cluster": "LOC", "Subarea-Facility": "LOC",
    # ANERcorp mostly leaves these untagged (or MISC): not mapped
    "Building-Grounds": None, "Path": None, "Airport": None, "Land-Region-Natural": None,
    # organisations
    "Non-Governmental": "ORG", "Sports": "ORG", "Media": "ORG", "Commercial": "ORG",
    "Educational": "ORG", "Entertainment": "ORG",
    # ANERcorp tags "the government", ministries... mostly O
    "Government": None, "Medical-Science": None, "Religious_ORG": None,
    # other names
    "Book": "MISC", "Land": "MISC", "Air": "MISC", "Projectile": "MISC", "Shooting": "MISC",
    "Food": "MISC", "Water": "MISC", "Drug": "MISC",
    # groups (nationalities, parties' members: "الفلسطينيين") are O in ANERcorp; films and software mostly
    "Group": None, "Movie": None, "Software": None, "Hardware": None, "Plant": None,
}

# Designs compared (--compare). Each: feature config, training data, CRF parameters (over BASE_CRF).
BASE_CRF = {"c1": 0.05, "c2": 0.01, "max_iterations": 300}
_C2 = {"ctx_clusters2": True}
DESIGNS = {
    # word, affixes, shape, clitics, context words; nothing from outside the labeled data
    "crf-base": {"features": {"clusters": False, "gazetteer": False, "ctx_clusters": False}, "fane": None},
    # + word clusters from the unlabeled news corpus (word and neighbours at +-1) + gazetteer membership
    # (THE SHIPPED DESIGN)
    "crf-clusters-gaz": {"features": {}, "fane": None},
    # + NewsFANE sentences (fine labels mapped to coarse, projected onto ANERcorp's raw tokens)
    "crf-clusters-gaz+fane": {"features": {}, "fane": "projected"},
    # clusters of the neighbours at +-2 too
    "crf-clusters2-gaz": {"features": _C2, "fane": None},
    # + auto-lexicon: entity type a first-stage CRF gives each word over 10k news articles (jackknifed)
    "crf-clusters2-gaz+autolex": {"features": {**_C2, "autolex": True}, "fane": None},
    # variants of crf-clusters2-gaz
    "crf-clusters2-gaz/win3": {"features": {**_C2, "window": 3}, "fane": None},
    "crf-clusters2-gaz/affix4": {"features": {**_C2, "affixes4": True}, "fane": None},
    "crf-clusters2-gaz/c1=0.1": {"features": _C2, "fane": None, "crf": {"c1": 0.1, "c2": 0.01}},
    "crf-clusters2-gaz/c1=0.02,c2=0.05": {"features": _C2, "fane": None, "crf": {"c1": 0.02, "c2": 0.05}},
    "crf-clusters2-gaz/c1=0.2,c2=0.001": {"features": _C2, "fane": None, "crf": {"c1": 0.2, "c2": 0.001}},
    # neural (scripts/ner_neural.py, PyTorch; the `train` extra): BiLSTM-CRF over news-pretrained word
    # vectors + character CNN + embeddings of the CRF's discrete features (clusters, gazetteer, shape,
    # proclitics); epoch count picked on the last 10% of the training part, never on dev
    "bilstm-crf": {"features": {}, "fane": None, "nn": {}},
    # the same without the CRF's discrete features (word vectors + character CNN only)
    "bilstm-crf/no-feats": {"features": {}, "fane": None, "nn": {"feats": False}},
    # the shipped CRF and bilstm-crf together: token marginals averaged, best BIO-valid path (no weight
    # tuned); --reuse-members takes the members' models from --work instead of retraining them
    "ensemble/crf+bilstm": {"features": {}, "fane": None, "ensemble": ["crf-clusters-gaz", "bilstm-crf"]},
    # document level (Krishnan & Manning 2006 style; ANERcorp has no document ids, so a sentence's
    # "document" is the sentences within +-15 of it in training and dev, the whole article at run time):
    # + label propagation: an entity string the CRF tagged elsewhere in the document is tagged with its
    #   majority type where the CRF left it untagged (rule chosen on the jackknifed training part)
    "crf-clusters-gaz+docprop": {"features": {}, "fane": None, "doc": {"window": 15, "propagate": True}},
    # + a second-stage CRF: the same features + what the first stage said about the same word / entity
    #   string elsewhere in the document (trained on 5-fold jackknifed first-stage labels)
    "crf-clusters-gaz+doc2": {"features": {}, "fane": None, "doc": {"window": 15, "stage2": True, "folds": 5}},
    # both: second stage, then propagation of its labels
    "crf-clusters-gaz+doc2+docprop": {"features": {}, "fane": None,
                                      "doc": {"window": 15, "stage2": True, "folds": 5, "propagate": True}},
    # the same, but sentences with no entity evidence elsewhere in the document (only d=O features) keep
    # their first-stage tags instead of being tagged again (speed; the training is the same)
    "crf-clusters-gaz+doc2+docprop/skip": {"features": {}, "fane": None,
                                           "doc": {"window": 15, "stage2": True, "folds": 5, "propagate": True,
                                                   "skip": True}},
    # the same, but only the sentences whose document features contradict their first-stage tags (a
    # word whose other occurrences have another majority label, an entity string found elsewhere that is
    # tagged otherwise here) are tagged again (speed; the training is the same). Not shipped: the gain is
    # near noise (+1.5 to +2.1 F1) and the cold-cache speed just above 50k tokens/s (docs/ner.md)
    "crf-clusters-gaz+doc2+docprop/skip-agree": {"features": {}, "fane": None,
                                                 "doc": {"window": 15, "stage2": True, "folds": 5,
                                                         "propagate": True, "skip": "disagree"}},
    # the same with a small (faster) second stage: the first stage's (jackknifed) labels at -2..+2, the
    # word, core, clusters, gazetteer and the document features (FeatureExtractor.stacked)
    "crf-clusters-gaz+doc2s+docprop": {"features": {}, "fane": None,
                                       "doc": {"window": 15, "stage2": "stacked", "folds": 5, "propagate": True}},
}
DEFAULT_DESIGN = "crf-clusters-gaz+doc2+docprop/skip-agree"


# ------------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------------
def split_dev(sents: list) -> tuple[list, list]:
    """The fixed rule: the last 10% of the sentences (contiguous) are the development split."""
    cut = len(sents) - len(sents) // 10
    return sents[:cut], sents[cut:]


def _letters(tok: str) -> str:
    return re.sub(r"[\W_]", "", normalize(tok))


def _grams(s: str, n: int = 8) -> set[str]:
    return {s[i:i + n] for i in range(max(1, len(s) - n + 1))}


def match_fane(anc: list, fane: list) -> list[tuple[int | None, float, float]]:
    """For each NewsFANE sentence: (best ANERcorp sentence, share of its 8-grams found there, share
    of the ANERcorp sentence's 8-grams found in it)."""
    keys_a = ["".join(_letters(t) for t, _ in s) for s in anc]
    index: dict[str, list[int]] = collections.defaultdict(list)
    grams_a = []
    for i, k in enumerate(keys_a):
        g = _grams(k)
        grams_a.append(g)
        for x in g:
            index[x].append(i)
    out = []
    for s in fane:
        k = "".join(_letters(t) for t, _ in s)
        g = _grams(k)
        votes = collections.Counter()
        for x in g:
            lst = index.get(x)
            if lst and len(lst) < 50:
                votes.update(lst)
        if not votes:
            out.append((None, 0.0, 0.0))
            continue
        best, v = min(votes.items(), key=lambda e: (-e[1], e[0]))
        out.append((best, v / max(1, len(g)), v / max(1, len(grams_a[best]))))
    return out


def overlap_with(fane: list, anc_part: list) -> list[float]:
    """Share of each NewsFANE sentence's 8-grams found anywhere in `anc_part`."""
    allg = set()
    for s in anc_part:
        allg |= _grams("".join(_letters(t) for t, _ in s))
    res = []
    for s in fane:
        g = _grams("".join(_letters(t) for t, _ in s))
        res.append(len(g & allg) / max(1, len(g)))
    return res


def fane_spans(sent: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Entity spans (first token, last token, fine class) of a NewsFANE sentence."""
    spans, cur = [], None
    for i, (_, tag) in enumerate(sent):
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
            if cur:
                spans.append(tuple(cur))
            cur = [i, i, tag[2:]]
        elif tag.startswith("I-") and cur:
            cur[1] = i
        else:
            if cur:
                spans.append(tuple(cur))
            cur = None
    if cur:
        spans.append(tuple(cur))
    return spans


def project(anc_sent: list, fane_sent: list) -> list[str] | None:
    """NewsFANE's fine labels carried onto ANERcorp's raw tokens (clitics re-joined by aligning the
    letters of both). Returns one fine BIO tag per ANERcorp token, or None if the texts disagree."""
    a_chars, a_owner = [], []
    for i, (t, _) in enumerate(anc_sent):
        for ch in _letters(t):
            a_chars.append(ch)
            a_owner.append(i)
    f_chars, f_owner = [], []
    for j, (t, _) in enumerate(fane_sent):
        for ch in _letters(t):
            f_chars.append(ch)
            f_owner.append(j)
    sm = difflib.SequenceMatcher(None, a_chars, f_chars, autojunk=False)
    if sm.ratio() < 0.9:
        return None
    f2a: dict[int, set[int]] = collections.defaultdict(set)
    for blk in sm.get_matching_blocks():
        for k in range(blk.size):
            f2a[f_owner[blk.b + k]].add(a_owner[blk.a + k])
    tags = ["O"] * len(anc_sent)
    for first, last, cls in fane_spans(fane_sent):
        toks = sorted(set().union(*(f2a.get(j, set()) for j in range(first, last + 1))))
        if not toks:
            continue
        toks = list(range(toks[0], toks[-1] + 1))
        if any(tags[t] != "O" for t in toks):
            continue
        tags[toks[0]] = "B-" + cls
        for t in toks[1:]:
            tags[t] = "I-" + cls
    return tags


def coarse(tag: str) -> str:
    if tag == "O":
        return "O"
    t = FANE_MAP.get(tag[2:])
    return tag[:2] + t if t else "O"


# ------------------------------------------------------------------------------------------------
# resources: gazetteer and word clusters
# ------------------------------------------------------------------------------------------------
def news_texts(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            try:
                yield json.loads(line).get("text") or ""
            except json.JSONDecodeError:
                continue


def build_gazetteer(gdir: Path, common: set[str], actors: bool = False) -> list[str]:
    """Compact derived list: normalised Arabic place and nationality names with a type, one per line.
    Single-word city names that are common news words (e.g. a town called 'النصر') are left out."""
    entries: set[tuple[str, str]] = set()

    def add(name: str, typ: str) -> None:
        name = (name or "").strip()
        if not name or not re.search("[\u0600-\u06ff]", name):
            return
        words = [t.norm for t in tokenize(name) if re.search(r"\w", t.norm)]
        if not words or len(words) > 5 or len("".join(words)) < 3:
            return
        if typ == "CITY" and len(words) == 1 and words[0] in common:
            return
        entries.add((" ".join(words), typ))

    with open(gdir / "countries.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            add(row.get("name_ar"), "CTRY")
            add(row.get("native"), "CTRY")
    with open(gdir / "cities.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                pop = int(float(row.get("population") or 0))
            except ValueError:
                pop = 0
            if pop >= 20000 or row.get("type") in ("capital", "adm1"):
                add(row.get("name_ar"), "CITY")
    with open(gdir / "nationalities.json", encoding="utf-8") as f:
        nat = json.load(f)
    for v in nat.values():
        for key in ("male", "males", "female", "females", "the_male", "the_female"):
            add(v.get(key), "NAT")
        add(v.get("ar"), "CTRY")
    if actors:  # --gazetteer-actors: the coder's hand-written organisation and people tables (not shipped:
        # +0.3 dev F1, noise, docs/ner.md "Session 12")
        adir = ROOT / "src" / "waqai" / "resources" / "actors"
        for fname, typ in (("organisations.tsv", "ORG"), ("people.tsv", "PERS")):
            with open(adir / fname, encoding="utf-8") as f:
                for row in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
                    for name in (row.get("names") or "").split("|"):
                        add(name, typ)
    # one type per name: country > city > nationality (> organisation > person)
    rank = {"CTRY": 0, "CITY": 1, "NAT": 2, "ORG": 3, "PERS": 4}
    best: dict[str, str] = {}
    for name, typ in sorted(entries):
        if name not in best or rank[typ] < rank[best[name]]:
            best[name] = typ
    return [f"{n}\t{t}" for n, t in sorted(best.items())]


def corpus_tokens(text: str, marks: bool = True) -> list[str]:
    """The normalised tokens of a news text as the word statistics count them: `tokenize`'s, plus (with
    `marks`) `#` and `_` as tokens of their own. The tokenizer drops those two since commit 91000a3
    (#عمر_الرزاز is two words); the shipped clusters were counted with them, and this keeps
    `--rebuild-clusters` giving the shipped table byte for byte (the only effect is on the ±2 contexts
    next to a hashtag). `--cluster-tokens tokenizer` (marks=False) gives the table counted with the
    tokenizer's own tokens, on which docs/ner.md's document-level rows were measured."""
    toks = [(t.start, t.norm) for t in tokenize(text)]
    if marks:
        toks += [(m.start(), m.group()) for m in re.finditer(r"[#_]", text)]
    toks.sort()
    return [norm for _, norm in toks]


def word_vectors(news: Path, vocab_size: int = 50000, n_ctx: int = 3000, dim: int = 100,
                 log=print, marks: bool = True) -> tuple[list[str], object, collections.Counter]:
    """Word vectors from the unlabeled news: positional co-occurrence counts (±2 words, the `n_ctx`
    most frequent words as contexts) of the `vocab_size` most frequent normalised words -> PPMI
    (context smoothing 0.75) -> truncated SVD (`dim`) -> L2-normalised rows. Returns (vocab, vectors,
    word counts). The word clusters are k-means over these vectors; the neural designs start their
    word embeddings from them."""
    import numpy as np
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    t0 = time.time()
    docs = []
    counts: collections.Counter = collections.Counter()
    for text in news_texts(news):
        toks = corpus_tokens(text, marks)
        counts.update(toks)
        docs.append(toks)
    log(f"  news: {len(docs)} articles, {sum(counts.values())} tokens ({time.time() - t0:.0f}s)")
    ranked = sorted(counts.items(), key=lambda e: (-e[1], e[0]))
    vocab = [w for w, _ in ranked[:vocab_size]]
    wid = {w: i for i, w in enumerate(vocab)}
    V, C = len(vocab), n_ctx
    offsets = (-2, -1, 1, 2)
    rows, cols = [], []
    for toks in docs:
        ids = np.fromiter((wid.get(t, -1) for t in toks), dtype=np.int64, count=len(toks))
        for k, o in enumerate(offsets):
            if o < 0:
                a, b = ids[-o:], ids[:o]
            else:
                a, b = ids[:-o], ids[o:]
            m = (a >= 0) & (b >= 0) & (b < C)
            rows.append(a[m])
            cols.append(b[m] + k * C)
    del docs
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    M = sparse.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(V, C * len(offsets))).tocsr()
    M.sum_duplicates()
    log(f"  co-occurrence: {M.nnz} non-zero ({time.time() - t0:.0f}s)")
    # PPMI with context-distribution smoothing (alpha 0.75)
    total = M.sum()
    wsum = np.asarray(M.sum(axis=1)).ravel()
    csum = np.asarray(M.sum(axis=0)).ravel() ** 0.75
    csum /= csum.sum()
    M = M.tocoo()
    pmi = np.log((M.data / total) / ((wsum[M.row] / total) * csum[M.col]))
    keep = pmi > 0
    P = sparse.csr_matrix((pmi[keep], (M.row[keep], M.col[keep])), shape=M.shape)
    U, S, _ = randomized_svd(P, n_components=dim, n_iter=5, random_state=SEED % (2**32))
    X = U * np.sqrt(S)
    X /= np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-9)
    log(f"  svd: {X.shape} ({time.time() - t0:.0f}s)")
    return vocab, X, counts


def build_clusters(news: Path, vocab_size: int = 50000, n_ctx: int = 3000, dim: int = 100,
                   ks: tuple[int, int, int] = (32, 256, 2048), extra: tuple[int, ...] = (),
                   log=print, marks: bool = True) -> tuple[list[str], collections.Counter]:
    """Word clusters from the unlabeled news: k-means with `ks[2]` clusters over the PPMI-SVD vectors of
    `word_vectors`; the centroids are clustered again into `ks[1]` and those into `ks[0]`, giving a
    three-level hierarchy (like Brown cluster prefixes). Returns the table lines `word\\tk1\\tk2\\tk3`
    and the word counts."""
    from sklearn.cluster import KMeans

    t0 = time.time()
    vocab, X, counts = word_vectors(news, vocab_size, n_ctx, dim, log=log, marks=marks)
    km3 = KMeans(n_clusters=ks[2], n_init=1, max_iter=40, random_state=SEED % (2**32), algorithm="lloyd").fit(X)
    km2 = KMeans(n_clusters=ks[1], n_init=3, random_state=SEED % (2**32)).fit(km3.cluster_centers_)
    km1 = KMeans(n_clusters=ks[0], n_init=3, random_state=SEED % (2**32)).fit(km2.cluster_centers_)
    l3 = km3.labels_
    l2 = km2.labels_[l3]
    l1 = km1.labels_[l2]
    cols = [l1, l2, l3]
    for j, k in enumerate(extra):  # independent flat clusterings (other granularities, other seeds)
        cols.append(KMeans(n_clusters=k, n_init=1, max_iter=40, random_state=(SEED + 1 + j) % (2**32),
                           algorithm="lloyd").fit(X).labels_)
    log(f"  k-means: {ks} + {extra} ({time.time() - t0:.0f}s)")
    lines = [w + "".join(f"\t{c[i]}" for c in cols) for i, w in enumerate(vocab)]
    return lines, counts


def write_gz(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw:  # mtime=0 and no file name: byte-identical on every run
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)


# ------------------------------------------------------------------------------------------------
# evaluation (conlleval: exact span and type)
# ------------------------------------------------------------------------------------------------
def chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans as conlleval reads them: an I- that does not continue a chunk of its type starts one."""
    return set(spans_from_tags(tags))


def evaluate(gold: list[list[str]], pred: list[list[str]], block: int | None = None) -> dict:
    """Precision, recall and F1 per type and overall. With `block`, also the 95% bootstrap interval of the
    overall F1 over consecutive blocks of that many sentences (`overall.ci95`; 1 where every sentence is from
    its own article, about an article's length where they run on: waqai.evaluate.bootstrap_f1)."""
    tp, ng, np_ = collections.Counter(), collections.Counter(), collections.Counter()
    units = []
    for g, p in zip(gold, pred):
        gc, pc = chunks(g), chunks(p)
        units.append((len(gc & pc), len(pc - gc), len(gc - pc)))
        for c in gc:
            ng[c[2]] += 1
        for c in pc:
            np_[c[2]] += 1
        for c in gc & pc:
            tp[c[2]] += 1
    res = {}
    for ty in list(TYPES) + ["overall"]:
        if ty == "overall":
            t, gsum, psum = sum(tp.values()), sum(ng.values()), sum(np_.values())
        else:
            t, gsum, psum = tp[ty], ng[ty], np_[ty]
        p = t / psum if psum else 0.0
        r = t / gsum if gsum else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        res[ty] = {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4), "gold": gsum, "pred": psum, "tp": t}
    if block:
        from waqai.evaluate import bootstrap_f1

        blocks = [tuple(sum(u[k] for u in units[i:i + block]) for k in range(3)) for i in range(0, len(units), block)]
        res["overall"]["ci95"] = list(bootstrap_f1(blocks))
    return res


def format_eval(res: dict) -> str:
    lines = [f"{'type':8} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for ty, v in res.items():
        lines.append(f"{ty:8} {v['P']*100:7.2f} {v['R']*100:7.2f} {v['F1']*100:7.2f} {v['gold']:6d} {v['pred']:6d}")
        if "ci95" in v:
            lines.append(f"  (overall F1, 95% bootstrap interval: {v['ci95'][0]*100:.2f}–{v['ci95'][1]*100:.2f})")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# training
# ------------------------------------------------------------------------------------------------
def train_crf(xs, ys, path: Path, params: dict, log=print) -> float:
    import pycrfsuite

    t0 = time.time()
    tr = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for x, y in zip(xs, ys):
        tr.append(x, y)
    tr.set_params({"c1": params["c1"], "c2": params["c2"], "max_iterations": params["max_iterations"],
                   "feature.possible_transitions": True})
    tr.train(str(path))
    dt = time.time() - t0
    log(f"  trained {path.name} in {dt:.0f}s")
    return dt


def tag_all(model: Path, xs) -> list[list[str]]:
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(model))
    out = [tg.tag(x) for x in xs]
    tg.close()
    return out


def write_attributes(models: Path | list[Path], path: Path) -> int:
    """The attributes that carry a weight in the model(s), sorted: the tagger drops every other feature
    before calling CRFsuite (same tags, less work)."""
    import pycrfsuite

    attrs = set()
    for model in [models] if isinstance(models, Path) else models:
        tg = pycrfsuite.Tagger()
        tg.open(str(model))
        attrs |= {a for a, _ in tg.info().state_features}
        tg.close()
    attrs = sorted(attrs)
    path.write_text("\n".join(attrs), encoding="utf-8")
    return len(attrs)


AUTOLEX_ARTICLES = 10000

# NewsFANE fine class -> subtype reported with an entity (for actor coding: sector hints), by coarse type.
SUBTYPES = {
    "Politician": "PERS.politician", "Athlete": "PERS.athlete", "Artist": "PERS.artist",
    "Religious_PER": "PERS.religious", "Businessperson": "PERS.business", "Scientist": "PERS.scientist",
    "Police": "PERS.police", "Other_PER": "PERS.other", "Lawyer": "PERS.other", "Engineer": "PERS.other",
    "Government": "ORG.government", "Non-Governmental": "ORG.nongovernmental", "Sports": "ORG.sports",
    "Media": "ORG.media", "Commercial": "ORG.commercial", "Educational": "ORG.educational",
    "Medical-Science": "ORG.medical", "Religious_ORG": "ORG.religious", "Entertainment": "ORG.other",
    "Nation": "LOC.nation", "Population-Center": "LOC.city", "State-or-Province": "LOC.province",
    "County-or-District": "LOC.district", "Continent": "LOC.continent", "GPE-Cluster": "LOC.gpe_cluster",
    "Water-Body": "LOC.water", "Land-Region-Natural": "LOC.region", "Land": "LOC.region",
    "Building-Grounds": "LOC.facility", "Airport": "LOC.facility", "Path": "LOC.facility",
    "Subarea-Facility": "LOC.facility",
}


def subtype_examples(fx: FeatureExtractor, pairs) -> tuple[list[list[str]], list[str]]:
    """Entity spans of NewsFANE (projected onto ANERcorp tokens) with a subtype -> (features, label)."""
    from waqai.ner.features import span_features

    X, y = [], []
    for toks, tags in pairs:
        for first, last, cls in fane_spans(list(zip(toks, tags))):
            lab = SUBTYPES.get(cls)
            if lab:
                X.append(span_features(fx, toks, first, last, lab.split(".")[0]))
                y.append(lab)
    return X, y


def train_subtypes(fx: FeatureExtractor, train_pairs, dev_pairs, path: Path, log=print) -> dict:
    """A logistic-regression span classifier; shipped as sparse weights (gzip JSON)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = subtype_examples(fx, train_pairs)
    Xd, yd = subtype_examples(fx, dev_pairs)
    vec = DictVectorizer()
    A = vec.fit_transform([{f: 1 for f in x} for x in X])
    clf = LogisticRegression(C=2.0, max_iter=2000, random_state=0).fit(A, y)
    classes = list(clf.classes_)
    W = clf.coef_
    names = vec.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        col = W[:, j]
        nz = [[int(i), round(float(col[i]), 3)] for i in np.flatnonzero(np.abs(col) >= 0.01)]
        if nz:
            weights[str(name)] = nz
    model = {"classes": classes, "intercept": [round(float(b), 3) for b in clf.intercept_], "weights": weights}
    data = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_gz(path, [data])
    # accuracy on the dev spans, scored the way the tagger scores (restricted to the coarse type)
    from waqai.ner import SubtypeModel

    sm = SubtypeModel(model)
    ok = collections.Counter()
    tot = collections.Counter()
    for feats, gold in zip(Xd, yd):
        ty = gold.split(".")[0]
        tot[ty] += 1
        ok[ty] += sm.predict(feats, ty) == gold.split(".", 1)[1]
    majority = collections.Counter(y)
    res = {ty: {"n": tot[ty], "accuracy": round(ok[ty] / tot[ty], 4) if tot[ty] else None,
                "majority_baseline": round(max((c for lab, c in collections.Counter(yd).items()
                                                 if lab.startswith(ty + ".")), default=0) / tot[ty], 4)
                if tot[ty] else None}
           for ty in ("PERS", "ORG", "LOC")}
    log(f"  subtypes: {len(X)} training spans, {len(Xd)} dev spans, {len(weights)} features; "
        f"dev accuracy given the span: " + ", ".join(f"{t} {v['accuracy']} (majority {v['majority_baseline']}, n={v['n']})"
                                                     for t, v in res.items()))
    del majority
    return res


def news_sentences(news: Path, n_articles: int) -> list[list[str]]:
    from waqai.arabic import split_sentences

    out = []
    for i, text in enumerate(news_texts(news)):
        if i >= n_articles:
            break
        for s, e in split_sentences(text):
            toks = [t.text for t in tokenize(text[s:e])]
            if toks:
                out.append(toks[:400])
    return out


def autolex_from(model: Path, fx: FeatureExtractor, sents: list[list[str]], min_count: int = 5) -> dict[str, str]:
    """word -> 'TYPE:hi|mid|lo': the share of its news occurrences the model tags as an entity of its
    most frequent type (>= 0.8, >= 0.4, >= 0.1); words seen fewer than `min_count` times or
    (almost) never tagged get no entry."""
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(model))
    cnt: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for toks in sents:
        for tok, tag in zip(toks, tg.tag(fx.sentence(toks))):
            cnt[normalize(tok)][tag[2:] if tag != "O" else "O"] += 1
    tg.close()
    lex = {}
    for w, c in cnt.items():
        tot = sum(c.values())
        ents = sorted(((v, t) for t, v in c.items() if t != "O"), key=lambda e: (-e[0], e[1]))
        if tot < min_count or not ents:
            continue
        frac = ents[0][0] / tot
        level = "hi" if frac >= 0.8 else "mid" if frac >= 0.4 else "lo" if frac >= 0.1 else None
        if level:
            lex[w] = f"{ents[0][1]}:{level}"
    return lex


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "waqai" / "resources" / "ner")
    ap.add_argument("--design", default=DEFAULT_DESIGN, choices=sorted(DESIGNS))
    ap.add_argument("--compare", nargs="?", const="all", default=None, metavar="NAMES",
                    help="train and evaluate every design (or the comma-separated NAMES)")
    ap.add_argument("--no-ship", action="store_true", help="with --compare: do not retrain the shipped design")
    ap.add_argument("--work", type=Path, default=None, help="scratch dir for compared models and the jackknife (default: /tmp/waqai-ner-work)")
    ap.add_argument("--reuse-members", action="store_true",
                    help="ensemble designs: take the members' models from --work (trained by an earlier run)")
    ap.add_argument("--rebuild-clusters", action="store_true", help="recompute clusters even if present")
    ap.add_argument("--extra-clusters", default="", metavar="K,K",
                    help="with --rebuild-clusters: add flat k-means clusterings as extra table columns "
                         "(the x-cols5 experiment used 1000,4000)")
    ap.add_argument("--cluster-tokens", choices=("frozen", "tokenizer"), default="frozen",
                    help="with --rebuild-clusters: frozen (default) counts # and _ as tokens, as when the "
                         "shipped clusters were built; tokenizer counts the tokenizer's tokens only (the "
                         "tokenizer-counted rows of docs/ner.md)")
    ap.add_argument("--train-fraction", type=float, default=1.0,
                    help="train on this first fraction of the training sentences (a learning curve; with --no-ship)")
    ap.add_argument("--no-team-labels", action="store_true",
                    help="leave out the team-labelled news sentences of eval/ner/ (the model shipped before session 10)")
    ap.add_argument("--extra-train", type=Path, action="append", default=[],
                    help="more labelled sentences (CoNLL `token TAG`) added to the training part (with --no-ship)")
    ap.add_argument("--dev-rule", choices=("last10", "every10"), default="last10",
                    help="last10 (THE dev split, reported): the last 10%% of sentences; every10: every "
                         "10th sentence, for comparison with random-split figures only")
    ap.add_argument("--c1", type=float, default=None)
    ap.add_argument("--c2", type=float, default=None)
    ap.add_argument("--max-iterations", type=int, default=None)
    ap.add_argument("--subtypes-only", action="store_true",
                    help="only (re)train the entity-subtype classifier of the model in --out")
    ap.add_argument("--gazetteer-actors", action="store_true",
                    help="a design check, not shipped: add the coder's organisation and people tables to the "
                         "gazetteer (types ORG, PERS); use a scratch --out")
    ap.add_argument("--mapping-report", action="store_true", help="print NewsFANE class vs ANERcorp type")
    args = ap.parse_args(argv)
    if (args.train_fraction < 1.0 or args.extra_train) and not (args.compare and args.no_ship):
        ap.error("--train-fraction and --extra-train are for experiments: use them with --compare … --no-ship")
    if not (args.compare and args.no_ship) and set(DESIGNS[args.design]) & {"nn", "ensemble"}:
        ap.error(f"--design {args.design}: only CRF designs can be shipped (the runtime tagger is a CRF)")
    if args.gazetteer_actors and args.out.resolve() == (ROOT / "src" / "waqai" / "resources" / "ner").resolve():
        ap.error("--gazetteer-actors is a design check, not the shipped gazetteer: give a scratch --out")
    random.seed(SEED)
    t_start = time.time()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    work = args.work or Path("/tmp/waqai-ner-work")
    work.mkdir(parents=True, exist_ok=True)

    anc = read_conll(args.data / "ner" / "anercorp-train.txt")
    if args.dev_rule == "every10":  # NOT the reported split: sentences of one article on both sides
        train = [s for i, s in enumerate(anc) if i % 10 != 9]
        dev = [s for i, s in enumerate(anc) if i % 10 == 9]
    else:
        train, dev = split_dev(anc)
    print(f"ANERcorp: {len(anc)} sentences -> train {len(train)}, dev {len(dev)} "
          f"({sum(map(len, dev))} tokens, rule {args.dev_rule})")

    # NewsFANE: drop what overlaps the dev split; project labels of the rest onto ANERcorp tokens
    fane = read_conll(args.data / "ner" / "newsfane-train.txt")
    ov = overlap_with(fane, dev)
    fane_train = [s for s, o in zip(fane, ov) if o < 0.2]
    print(f"NewsFANE: {len(fane)} sentences, {len(fane) - len(fane_train)} overlap the dev split and are dropped")
    matches = match_fane(train, fane_train)
    projected = []  # (ANERcorp train index, fine tags on its tokens)
    for s, (best, fa, fb) in zip(fane_train, matches):
        if best is not None and fa >= 0.8 and fb >= 0.8:
            tags = project(train[best], s)
            if tags is not None:
                projected.append((best, tags))
    print(f"  {len(projected)} NewsFANE sentences aligned to ANERcorp train sentences")
    if args.train_fraction < 1.0:  # a learning curve: the first part of the training sentences only
        train = train[: int(len(train) * args.train_fraction)]
        projected = [(b, t) for b, t in projected if b < len(train)]
        print(f"  training on the first {len(train)} sentences (--train-fraction {args.train_fraction})")
    # each training sentence's document, for the document-level designs: None = ANERcorp's (no document
    # ids: the sentences within +-window of it in the ANERcorp part); else (its article's sentences, its
    # position there)
    contexts: list = [None] * len(train)
    if not args.no_team_labels:  # the team's labelled news sentences (eval/ner/, scripts/dump_ner.py)
        from dump_ner import team_sentences

        team_docs: list = []
        team = team_sentences(args.data / "news" / "ant-2018.jsonl.gz", contexts=team_docs)
        train = train + team
        contexts += team_docs
        print(f"  + {len(team)} team-labelled news sentences (eval/ner/)")
    for extra in args.extra_train:  # more labelled sentences (CoNLL), after the split: never in dev
        more = read_conll(extra)
        train = train + more
        contexts += [([[t for t, _ in m]], 0) for m in more]  # no document known: the sentence alone
        print(f"  + {len(more)} sentences of {extra}")
    if args.mapping_report:
        conf = collections.defaultdict(collections.Counter)
        for best, tags in projected:
            for (_, gold), ft in zip(train[best], tags):
                if ft.startswith("B-"):
                    conf[ft[2:]][gold[2:] if gold != "O" else "O"] += 1
        for cls, cnt in sorted(conf.items(), key=lambda e: -sum(e[1].values())):
            print(f"  {cls:22} -> {FANE_MAP.get(cls)!s:5}  ANERcorp: {dict(cnt.most_common(4))}")

    # resources
    cpath = out / "clusters.tsv.gz"
    gpath = out / "gazetteer.tsv"
    counts_path = work / "news-counts.json"
    if args.rebuild_clusters or not cpath.exists():
        print("building word clusters from the news corpus ...")
        extra = tuple(int(k) for k in args.extra_clusters.split(",") if k.strip())
        lines, counts = build_clusters(args.data / "news" / "ant-2018.jsonl.gz", extra=extra,
                                       marks=args.cluster_tokens == "frozen")
        write_gz(cpath, lines)
        common = [w for w, _ in sorted(counts.items(), key=lambda e: (-e[1], e[0]))[:3000]]
        counts_path.write_text(json.dumps(common, ensure_ascii=False))
    elif not counts_path.exists():  # the clusters in --out are kept; only the common words are counted
        counts = collections.Counter()
        for text in news_texts(args.data / "news" / "ant-2018.jsonl.gz"):
            counts.update(corpus_tokens(text))
        common = [w for w, _ in sorted(counts.items(), key=lambda e: (-e[1], e[0]))[:3000]]
        counts_path.write_text(json.dumps(common, ensure_ascii=False))
    common = set(json.loads(counts_path.read_text())[:2000])
    gaz_lines = build_gazetteer(args.data / "gazetteer", common, actors=args.gazetteer_actors)
    gpath.write_text("# derived by scripts/train_ner.py from ../shared/data/gazetteer (ODbL-1.0 / MIT)\n"
                     + "\n".join(gaz_lines) + "\n", encoding="utf-8")
    res = Resources(Resources.read_clusters(cpath.read_bytes()), Resources.read_gazetteer(gpath.read_text("utf-8")))
    print(f"resources: {len(res.clusters)} clustered words, {len(gaz_lines)} gazetteer names")

    autolex_cache: dict = {}

    def autolexes(design: dict) -> tuple[dict, dict, dict]:
        """Auto-lexicons from the news corpus tagged by a first-stage CRF (the design without
        autolex): one from a model trained on each half of the training split (used, crossed, as the
        features of the other half: jackknifing, so the second stage does not learn to trust a lexicon
        that memorised its own training labels) and one from a model trained on all of it (dev, run time)."""
        stage1 = {k: v for k, v in design["features"].items() if k != "autolex"}
        key = json.dumps(stage1, sort_keys=True)
        if key in autolex_cache:
            return autolex_cache[key]
        print(f"  auto-lexicon: stage-1 features {stage1}, tagging {AUTOLEX_ARTICLES} news articles")
        fx1 = FeatureExtractor(res, stage1)
        news_sents = news_sentences(args.data / "news" / "ant-2018.jsonl.gz", AUTOLEX_ARTICLES)
        half = len(train) // 2
        parts = {"A": train[:half], "B": train[half:], "all": train}
        lex = {}
        for pname, part in parts.items():
            mpath = work / f"stage1-{pname}.crfsuite"
            train_crf([fx1.sentence([t for t, _ in s]) for s in part], [[t for _, t in s] for s in part],
                      mpath, BASE_CRF)
            lex[pname] = autolex_from(mpath, fx1, news_sents)
            print(f"  auto-lexicon {pname}: {len(lex[pname])} words")
        autolex_cache[key] = (lex["A"], lex["B"], lex["all"])
        return autolex_cache[key]

    def data_for(design: dict):
        sents = [[t for t, _ in s] for s in train]
        labels = [[t for _, t in s] for s in train]
        if design["features"].get("autolex"):
            lex_a, lex_b, lex_all = autolexes(design)
            half = len(train) // 2
            fx_a = FeatureExtractor(Resources(res.clusters, res.gazetteer, lex_b), design["features"])
            fx_b = FeatureExtractor(Resources(res.clusters, res.gazetteer, lex_a), design["features"])
            xs = [(fx_a if i < half else fx_b).sentence(s) for i, s in enumerate(sents)]
            fx = FeatureExtractor(Resources(res.clusters, res.gazetteer, lex_all), design["features"])
            fx.autolex_table = lex_all
            return fx, xs, labels
        fx = FeatureExtractor(res, design["features"])
        if design["fane"] == "projected":
            for best, tags in projected:
                sents.append([t for t, _ in train[best]])
                labels.append(repair_bio([coarse(t) for t in tags]))
        xs = [fx.sentence(s) for s in sents]
        return fx, xs, labels

    vectors_cache: dict = {}

    def vectors(vocab_size: int):
        """The PPMI-SVD news word vectors (as for the clusters), cached in the work dir."""
        import numpy as np

        if vocab_size not in vectors_cache:
            vpath = work / f"vectors-{vocab_size}.npz"
            if vpath.exists():
                z = np.load(vpath, allow_pickle=False)
                vectors_cache[vocab_size] = (list(z["vocab"]), z["vectors"])
            else:
                print(f"  word vectors of the {vocab_size} most frequent news words ...")
                vocab, X, _ = word_vectors(args.data / "news" / "ant-2018.jsonl.gz", vocab_size)
                np.savez(vpath, vocab=np.array(vocab), vectors=X.astype(np.float32))
                vectors_cache[vocab_size] = (vocab, X.astype(np.float32))
        return vectors_cache[vocab_size]

    def run_neural(name: str, model_path: Path) -> dict:
        import ner_neural

        print(f"design {name}: {DESIGNS[name]}")
        r = ner_neural.run_design(name, DESIGNS[name], train, dev, res, vectors, evaluate, model_path)
        print(format_eval(r["dev"]))
        return {k: v for k, v in r.items() if k not in ("pred", "net", "enc")}

    def run_ensemble(name: str) -> dict:
        import ner_neural

        print(f"design {name}: {DESIGNS[name]}")
        ms, secs = [], 0.0
        for member in DESIGNS[name]["ensemble"]:
            mdesign = DESIGNS[member]
            path = work / (member.replace("/", "_") + (".pt" if "nn" in mdesign else ".crfsuite"))
            if member in trained_here or (args.reuse_members and path.exists()):
                print(f"  member {member}: reusing {path}")
            else:
                secs += run(member, path.with_suffix(".crfsuite"))["train_seconds"]
            if "nn" in mdesign:
                net, enc = ner_neural.load_design(path, mdesign, train, res, vectors)
                ms.append(ner_neural.marginals(net, enc, [[t for t, _ in s] for s in dev]))
            else:
                fx = FeatureExtractor(res, mdesign["features"])
                ms.append(ner_neural.crf_marginals(path, [fx.sentence([t for t, _ in s]) for s in dev]))
        avg = [sum(m[i] for m in ms) / len(ms) for i in range(len(dev))]
        ev = evaluate([[t for _, t in s] for s in dev], ner_neural.decode_marginals(avg))
        print(format_eval(ev))
        return {"design": name, "members": DESIGNS[name]["ensemble"], "dev": ev, "train_seconds": round(secs, 1),
                "train_sentences": len(train), "model_bytes": 0}

    trained_here: set[str] = set()  # designs trained by this run (in --work): ensembles reuse them

    def run(name: str, model_path: Path) -> dict:
        design = DESIGNS[name]
        if "ensemble" in design:
            return run_ensemble(name)
        if "nn" in design:
            r = run_neural(name, model_path.with_suffix(".pt"))
            trained_here.add(name)
            return r
        params = dict(BASE_CRF, **design.get("crf", {}))
        for k, v in (("c1", args.c1), ("c2", args.c2), ("max_iterations", args.max_iterations)):
            if v is not None:
                params[k] = v
        print(f"design {name}: {design} {params}")
        fx, xs, ys = data_for(design)
        if "doc" in design:
            dt, pred = run_doc(design, params, fx, xs, ys, model_path)
        else:
            dt = train_crf(xs, ys, model_path, params)
            dev_x = [fx.sentence([t for t, _ in s]) for s in dev]
            pred = tag_all(model_path, dev_x)
        ev = evaluate([[t for _, t in s] for s in dev], pred)
        print(format_eval(ev))
        if model_path.parent == work:
            trained_here.add(name)
        if model_path.parent == out:
            apath = out / "autolex.tsv.gz"
            table = getattr(fx, "autolex_table", None)
            if table:
                write_gz(apath, [f"{w}\t{c}" for w, c in sorted(table.items())])
            elif apath.exists():
                apath.unlink()
            s1path = out / "stage1.crfsuite"
            if not design.get("doc", {}).get("stage2") and s1path.exists():
                s1path.unlink()
        mbytes = model_path.stat().st_size
        if design.get("doc", {}).get("stage2"):
            mbytes += stage1_path(model_path).stat().st_size
        return {"design": name, "features": {**DEFAULT_CONFIG, **design["features"]}, "fane": design["fane"],
                "crf": params, "document": design.get("doc"), "dev": ev, "train_seconds": round(dt, 1),
                "train_sentences": len(xs), "model_bytes": mbytes}

    def stage1_path(model_path: Path) -> Path:
        return out / "stage1.crfsuite" if model_path.parent == out else model_path.with_suffix(".stage1.crfsuite")

    jack_cache: dict = {}

    def run_doc(design: dict, params: dict, fx, xs, ys, model_path: Path) -> tuple[float, list]:
        """A document-level design: train (first stage, jackknifed first-stage labels of the training
        part, second stage) and tag dev with the runtime code (Tagger.tag_document over +-window)."""
        from waqai.ner import Tagger
        from waqai.ner.features import doc_features

        doc = design["doc"]
        window = doc["window"]
        t0 = time.time()
        if doc.get("stage2"):
            k = int(doc.get("folds", 5))
            key = hashlib.sha256(json.dumps([design["features"], params, k, xs, ys]).encode()).hexdigest()[:16]
            jpath = work / f"jackknife2-{key}.json"  # the same data and design always give the same labels
            if key not in jack_cache and jpath.exists():
                jack_cache[key] = json.loads(jpath.read_text())
            if key not in jack_cache:
                # k contiguous folds (whole articles held out, like dev): each fold tagged by a model
                # trained on the others, so the second stage learns from labels as noisy as at run time
                # A sentence with a document of its own (a team-labelled news sentence) has the other
                # sentences of its article tagged by the same held-out fold's model, as at run time.
                n = len(xs)
                bounds = [n * f // k for f in range(k + 1)]
                jack: list = [None] * n
                ctx_tags: list = [None] * n
                for f in range(k):
                    a, b = bounds[f], bounds[f + 1]
                    fpath = work / f"jackknife-fold{f}of{k}.crfsuite"
                    train_crf(xs[:a] + xs[b:], ys[:a] + ys[b:], fpath, params)
                    jack[a:b] = tag_all(fpath, xs[a:b])
                    owners = [i for i in range(a, b) if contexts[i] is not None]
                    flat = tag_all(fpath, [fx.sentence(t) if j != contexts[i][1] else []
                                           for i in owners for j, t in enumerate(contexts[i][0])])
                    at = 0
                    for i in owners:
                        ctx_tags[i] = flat[at:at + len(contexts[i][0])]
                        at += len(contexts[i][0])
                print("  jackknifed first stage on the training part: "
                      + " ".join(f"{t} {v['F1']*100:.1f}" for t, v in evaluate(ys, jack).items()))
                jack_cache[key] = (jack, ctx_tags)
                jpath.write_text(json.dumps(jack_cache[key]))
            jack, ctx_tags = jack_cache[key]
            train_crf(xs, ys, stage1_path(model_path), params)
            keys = [fx.doc_keys([t for t, _ in s]) for s in train]
            anc = [i for i, c in enumerate(contexts) if c is None]  # ANERcorp: a window over its own part
            extra: list = [None] * len(train)
            for i, d in zip(anc, doc_features([keys[i] for i in anc], [jack[i] for i in anc], window)):
                extra[i] = d
            for i, c in enumerate(contexts):  # the others: their whole article
                if c is not None:
                    sents, pos = c
                    tags = list(ctx_tags[i])
                    tags[pos] = jack[i]
                    doc_keys = [fx.doc_keys(t) if j != pos else keys[i] for j, t in enumerate(sents)]
                    extra[i] = doc_features(doc_keys, tags, None)[pos]
            if doc["stage2"] == "stacked":
                xs2 = [fx.stacked([t for t, _ in s], j, d) for s, j, d in zip(train, jack, extra)]
            else:
                xs2 = [[a + b for a, b in zip(x, d)] for x, d in zip(xs, extra)]
            train_crf(xs2, ys, model_path, params)
            stage1 = stage1_path(model_path).read_bytes()
        else:
            train_crf(xs, ys, model_path, params)
            stage1 = None
        dt = time.time() - t0
        meta = {"feature_version": FEATURE_VERSION, "features": {**DEFAULT_CONFIG, **design["features"]},
                "document": doc}
        tagger = Tagger(model_path.read_bytes(), cpath.read_bytes(), gpath.read_text("utf-8"), meta,
                        stage1_bytes=stage1)
        pred = tagger.tag_document([[t for t, _ in s] for s in dev], window=window)
        return dt, pred

    def subtypes() -> dict:
        # NewsFANE's fine classes on spans; dev = the NewsFANE sentences dropped for overlapping dev
        fx_sub = FeatureExtractor(res, DESIGNS[args.design]["features"])
        train_pairs = [([t for t, _ in train[best]], tags) for best, tags in projected]
        fane_dev = [s for s, o in zip(fane, ov) if o >= 0.2]
        dev_pairs = []
        for s, (best, fa, fb) in zip(fane_dev, match_fane(dev, fane_dev)):
            if best is not None and fa >= 0.8 and fb >= 0.8:
                tags = project(dev[best], s)
                if tags is not None:
                    dev_pairs.append(([t for t, _ in dev[best]], tags))
        return train_subtypes(fx_sub, train_pairs, dev_pairs, out / "subtypes.json.gz")

    if args.subtypes_only:  # (re)build only the subtype classifier of an existing model directory
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
        meta["subtypes_dev"] = subtypes()
        meta["sha256"] = {p.name: sha(p) for p in sorted(out.iterdir()) if p.name != "meta.json"}
        (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0

    results = {}
    if args.compare:
        names = list(DESIGNS) if args.compare == "all" else args.compare.split(",")
        for name in names:
            results[name] = run(name, work / (name.replace("/", "_") + ".crfsuite"))
        print("\nsummary (dev, overall entity F1):")
        for name, r in results.items():
            o = r["dev"]["overall"]
            print(f"  {name:26} P {o['P']*100:6.2f}  R {o['R']*100:6.2f}  F1 {o['F1']*100:6.2f}  "
                  f"train {r['train_seconds']:.0f}s  model {r['model_bytes']/1e6:.1f} MB")
        (work / "compare.json").write_text(json.dumps(results, indent=1))
        if args.no_ship:
            return 0

    final = run(args.design, out / "model.crfsuite")
    models = [out / "model.crfsuite"]
    if (final.get("document") or {}).get("stage2"):
        models.append(out / "stage1.crfsuite")
    write_attributes(models, out / "attributes.txt")
    subtype_eval = subtypes()
    meta = {
        "feature_version": FEATURE_VERSION,
        "design": final["design"],
        "features": final["features"],
        "crf": final["crf"],
        "fane": final["fane"],
        **({"document": final["document"]} if final.get("document") else {}),
        "dev_rule": ("last 10% of anercorp-train.txt sentences (contiguous)" if args.dev_rule == "last10"
                     else "every 10th sentence of anercorp-train.txt (comparison only)"),
        "dev": final["dev"],
        "train_sentences": final["train_sentences"],
        "feature_fingerprint": FeatureExtractor(res, final["features"]).fingerprint(),
        "subtypes_dev": subtype_eval,
        "sha256": {p.name: sha(p) for p in sorted(out.iterdir()) if p.name != "meta.json"},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"\nshipped {args.design} to {out}: {size/1e6:.2f} MB in {len(list(out.iterdir()))} files; "
          f"total time {time.time() - t_start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
