#!/usr/bin/env python
"""The shipped NER tagger on held-out news: the team-labelled ANT sentences of eval/ner/test/ (drawn after the
3,200 training sentences, from other articles, labelled with the same brief; never trained on).

    python scripts/ner_news_eval.py [--corpus ../shared/data/news/ant-2018.jsonl.gz] [--json]
    python scripts/ner_news_eval.py --anercorp-dev [--data ../shared/data]

Scores (conlleval style: exact span and type) each sentence tagged alone (`Tagger.tag_tokens`: for the
document-level model, its first stage, which is what the coder uses) and tagged with its whole article as the
document (`Tagger.tag_document`, what `waqai ner` and `Tagger.entities` do). Each overall F1 comes with its
95% bootstrap interval: over the sentences here (each from its own article); with --anercorp-dev, the shipped
tagger on ANERcorp's dev split (train_ner.py's figure), over blocks of 20 consecutive sentences (the split has
no article ids; 20 sentences are about an article).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from dump_ner import CORPUS, team_sentences  # noqa: E402
from train_ner import evaluate, format_eval  # noqa: E402
from waqai.ner import load_tagger  # noqa: E402

TEST = ROOT / "eval" / "ner" / "test"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--anercorp-dev", action="store_true", help="the ANERcorp dev split instead (train_ner.py's measure)")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    if args.anercorp_dev:
        from train_ner import read_conll, split_dev

        _, dev = split_dev(read_conll(args.data / "ner" / "anercorp-train.txt"))
        pred = load_tagger().tag_document([[w for w, _ in s] for s in dev], window=15)
        res = evaluate([[t for _, t in s] for s in dev], pred, block=20)
        print(json.dumps(res, indent=1) if args.json else
              f"ANERcorp dev split, {len(dev)} sentences, the shipped tagger (as train_ner.py scores it):\n"
              + format_eval(res))
        return
    contexts: list = []
    sents = team_sentences(args.corpus, contexts=contexts, labels=TEST)
    if not sents:
        raise SystemExit(f"no labelled sentences in {TEST}")
    tagger = load_tagger()
    gold = [[t for _, t in s] for s in sents]
    alone = [tagger.tag_tokens([w for w, _ in s]) for s in sents]
    document = [tagger.tag_document(doc)[pos] for doc, pos in contexts]
    res = {"sentences": len(sents), "tokens": sum(map(len, sents)),
           "alone": evaluate(gold, alone, block=1), "document": evaluate(gold, document, block=1)}
    if args.json:
        print(json.dumps(res, indent=1))
        return
    print(f"{len(sents)} held-out news sentences ({res['tokens']} tokens), eval/ner/test/")
    print("\neach sentence alone (the coder's tags):\n" + format_eval(res["alone"]))
    print("\nwith its article as the document (waqai ner):\n" + format_eval(res["document"]))


if __name__ == "__main__":
    main()
