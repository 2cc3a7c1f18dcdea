"""Train the speech-act models (waqai.speech) on the labelled sentences of reported speech.

    pip install -e ".[train]" && python scripts/train_speech.py

Data: eval/speech/labels-*.jsonl (drawn by scripts/dump_speech.py, labelled by the brief in
docs/annotation.md "Speech acts"): for each sentence, the verbal acts (ACCUSE, REQUEST, THREATEN, REJECT,
AGREE, SUPPORT) it reports, with or without a word naming them. One L2 logistic regression per type with at
least MIN_POSITIVES positive sentences. C and the threshold are chosen out of fold (5 folds by article, 3
fold splits): the threshold gives the best F1 among those with precision at least MIN_PRECISION (an act the
stage adds has no word to check it by, so it must be right more often than not: 0.6 until session 9, 0.7
since, when on 22,278 sentences both dev measures preferred it, docs/accuracy.md). Deterministic. Writes
src/waqai/resources/speech/weights.tsv, thresholds.tsv and clusters.sha256 (the NER word clusters its
features read), and prints the out-of-fold figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
from train_judge import prf  # noqa: E402
from waqai.evaluate import read_corpus  # noqa: E402
from waqai.pipeline import analyse  # noqa: E402
from waqai.speech import features  # noqa: E402

TYPES = ("ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE", "SUPPORT")
MIN_POSITIVES, MIN_PRECISION, MIN_WORD_COUNT = 60, 0.7, 3
OUT = ROOT / "src" / "waqai" / "resources" / "speech"


def examples(corpus: Path, featurize=features):
    """(article id, feature list, set of types) for each labelled sentence. `featurize(sentence)` gives the
    features (the stage's own by default; scripts/compare_sentence_vectors.py records more)."""
    want = {}
    for p in sorted((ROOT / "eval" / "speech").glob("labels-*.jsonl")):
        for line in open(p, encoding="utf-8"):
            if line.strip():
                o = json.loads(line)
                want.setdefault(o["doc_id"], {})[o["sentence"]] = set(o["types"])
    rows = []
    for art in read_corpus(str(corpus), set(want)).values():
        _, sents, _ = analyse(art)
        rows += [(art.id, featurize(sents[i]), types) for i, types in sorted(want[art.id].items())]
    counts = Counter(x for _, f, _ in rows for x in set(f) if x.startswith("w="))
    return [(g, [x for x in f if not x.startswith("w=") or counts[x] >= MIN_WORD_COUNT], t) for g, f, t in rows]


def choose(prob, y):
    """The threshold with the best F1 among those with precision >= MIN_PRECISION (None if none)."""
    best = None
    for t in np.arange(0.2, 0.96, 0.025):
        p, r, f, *_ = prf(prob >= t, y)
        if p >= MIN_PRECISION and (best is None or f > best[1]):
            best = (round(float(t), 3), f)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz")
    args = ap.parse_args()
    rows = examples(args.corpus)
    groups = np.array([g for g, _, _ in rows])
    vec = DictVectorizer()
    X = vec.fit_transform([{x: 1 for x in f} for _, f, _ in rows]).tocsr()
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)  # liblinear wants 32-bit indices
    names = vec.get_feature_names_out()
    uniq = sorted(set(groups))
    print(f"{len(rows)} sentences of {len(uniq)} articles; positives: "
          + ", ".join(f"{t} {sum(t in ty for *_, ty in rows)}" for t in TYPES))
    weights, thresholds = [], []
    for t in TYPES:
        y = np.array([t in ty for *_, ty in rows])
        if y.sum() < MIN_POSITIVES:
            print(f"  {t}: {y.sum()} positives, fewer than {MIN_POSITIVES}: no model")
            continue
        best = None
        for C in (0.03, 0.1, 0.3, 1.0):
            oof = np.zeros(len(rows))
            for rep in range(3):
                rng = np.random.RandomState(200 + rep)
                fold = dict(zip(uniq, rng.permutation(len(uniq)) % 5))
                fo = np.array([fold[g] for g in groups])
                for k in range(5):
                    m = LogisticRegression(C=C, max_iter=3000, solver="liblinear").fit(X[fo != k], y[fo != k])
                    oof[fo == k] += m.predict_proba(X[fo == k])[:, 1] / 3
            th = choose(oof, y)
            if th is not None and (best is None or th[1] > best[2]):
                best = (C, th[0], th[1], oof)
        if best is None:
            print(f"  {t}: no threshold reaches precision {MIN_PRECISION}: no model")
            continue
        C, th, _, oof = best
        p, r, f, tp, fp, fn = prf(oof >= th, y)
        print(f"  {t}: C={C} threshold {th}; out of fold P={p:.3f} R={r:.3f} F1={f:.3f} (tp={tp} fp={fp} fn={fn})")
        m = LogisticRegression(C=C, max_iter=3000, solver="liblinear").fit(X, y)
        coef = dict(zip(names, m.coef_[0]))
        coef["bias"] = coef.get("bias", 0.0) + m.intercept_[0]  # the intercept rides on the bias feature
        weights += [(t, n, w) for n, w in sorted(coef.items()) if abs(w) >= 1e-6]
        thresholds.append((t, th))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "weights.tsv", "w", encoding="utf-8") as f:
        f.write("event_type\tfeature\tweight\n")
        f.writelines(f"{t}\t{n}\t{w:.6f}\n" for t, n, w in weights)
    with open(OUT / "thresholds.tsv", "w", encoding="utf-8") as f:
        f.write("event_type\tthreshold\n")
        f.writelines(f"{t}\t{th}\n" for t, th in thresholds)
    digest = hashlib.sha256((OUT.parent / "ner" / "clusters.tsv.gz").read_bytes()).hexdigest()
    (OUT / "clusters.sha256").write_text(digest + "  ner/clusters.tsv.gz\n", encoding="utf-8")  # its features read them
    print(f"wrote {OUT.relative_to(ROOT)}/weights.tsv ({len(weights)} weights), thresholds.tsv and clusters.sha256")


if __name__ == "__main__":
    main()
