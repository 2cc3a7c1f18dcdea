"""Draw the articles of the team gold set from the ANT corpus (reproducible).

    python scripts/sample_gold.py ../shared/data/news/ant-2018.jsonl.gz > eval/gold/sample.tsv

Articles of the internationalNews and middleEast categories, at most 14 per source, chosen with a fixed
seed; every second article goes to the test half. Only ids are written, never texts.
"""
import gzip
import json
import random
import sys
from collections import defaultdict


def main(path: str, n: int = 72, per_source: int = 16, seed: int = 20261127) -> None:
    by_source = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a.get("category") in ("internationalNews", "middleEast") and 400 <= len(a.get("text", "")) <= 4000:
                by_source[a["source"]].append(a["id"])
    rng = random.Random(seed)
    picked = []
    for source in sorted(by_source):
        ids = sorted(by_source[source])
        rng.shuffle(ids)
        picked += [(source, i) for i in ids[:per_source]]
    rng.shuffle(picked)
    picked = picked[:n]
    print("doc_id\tsource\tsplit")
    for k, (source, doc_id) in enumerate(picked):
        print(f"{doc_id}\t{source}\t{'test' if k % 2 else 'dev'}")


if __name__ == "__main__":
    main(sys.argv[1])
