"""The ``loaded`` category: rules in ``rules/loaded/``, and the ``word-model`` kind.

The ``word-model`` kind scores every content word of a document with a small
logistic model (a table of weights, ``rules/lexicons/loaded_model.tsv``, trained
on PTC train by ``tools/train_loaded_model.py``) and flags words whose estimated
chance of sitting in a loaded span reaches ``min-precision``, one finding a word. It catches charged
words that no list names, from the word itself, its stem and suffix, its
neighbours and a few cues (inside quotation marks, an exclamation nearby).

The features are defined here once (`Words.keys`): the trainer builds its
training rows from the same function, so the table means at run time what it
meant in training.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import add
from typing import TYPE_CHECKING

from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs
from rhetlint.model import Block, Checker, Hit, Option, RuleKind, RuleSpec
from rhetlint.text import Context

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# A word: letters, with inner apostrophes or hyphens ("anti-war", "don't"), and
# apart a possessive 's ("Putin's" is "putin"). Group 1 is the word, group 2 the
# 's or nothing; `re.split` with them yields separator, word, 's, separator...
# A letter may carry combining accents ("nai\u0308ve" is one word).
LETTERS = r"(?:[^\W\d_][\u0300-\u036f]*)+"
SPLIT = re.compile(rf"({LETTERS}(?:['\u2019-](?!s\b){LETTERS})*)((?:['\u2019]s\b)?)")
COMBINING = re.compile(r"[\u0300-\u036f]")
SENTENCE_GAP = re.compile(r"[.!?\r\n]")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves also even still it's
    that's he's don't can't won't i'm they're we're isn't doesn't didn't let us one two new said says say like
    get got many much well make made way would've""".split()
)
SUFFIXES = ("ically", "ations", "ation", "ness", "ments", "ment", "ingly", "edly", "fully", "ously", "ities",
            "ity", "ings", "ing", "ies", "ied", "ers", "ed", "es", "ly", "er", "est", "s")
START, END = "<s>", "</s>"
CHUNK = 50_000  # characters scored at a time (then to the next line end)
QUOTES = '"\u201c\u201d'
MARKS = re.compile(r'[\r\n"\u201c\u201d!]')


