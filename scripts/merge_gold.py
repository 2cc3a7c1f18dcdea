"""Merge the annotators' parts into the dev and test halves of the team gold set.

    python scripts/merge_gold.py    # eval/gold/parts/team-*.jsonl + eval/gold/sample.tsv -> team-{dev,test}.jsonl
"""

import csv
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"


def main() -> None:
    split = {r["doc_id"]: r["split"] for r in csv.DictReader(open(GOLD / "sample.tsv"), delimiter="\t")}
    rows = {"dev": [], "test": []}
    for part in sorted((GOLD / "parts").glob("team-*.jsonl")):
        for line in open(part, encoding="utf-8"):
            if line.strip():
                obj = json.loads(line)
                rows[split[obj["doc_id"]]].append(obj)
    for name, items in rows.items():
        items.sort(key=lambda o: o["doc_id"])
        with open(GOLD / f"team-{name}.jsonl", "w", encoding="utf-8") as f:
            for o in items:
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
        print(f"team-{name}.jsonl: {len(items)} articles, {sum(len(o['events']) for o in items)} events")


if __name__ == "__main__":
    main()
