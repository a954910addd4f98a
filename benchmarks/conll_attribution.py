#!/usr/bin/env python3
"""Attribution rules over the CoNLL-2010 Wikipedia "weasel" sentences.

    python benchmarks/conll_attribution.py [--file eval|train|pattern|PATH] [--show certain|uncertain] [-n N]

Each sentence is linted as its own plain-text document ("s.txt") with only the
``attribution`` category selected. Prints the share of ``certain`` sentences
flagged (the false-positive rate) and the share of ``uncertain`` sentences
flagged (a loose recall: ``uncertain`` also covers hedges and peacock terms).
``--show`` prints a shuffled sample of flagged ``certain`` (false positives) or
unflagged ``uncertain`` sentences (misses), for error reading.

The corpora live in the repository's sibling ``../shared`` (override with the
environment variable RHETLINT_SHARED); where they are absent the script says
so and exits 0. Develop on ``train``/``pattern``; report on ``eval``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = {
    "eval": "conll2010_wiki_eval_ptb.jsonl",
    "train": "conll2010_wiki_train_ptb.jsonl",
    "pattern": "conll2010_wiki_pattern_balanced.jsonl",
}


def shared_dir() -> Path:
    return Path(os.environ.get("RHETLINT_SHARED") or ROOT.parent / "shared")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default="eval", help="eval, train, pattern or a JSONL path")
    ap.add_argument("--show", choices=("certain", "uncertain"), help="print a sample of errors of this label")
    ap.add_argument("-n", type=int, default=30, help="how many errors to print with --show")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    path = Path(args.file) if args.file not in FILES else shared_dir() / "corpora" / "conll2010_wiki_uncertainty" / FILES[args.file]
    if not path.is_file():
        print(f"skipped: {path} not found (set RHETLINT_SHARED to the shared folder)")
        return 0

    from rhetlint.api import registry_for
    from rhetlint.config import Config, load_config
    from rhetlint.engine import Linter

    reg = registry_for(load_config(None, isolated=True))
    linter = Linter(reg, Config(select=("attribution",)))

    totals = {"certain": 0, "uncertain": 0}
    flagged = {"certain": 0, "uncertain": 0}
    by_rule: dict[str, dict[str, int]] = {}
    errors: dict[str, list[str]] = {"certain": [], "uncertain": []}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            label, text = rec["label"], rec["text"]
            totals[label] += 1
            findings, _ = linter.lint_source("s.txt", text)
            if findings:
                flagged[label] += 1
                for rule in {f.rule for f in findings}:
                    by_rule.setdefault(rule, {"certain": 0, "uncertain": 0})[label] += 1
                if label == "certain":
                    marks = "; ".join(f"[{f.rule.split('.', 1)[1]}] {f.text}" for f in findings)
                    errors["certain"].append(f"{rec['id']}: {text}\n      -> {marks}")
            elif label == "uncertain":
                errors["uncertain"].append(f"{rec['id']}: {text}")

    print(f"CoNLL-2010 Wikipedia, {path.name}: attribution findings per sentence")
    for label in ("certain", "uncertain"):
        n, k = totals[label], flagged[label]
        share = 100.0 * k / n if n else 0.0
        print(f"  {label:<10} {k:>5} / {n:<5} flagged = {share:5.2f}%")
    for rule in sorted(by_rule):
        c = by_rule[rule]
        print(f"    {rule:<32} certain {c['certain']:>4}   uncertain {c['uncertain']:>4}")
    if args.show:
        sample = errors[args.show][:]
        random.Random(args.seed).shuffle(sample)
        title = "false positives (certain, flagged)" if args.show == "certain" else "misses (uncertain, not flagged)"
        print(f"\n{title}: {min(args.n, len(sample))} of {len(sample)}")
        for s in sample[: args.n]:
            print("  " + s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
