#!/usr/bin/env python3
"""Speed and memory of rhetlint against proselint 0.16 and a one-pass regex floor.

    python benchmarks/speed.py [--runs 5] [--shared PATH] [--skip-scaling] [--installed]

Builds its corpora from the PTC articles in ../shared/corpora/ptc_semeval2020_t11/
(train + dev texts; labels are not used): one ~1 MB Markdown file of
concatenated articles, the 446 articles as separate .md files, and one small
article. proselint 0.16 is installed into its own venv under
~/.cache/rhetlint-bench (or found there), and this working tree is installed
(a regular install, byte-compiled like proselint's) into another venv there;
``--installed`` times the rhetlint beside this Python instead. Each case runs rhetlint, proselint
and the floor interleaved (A B C A B C ...), rhetlint with a fresh cache folder of
its own warmed once on each corpus, and reports medians, ratios and
peak memory (max RSS of the child process). The floor is one factored regex of
every lexicon term rhetlint's rules use, compiled and run in one pass: the
lower bound for a pure-Python regex linter. Then rhetlint alone is timed on
1/4/16 MB files and 100/1,000/4,000 files to show linear scaling.

Where ../shared is absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rhetlint-bench"
PROSELINT = "0.16.0"

FLOOR_SCRIPT = r'''
import re, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from rhetlint.trie import trie_pattern
lex = Path(sys.argv[1]) / "rules" / "lexicons"
terms = set()
for f in lex.iterdir():
    lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    if f.suffix == ".tsv":
        if lines and lines[0].startswith("term\tself\t"):
            continue  # a word-model weight table (loaded.unlisted, off by default), not a term list
        lines = lines[1:]
    terms.update(line.split("\t")[0].strip().lower() for line in lines)
pattern = re.compile(r"(?<!\w)" + trie_pattern(sorted(terms)) + r"(?!\w)", re.IGNORECASE)
n = 0
for path in sys.argv[2:]:
    p = Path(path)
    files = sorted(p.rglob("*.md")) if p.is_dir() else [p]
    for f in files:
        n += sum(1 for _ in pattern.finditer(f.read_text(encoding="utf-8")))
print(len(terms), "terms", n, "matches")
'''


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{mem}, "
            f"Python {platform.python_version()}")


def articles(shared: Path) -> list[str]:
    out = []
    for name in ("ptc_train.jsonl", "ptc_dev.jsonl"):
        with (shared / "corpora" / "ptc_semeval2020_t11" / name).open(encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"].replace("\ufeff", "")
                # one article separates sections with a bare "~~~" line, which opens a
                # Markdown code fence that never closes and would hide every article
                # after it in the concatenated files; it becomes a thematic break
                text = "\n".join("* * *" if ln.strip().startswith(("~~~", "```")) else ln
                                  for ln in text.split("\n"))
                title, _, body = text.partition("\n")
                out.append(f"# {title.strip()}\n\n{body.strip()}\n")
    return out


def build(shared: Path, work: Path) -> dict[str, list[str]]:
    arts = articles(shared)

    def concat(size: int, name: str) -> Path:
        parts, n, i = [], 0, 0
        while n < size:
            parts.append(arts[i % len(arts)])
            n += len(parts[-1].encode())
            i += 1
        path = work / name
        path.write_text("\n".join(parts), encoding="utf-8")
        return path

    def folder(count: int, name: str) -> Path:
        d = work / name
        d.mkdir()
        for i in range(count):
            (d / f"article-{i:05d}.md").write_text(arts[i % len(arts)], encoding="utf-8")
        return d

    small = work / "small.md"
    small.write_text(sorted(arts, key=len)[len(arts) // 2], encoding="utf-8")
    return {
        "small": [str(small)],
        "1mb": [str(concat(1_000_000, "one-mb.md"))],
        "446": [str(folder(len(arts), "articles"))],
        "4mb": [str(concat(4_000_000, "four-mb.md"))],
        "16mb": [str(concat(16_000_000, "sixteen-mb.md"))],
        "100": [str(folder(100, "f100"))],
        "1000": [str(folder(1000, "f1000"))],
        "4000": [str(folder(4000, "f4000"))],
    }


def rhetlint_bin() -> Path:
    """Install this working tree (a regular, not editable, install) into its own venv.

    That is how users run rhetlint, and how proselint is measured: its package
    is byte-compiled at install time.
    """
    venv = CACHE / "rhetlint"
    exe = venv / "bin" / "rhetlint"
    print(f"installing this tree into {venv} ...", flush=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--force-reinstall", "--no-deps", str(ROOT)],
                   check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)], check=True)  # dependencies
    return exe


def proselint_bin() -> Path | None:
    venv = CACHE / f"proselint-{PROSELINT}"
    exe = venv / "bin" / "proselint"
    if exe.exists():
        return exe
    print(f"installing proselint {PROSELINT} into {venv} ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"proselint=={PROSELINT}"], check=True)
    except (subprocess.CalledProcessError, OSError) as err:
        print(f"cannot install proselint: {err}; peer columns left out")
        return None
    return exe


GNU_TIME = "/usr/bin/time"
# Children may write and use bytecode (a developer's PYTHONDONTWRITEBYTECODE would
# make every run recompile the source of whatever is not installed).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return wall seconds and peak RSS in MiB of that command.

    The peak comes from GNU time when it is installed: a child forked from this
    (large) benchmark process would otherwise inherit its high-water mark.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if os.path.exists(GNU_TIME) else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{cmd[0]} exited {code}: {' '.join(cmd)}")
        text = rss.read().strip().splitlines()
        peak_kb = int(text[-1]) if text and text[-1].isdigit() else usage.ru_maxrss
    return wall, peak_kb / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shared")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--installed", action="store_true",
                    help="time the rhetlint beside this Python instead of installing this tree into a bench venv")
    args = ap.parse_args()
    shared = Path(args.shared or os.environ.get("RHETLINT_SHARED") or ROOT.parent / "shared")
    if not (shared / "corpora" / "ptc_semeval2020_t11").is_dir():
        print(f"speed: no PTC corpus under {shared}; skipped")
        return 0
    print(f"machine: {machine()}")
    if args.installed:
        rhetlint = shutil.which("rhetlint", path=str(Path(sys.executable).parent)) or "rhetlint"
    else:
        rhetlint = str(rhetlint_bin())
    pl = proselint_bin()
    env_note = (f"rhetlint ({rhetlint}): --isolated -q -f json -o /dev/null (default --jobs); "
                "proselint: check -o json")
    print(env_note)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpora = build(shared, work)
        floor = work / "floor.py"
        floor.write_text(FLOOR_SCRIPT)
        # rhetlint gets a cache folder of its own, warmed once on each corpus: the steady state of a
        # user whose rules do not change, not a developer's cache grown by many rule edits
        CHILD_ENV["RHETLINT_CACHE_DIR"] = str(work / "rhetlint-cache")
        for case in ("small", "1mb", "446"):
            if case in corpora:
                run([rhetlint, "--isolated", "-q", "-f", "json", "-o", os.devnull, *corpora[case]])
        tools = {
            "rhetlint": lambda paths: [rhetlint, "--isolated", "-q", "-f", "json", "-o", os.devnull, *paths],
            "floor": lambda paths: [sys.executable, str(floor), str(ROOT), *paths],
        }
        if pl:
            tools["proselint"] = lambda paths: [str(pl), "check", "-o", "json", *paths]
        print(f"\n{'case':10} {'tool':10} {'median s':>9} {'min s':>7} {'peak MiB':>9}")
        medians: dict[tuple[str, str], float] = {}
        for case in ("small", "1mb", "446"):
            samples: dict[str, list[tuple[float, float]]] = {t: [] for t in tools}
            for _ in range(args.runs):
                for name, cmd in tools.items():
                    samples[name].append(run(cmd(corpora[case])))
            for name, s in samples.items():
                med = statistics.median(w for w, _ in s)
                medians[(case, name)] = med
                print(f"{case:10} {name:10} {med:9.3f} {min(w for w, _ in s):7.3f} {max(m for _, m in s):9.1f}")
        print("\nratios (proselint median / rhetlint median; rhetlint / floor):")
        for case in ("small", "1mb", "446"):
            r = medians[(case, "rhetlint")]
            line = f"  {case:6}"
            if pl:
                line += f"  {medians[(case, 'proselint')] / r:5.2f}x faster than proselint"
            line += f"  {r / medians[(case, 'floor')]:5.2f}x the floor"
            print(line)
        if not args.skip_scaling:
            print("\nscaling (rhetlint, median of 3):")
            for case, size in (("1mb", 1), ("4mb", 4), ("16mb", 16)):
                w = statistics.median(run(tools["rhetlint"](corpora[case]))[0] for _ in range(3))
                print(f"  {case:6} {w:7.2f} s  {w / size:6.3f} s/MB")
            for case in ("100", "1000", "4000"):
                w = statistics.median(run(tools["rhetlint"](corpora[case]))[0] for _ in range(3))
                n = int(case)
                print(f"  {case:>4} files {w:7.2f} s  {1000 * w / n:6.2f} ms/file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
