"""Draw news sentences for named-entity annotation by the team (eval/ner/), and turn the labels back into
CoNLL training sentences for scripts/train_ner.py --extra-train.

    python scripts/dump_ner.py dump --n 3200 --parts 16 --out /tmp/ner     # part-K.jsonl to annotate
    python scripts/dump_ner.py conll --out /tmp/ner-extra.txt             # eval/ner/labels-*.jsonl as CoNLL
    python scripts/dump_ner.py dump --skip 3200 --n 600 --parts 3 --out /tmp/ner-test  # eval/ner/test/ (never trained on)
    python scripts/dump_ner.py pseudo --n 3000 --out /tmp/ner-pseudo.txt   # the shipped tagger's own tags (self-training)

Sentences: from ANT articles of every category (400-6,000 characters) that no gold set, recall audit or
attribution gold holds (the coder's evaluations must not see text the tagger was trained on), drawn with a
fixed seed; one sentence of 8-60 tokens per article at most, split and tokenised as `waqai ner` does
(waqai.arabic.split_sentences, tokenize). The annotation file (outside the repository: it quotes the text)
has doc_id, sentence number, the tokens, the sentence before. Only ids and tags are committed
(eval/ner/labels-K.jsonl: {"doc_id", "sentence", "tags"}); `conll` reads the tokens again from the corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
from dump_candidates import held_out_articles  # noqa: E402
from waqai.arabic import split_sentences, tokenize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-2018.jsonl.gz"


def sentences(text: str) -> list[list[str]]:
    return [[t.text for t in tokenize(text[s:e])] for s, e in split_sentences(text)]


def _pool(corpus: Path, skip: set[str], seed: int) -> tuple[list[dict], random.Random]:
    """The articles of 400-6,000 characters that `skip` does not hold, in a fixed shuffled order, and the
    random generator that shuffled them (it goes on to pick the sentences)."""
    pool = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] not in skip and 400 <= len(a.get("text") or "") <= 6000:
                pool.append(a)
    pool.sort(key=lambda a: a["id"])
    rng = random.Random(seed)
    rng.shuffle(pool)
    return pool, rng


def dump(args) -> None:
    pool, rng = _pool(args.corpus, held_out_articles(), 13)
    rows = []
    for a in pool:
        if len(rows) >= args.skip + args.n:
            break
        sents = sentences(a["text"])
        ok = [i for i, s in enumerate(sents) if 8 <= len(s) <= 60]
        if ok:
            i = rng.choice(ok)
            rows.append({"doc_id": a["id"], "sentence": i, "tokens": sents[i],
                         "before": " ".join(sents[i - 1]) if i else ""})
    rows = rows[args.skip:]
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(args.parts):
        with open(args.out / f"part-{args.first_part + k}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[k::args.parts])
    print(f"wrote {len(rows)} sentences in {args.parts} parts to {args.out}")


def team_sentences(corpus: Path = CORPUS, contexts: list | None = None,
                   labels: Path = ROOT / "eval" / "ner") -> list[list[tuple[str, str]]]:
    """The team-labelled sentences of `labels`/labels-*.jsonl (the training sentences of eval/ner/, or the
    held-out ones of eval/ner/test/) as (token, tag) lists, their tokens read again from the corpus (in the
    corpus's order, then by sentence number). With a list as `contexts`, appends to it, for each sentence,
    its document: (the tokens of all its article's sentences, its position there)."""
    want = {}
    for p in sorted(labels.glob("labels-*.jsonl")):
        for x in open(p, encoding="utf-8"):
            if x.strip():
                o = json.loads(x)
                want.setdefault(o["doc_id"], {})[o["sentence"]] = o["tags"]
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] in want:
                sents = sentences(a["text"])
                for i, tags in sorted(want[a["id"]].items()):
                    if len(sents[i]) != len(tags):
                        raise SystemExit(f"{a['id']} sentence {i}: {len(tags)} tags for {len(sents[i])} tokens")
                    out.append(list(zip(sents[i], tags)))
                    if contexts is not None:
                        contexts.append((sents, i))
    return out


def conll(args) -> None:
    sents = team_sentences(args.corpus)
    with open(args.out, "w", encoding="utf-8") as out:
        out.writelines("".join(f"{t} {g}\n" for t, g in s) + "\n" for s in sents)
    print(f"wrote {len(sents)} sentences to {args.out}")


def pseudo(args) -> None:
    """Self-training data (session 13; measured, not adopted: docs/ner.md): one sentence of 8-60 tokens from
    each of N articles that neither the evaluations nor the team's labelled sentences (eval/ner/, its test/
    included) hold, tagged by the shipped tagger with its whole article as the document, as CoNLL for
    train_ner.py --extra-train."""
    from waqai.ner import load_tagger

    skip = held_out_articles()
    for p in sorted((ROOT / "eval" / "ner").glob("**/labels-*.jsonl")):
        skip.update(json.loads(x)["doc_id"] for x in open(p, encoding="utf-8") if x.strip())
    pool, rng = _pool(args.corpus, skip, 2026)
    tagger, n = load_tagger(), 0
    with open(args.out, "w", encoding="utf-8") as out:
        for a in pool:
            if n >= args.n:
                break
            sents = sentences(a["text"])
            ok = [i for i, s in enumerate(sents) if 8 <= len(s) <= 60]
            if ok:
                i = rng.choice(ok)
                tags = tagger.tag_document(sents)[i]
                out.write("".join(f"{t} {g}\n" for t, g in zip(sents[i], tags)) + "\n")
                n += 1
    print(f"wrote {n} sentences tagged by the shipped tagger to {args.out}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("dump", "conll", "pseudo"))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--n", type=int, default=3200)
    ap.add_argument("--skip", type=int, default=0, help="leave out the first SKIP sentences of the draw (an "
                    "earlier batch's: the training sentences are the first 3,200)")
    ap.add_argument("--parts", type=int, default=16)
    ap.add_argument("--first-part", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner"))
    args = ap.parse_args()
    {"dump": dump, "conll": conll, "pseudo": pseudo}[args.what](args)


if __name__ == "__main__":
    main()
