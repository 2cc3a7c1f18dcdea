"""Train the models that choose who speaks and to whom in a speech act (waqai.speech.choose_speaker,
choose_recipient).

    pip install -e ".[train]" && python scripts/train_speech_parties.py

Data: the sentences of eval/speech/labels-*.jsonl that report at least one act, with the speaker's codes
(`actor`) and the target's (`recipient`) the annotators gave (docs/annotation.md, "Speech acts"). The coder
reads each labelled article (rules + judge, speech acts off, so that training does not read the model it
trains) and records the mentions of each sentence that reports speech (code_article's `heard`). Each
mention the sentence names with a country is a candidate (for a recipient, not the speaker nor his بلاده),
labelled right when its country is among the annotated codes: one model scores speakers
(speech.speaker_features), one scores recipients for each act type (speech.recipient_features, the speaker
being the first model's choice), and the coder takes the best scored candidate. The shipped models
(`--model trees`, session 13) are gradient-boosted trees (fit_forest, as for waqai.parties), written to
src/waqai/resources/speech/party_trees.tsv; `--model linear` gives the L2 logistic regressions shipped before
(C chosen out of fold, speech/parties.tsv). The script prints how often the best scored candidate is right
out of fold (5 folds by article), against the rules the models replace, writes its model and removes the
other file. Deterministic. The topics it reads come from
the actors the lexicon's events are given, which waqai.parties chooses: run scripts/train_parties.py first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from waqai.evaluate import read_corpus  # noqa: E402
from waqai.pipeline import code_article  # noqa: E402
from waqai.parties import Forest, best  # noqa: E402
from waqai.speech import (layout, recipient_candidates, recipient_features, rule_recipient,  # noqa: E402
                          rule_speaker, speaker_candidates, speaker_features)

RESOURCES = ROOT / "src" / "waqai" / "resources" / "speech"
FILES = {"trees": "party_trees.tsv", "linear": "parties.tsv"}  # waqai.speech reads the one shipped (trees first)
FOLDS = 5


def heard_sentences(corpus: Path):
    """(article id, sentence, mentions, topic, label) for each labelled sentence with an act that the coder
    reads as reported speech outside background."""
    want = {}
    for p in sorted((ROOT / "eval" / "speech").glob("labels-*.jsonl")):
        for line in open(p, encoding="utf-8"):
            o = json.loads(line) if line.strip() else None
            if o and o["types"]:
                want.setdefault(o["doc_id"], {})[o["sentence"]] = o
    out = []
    for doc, art in sorted(read_corpus(str(corpus), set(want)).items()):
        heard = []
        code_article(art, use_speech=False, merge=False, heard=heard)
        out += [(doc, s, ms, topic, want[doc][s.index]) for s, ms, topic in heard if s.index in want[doc]]
    return out


class Ranking:
    """Candidates grouped by decision: features, whether each is right, the decision's article and, if given,
    its kind (an event type: fit prints the figures per kind)."""

    def __init__(self):
        self.features, self.right, self.kinds, self.spans, self.rule_right = [], [], [], [], []

    def add(self, doc, candidates, rule_right, kind=None):
        start = len(self.features)
        for f, ok in candidates:
            self.features.append({x: 1 for x in f})
            self.right.append(ok)
        self.spans.append((start, len(self.features), doc))
        self.rule_right.append(rule_right)
        self.kinds.append(kind)

    def folds(self) -> tuple[np.ndarray, np.ndarray]:
        """Whether each candidate is right, and its fold (5 folds by article)."""
        y = np.array(self.right, dtype=int)
        docs = sorted({d for *_, d in self.spans})
        fold = {d: k % FOLDS for k, d in enumerate(docs)}
        row_fold = np.zeros(len(y), dtype=int)
        for a, b, d in self.spans:
            row_fold[a:b] = fold[d]
        return y, row_fold

    def hits(self, score: np.ndarray) -> list[bool]:
        """For each decision, whether its best scored candidate is right."""
        return [b > a and bool(self.right[a + int(np.argmax(score[a:b]))]) for a, b, _ in self.spans]

    def print_kinds(self, hits: list[bool], label: str) -> None:
        """How often the rule and the model are right, per kind of decision."""
        for kind in sorted({k for k in self.kinds if k is not None}):
            ix = [i for i, k in enumerate(self.kinds) if k == kind]
            print(f"    {kind:10} {len(ix):5} decisions: rule right {sum(self.rule_right[i] for i in ix) / len(ix):.3f}, "
                  f"{label} {sum(hits[i] for i in ix) / len(ix):.3f}")

    def fit(self, name, grid=(0.1, 0.3, 1.0)):
        """Choose C among `grid` out of fold, print the figures, return the weights fitted on everything."""
        vec = DictVectorizer()
        X = vec.fit_transform(self.features).tocsr()
        X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)
        y, row_fold = self.folds()
        n, docs = len(self.spans), {d for *_, d in self.spans}
        ceiling = sum(any(y[a:b]) for a, b, _ in self.spans)
        print(f"{name}: {n} decisions in {len(docs)} articles; the right one is a candidate in {ceiling}; "
              f"the rule is right in {sum(self.rule_right)} ({sum(self.rule_right) / n:.3f})")
        best = None
        for C in grid:
            score = np.zeros(len(y))
            for k in range(FOLDS):
                m = LogisticRegression(C=C, max_iter=3000, solver="liblinear").fit(X[row_fold != k], y[row_fold != k])
                score[row_fold == k] = m.decision_function(X[row_fold == k])
            hits = self.hits(score)
            right = sum(hits)
            print(f"  C={C}: the best scored candidate is right in {right} ({right / n:.3f}) out of fold")
            if best is None or right > best[1]:
                best = (C, right, hits)
        self.print_kinds(best[2], f"model (C={best[0]})")
        m = LogisticRegression(C=best[0], max_iter=3000, solver="liblinear").fit(X, y)
        coef = dict(zip(vec.get_feature_names_out(), m.coef_[0]))
        coef["bias"] = coef.get("bias", 0.0) + m.intercept_[0]
        return {f: w for f, w in sorted(coef.items()) if abs(w) >= 1e-6}, best[0]


# gradient-boosted trees for the party models (train_parties.py --model trees): the parameters were chosen out of
# fold on the party labels (session 13, docs/accuracy.md): 300 trees of up to 31 leaves, learning rate 0.1
FOREST = {"max_iter": 300, "learning_rate": 0.1, "max_leaf_nodes": 31}
MIN_FEATURE_COUNT = 30  # a forest splits only on features that at least this many candidates have


def fit_forest(ranking: Ranking, name: str, params: dict = FOREST) -> Forest:
    """Gradient-boosted trees over the ranking's binary features (those at least MIN_FEATURE_COUNT candidates
    have): how often the best scored candidate is right out of fold (the folds of Ranking.fit), then the
    forest fitted on everything, as the waqai.parties.Forest the coder scores it with (checked to give the
    fitted model's scores). One thread, no subsampling, no early stopping: the same data gives the same
    trees."""
    from collections import Counter

    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    counts = Counter(x for f in ranking.features for x in f)
    names = sorted(x for x, k in counts.items() if k >= MIN_FEATURE_COUNT)
    index = {x: i for i, x in enumerate(names)}
    X = np.zeros((len(ranking.features), len(names)), dtype=np.float32)
    for r, f in enumerate(ranking.features):
        X[r, [index[x] for x in f if x in index]] = 1.0
    y, row_fold = ranking.folds()

    def fit(rows):
        return HistGradientBoostingClassifier(**params, early_stopping=False, random_state=0).fit(X[rows], y[rows])

    with threadpool_limits(1):
        score = np.zeros(len(y))
        for k in range(FOLDS):
            score[row_fold == k] = fit(row_fold != k).decision_function(X[row_fold == k])
        hits = ranking.hits(score)
        n = len(ranking.spans)
        print(f"{name}: {n} decisions; forest ({len(names)} features, {params}): the best scored candidate is right "
              f"in {sum(hits)} ({sum(hits) / n:.3f}) out of fold")
        ranking.print_kinds(hits, "forest")
        model = fit(np.ones(len(y), dtype=bool))
    trees = []
    for (predictor,) in model._predictors:  # one tree per iteration (two classes)
        nodes = []
        for nd in predictor.nodes:
            if nd["is_leaf"]:
                nodes.append((None, float(nd["value"]), None))
            else:
                thr, left, right = float(nd["num_threshold"]), int(nd["left"]), int(nd["right"])
                nodes.append((names[nd["feature_idx"]], left if 0.0 <= thr else right, left if 1.0 <= thr else right))
        trees.append(tuple(nodes))
    forest = Forest(float(np.ravel(model._baseline_prediction)[0]), trees)
    check = np.arange(0, len(y), max(1, len(y) // 2000))
    if not np.allclose([forest.score(ranking.features[r]) for r in check], model.decision_function(X[check]),
                       atol=1e-4):
        raise SystemExit(f"{name}: the exported trees do not reproduce the fitted model")
    return forest


def write_forests(out: Path, forests: dict[str, Forest]) -> None:
    """Write role -> Forest in the format waqai.parties.role_forests reads."""
    with open(out, "w", encoding="utf-8") as f:
        f.write("role\ttree\tnode\tfeature\tabsent\tpresent\tvalue\n")
        for role, forest in forests.items():
            f.write(f"{role}\tbase\t\t\t\t\t{forest.base:.9g}\n")
            for t, nodes in enumerate(forest.trees):
                for k, (feat, absent, present) in enumerate(nodes):
                    f.write(f"{role}\t{t}\t{k}\t{feat}\t{absent}\t{present}\t\n" if feat is not None
                            else f"{role}\t{t}\t{k}\t\t\t\t{absent:.9g}\n")


def write_model(directory: Path, files: dict[str, str], kind: str, models: dict) -> Path:
    """Write the two roles' models ({"actor": …, "recipient": …}; `kind` "trees": a Forest each, "linear":
    weights) into directory/files[kind], and remove the other kind's file: waqai reads a forest first, so one
    model is shipped."""
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / files[kind]
    if kind == "trees":
        write_forests(out, models)
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write("role\tfeature\tweight\n")
            for role, weights in models.items():
                f.writelines(f"{role}\t{x}\t{w:.6f}\n" for x, w in weights.items())
    for other in set(files.values()) - {out.name}:
        if (directory / other).exists():
            (directory / other).unlink()
            print(f"removed {directory / other}")
    print(f"wrote {out}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz")
    ap.add_argument("--model", choices=sorted(FILES), default="trees",
                    help="gradient-boosted trees (shipped) or the L2 logistic regressions shipped before session 13")
    args = ap.parse_args()

    def fit(ranking: Ranking, role: str):
        return fit_forest(ranking, role) if args.model == "trees" else ranking.fit(role)[0]

    rows = heard_sentences(args.corpus)
    speakers = Ranking()
    for doc, s, ms, topic, lab in rows:
        if lab["actor"]:
            verb, comp = layout(s)
            rule = rule_speaker(s, ms, topic, verb, comp)
            speakers.add(doc, [(speaker_features(s, ms, topic, m, verb, comp), m.country in lab["actor"])
                               for m in speaker_candidates(ms, topic)],
                         rule is not None and rule.country in lab["actor"])
    actor_model = fit(speakers, "speaker")

    recipients = Ranking()
    for doc, s, ms, topic, lab in rows:
        if lab["recipient"]:
            verb, comp = layout(s)
            speaker = best(actor_model, [(m, speaker_features(s, ms, topic, m, verb, comp))
                                         for m in speaker_candidates(ms, topic)])
            rule = rule_recipient(ms, verb, comp, rule_speaker(s, ms, topic, verb, comp))
            for t in lab["types"]:
                recipients.add(doc, [(recipient_features(s, ms, topic, m, verb, comp, speaker, t),
                                      m.country in lab["recipient"]) for m in recipient_candidates(ms, speaker)],
                               rule is not None and rule.country in lab["recipient"])
    recipient_model = fit(recipients, "recipient (per act)")
    write_model(RESOURCES, FILES, args.model, {"actor": actor_model, "recipient": recipient_model})


if __name__ == "__main__":
    main()
