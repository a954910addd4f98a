#!/usr/bin/env python3
"""Train the loaded-word model (rules/lexicons/loaded_model.tsv) on PTC train only.

    python tools/train_loaded_model.py --cv                  # 2-fold check by article, no file written
    python tools/train_loaded_model.py --out rules/lexicons/loaded_model.tsv

Reads ``ptc_semeval2020_t11/ptc_train.jsonl`` (never the dev file, which is the
held-out test) and, as features, membership in the shared lexicons (MPQA
subjectivity clues, Liu opinion words, Recasens bias lexicon, Riloff-Wiebe
subjectives, hedges and boosters, report verbs). A word is labelled loaded where
it overlaps a ``Loaded_Language`` or ``Name_Calling,Labeling`` span.

The model is a logistic regression over the features of
``plugins.loaded.Words.keys`` (the run-time code): the word, its stem and last
three letters, the words before and after, and the cues. Lexicon membership is
used only for words that occur in the training articles, and is folded into
those words' weights when the table is written, so the table lists corpus words
with numbers (derived figures), not the lexicons themselves; a word has its own
weight where it occurs in at least ``--min-docs`` articles.
Pure Python (AdaGrad, L2), deterministic for a given seed; about a minute.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plugins.loaded import END, START, Words, flatten, is_candidate, stem
from rhetlint.parsers.text import parse as parse_text

TARGET = {"Loaded_Language", "Name_Calling,Labeling"}
UNK = "<unknown>"


def shared_root() -> Path:
    env = os.environ.get("RHETLINT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def _list(path: Path) -> set[str]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return {ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith((";", "#"))}


class Lexicons:
    """Which shared lexicons hold a word (by the word, its stem, or stem + e); () for none."""

    def __init__(self, root: Path) -> None:
        lex = root / "corpora" / "lexicons"
        self.lists = {
            "liuneg": _list(lex / "liu_opinion_lexicon/negative_liu2005.txt"),
            "liupos": _list(lex / "liu_opinion_lexicon/positive_liu2005.txt"),
            "bias": _list(lex / "recasens2013_bias_related/npov_lexicon.txt"),
            "boost": _list(lex / "hedging_lrec2020/booster_words.txt"),
            "hedge": _list(lex / "hedging_lrec2020/hedge_words.txt"),
            "rstrong": _list(lex / "riloff_wiebe2003_subjectives/strong_subjectives_riloff2003.txt"),
            "rweak": _list(lex / "riloff_wiebe2003_subjectives/weak_subjectives_riloff2003.txt"),
            "report": _list(lex / "recasens2013_bias_related/report_verbs.txt"),
        }
        self.mpqa: dict[str, set[str]] = {}
        rows = (lex / "mpqa_subjectivity_clues/mpqa_subjclues.tsv").read_text(encoding="utf-8").splitlines()[1:]
        for line in rows:
            word, _pos, stemmed, typ, pol = line.split("\t")
            self.mpqa.setdefault(word, set()).add(f"mpqa{typ[:1]}{pol[:3]}")
            if stemmed == "y":
                self.mpqa.setdefault("~" + word, set()).add(f"mpqa{typ[:1]}{pol[:3]}")
        self._memo: dict[str, tuple[str, ...]] = {}

    def flags(self, word: str) -> tuple[str, ...]:
        got = self._memo.get(word)
        if got is None:
            st = stem(word)
            out = sorted(k for k, v in self.lists.items() if word in v or st in v or st + "e" in v)
            m = self.mpqa.get(word) or self.mpqa.get("~" + st) or self.mpqa.get("~" + st + "e") or set()
            got = self._memo[word] = tuple(out + sorted(m))
        return got


def load_docs(root: Path) -> list[dict]:
    path = root / "corpora" / "ptc_semeval2020_t11" / "ptc_train.jsonl"
    with path.open(encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    assert all(d["split"] == "train" for d in docs)
    return sorted(docs, key=lambda d: d["id"])


def as_linted(text: str) -> str:
    """The text as the rule sees it: the plain-text parser's masked text, blocks flattened."""
    document = parse_text("train.txt", text)
    return flatten(document.text, document.blocks)


