"""Pieces the rule kinds share: lexicon terms, regex compilation, `unless` tests."""

from __future__ import annotations

import bisect
import itertools
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import regex

from rhetlint import anchors, recache
from rhetlint.errors import RuleError
from rhetlint.inflect import variants
from rhetlint.model import Lexicon, RuleSpec, Span
from rhetlint.ruledata import entry_set
from rhetlint.text import Context
from rhetlint.trie import trie_pattern

# The time one rule may spend on one document before it is stopped, so a
# catastrophic user regex ("(a|aa)+$") ends with an error instead of hanging CI:
# a few seconds, plus enough per megabyte that a legitimate rule on a 50 MB file
# (about 1 s per MB for the slowest built-in rule) never comes near it.
MATCH_TIMEOUT_BASE = 3.0
MATCH_TIMEOUT_PER_MB = 6.0
# The limit for one call when no clock is running (a kind used outside the engine).
MATCH_TIMEOUT = 20.0

_deadline: float | None = None
# Inside `alarm_budget` (the engine, in the main thread) the budget is kept by
# SIGALRM: the regex module checks for signals while it matches, so a runaway
# match is stopped without a per-call timeout (which costs half a microsecond
# on each of hundreds of thousands of calls).
_alarm_ok = False
_armed = False
_alarm_thread: int | None = None  # the (main) thread whose budgets the alarm keeps


def _on_alarm(signum: int, frame: object) -> None:
    if _armed:
        raise TimeoutError("regex time budget spent")


class alarm_budget:  # a context manager named like a function
    """Keep the rule budgets of a stretch of linting by SIGALRM when this process can.

    Only in the main thread of a platform with interval timers, and only when
    nobody else handles SIGALRM; the previous handler is put back on exit.
    Elsewhere each regex call gets the time left (`timeout`). Inside another
    (the CLI keeps one over all of a process's files), it does nothing.
    """

    def __enter__(self) -> None:
        global _alarm_ok
        self._previous: Any = None
        self._active = False
        if _alarm_ok or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return
        current = signal.getsignal(signal.SIGALRM)
        if current not in (signal.SIG_DFL, signal.SIG_IGN, None):
            return  # somebody's handler: leave it alone
        global _alarm_thread
        self._previous = signal.signal(signal.SIGALRM, _on_alarm)
        self._active = _alarm_ok = True
        _alarm_thread = threading.get_ident()

    def __exit__(self, *exc: object) -> None:
        global _alarm_ok, _armed
        if self._active:
            _armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            _alarm_ok = False


def match_budget(length: int) -> float:
    """Return the seconds one rule may spend on a document of ``length`` characters."""
    return MATCH_TIMEOUT_BASE + MATCH_TIMEOUT_PER_MB * length / 1_000_000


def start_clock(length: int) -> float:
    """Start one rule's time budget on a document of ``length`` characters; return it."""
    global _deadline, _armed
    budget = match_budget(length)
    _deadline = time.monotonic() + budget
    if _alarm_ok and threading.get_ident() == _alarm_thread:  # other threads keep per-call timeouts
        signal.setitimer(signal.ITIMER_REAL, budget)
        _armed = True
    return budget


def stop_clock() -> None:
    """Stop the running budget (regex calls fall back to `MATCH_TIMEOUT` each)."""
    global _deadline, _armed
    if threading.get_ident() == _alarm_thread:
        _armed = False  # a late alarm is ignored; the next start_clock sets the timer again
    _deadline = None


def timeout() -> float | None:
    """Return the seconds left for the next regex call of the running rule.

    None while SIGALRM keeps the budget (`alarm_budget`): no per-call limit.

    Raises:
        TimeoutError: the rule's budget is spent.
    """
    if _deadline is None:
        return MATCH_TIMEOUT
    if _armed and threading.get_ident() == _alarm_thread:
        return None
    left = _deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("regex time budget spent")
    return left