def stem(word: str) -> str:
    """Strip one common suffix, keeping at least three letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def is_candidate(word: str) -> bool:
    """Whether a word is scored at all: three letters or more and not a function word."""
    return len(word) >= 3 and word not in STOPWORDS


def _lower(chunk: str) -> str:
    """Lower-case, keeping the length: İ (the one letter whose lower case is two characters) stays."""
    if "\u0130" not in chunk:
        return chunk.lower()
    if "\ue000" not in chunk:
        return chunk.replace("\u0130", "\ue000").lower().replace("\ue000", "\u0130")
    return "".join(c if c == "\u0130" else c.lower() for c in chunk)


def flatten(text: str, blocks: Iterable[Block]) -> str:
    """Return a copy of the same length where line breaks inside a prose block are spaces.

    A hard-wrapped paragraph then reads as the one line it is (a word's
    neighbours and cues do not stop at a soft break); breaks between blocks stay.
    """
    pieces: list[str] = []
    pos = 0
    for block in blocks:
        if block.start < pos:
            continue
        seg = text[block.start : block.end]
        if "\n" in seg or "\r" in seg:
            pieces += (text[pos : block.start], seg.replace("\r", " ").replace("\n", " "))
            pos = block.end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


class Words:
    """The words of ``text[lo:hi]``: lower-cased strings, their offsets on demand, and their context."""

    def __init__(self, text: str, lo: int = 0, hi: int | None = None) -> None:
        """``lo`` must start a line (0, or just after a line break)."""
        self.text = text
        self.lo = lo
        self.hi = len(text) if hi is None else hi
        self._marks: tuple[list[int], list[int], list[int]] | None = None
        low = _lower(text[lo:hi])
        self.parts = SPLIT.split(low)
        self.words: list[str] = self.parts[1::3]
        if COMBINING.search(low):  # look words up in composed form, as the table has them
            self.words = [unicodedata.normalize("NFC", w) for w in self.words]
        self._starts: list[int] | None = None

    def __len__(self) -> int:
        return len(self.words)

    def span(self, i: int) -> tuple[int, int]:
        """Offsets of word ``i`` in the text (without a possessive 's)."""
        if self._starts is None:
            self._starts = list(accumulate(map(len, self.parts), initial=self.lo))
        return self._starts[3 * i + 1], self._starts[3 * i + 2]

    def keys(self, i: int) -> tuple[str, str, str, tuple[str, ...]]:
        """Return ``(word, previous word, next word, cues)`` of word ``i``.

        The previous/next word is ``<s>``/``</s>`` across a sentence or line
        break. Cues: ``cap`` (capitalised inside a sentence), ``allcaps``,
        ``quote`` (after an odd number of quotation marks on its line) and
        ``excl`` (an exclamation mark later on its line).
        """
        parts, text = self.parts, self.text
        prev = self.words[i - 1] if i and not SENTENCE_GAP.search(parts[3 * i]) else START
        nxt = self.words[i + 1] if i + 1 < len(self.words) and not SENTENCE_GAP.search(parts[3 * i + 3]) else END
        start, end = self.span(i)
        raw = text[start:end]
        cues = []
        if raw[0].isupper() and prev != START:
            cues.append("cap")
        if raw.isupper() and len(raw) > 1:
            cues.append("allcaps")
        if self._marks is None:  # line breaks, quotation marks and "!" of the chunk, found once
            found: tuple[list[int], list[int], list[int]] = ([], [], [])
            for m in MARKS.finditer(text, self.lo, self.hi):
                found[0 if m.group() in "\r\n" else 1 if m.group() in QUOTES else 2].append(m.start())
            self._marks = found
        breaks, quotes, bangs = self._marks
        at = bisect_left(breaks, start)
        line_start = breaks[at - 1] + 1 if at else self.lo
        line_end = breaks[at] if at < len(breaks) else self.hi
        if (bisect_left(quotes, start) - bisect_left(quotes, line_start)) % 2 == 1:
            cues.append("quote")
        at = bisect_left(bangs, end)
        if at < len(bangs) and bangs[at] < line_end:
            cues.append("excl")
        return self.words[i], prev, nxt, tuple(cues)


class WordModel:
    """The weight table: ``term  self  before  after`` rows plus ``<...>`` constants.

    A word row gives its weight as the scored word (``self``), as the word
    before it (``before``) and after it (``after``); ``~stem`` rows and
    ``-suf`` rows (last three letters) add to ``self``; ``<bias>``, the cue
    rows (``<cap>``, ``<quote>``...) and ``<unknown>`` (a word not in the
    table) complete the sum. The score is the logistic of the sum.
    """

    def __init__(self, tables: tuple[dict[str, float], dict[str, float], dict[str, float]], where: str) -> None:
        self.self, self.before, self.after = tables
        need = ("<bias>", "<unknown>")
        missing = [t for t in need if t not in self.self]
        if missing:
            raise RuleError(f"{where}: the weight table has no {', '.join(missing)} row")
        self.bias = self.self["<bias>"]
        self.unknown = (self.self["<unknown>"], self.before.get("<unknown>", 0.0), self.after.get("<unknown>", 0.0))
        self.cues = {t[1:-1]: w for t, w in self.self.items() if t.startswith("<") and t not in need}
        self.cue_max = sum(w for w in self.cues.values() if w > 0)  # the most the cues can add
        self._memo: dict[str, float] = {}  # word -> word_score, -inf for words never scored
        # a neighbour's weight, or the sentence edge's where that is larger (the bound of `candidates`)
        edge_b = self.before.get(START, self.unknown[1])
        edge_a = self.after.get(END, self.unknown[2])
        self._before_max = ({w: max(v, edge_b) for w, v in self.before.items()}, max(self.unknown[1], edge_b))
        self._after_max = ({w: max(v, edge_a) for w, v in self.after.items()}, max(self.unknown[2], edge_a))

    def word_score(self, word: str) -> float:
        """The part of the sum that depends on the word alone (no context)."""
        own = self.self.get(word)
        z = self.bias + (self.unknown[0] if own is None else own)
        return z + self.self.get("~" + stem(word), 0.0) + self.self.get("-" + word[-3:], 0.0)

    def candidates(self, toks: Words, floor: float) -> list[int]:
        """Return the words whose sum may reach ``floor``, in order (a cheap upper bound).

        The bound takes the word's own score, its neighbours' weights or the
        sentence-edge weight (whichever is larger) and every cue that adds;
        `logit` then decides.
        """
        memo = self._memo
        ws = toks.words
        if not ws:
            return []
        if len(memo) > 200_000:
            memo.clear()
        for word in set(ws).difference(memo):
            memo[word] = self.word_score(word) if is_candidate(word) else -math.inf
        # C-level loops: this runs over every word of the document
        bmax, bdef = self._before_max
        amax, adef = self._after_max
        before = chain((bdef,), map(bmax.get, islice(ws, len(ws) - 1), repeat(bdef)))
        after = chain(map(amax.get, islice(ws, 1, None), repeat(adef)), (adef,))
        sums = map(add, map(add, map(memo.__getitem__, ws), before), after)
        return list(compress(count(), map((floor - self.cue_max).__le__, sums)))

    def logit(self, toks: Words, i: int) -> float:
        """The model's sum for word ``i``."""
        word, prev, nxt, cues = toks.keys(i)
        z = self.word_score(word)
        z += self.before.get(prev, self.unknown[1])
        z += self.after.get(nxt, self.unknown[2])
        return z + sum(self.cues.get(c, 0.0) for c in cues)


def parse_table(text: str, where: str) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Read a weight table: ``#`` comments, the header ``term self before after``, then rows."""
    tables: tuple[dict[str, float], dict[str, float], dict[str, float]] = ({}, {}, {})
    header = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if [c.strip() for c in cells] != ["term", "self", "before", "after"]:
                raise RuleError(f"{where}:{n}: expected the header 'term<TAB>self<TAB>before<TAB>after'")
            continue
        if len(cells) != 4:
            raise RuleError(f"{where}:{n}: expected 4 tab-separated columns, got {len(cells)}")
        term = cells[0].strip()
        for table, cell in zip(tables, cells[1:]):
            if cell.strip():
                try:
                    value = float(cell)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value):
                    raise RuleError(f"{where}:{n}: not a number: {cell.strip()!r}")
                table[term] = value
    if header is None:
        raise RuleError(f"{where}: empty weight table")
    return tables


