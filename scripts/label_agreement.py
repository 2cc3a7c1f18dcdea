"""How far do two annotators agree on the judge's labels, the speech-act labels and the party labels? A
ceiling for the models trained on them.

    python scripts/label_agreement.py            # the judge's labels
    python scripts/label_agreement.py --speech   # the speech-act labels
    python scripts/label_agreement.py --parties  # the party labels (eval/parties/)
    python scripts/label_agreement.py --ner      # the NER labels (eval/ner/test/, eval/ner/anercorp-brief/)
    python scripts/label_agreement.py --events   # the article-level team gold (eval/gold/agreement/)

eval/judge/agreement/relabel-N.jsonl holds a second, independent labelling of eval/judge/labels-N.jsonl (same
candidates, same brief, another annotator who did not see the first labels). Prints, per file and in all:
agreement and Cohen's kappa on `event`; the second annotator's precision, recall and F1 taking the first as
gold (comparable to the judge's out-of-fold F1 against the labels, docs/accuracy.md); and agreement on
`actor_ok` / `recipient_ok` where both say the candidate is an event.

eval/speech/agreement/relabel-N.jsonl holds a second, independent labelling of eval/speech/labels-N.jsonl
(same sentences, same brief). --speech prints, per type: Cohen's kappa and the second annotator's
precision, recall and F1 taking the first as gold (comparable to the speech models' out-of-fold figures);
and, where both give the sentence an act, how often their speaker codes and their target codes share a
code.

eval/parties/agreement/relabel-N.jsonl holds a second, independent labelling of eval/parties/labels-N.jsonl
(same events, same brief). --parties prints, for the actor and the recipient, on the events both call
certain: how often the two give the same set of codes, and how often they share a code or both give none
(what the party models are scored on: the chosen actor's country among the codes, or no one).

eval/ner/test/agreement/relabel-N.jsonl holds a second, independent labelling of eval/ner/test/labels-N.jsonl
(held-out news sentences, same brief). eval/ner/anercorp-brief/labels-N.jsonl holds the labels that
annotators following the team's brief, without seeing ANERcorp's own tags of them, gave to the sentences of
the NER dev split (the last 10% of ANERcorp; `sentence` is the sentence's number in anercorp-train.txt).
--ner prints, conlleval style, the second labelling against the first, and the brief's labels against
ANERcorp's (that needs ../shared/data): how far the conventions the tagger learns from the team's sentences
can agree with each gold set.

eval/gold/agreement/team-dev-2.jsonl holds a second, independent annotation of the articles of
eval/gold/team-dev.jsonl (same guideline, docs/annotation.md; other annotators, who saw neither the first
annotation nor the coder's output). --events scores each annotation against the other with the scorer of
`waqai eval events` (waqai.evaluate.score_article: greedy one-to-one matching, the gold side's uncertain
events neither rewarded nor penalised), at the three levels, with the 95% bootstrap interval over the
articles: how far a coder can be expected to agree with one annotator's gold. The predicting side's uncertain
events are scored two ways: left out (an annotator unsure of an event would not report it), and counted like
the rest (as the coder's records all are).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
JUDGE = ROOT / "eval" / "judge"
SPEECH = ROOT / "eval" / "speech"
PARTIES = ROOT / "eval" / "parties"
SPEECH_TYPES = ("ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE", "SUPPORT")


def kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(a and b for a, b in pairs)
    p = tp / max(1, sum(b for _, b in pairs))
    r = tp / max(1, sum(a for a, _ in pairs))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def read(p: Path) -> list[dict]:
    return [json.loads(x) for x in open(p, encoding="utf-8") if x.strip()]


def labelled_twice(folder: Path, key: tuple[str, ...], what: str) -> list[tuple[Path, list[dict], list[dict]]]:
    """(relabel file, first labelling, second labelling) for each folder/agreement/relabel-N.jsonl, checked to
    hold the same `what` (by `key`), in the same order, as folder/labels-N.jsonl."""
    files = sorted(folder.glob("agreement/relabel-*.jsonl"), key=lambda p: int(p.stem.split("-")[1]))
    if not files:
        raise SystemExit(f"no second labelling in {folder / 'agreement'}")
    out = []
    for p in files:
        first, second = read(folder / f"labels-{p.stem.split('-')[1]}.jsonl"), read(p)
        if [tuple(x[k] for k in key) for x in first] != [tuple(x[k] for k in key) for x in second]:
            raise SystemExit(f"{p}: not the same {what}, in the same order, as its labels file")
        out.append((p, first, second))
    return out


def speech_agreement() -> None:
    files = labelled_twice(SPEECH, ("doc_id", "sentence"), "sentences")
    rows = [pair for _, first, second in files for pair in zip(first, second)]
    print(f"{len(rows)} sentences labelled twice ({len(files)} files)")
    for t in SPEECH_TYPES + ("any",):
        def has(x, t=t):
            return bool(x["types"]) if t == "any" else t in x["types"]
        pairs = [(has(a), has(b)) for a, b in rows]
        p, r, f = prf(pairs)
        print(f"  {t:9} first {sum(a for a, _ in pairs):4}  second {sum(b for _, b in pairs):4}  "
              f"kappa {kappa(pairs):.3f}  second against first P={p:.3f} R={r:.3f} F1={f:.3f}")
    both = [(a, b) for a, b in rows if a["types"] and b["types"]]
    for role in ("actor", "recipient"):
        given = [(a, b) for a, b in both if a[role] and b[role]]
        shared = sum(bool(set(a[role]) & set(b[role])) for a, b in given)
        print(f"  {role}: where both give an act and a code ({len(given)} of {len(both)}), a shared code in {shared} "
              f"({shared / max(1, len(given)):.3f})")


def party_agreement() -> None:
    files = labelled_twice(PARTIES, ("doc_id", "trigger_start", "event_type"), "events")
    rows = [pair for _, first, second in files for pair in zip(first, second)]
    certain = [(a, b) for a, b in rows if not a["uncertain"] and not b["uncertain"]]
    print(f"{len(rows)} events labelled twice ({len(files)} files), {len(certain)} certain for both")
    for role in ("actor", "recipient"):
        same = sum(set(a[role]) == set(b[role]) for a, b in certain)
        shared = sum(bool(set(a[role]) & set(b[role])) or not (a[role] or b[role]) for a, b in certain)
        print(f"  {role}: the same codes in {same} ({same / len(certain):.3f}); a shared code or both none in "
              f"{shared} ({shared / len(certain):.3f})")


def ner_agreement() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from train_ner import evaluate, format_eval

    from waqai.ner import read_conll

    files = labelled_twice(ROOT / "eval" / "ner" / "test", ("doc_id", "sentence"), "sentences")
    rows = [pair for _, first, second in files for pair in zip(first, second)]
    print(f"{len(rows)} held-out news sentences labelled twice ({len(files)} files); the second against the first:")
    print(format_eval(evaluate([a["tags"] for a, _ in rows], [b["tags"] for _, b in rows])))
    anercorp = ROOT.parent / "shared" / "data" / "ner" / "anercorp-train.txt"
    brief = [x for p in sorted((ROOT / "eval" / "ner" / "anercorp-brief").glob("labels-*.jsonl")) for x in read(p)]
    if not anercorp.exists() or not brief:
        print(f"(no {anercorp} or no labels in eval/ner/anercorp-brief/: the brief against ANERcorp is not scored)")
        return
    sents = read_conll(anercorp)
    gold = [[t for _, t in sents[x["sentence"]]] for x in brief]
    if [len(g) for g in gold] != [len(x["tags"]) for x in brief]:
        raise SystemExit("eval/ner/anercorp-brief: a tag list does not fit its ANERcorp sentence")
    print(f"\n{len(brief)} sentences of the NER dev split labelled following the team's brief, against ANERcorp's tags:")
    print(format_eval(evaluate(gold, [x["tags"] for x in brief])))


def article_agreement(gold: dict[str, dict], other: dict[str, dict], level: str,
                      with_uncertain: bool) -> list[tuple[int, int, int]]:
    """(tp, fp, fn) per article of one annotation (`other`, the predictions; its uncertain events counted when
    `with_uncertain`) against another (`gold`), both {doc_id: gold line}, scored as `waqai eval events` scores
    the coder (waqai.evaluate.score_article)."""
    from types import SimpleNamespace

    from waqai.evaluate import score_article

    units = []
    for d in sorted(gold):
        pred = [SimpleNamespace(**e) for e in other[d]["events"] if with_uncertain or not e.get("uncertain")]
        pairs, fps, missed = score_article(pred, gold[d]["events"], level)
        units.append((len(pairs), len(fps), len(missed)))
    return units


def events_agreement() -> None:
    from itertools import product

    from waqai.evaluate import LEVELS, Confusion, bootstrap_f1

    first = {x["doc_id"]: x for x in read(ROOT / "eval" / "gold" / "team-dev.jsonl")}
    second = {x["doc_id"]: x for x in read(ROOT / "eval" / "gold" / "agreement" / "team-dev-2.jsonl")}
    if set(first) != set(second):
        raise SystemExit("eval/gold/agreement/team-dev-2.jsonl: not the articles of eval/gold/team-dev.jsonl")
    print(f"{len(first)} articles annotated twice: {sum(len(x['events']) for x in first.values())} events in the first "
          f"annotation, {sum(len(x['events']) for x in second.values())} in the second")
    for (name, gold, other), mine in product((("second against first", first, second),
                                              ("first against second", second, first)), (False, True)):
        print(f"  {name} (the first-named as predictions, {'all its events' if mine else 'its uncertain left out'}):")
        for level in LEVELS:
            units = article_agreement(gold, other, level, mine)
            c = Confusion(*(sum(u[k] for u in units) for k in range(3)))
            lo, hi = bootstrap_f1(units)
            print(f"    {level:22} P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f} (95% {lo:.2f}-{hi:.2f})  "
                  f"tp {c.tp} fp {c.fp} fn {c.fn}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speech", action="store_true", help="the speech-act labels (eval/speech/agreement/)")
    ap.add_argument("--parties", action="store_true", help="the party labels (eval/parties/agreement/)")
    ap.add_argument("--ner", action="store_true", help="the NER labels (eval/ner/test/agreement/, eval/ner/anercorp-brief/)")
    ap.add_argument("--events", action="store_true", help="the article-level team gold (eval/gold/agreement/)")
    args = ap.parse_args()
    if args.events:
        events_agreement()
        return
    if args.ner:
        ner_agreement()
        return
    if args.speech:
        speech_agreement()
        return
    if args.parties:
        party_agreement()
        return
    total, roles = [], {"actor_ok": [], "recipient_ok": []}
    for p, first, second in labelled_twice(JUDGE, ("doc_id", "trigger_start", "event_type"), "candidates"):
        pairs = [(a["event"], b["event"]) for a, b in zip(first, second)]
        total += pairs
        for r in roles:
            roles[r] += [(a[r], b[r]) for a, b in zip(first, second) if a["event"] and b["event"]]
        pr = prf(pairs)
        print(f"{p.name}: {len(pairs)} candidates, event agreement {sum(a == b for a, b in pairs) / len(pairs):.3f}, "
              f"kappa {kappa(pairs):.3f}; second against first P={pr[0]:.3f} R={pr[1]:.3f} F1={pr[2]:.3f}")
    pr = prf(total)
    print(f"all: {len(total)} candidates, event agreement {sum(a == b for a, b in total) / len(total):.3f}, "
          f"kappa {kappa(total):.3f}; second against first P={pr[0]:.3f} R={pr[1]:.3f} F1={pr[2]:.3f}")
    for r, pairs in roles.items():
        print(f"{r}, where both say event ({len(pairs)}): agreement {sum(a == b for a, b in pairs) / len(pairs):.3f}, "
              f"kappa {kappa(pairs):.3f}")


if __name__ == "__main__":
    main()
