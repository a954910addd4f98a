"""Measure candidate loaded terms on the PTC train split (evidence for rules/lexicons/loaded_terms.tsv).

Reads ONLY ``ptc_semeval2020_t11/ptc_train.jsonl`` (never the dev file: dev is the held-out test) and the
shared lexicons (MPQA strongsubj negative, Recasens bias lexicon, Liu negative, Wikipedia words-to-watch),
plus the words and bigrams found inside ``Loaded_Language`` / ``Name_Calling,Labeling`` spans.

For every candidate it counts the occurrences in train with the matching the linter uses (case-insensitive,
word boundaries, multi-word entries across any whitespace, optional inflections of the last word from
``rhetlint.inflect.variants``) and the precision: the share of occurrences that overlap a gold
Loaded_Language ∪ Name_Calling,Labeling span. Output goes to stdout or to a file under /tmp, never into the repo.

Usage::

    python benchmarks/build_loaded_lexicon.py                      # candidate table to stdout
    python benchmarks/build_loaded_lexicon.py --out /tmp/cands.tsv # candidate table to a file under /tmp
    python benchmarks/build_loaded_lexicon.py --eval rules/lexicons/loaded_terms.tsv
        # re-measure the curated rows, report stale numbers, and the lexicon's train P/R (plus MPQA baseline)
    python benchmarks/build_loaded_lexicon.py --lint [--quotes check] [--show-fp N] [--show-miss N]
        # run the real loaded.* rules (quotes, exceptions, dedupe, pattern rules) over TRAIN: overlap P/R,
        # the min-precision curve and per-term true/false positives

The shared corpora live in ``../shared`` relative to the repo root (override with env ``RHETLINT_SHARED``);
when they are absent the script prints a message and exits 0.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plugins.loaded import STOPWORDS as _MODEL_STOPWORDS  # noqa: E402
from rhetlint.inflect import variants  # noqa: E402

TARGET_TECHNIQUES = {"Loaded_Language", "Name_Calling,Labeling"}
TOKEN_RE = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
# the loaded word model's function words, plus the letters left by "don't" and "it's"
STOPWORDS = set(_MODEL_STOPWORDS) | {"s", "t"}


def shared_root() -> Path:
    """Return the shared-data directory (env RHETLINT_SHARED or ../shared next to the repo)."""
    env = os.environ.get("RHETLINT_SHARED")
    return Path(env) if env else (REPO.parent / "shared")


# ---------------------------------------------------------------- corpus

class Doc:
    """One train article: text, lowercased text and a char mask of target spans."""

    __slots__ = ("id", "text", "low", "mask", "spans")

    def __init__(self, obj: dict) -> None:
        self.id = obj["id"]
        self.text = obj["text"]
        self.low = self.text.lower()
        assert len(self.low) == len(self.text)
        self.spans = sorted(
            {(s["start"], s["end"]) for s in obj["spans"] if s["technique"] in TARGET_TECHNIQUES}
        )
        mask = bytearray(len(self.text))
        for a, b in self.spans:
            mask[a:b] = b"\x01" * (b - a)
        self.mask = bytes(mask)

    def hit(self, a: int, b: int) -> bool:
        """True when [a, b) overlaps a target span."""
        return b"\x01" in self.mask[a:b]


def load_train(root: Path) -> list[Doc]:
    path = root / "corpora" / "ptc_semeval2020_t11" / "ptc_train.jsonl"
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            assert obj["split"] == "train", "only the train split may be read"
            docs.append(Doc(obj))
    return docs


# ---------------------------------------------------------------- candidates

def _read_list(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")):
            out.append(line.lower())
    return out


def lexicon_candidates(root: Path) -> dict[str, set[str]]:
    """term -> set of source tags."""
    lex = root / "corpora" / "lexicons"
    src: dict[str, set[str]] = collections.defaultdict(set)
    with (lex / "mpqa_subjectivity_clues" / "mpqa_subjclues.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            word, _pos, _stem, typ, pol = line.rstrip("\n").split("\t")
            if typ == "strongsubj" and pol == "negative":
                src[word.lower()].add("mpqa")
    for w in _read_list(lex / "recasens2013_bias_related" / "npov_lexicon.txt"):
        src[w].add("npov")
    for w in _read_list(lex / "liu_opinion_lexicon" / "negative_liu2005.txt"):
        src[w].add("liu")
    with (lex / "wikipedia_words_to_watch" / "words_to_watch_examples.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3 and cols[2] == "loaded_term" and "(" not in cols[1]:
                src[cols[1].lower()].add("wtw")
    return src


def span_candidates(docs: list[Doc], min_count: int = 2) -> dict[str, int]:
    """Words and bigrams (no stopwords) occurring inside target spans, with their in-span counts."""
    counts: collections.Counter[str] = collections.Counter()
    for d in docs:
        for a, b in d.spans:
            toks = [t.strip("'-") for t in TOKEN_RE.findall(d.low[a:b])]
            toks = [t for t in toks if t]
            for i, t in enumerate(toks):
                if t not in STOPWORDS and len(t) > 2:
                    counts[t] += 1
                    if i + 1 < len(toks) and toks[i + 1] not in STOPWORDS and len(toks[i + 1]) > 2:
                        counts[t + " " + toks[i + 1]] += 1
    return {t: c for t, c in counts.items() if c >= min_count}


# ---------------------------------------------------------------- matching (same as the linter)

def forms(term: str, inflect: bool) -> list[str]:
    return variants(term) if inflect else [term]


def term_regex(terms: list[str]) -> re.Pattern[str]:
    """Alternation of literal phrases, longest first, word boundaries, any whitespace between words."""
    alts = sorted(set(terms), key=lambda s: (-len(s), s))
    body = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in alts)
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


class Index:
    """Which docs contain a given lowercase word (prefilter before regex scanning)."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.by_word: dict[str, set[int]] = collections.defaultdict(set)
        for i, d in enumerate(docs):
            for w in set(re.findall(r"\w+", d.low)):
                self.by_word[w].add(i)

    def docs_for(self, phrases: list[str]) -> set[int]:
        out: set[int] = set()
        for p in phrases:
            first = re.findall(r"\w+", p)
            if first:
                out |= self.by_word.get(first[0], set())
        return out