def doc_rows(doc: dict) -> tuple[list[tuple[int, int]], list[tuple[int, int, tuple, bool]]]:
    """Gold spans and ``(start, end, keys, label)`` for every scored word."""
    spans = [(s["start"], s["end"]) for s in doc["spans"] if s["technique"] in TARGET]
    text = as_linted(doc["text"])
    toks = Words(text)
    rows = []
    for i, w in enumerate(toks.words):
        if is_candidate(w):
            s, e = toks.span(i)
            rows.append((s, e, toks.keys(i), any(a < e and s < b for a, b in spans)))
    return spans, rows


class Vocab:
    """The words, stems and suffixes seen in at least ``min_docs`` articles; every word seen."""

    def __init__(self, docs: list[dict], min_docs: int) -> None:
        w: collections.Counter[str] = collections.Counter()
        st: collections.Counter[str] = collections.Counter()
        sf: collections.Counter[str] = collections.Counter()
        for d in docs:
            seen = set(Words(as_linted(d["text"])).words)
            w.update(seen)
            cands = [x for x in seen if is_candidate(x)]
            st.update({stem(x) for x in cands})
            sf.update({x[-3:] for x in cands})
        self.words = {k for k, n in w.items() if n >= min_docs}
        self.seen = set(w)
        self.stems = {k for k, n in st.items() if n >= min_docs}
        self.suffixes = {k for k, n in sf.items() if n >= min_docs}


def features(keys: tuple, vocab: Vocab, lex: Lexicons) -> list[str]:
    word, prev, nxt, cues = keys
    f = ["b"]
    f.append("w:" + (word if word in vocab.words else UNK))
    if word in vocab.seen:
        f.extend("l:" + x for x in lex.flags(word))
    if stem(word) in vocab.stems:
        f.append("s:" + stem(word))
    if word[-3:] in vocab.suffixes:
        f.append("x:" + word[-3:])
    for tag, other, edge in (("p", prev, START), ("n", nxt, END)):
        if other == edge:
            f.append(f"{tag}:{edge}")
        else:
            f.append(f"{tag}:" + (other if other in vocab.words else UNK))
            if other in vocab.seen:
                f.extend(f"{tag}l:{x}" for x in lex.flags(other))
    f.extend("c:" + c for c in cues)
    return f


def train(rows: list[tuple[list[str], bool]], epochs: int, rate: float, l2: float, seed: int) -> dict[str, float]:
    """Logistic regression by AdaGrad with L2."""
    w: dict[str, float] = collections.defaultdict(float)
    g2: dict[str, float] = collections.defaultdict(lambda: 1e-8)
    order = list(range(len(rows)))
    rnd = random.Random(seed)
    for _ in range(epochs):
        rnd.shuffle(order)
        for j in order:
            f, y = rows[j]
            z = sum(w[k] for k in f)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            for k in f:
                gk = g + l2 * w[k]
                g2[k] += gk * gk
                w[k] -= rate * gk / math.sqrt(g2[k])
    return dict(w)


def fit(docs: list[dict], args: argparse.Namespace, lex: Lexicons) -> tuple[dict[str, float], Vocab]:
    vocab = Vocab(docs, args.min_docs)
    rows = [(features(keys, vocab, lex), y) for d in docs for (_, _, keys, y) in doc_rows(d)[1]]
    return train(rows, args.epochs, args.rate, args.l2, args.seed), vocab


def table(w: dict[str, float], vocab: Vocab, lex: Lexicons, eps: float = 0.005) -> dict[str, dict[str, float]]:
    """Fold the weights into ``term -> {self, before, after}`` (rows equal to the default left out)."""
    get = w.get
    out: dict[str, dict[str, float]] = collections.defaultdict(dict)
    out["<bias>"]["self"] = get("b", 0.0)
    unk = {"self": get("w:" + UNK, 0.0), "before": get("p:" + UNK, 0.0), "after": get("n:" + UNK, 0.0)}
    out[UNK].update(unk)
    out[START]["before"] = get("p:" + START, 0.0)
    out[END]["after"] = get("n:" + END, 0.0)
    for key, value in w.items():
        if key.startswith("c:"):
            out[f"<{key[2:]}>"]["self"] = value
    for word in sorted(vocab.seen):
        flags = lex.flags(word)
        if word not in vocab.words and not flags:
            continue  # weighs what an unknown word weighs
        known = word in vocab.words
        cols = {
            "self": get("w:" + (word if known else UNK), 0.0) + sum(get("l:" + x, 0.0) for x in flags)
            if is_candidate(word) else None,
            "before": get("p:" + (word if known else UNK), 0.0) + sum(get("pl:" + x, 0.0) for x in flags),
            "after": get("n:" + (word if known else UNK), 0.0) + sum(get("nl:" + x, 0.0) for x in flags),
        }
        for col, value in cols.items():
            if value is not None and abs(value - unk[col]) >= eps:
                out[word][col] = value
    for key, value in w.items():
        if key.startswith("s:") and abs(value) >= eps:
            out["~" + key[2:]]["self"] = value
        elif key.startswith("x:") and abs(value) >= eps:
            out["-" + key[2:]]["self"] = value
    return out