def compile_pattern(spec: RuleSpec, key: str, pattern: str, local: bool = False) -> regex.Pattern[str]:
    """Compile a rule's regex with its lexicons as named lists; errors name file and key.

    ``local``: the pattern is only searched in a small window (`search_in`),
    never over the whole document, so it stays out of the document's anchor scan.
    """
    flags = regex.IGNORECASE if spec.ignore_case else 0
    names = set(regex.findall(r"\\L<(\w+)>", pattern))
    lists: dict[str, Any] = {}
    for name in names:
        if name not in spec.lexicons:
            raise RuleError(f"{spec.path}: {key}: \\L<{name}> names no lexicon of this rule")
        lists[name] = entry_set(spec.lexicons[name])
    try:
        compiled = recache.lazy(pattern, flags, **lists)
    except (regex.error, ValueError, TypeError) as err:
        raise RuleError(f"{spec.path}: {key}: invalid regex: {err}") from None
    anchors.register(compiled, pattern, lists, flags, local=local)
    return compiled


def search_in(ctx: Context, pattern: regex.Pattern[str], lo: int, hi: int) -> bool:
    """Tell whether a window-only (``local``) pattern matches in ``text[lo:hi]``.

    Only where one of its prefixes stands (`Context.local_starts`); the
    answer is ``pattern.search``'s.
    """
    starts = ctx.local_starts(pattern, lo, hi)
    if starts is None:
        return pattern.search(ctx.text, lo, hi, timeout=timeout()) is not None
    return next(iter(anchors.iter_matches(pattern, ctx.text, [(lo, hi)], starts, timeout)), None) is not None


def lexicon_terms(
    lexicons: Iterable[Lexicon],
    *,
    inflect: bool = False,
    min_precision: float = 0.0,
    groups: Iterable[str] = (),
) -> dict[str, tuple[str, Mapping[str, str]]]:
    """Return form → (entry, columns) for every kept entry and its inflections."""
    wanted = set(groups)
    forms: dict[str, tuple[str, Mapping[str, str]]] = {}
    for lex in lexicons:
        for entry in lex.entries:
            cols = lex.columns.get(entry, {})
            # a rule's own `tokens:` (lexicon "tokens") have no group and always count
            if wanted and lex.name != "tokens" and cols.get("group") not in wanted:
                continue
            if cols.get("precision") and float(cols["precision"]) < min_precision:
                continue
            flag = cols.get("inflect")
            do_inflect = inflect if flag in (None, "") else flag.lower() in ("yes", "true", "1")
            for form in variants(entry) if do_inflect else [entry]:
                forms.setdefault(form.lower(), (entry, cols))
    return forms


def within_span(ctx: Context, within: str, start: int) -> Span:
    """Return the clause or sentence around an offset."""
    return ctx.clause_at(start) if within == "clause" else ctx.sentence_at(start)


class Unless:
    """The ``unless:`` option: cancel a hit when a hedge is in its clause or sentence."""

    def __init__(self, spec: RuleSpec, value: Mapping[str, Any] | None) -> None:
        self.pattern: regex.Pattern[str] | None = None
        self.within = "sentence"
        if not value:
            return
        if not isinstance(value, Mapping):
            raise RuleError(f"{spec.path}: unless: expected a mapping")
        unknown = set(value) - {"within", "patterns", "lexicons"}
        if unknown:
            raise RuleError(f"{spec.path}: unless.{sorted(unknown)[0]}: unknown key")
        self.within = value.get("within", "sentence")
        if self.within not in ("clause", "sentence"):
            raise RuleError(f"{spec.path}: unless.within: expected clause or sentence")
        parts = [f"(?:{p})" for p in _str_list(spec, "unless.patterns", value.get("patterns", []))]
        names = _str_list(spec, "unless.lexicons", value.get("lexicons", []))
        for name in names:
            if name not in spec.lexicons:
                raise RuleError(f"{spec.path}: unless.lexicons: {name} is not in the rule's lexicons")
        words = [e for n in names for e in spec.lexicons[n].entries]
        if words:
            parts.append(rf"(?<!\w){trie_pattern(words)}(?!\w)")
        if parts:
            self.pattern = compile_pattern(spec, "unless", "|".join(parts), local=True)

    def cancels(self, ctx: Context, start: int, end: int) -> bool:
        """Tell whether a hedge stands in the same clause or sentence as the hit."""
        if self.pattern is None:
            return False
        span = within_span(ctx, self.within, start)
        return search_in(ctx, self.pattern, min(span.start, start), max(span.end, end))


