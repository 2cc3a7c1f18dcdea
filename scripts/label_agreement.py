"""How far do two annotators agree on the judge's labels? A ceiling for the judge.

    python scripts/label_agreement.py

eval/judge/agreement/relabel-N.jsonl holds a second, independent labelling of eval/judge/labels-N.jsonl (same
candidates, same brief, another annotator who did not see the first labels). Prints, per file and in all:
agreement and Cohen's kappa on `event`; the second annotator's precision, recall and F1 taking the first as
gold (comparable to the judge's out-of-fold F1 against the labels, docs/accuracy.md); and agreement on
`actor_ok` / `recipient_ok` where both say the candidate is an event.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUDGE = ROOT / "eval" / "judge"


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


def main() -> None:
    files = sorted(JUDGE.glob("agreement/relabel-*.jsonl"), key=lambda p: int(p.stem.split("-")[1]))
    if not files:
        raise SystemExit(f"no second labelling in {JUDGE / 'agreement'}")
    total, roles = [], {"actor_ok": [], "recipient_ok": []}
    for p in files:
        first = read(JUDGE / f"labels-{p.stem.split('-')[1]}.jsonl")
        second = read(p)
        key = ("doc_id", "trigger_start", "event_type")
        if [tuple(x[k] for k in key) for x in first] != [tuple(x[k] for k in key) for x in second]:
            raise SystemExit(f"{p}: not the same candidates, in the same order, as its labels file")
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