def write_table(path: Path, rows: dict[str, dict[str, float]], header: list[str]) -> None:
    lines = [f"# {h}" for h in header]
    lines.append("term\tself\tbefore\tafter")
    for term in sorted(rows):
        cols = rows[term]
        lines.append("\t".join([term] + [f"{cols[c]:.3f}" if c in cols else "" for c in ("self", "before", "after")]))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def spans_from(text: str, scored: list[tuple[int, int, float]], thr: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e, p in scored:
        if p < thr:
            continue
        if out and not text[out[-1][1] : s].strip(" -"):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def cross_validate(docs: list[dict], args: argparse.Namespace, lex: Lexicons) -> list[str]:
    """Two folds by article: train on one half, score spans on the other (overlap P/R)."""
    shuffled = docs[:]
    random.Random(args.seed).shuffle(shuffled)
    halves = [shuffled[0::2], shuffled[1::2]]
    thresholds = (0.4, 0.5, 0.6, 0.7)
    counts = {t: [0, 0, 0, 0] for t in thresholds}
    for k in (0, 1):
        w, vocab = fit(halves[k], args, lex)
        for d in halves[1 - k]:
            spans, rows = doc_rows(d)
            scored = [(s, e, 1 / (1 + math.exp(-sum(w.get(x, 0.0) for x in features(keys, vocab, lex)))))
                      for s, e, keys, _ in rows]
            text = as_linted(d["text"])
            for t in thresholds:
                pred = spans_from(text, scored, t)
                c = counts[t]
                c[0] += len(pred)
                c[1] += sum(any(a < e and s < b for a, b in spans) for s, e in pred)
                c[2] += len(spans)
                c[3] += sum(any(a < e and s < b for s, e in pred) for a, b in spans)
    out = ["2-fold by article on PTC train (overlap with Loaded_Language | Name_Calling,Labeling spans):"]
    for t, (n, hit, gold, rec) in counts.items():
        p, r = hit / max(n, 1), rec / max(gold, 1)
        out.append(f"  min-precision {t:.1f}: found {n}, P {p:.2f}, R {r:.2f}, F1 {2 * p * r / max(p + r, 1e-9):.2f}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="write the weight table here")
    ap.add_argument("--cv", action="store_true", help="report a 2-fold check by article")
    ap.add_argument("--min-docs", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=3e-4)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    root = shared_root()
    if not (root / "corpora").is_dir():
        print(f"train_loaded_model: no corpora at {root}; nothing to do")
        return 0
    lex = Lexicons(root)
    docs = load_docs(root)
    cv = cross_validate(docs, args, lex) if args.cv else []
    print("\n".join(cv))
    if args.out:
        w, vocab = fit(docs, args, lex)
        header = [
            "Weights of the loaded.unlisted rule: a logistic model over words, trained by",
            f"tools/train_loaded_model.py on PTC train ({len(docs)} articles; dev never used), min-docs",
            f"{args.min_docs}, epochs {args.epochs}, rate {args.rate}, l2 {args.l2}, seed {args.seed}.",
            "Rows: a word's weight as the scored word (self), as the word before it (before) and",
            "after it (after); ~stem and -suffix rows; <bias>, cues and <unknown> (any other word).",
            "Shared-lexicon membership is folded into the word rows.",
            *cv,
        ]
        write_table(args.out, table(w, vocab, lex), header)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
