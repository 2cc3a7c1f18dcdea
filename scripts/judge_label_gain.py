"""Do the judge labels of a later batch help? A fixed evaluation: the news candidates of the earlier label
files (labels-0..5), out-of-fold by article (5 folds, 3 splits), scored by the judge trained on the other
folds of those files and the benchmark, without and with every candidate of the later files (labels-6 and
after, and the recall audit's dev half) added to each fold's training data. Reports AUC, best F1 over
thresholds and F1 at 0.30 on the same items. The candidates and features are train_judge.py's (what the judge sees in production).

    python scripts/judge_label_gain.py
"""
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import train_judge as T  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
new_ids = set()
for p in T.label_files():  # the recall audit's files (eval/recall/dev) count as later ones
    if not p.stem.startswith("labels-") or int(p.stem.split("-")[1]) >= 6:
        for line in open(p, encoding="utf-8"):
            new_ids.add(json.loads(line)["doc_id"])
rows, _ = T.examples(DATA)
groups = np.array([r[0] for r in rows])
domain = np.array([r[1] for r in rows])
y = np.array([r[3] for r in rows])
X = DictVectorizer().fit_transform([{f: 1 for f in r[4]} for r in rows]).tocsr()
news, bench = domain == "news", domain == "bench"
isnew = np.array([g in new_ids for g in groups])
old = news & ~isnew
uniq = sorted(set(groups[old | bench]))
for C in (0.03, 0.3, 1.0):
    res = {"without": [], "with": []}
    for rep in range(3):
        rng = np.random.RandomState(100 + rep)
        fog = dict(zip(uniq, rng.permutation(len(uniq)) % 5))
        fold = np.array([fog.get(g, -1) for g in groups])
        for name, extra in (("without", np.zeros(len(rows), bool)), ("with", isnew)):
            oof = np.zeros(len(rows))
            for k in range(5):
                tr = ((old | bench) & (fold != k)) | extra
                te = old & (fold == k)
                w = np.where(bench, (news & tr).sum() / max(1, (bench & tr).sum()), 1.0)
                oof[te] = T.fit(X[tr], y[tr], w[tr], C).predict_proba(X[te])[:, 1]
            best = max(T.prf((oof[old] >= t).astype(int), y[old])[2] for t in np.arange(0.1, 0.95, 0.025))
            at30 = T.prf((oof[old] >= 0.3).astype(int), y[old])
            res[name].append((roc_auc_score(y[old], oof[old]), best, at30[2]))
    for name, r in res.items():
        a = np.mean(r, axis=0)
        print(f"C={C} {name} the later labels: AUC {a[0]:.3f} best F1 {a[1]:.3f} F1 at 0.30 {a[2]:.3f} "
              f"({old.sum()} earlier news candidates)")
