#!/usr/bin/env python3
"""Accuracy of rhetlint's rules against the shared corpora, in one command.

    python benchmarks/accuracy.py [--shared PATH] [--only ref,ptc,conll]

- ref:   the reference op-ed's gold spans, all four core categories (score.py).
- ptc:   PTC dev (never used to build rules): loaded findings against
         Loaded_Language ∪ Name_Calling,Labeling, the curve over loaded
         `min-precision`, and analogy findings against the Reductio_ad_hitlerum
         half of Bandwagon,Reductio_ad_hitlerum.
- conll: CoNLL-2010 Wikipedia eval: the share of `certain` sentences that get an
         attribution finding (false-positive rate) and of `uncertain` ones.

The corpora live in ../shared (override with --shared or RHETLINT_SHARED);
where they are absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("RHETLINT_SHARED") or ROOT.parent / "shared")


def linter(select: tuple[str, ...] = (), options: dict | None = None):
    from rhetlint.api import checked_linter
    from rhetlint.config import Config, RuleSetting

    cfg = Config(select=select)
    if options:
        cfg.rules = {rid: RuleSetting(options=opts) for rid, opts in options.items()}
    return checked_linter(cfg)


def findings_json(lint, files: list[Path]) -> dict:
    out = []
    for f in files:
        found, _ = lint.lint_source(str(f), f.read_text(encoding="utf-8"))
        out.extend(x.as_dict() for x in found)
    return {"version": 1, "findings": out}


def score(shared: Path, gold: Path, findings: dict, extra: list[str]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(findings, fh)
        name = fh.name
    try:
        proc = subprocess.run(
            [sys.executable, str(shared / "tools" / "score.py"), str(gold), name, *extra],
            capture_output=True, text=True, check=False,
        )
    finally:
        os.unlink(name)
    return proc.stdout.strip()


def run_ref(shared: Path) -> None:
    ref = shared / "corpora" / "reference-oped"
    print("## Reference op-ed (gold spans)\n")
    data = findings_json(linter(), [ref / "ukraine-alert-putin.txt"])
    print(score(shared, ref / "gold.jsonl", data, ["--categories", "attribution,loaded,analogy,prediction"]))
    print()


def _ptc_texts(shared: Path, tmp: Path) -> list[Path]:
    gold = shared / "corpora" / "ptc_semeval2020_t11" / "ptc_dev.jsonl"
    subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(gold), "--write-texts", str(tmp)],
                   check=True, capture_output=True)
    return sorted(tmp.glob("*.txt"))


def run_ptc(shared: Path) -> None:
    gold = shared / "corpora" / "ptc_semeval2020_t11" / "ptc_dev.jsonl"
    print("## PTC dev (held out)\n")
    with tempfile.TemporaryDirectory() as tmpdir:
        texts = _ptc_texts(shared, Path(tmpdir))
        loaded_map = ["--map", "Loaded_Language=loaded", "--map", "Name_Calling,Labeling=loaded",
                      "--categories", "loaded"]
        print("loaded (default rules):")
        print(score(shared, gold, findings_json(linter(("loaded",)), texts), loaded_map))
        lists = ("loaded.term", "loaded.label", "loaded.intensifier")
        curves = (
            ("listed terms (loaded.term, .label, .intensifier; loaded.unlisted off, its default)", lists,
             (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)),
            ("the opt-in word model (loaded.unlisted turned on; the lists at their defaults)", ("loaded.unlisted",),
             (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)),
        )
        from rhetlint.api import registry_for
        from rhetlint.config import Config

        known = registry_for(Config()).rules
        for title, rules, points in curves:
            print(f"\nloaded, over min-precision of {title}:")
            print(f"{'min-precision':>13} {'found':>6} {'P':>6} {'R':>6} {'F1':>6}")
            for mp in points:
                opts = {r: {"min-precision": mp} for r in rules if r in known}
                table = score(shared, gold, findings_json(linter(("loaded",), opts), texts), loaded_map)
                row = next(line for line in table.splitlines() if line.startswith("loaded"))
                cols = row.split()
                print(f"{mp:13.1f} {cols[1]:>6} {cols[5]:>6} {cols[6]:>6} {cols[7]:>6}")
        print("\nanalogy vs Bandwagon,Reductio_ad_hitlerum (recall is the measure; the label mixes bandwagon):")
        print(score(shared, gold, findings_json(linter(("analogy",)), texts),
                    ["--map", "Bandwagon,Reductio_ad_hitlerum=analogy", "--categories", "analogy"]))
    print()


def run_conll(shared: Path) -> None:
    path = shared / "corpora" / "conll2010_wiki_uncertainty" / "conll2010_wiki_eval_ptb.jsonl"
    print("## CoNLL-2010 Wikipedia eval: sentences with an attribution finding\n")
    lint = linter(("attribution",))
    counts = {"certain": [0, 0], "uncertain": [0, 0]}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            found, _ = lint.lint_source("s.txt", row["text"])
            c = counts[row["label"]]
            c[0] += 1
            c[1] += bool(found)
    for label, (n, flagged) in counts.items():
        print(f"{label:10} {flagged:5} / {n:5} flagged = {100 * flagged / n:5.2f}%")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--only", default="ref,ptc,conll")
    args = ap.parse_args()
    os.environ.setdefault("RHETLINT_LOAD_PLUGINS", "")
    shared = shared_dir(args.shared)
    if not (shared / "corpora").is_dir():
        print(f"accuracy: no corpora at {shared}; skipped")
        return 0
    parts = args.only.split(",")
    if "ref" in parts:
        run_ref(shared)
    if "ptc" in parts:
        run_ptc(shared)
    if "conll" in parts:
        run_conll(shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