def _str_list(spec: RuleSpec, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{spec.path}: {key}: expected a list of strings")
    return value


def hit_span(pattern: regex.Pattern[str], m: regex.Match[str]) -> tuple[int, int]:
    """Return the flagged range of a match: its ``span`` group if it took part, else the whole match."""
    if "span" in pattern.groupindex and m.start("span") >= 0:
        return m.span("span")
    return m.span()


def match_fields(m: regex.Match[str]) -> dict[str, str]:
    """Return a match's named groups (``span`` aside) as message fields."""
    return {k: v for k, v in m.groupdict().items() if v and k != "span"}


def finditer_in(
    pattern: regex.Pattern[str], text: str, windows: list[Span] | None, ctx: Context | None = None,
    begins: list[Span] | None = None,
) -> Iterator[regex.Match[str]]:
    """Iterate matches in the whole text (``windows`` None) or only inside the windows.

    With ``ctx``, a pattern whose matches can only begin with known literals
    (`rhetlint.anchors`) is tried only where one stands, and, with ``begins``
    (`Prefilter.regions`), only there; the matches are the same as a full
    scan's.
    """
    starts = ctx.anchor_starts(pattern, begins if begins is not None else windows) if ctx is not None else None
    if starts is not None:
        if not starts or windows == []:  # no place to begin, or the prefilter found nothing
            return
        need = anchors.required(pattern)
        if need is not None:  # a match holds one of these words: it begins no later than the last one
            marks = ctx.anchor_starts(need) or []  # type: ignore[union-attr]
            spans = windows or [Span(*ctx.region)]  # type: ignore[union-attr]
            starts = _served(starts, marks, spans, text, need.reach)
            if need.tail is not None and starts:  # and only by those where the rest of the pattern matches
                good = anchors.tail_marks(need.tail, text, starts, marks, spans, timeout)
                if good is not None:
                    starts = _served(starts, good, spans, text, need.reach)
            if not starts:
                return
        if begins is not None:
            starts = _starts_within(starts, begins)
        yield from _anchored(pattern, text, windows if windows is not None else [Span(*ctx.region)], starts)
        return
    need = anchors.required(pattern) if ctx is not None else None
    if need is not None and need.reach is not None:  # no anchor, but a match begins near a required word
        spans = windows if windows is not None else [Span(*ctx.region)]  # type: ignore[union-attr]
        near = anchors.near_marks(ctx.anchor_starts(need) or [], text, need.reach, spans)  # type: ignore[union-attr]
        if near is not None:
            yield from _anchored(pattern, text, spans, near)
            return
    if windows is None:
        lo, hi = ctx.region if ctx is not None else (0, len(text))
        yield from pattern.finditer(text, lo, hi, timeout=timeout())
        return
    for w in windows:
        yield from pattern.finditer(text, w.start, w.end, timeout=timeout())


def _served(starts: list[int], marks: list[int], windows: list[Span], text: str, reach: int | None) -> list[int]:
    """The starts a required word (a mark) may serve: none after its window's last, none beyond ``reach``."""
    starts = _up_to_last(starts, marks, windows)
    if reach is not None and starts:
        starts = anchors.within_reach(starts, marks, text, reach)
    return starts


def _up_to_last(starts: list[int], marks: list[int], windows: list[Span]) -> list[int]:
    """The sorted starts that lie in a window holding a mark, no later than its last mark."""
    out: list[int] = []
    i = 0
    for w in windows:
        j = bisect.bisect_left(marks, w.end) - 1
        if j >= 0 and marks[j] >= w.start:
            i = bisect.bisect_left(starts, w.start, i)
            k = bisect.bisect_right(starts, marks[j], i)
            out.extend(starts[i:k])
            i = k
    return out


def _starts_within(starts: list[int], spans: list[Span]) -> list[int]:
    """Return the sorted starts that fall inside the sorted, disjoint spans."""
    out: list[int] = []
    i = 0
    for span in spans:
        i = bisect.bisect_left(starts, span.start, i)
        j = bisect.bisect_left(starts, span.end, i)
        out.extend(starts[i:j])
        i = j
    return out


def _anchored(pattern: regex.Pattern[str], text: str, windows: list[Span],
              starts: list[int]) -> Iterator[regex.Match[str]]:
    """Try ``pattern`` only at ``starts`` inside the windows (`rhetlint.anchors.iter_matches`)."""
    return anchors.iter_matches(pattern, text, windows, starts, timeout)


_scans: dict[tuple[str, int], Any] = {}


def _shared_scan(pattern: str, flags: int) -> Any:
    """Compile a prefilter scan once per process, so rules that share it share its results."""
    import re

    key = (pattern, flags)
    if key not in _scans:
        # compiled with `regex` through the disk cache; documents scan it through its anchors
        rflags = regex.IGNORECASE if flags & re.IGNORECASE else 0
        _scans[key] = recache.lazy(pattern, rflags)
        anchors.register(_scans[key], pattern, {}, rflags)
    return _scans[key]


_regex_scans: dict[tuple[str, bool], regex.Pattern[str]] = {}


def _shared_regex(spec: RuleSpec, key: str, pattern: str, ignore_case: bool) -> regex.Pattern[str]:
    """Compile a prefilter pattern once per process (shared scans share results)."""
    k = (pattern, ignore_case)
    if k not in _regex_scans:
        flags = regex.IGNORECASE if ignore_case else 0
        try:
            _regex_scans[k] = recache.lazy(pattern, flags)
        except (regex.error, ValueError, TypeError) as err:
            raise RuleError(f"{spec.path}: {key}: invalid regex: {err}") from None
        anchors.register(_regex_scans[k], pattern, {}, flags)
    return _regex_scans[k]


class Prefilter:
    """The ``prefilter:`` option: blocks worth running a rule's patterns in."""

    def __init__(self, spec: RuleSpec, value: Mapping[str, Any] | None) -> None:
        self.scans: list[Any] = []
        self.radius: int | None = None
        self.contains = False
        if not value:
            return
        if not isinstance(value, Mapping) or set(value) - {"lexicons", "patterns", "radius", "contains", "ignore-case"}:
            raise RuleError(
                f"{spec.path}: prefilter: expected a mapping with 'lexicons', 'patterns' "
                "and optional 'radius', 'contains' and 'ignore-case'"
            )
        self.radius = value.get("radius")
        if self.radius is not None and (not isinstance(self.radius, int) or isinstance(self.radius, bool)
                                        or self.radius < 1):
            raise RuleError(f"{spec.path}: prefilter.radius: expected a positive number of characters")
        self.contains = value.get("contains", False)
        if not isinstance(self.contains, bool):
            raise RuleError(f"{spec.path}: prefilter.contains: expected true or false")
        names = _str_list(spec, "prefilter.lexicons", value.get("lexicons", []))
        for name in names:
            if name not in spec.lexicons:
                raise RuleError(f"{spec.path}: prefilter.lexicons: {name} is not in the rule's lexicons")
        import re

        from rhetlint.trie import trie_pattern

        ignore_case = value.get("ignore-case", spec.ignore_case)
        if not isinstance(ignore_case, bool):
            raise RuleError(f"{spec.path}: prefilter.ignore-case: expected true or false")
        flags = re.IGNORECASE if ignore_case else 0
        for name in names:
            # entries match at a word start, so "Stalin" also covers "Stalinist"
            self.scans.append(_shared_scan(rf"(?<!\w){trie_pattern(spec.lexicons[name].entries)}", flags))
        for i, p in enumerate(_str_list(spec, "prefilter.patterns", value.get("patterns", []))):
            # `re` has no timeout: patterns are compiled with `regex` and scanned with
            # the rule's time budget (a user's prefilter may be catastrophic too)
            self.scans.append(_shared_regex(spec, f"prefilter.patterns[{i}]", p, ignore_case))
        if not self.scans:
            raise RuleError(f"{spec.path}: prefilter: give lexicons or patterns")

    def windows(self, ctx: Context) -> list[Span] | None:
        """Return the stretches worth scanning, or None to scan everything.

        Each prefilter hit selects its block, or with ``radius`` only the part
        of the block within that many characters of the hit; overlapping
        stretches are merged.
        """
        return self.regions(ctx)[0]

    def regions(self, ctx: Context) -> tuple[list[Span] | None, list[Span] | None]:
        """Return the windows (as `windows`) and where in them a match may begin.

        With ``contains``, a rule promises that each of its matches contains a
        prefilter term. Such a term lies in or at a hit of the prefilter scan
        (a term inside a longer one the scan found first begins within that
        hit), and that hit lies in the match's window, so a match begins no
        later than the end of the last hit in its window: the second list is
        each window cut there. None without the promise (a match may begin
        anywhere in its window, as a house rule using the prefilter for "in
        the same block" expects). Both None when there is no prefilter.
        """
        if not self.scans:
            return None, None
        hits = self._hits(ctx)
        blocks = ctx.document.blocks
        found: list[tuple[int, int]] = []
        for i, ms, me in hits:
            b = blocks[i]
            if self.radius is None:
                found.append((b.start, b.end))
            else:
                found.append((max(b.start, ms - self.radius), min(b.end, me + self.radius)))
        windows = _merge(found)
        if not self.contains:
            return windows, None
        spans = sorted((ms, me) for _, ms, me in hits)
        firsts = [ms for ms, _ in spans]
        # the furthest end of the hits up to each; when those before a window end by its start
        # (a hit runs past its window only across a block end), it is the furthest of its own
        furthest = list(itertools.accumulate((me for _, me in spans), max))
        begins = []
        for w in windows:  # up to the furthest end of the hits that begin in the window
            lo, hi = bisect.bisect_left(firsts, w.start), bisect.bisect_left(firsts, w.end)
            if lo < hi:
                end = furthest[hi - 1] if lo == 0 or furthest[lo - 1] <= w.start else max(
                    me for _, me in spans[lo:hi])
                begins.append(Span(w.start, min(w.end, end)))
        return windows, begins

    def _hits(self, ctx: Context) -> list[tuple[int, int, int]]:
        """Return ``(block index, start, end)`` of every prefilter hit inside a block."""
        blocks = ctx.document.blocks
        starts = ctx.block_starts
        out: list[tuple[int, int, int]] = []
        for scan in self.scans:
            for ms, me in ctx.scan(scan, timeout=timeout() if isinstance(scan, recache.PatternLike) else None):
                i = bisect.bisect_right(starts, ms) - 1
                if i < 0 or ms >= blocks[i].end:
                    continue
                out.append((i, ms, me))
        return out


def _merge(spans: list[tuple[int, int]]) -> list[Span]:
    """Sort and merge overlapping or touching ranges."""
    spans.sort()
    merged: list[Span] = []
    for s, e in spans:
        if merged and s <= merged[-1].end:
            if e > merged[-1].end:
                merged[-1] = Span(merged[-1].start, e)
        else:
            merged.append(Span(s, e))
    return merged