_store = None  # the disk cache of parsed tables (rhetlint.recache), made at first use
_models: dict[str, WordModel] = {}  # this process's tables, by key


def table_file(name: str, folders: tuple[Traversable, ...], where: str) -> Traversable:
    """Return ``<name>.tsv`` from the first lexicon folder that has it."""
    for folder in folders:
        f = folder / f"{name}.tsv"
        if f.is_file():
            return f
    raise RuleError(f"{where}: weights: no weight table '{name}' (looked for lexicons/{name}.tsv)")


def load_table(name: str, folders: tuple[Traversable, ...], where: str) -> WordModel:
    """Find ``<name>.tsv`` in the lexicon folders and read it, through the disk cache."""
    return _read_table(table_file(name, folders, where))


def _read_table(f: Traversable) -> WordModel:
    """Read a weight table file: this process's copy, the disk cache, or a parse."""
    import marshal

    from rhetlint import recache
    from rhetlint.ruledata import display_path

    global _store
    shown = display_path(f)
    try:
        text = f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{shown}: cannot read the weight table: {err}") from None
    if _store is None:
        _store = recache.Store("word-model", max_entries=20, max_bytes=16 * 1024 * 1024)
    key = recache.digest(b"word-model 1\0", text.encode("utf-8", "surrogatepass"))
    model = _models.get(key)
    if model is not None:
        return model
    raw = _store.get(key) if _store.path() is not None else None
    if raw is not None:
        model = _from_cache(raw, shown)
        if model is None:
            _store.drop(key)
        else:
            _models[key] = model
            return model
    model = _models[key] = WordModel(parse_table(text, shown), shown)
    if _store.path() is not None:
        _store.put(key, marshal.dumps((model.self, model.before, model.after)))
        _store.save()  # now: the table is read at a rule's first check, after the run's other saves
    return model


def _from_cache(raw: bytes, shown: str) -> WordModel | None:
    """Return the model a cache entry holds, or None for an entry that is not a sound table."""
    import marshal

    try:
        tables = marshal.loads(raw)
        sound = isinstance(tables, tuple) and len(tables) == 3 and all(
            isinstance(t, dict) and all(isinstance(k, str) and type(v) is float and math.isfinite(v)
                                        for k, v in t.items())
            for t in tables)
        return WordModel(tables, shown) if sound else None
    except Exception:  # noqa: BLE001 - a damaged entry is parsed afresh
        return None


OPTIONS = {
    "weights": Option(str, required=True, help="name of the weight table, lexicons/<name>.tsv"),
    "min-precision": Option((float, int), 0.6, help="flag words scored at least this (0-1)"),
}


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def build(spec: RuleSpec) -> Checker:
    """Check the options and that the weight table exists (it is read at first use)."""
    threshold = float(spec.options["min-precision"])
    if not 0.0 < threshold < 1.0:
        raise RuleError(f"{spec.path}: min-precision: expected a number between 0 and 1 (exclusive)")
    table = table_file(spec.options["weights"], spec.lexicon_dirs, spec.path)
    loaded: list[WordModel] = []  # read at first use: an opt-in rule that stays off costs nothing
    floor = _logit(threshold)

    def scan(model: WordModel, text: str, lo: int, hi: int) -> Iterator[Hit]:
        toks = Words(text, lo, hi)
        for i in model.candidates(toks, floor):
            z = model.logit(toks, i)
            if z >= floor:
                start, end = toks.span(i)
                yield Hit(start, end, {"score": f"{1 / (1 + math.exp(-z)):.2f}"})

    def check(ctx: Context) -> Iterator[Hit]:
        # In chunks cut at line ends (after `flatten`, the ends of blocks): a
        # line break ends a word's context and its cues' reach, so every word
        # scores as in one pass, and memory stays flat on long documents.
        if not loaded:
            loaded.append(_read_table(table))
        text = flatten(ctx.text, ctx.document.blocks)
        lo, n = 0, len(text)
        while lo < n:
            hi = text.find("\n", min(lo + CHUNK, n))
            hi = n if hi < 0 else hi + 1
            yield from scan(loaded[0], text, lo, hi)
            lo = hi

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``word-model`` kind."""
    return [RuleKind("word-model", OPTIONS, build, __doc__ or "")]


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/loaded``."""
    return plugin_dirs("loaded")()