def measure(index: Index, term: str, inflect: bool, exceptions: re.Pattern[str] | None = None) -> tuple[int, int]:
    """Return (occurrences, occurrences overlapping a target span) in train.

    Occurrences overlapping a match of ``exceptions`` are not counted (the linter drops them too).
    """
    fs = forms(term, inflect)
    rx = term_regex(fs)
    n = h = 0
    for i in index.docs_for(fs):
        d = index.docs[i]
        ex_spans = [(m.start(), m.end()) for m in exceptions.finditer(d.low)] if exceptions else []
        for m in rx.finditer(d.low):
            if any(m.start() < eb and ea < m.end() for ea, eb in ex_spans):
                continue
            n += 1
            h += d.hit(m.start(), m.end())
    return n, h


# ---------------------------------------------------------------- evaluation of a whole lexicon

def evaluate(docs: list[Doc], entries: list[tuple[str, bool]], exceptions: list[str] = ()) -> dict:
    """Overlap P/R of a lexicon: a match is a hit if it overlaps a gold span; recall over gold spans."""
    terms = [f for t, inf in entries for f in forms(t, inf)]
    rx = term_regex(terms)
    exc = term_regex(list(exceptions)) if exceptions else None
    n_match = n_hit = 0
    gold = covered = 0
    for d in docs:
        ex_spans = [(m.start(), m.end()) for m in exc.finditer(d.low)] if exc else []
        matches = []
        for m in rx.finditer(d.low):
            a, b = m.start(), m.end()
            if any(a < eb and ea < b for ea, eb in ex_spans):
                continue
            matches.append((a, b))
            n_match += 1
            n_hit += d.hit(a, b)
        gold += len(d.spans)
        for ga, gb in d.spans:
            if any(a < gb and ga < b for a, b in matches):
                covered += 1
    p = n_hit / n_match if n_match else 0.0
    r = covered / gold if gold else 0.0
    return {"matches": n_match, "hits": n_hit, "precision": p, "gold": gold, "covered": covered, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def read_tsv(path: Path) -> list[dict]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        if line.strip():
            rows.append(dict(zip(header, line.split("\t"))))
    return rows


def read_exceptions(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]


# ---------------------------------------------------------------- main

def candidate_table(docs: list[Doc], root: Path, min_support: int) -> list[dict]:
    index = Index(docs)
    src = lexicon_candidates(root)
    spans = span_candidates(docs)
    for t, c in spans.items():
        src.setdefault(t, set()).add(f"span{c}")
    print(f"candidates: {len(src)} distinct terms ({len(src) - len(spans)} lexicon-only, {len(spans)} from "
          f"target spans with >=2 in-span occurrences)", file=sys.stderr)
    rows = []
    for term in sorted(src):
        n0, h0 = measure(index, term, False)
        n1, h1 = measure(index, term, True)
        if max(n0, n1) < min_support:
            continue
        rows.append({
            "term": term, "sources": ",".join(sorted(src[term])),
            "n": n0, "p": h0 / n0 if n0 else 0.0, "n_infl": n1, "p_infl": h1 / n1 if n1 else 0.0,
        })
    rows.sort(key=lambda r: (-r["p_infl"], -r["n_infl"], r["term"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the candidate table here (must be under /tmp); default stdout")
    ap.add_argument("--min-support", type=int, default=1, help="drop candidates with fewer train occurrences")
    ap.add_argument("--eval", metavar="TSV", help="re-measure a curated lexicon TSV and report train P/R")
    ap.add_argument("--lint", action="store_true", help="score the real loaded.* rules on train")
    ap.add_argument("--quotes", choices=("skip", "check"), default="skip", help="with --lint")
    ap.add_argument("--show-fp", type=int, default=0, help="with --lint: print N false positives")
    ap.add_argument("--show-miss", type=int, default=0, help="with --lint: print N missed gold spans")
    ap.add_argument("--curve", action="store_true", help="with --lint: also the min-precision curve")
    ap.add_argument("--terms", type=int, default=40, help="with --lint: per-term rows to print")
    ap.add_argument("--exceptions", metavar="TXT", help="exception phrases for --eval "
                    "(default: loaded_exceptions.txt next to the TSV)")
    args = ap.parse_args(argv)

    root = shared_root()
    train = root / "corpora" / "ptc_semeval2020_t11" / "ptc_train.jsonl"
    if not train.exists():
        print(f"build_loaded_lexicon: shared corpora not found at {root}; skipping.")
        return 0
    docs = load_train(root)

    if args.eval:
        return run_eval(docs, root, Path(args.eval), args.exceptions)
    if args.lint:
        return run_lint(docs, args)

    rows = candidate_table(docs, root, args.min_support)
    out_lines = ["term\tsources\tn\tprecision\tn_inflected\tprecision_inflected"]
    out_lines += [f"{r['term']}\t{r['sources']}\t{r['n']}\t{r['p']:.2f}\t{r['n_infl']}\t{r['p_infl']:.2f}"
                  for r in rows]
    text = "\n".join(out_lines) + "\n"
    if args.out:
        out = Path(args.out).resolve()
        if not str(out).startswith("/tmp/"):
            ap.error("--out must be a path under /tmp (never write into the repo)")
        out.write_text(text, encoding="utf-8")
        print(f"{len(rows)} candidates written to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


GROUPS = {"insult", "violence", "condemnation", "fear", "contempt", "intensifier"}


def check_rows(rows: list[dict]) -> list[str]:
    """Format checks for the curated TSV: groups, lowercase, sorted, unique, inflect yes/no."""
    problems = []
    terms = [r["term"] for r in rows]
    if terms != sorted(terms):
        problems.append("rows are not sorted by term")
    dup = [t for t, c in collections.Counter(terms).items() if c > 1]
    if dup:
        problems.append(f"duplicate terms: {dup}")
    for r in rows:
        if r["term"] != r["term"].lower() or r["term"] != r["term"].strip():
            problems.append(f"{r['term']!r}: not lowercase/trimmed")
        if r["group"] not in GROUPS:
            problems.append(f"{r['term']!r}: unknown group {r['group']!r}")
        if r["inflect"] not in ("yes", "no"):
            problems.append(f"{r['term']!r}: inflect must be yes/no")
    return problems


def run_eval(docs: list[Doc], root: Path, tsv: Path, exc_path: str | None) -> int:
    index = Index(docs)
    rows = read_tsv(tsv)
    exceptions = read_exceptions(Path(exc_path) if exc_path else tsv.with_name("loaded_exceptions.txt"))
    exc_rx = term_regex(exceptions) if exceptions else None
    problems = check_rows(rows)
    for msg in problems:
        print(f"invalid: {msg}")
    stale = 0
    for r in rows:
        n, h = measure(index, r["term"], r["inflect"] == "yes", exc_rx)
        p = f"{h / n:.2f}" if n else "0.50"
        if (str(n), p) != (r["support"], r["precision"]):
            stale += 1
            print(f"stale: {r['term']}: tsv {r['precision']}/{r['support']} measured {p}/{n}")
    entries = [(r["term"], r["inflect"] == "yes") for r in rows]
    res = evaluate(docs, entries, exceptions)
    print(f"lexicon {tsv.name}: {len(rows)} terms, {len(exceptions)} exceptions, {stale} stale rows, "
          f"{len(problems)} format problems")
    print("  train overlap: matches={matches} hits={hits} P={precision:.3f} gold={gold} covered={covered} "
          "R={recall:.3f} F1={f1:.3f}".format(**res))
    by_group = collections.defaultdict(list)
    for r in rows:
        by_group[r["group"]].append((r["term"], r["inflect"] == "yes"))
    for g in sorted(by_group):
        gr = evaluate(docs, by_group[g], exceptions)
        print(f"  group {g:13s} terms={len(by_group[g]):3d} matches={gr['matches']:5d} "
              f"P={gr['precision']:.3f} R={gr['recall']:.3f}")
    mpqa = [(t, True) for t, s in lexicon_candidates(root).items() if "mpqa" in s]
    base = evaluate(docs, mpqa)
    base0 = evaluate(docs, [(t, False) for t, _ in mpqa])
    print(f"baseline MPQA strongsubj negative ({len(mpqa)} words), inflected: matches={base['matches']} "
          f"P={base['precision']:.3f} R={base['recall']:.3f} F1={base['f1']:.3f}")
    print(f"baseline MPQA strongsubj negative, exact forms: matches={base0['matches']} "
          f"P={base0['precision']:.3f} R={base0['recall']:.3f} F1={base0['f1']:.3f}")
    return 0


# ---------------------------------------------------------------- the real rules on train

LOADED_RULES = ("loaded.term", "loaded.label", "loaded.intensifier", "loaded.phrase", "loaded.assault")


def _linter(options: dict | None = None, quotes: str = "skip"):
    os.environ.setdefault("RHETLINT_LOAD_PLUGINS", "")
    from rhetlint.api import checked_linter, registry_for
    from rhetlint.config import Config, RuleSetting

    known = registry_for(Config()).rules
    cfg = Config(select=("loaded",))
    cfg.rules = {r: RuleSetting(quotes=quotes, options=(options or {}).get(r, {})) for r in LOADED_RULES
                 if r in known}
    return checked_linter(cfg)


def lint_score(docs: list[Doc], lint) -> tuple[dict, list]:
    """Overlap P/R of the linter's findings on train; also every finding as (doc, start, end, rule, hit)."""
    found = []
    gold = covered = 0
    for d in docs:
        fs, _ = lint.lint_source(f"{d.id}.txt", d.text)
        spans = [(f.start, f.end, f.rule) for f in fs]
        for a, b, rule in spans:
            found.append((d, a, b, rule, d.hit(a, b)))
        gold += len(d.spans)
        covered += sum(any(a < gb and ga < b for a, b, _ in spans) for ga, gb in d.spans)
    n = len(found)
    h = sum(x[4] for x in found)
    p = h / n if n else 0.0
    r = covered / gold if gold else 0.0
    return {"found": n, "hits": h, "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}, found


def run_lint(docs: list[Doc], args) -> int:
    res, found = lint_score(docs, _linter(quotes=args.quotes))
    print("train, real rules (quotes={q}): found={found} hits={hits} P={P:.3f} R={R:.3f} F1={F1:.3f}".format(
        q=args.quotes, **res))
    by_rule = collections.defaultdict(lambda: [0, 0])
    by_term = collections.defaultdict(lambda: [0, 0])
    for d, a, b, rule, hit in found:
        by_rule[rule][0] += 1
        by_rule[rule][1] += hit
        by_term[" ".join(d.low[a:b].split())][0] += 1
        by_term[" ".join(d.low[a:b].split())][1] += hit
    for rule, (n, h) in sorted(by_rule.items()):
        print(f"  {rule:20s} found={n:5d} P={h / n:.3f}")
    if args.curve:
        print("min-precision curve (train, in-sample):")
    for mp in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8) if args.curve else ():
        opts = {x: {"min-precision": mp} for x in ("loaded.term", "loaded.label", "loaded.intensifier")}
        r, _ = lint_score(docs, _linter(opts, args.quotes))
        print(f"  {mp:.1f} found={r['found']:5d} P={r['P']:.3f} R={r['R']:.3f} F1={r['F1']:.3f}")
    print("most false positives (matched form: found, FP):")
    worst = sorted(by_term.items(), key=lambda kv: -(kv[1][0] - kv[1][1]))[: args.terms]
    print("  " + ", ".join(f"{t} {n}/{n - h}" for t, (n, h) in worst))
    fps = [x for x in found if not x[4]]
    for d, a, b, rule, _ in fps[:: max(1, len(fps) // args.show_fp)][: args.show_fp] if args.show_fp else []:
        print(f"FP {rule}: ...{d.text[max(0, a - 60):a]}[[{d.text[a:b]}]]{d.text[b:b + 60]}...".replace("\n", " "))
    if args.show_miss:
        misses = []
        by_doc = collections.defaultdict(list)
        for d, a, b, _, _ in found:
            by_doc[d.id].append((a, b))
        for d in docs:
            for ga, gb in d.spans:
                if not any(a < gb and ga < b for a, b in by_doc[d.id]):
                    misses.append((d, ga, gb))
        for d, ga, gb in misses[:: max(1, len(misses) // args.show_miss)][: args.show_miss]:
            print(f"MISS: [[{d.text[ga:gb]}]]".replace("\n", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
