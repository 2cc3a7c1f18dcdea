"""Train the models that choose a lexicon event's actor and recipient (waqai.parties.choose_parties).

    pip install -e ".[train]" && python scripts/train_parties.py

Data: eval/parties/labels-*.jsonl, the actor and recipient codes annotators gave to true events of the judge's
labels (drawn by `scripts/dump_candidates.py --true-events --judge-files …`, never from the articles of the
team gold, the recall audit or the attribution gold; docs/annotation.md, "Parties"). The coder reads each
labelled article (rules + judge; its own party models off, so that training does not read the model it
trains, and the speech acts off, since their party models are trained on topics these models move: with
both on, each model would change the other's training data) and records every lexicon candidate with the
mentions and topic its sentence had (code_article's `attributed`). Retrain the speech party models after
these (scripts/train_speech_parties.py). Each choice (waqai.parties.party_candidates: a mention with a country, the
topic, no one) is labelled right when its country is among the annotated codes (no one: when the annotators
gave none); uncertain labels are left out. One model scores actors, one recipients (given the actor the
first model chooses). The shipped models (`--model trees`, session 13) are gradient-boosted trees over the
choices' binary features (train_speech_parties.fit_forest: 300 trees of up to 31 leaves, one thread, written
to src/waqai/resources/parties/trees.tsv); `--model linear` gives the L2 logistic regressions shipped before
(C chosen out of fold, parties/weights.tsv). Either way the script prints how often the best scored choice is
right out of fold (5 folds by article) against the rules, writes its model and removes the other file.
Deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
from train_speech_parties import FOREST, Ranking, fit_forest, write_model  # noqa: E402
from waqai.evaluate import read_corpus  # noqa: E402
from waqai.parties import choose_actor, countries, features, party_candidates  # noqa: E402
from waqai.pipeline import code_article  # noqa: E402

RESOURCES = ROOT / "src" / "waqai" / "resources" / "parties"
FILES = {"trees": "trees.tsv", "linear": "weights.tsv"}  # waqai.parties reads the one shipped (trees first)
GRID = (0.3, 1.0, 3.0)  # the values of C tried


def labels(files: list[Path]) -> dict[tuple[str, int, str], dict]:
    out = {}
    for p in files:
        for line in open(p, encoding="utf-8"):
            o = json.loads(line) if line.strip() else None
            if o and not o.get("uncertain"):
                out[(o["doc_id"], o["trigger_start"], o["event_type"])] = o
    return out


def labelled_candidates(corpus: Path, want: dict) -> list:
    """(article id, sentence, mentions, topic, candidate, label) for each labelled true event the coder
    proposes at its trigger."""
    docs = {d for d, _, _ in want}
    out = []
    for doc, art in sorted(read_corpus(str(corpus), docs).items()):
        seen = []
        code_article(art, use_parties=False, use_speech=False, merge=False, attributed=seen)
        for s, ms, topic, c in seen:
            lab = want.get((doc, s.tokens[c.first].start, c.entry.event_type))
            if lab is not None:
                out.append((doc, s, ms, topic, c, lab))
    return out


def right(m, gold: list[str]) -> bool:
    return not gold if m is None else bool(countries(m) & set(gold))


def decided_right(chosen: list, gold: list[str]) -> bool:
    return not gold if not chosen else bool(countries(chosen[0]) & set(gold))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz")
    ap.add_argument("--labels", type=Path, default=ROOT / "eval" / "parties", help="directory of labels-*.jsonl")
    ap.add_argument("--out", type=Path, default=RESOURCES, help="the directory to write the model into")
    ap.add_argument("--model", choices=sorted(FILES), default="trees",
                    help="gradient-boosted trees (shipped) or the L2 logistic regressions shipped before session 13")
    args = ap.parse_args()
    want = labels(sorted(args.labels.glob("labels-*.jsonl")))
    rows = labelled_candidates(args.corpus, want)
    print(f"{len(want)} certain labels; {len(rows)} found at a candidate of the coder")

    def fit(ranking: Ranking, role: str):
        if args.model == "trees":
            return fit_forest(ranking, role, FOREST)
        return ranking.fit(role, GRID)[0]

    actors = Ranking()
    for doc, s, ms, topic, c, lab in rows:
        actors.add(doc, [(features(s, ms, topic, c, m, "actor"), right(m, lab["actor"]))
                         for m in party_candidates(ms, topic)], decided_right(c.actor, lab["actor"]),
                   c.entry.event_type)
    actor_model = fit(actors, "actor")

    recipients = Ranking()
    for doc, s, ms, topic, c, lab in rows:
        chosen = choose_actor(s, ms, topic, c, actor_model)
        head = chosen[0] if chosen else None
        recipients.add(doc, [(features(s, ms, topic, c, m, "recipient", head), right(m, lab["recipient"]))
                             for m in party_candidates(ms, topic, exclude=head)],
                       decided_right(c.recipient, lab["recipient"]), c.entry.event_type)
    recipient_model = fit(recipients, "recipient")
    write_model(args.out, FILES, args.model, {"actor": actor_model, "recipient": recipient_model})


if __name__ == "__main__":
    main()
