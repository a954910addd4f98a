"""The lint loop: read → parse → rules → filters → suppressions → dedupe → sort.

Filtering is engine policy, the same for every rule: scope (block kinds),
reported speech (quotes attributed to a named speaker), exceptions, inline
suppressions, and one finding per instance within a category.
"""

from __future__ import annotations

import bisect
import errno
import os
import pickle
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import regex

from rhetlint import anchors, forking, recache, suppress
from rhetlint.config import Config, level_of, type_problem
from rhetlint.errors import InputError, PluginError, RhetlintError, RuleError
from rhetlint.host import Registry
from rhetlint.kinds import common as kinds_common
from rhetlint.ruledata import named_lists
from rhetlint.model import EMPTY as EMPTY_FIELDS
from rhetlint.model import Document, FileStats, Finding, Hit, Parser, Record, Rule, Severity, record
from rhetlint.text import Context, LineIndex

MAX_FILE_BYTES = 200 * 1024 * 1024
# A document this long (characters) is shared between two processes when -j allows.
SPLIT_MIN_CHARS = 200_000
# A part of a shared document also reads this much text (whole blocks, at least
# two) on each side of its own stretch: what rules look at around a hit.
SPLIT_MARGIN = 4_000
_BLANK = "\uffff"
_set = object.__setattr__  # how a Record's __init__ sets its fields
# Kinds whose matches stay inside a block and read only the text near them (the
# sentence, the next one, the paragraph before): a document can be cut into
# stretches for them. Rules of other kinds (a plugin's) may read the whole text,
# so a plan with one shares its rules over the processes instead.
BLOCK_LOCAL_KINDS = frozenset({"existence", "pattern", "attribution", "prediction", "word-model"})
_WORD = recache.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")


class BinaryFileError(InputError):
    """The file is binary: an error when named, skipped when found in a folder."""

    reason = "binary file"


class NotRegularFileError(InputError):
    """A FIFO, device or socket: never opened (it could block); skipped in folders."""

    reason = "not a regular file"


class BrokenLinkError(InputError):
    """A dangling or looping symbolic link: an error when named, skipped in folders."""

    reason = "broken or looping symbolic link"


class _Fields(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@record
class ActiveRule(Record):
    """A rule with the config applied: its severity, quote policy and exceptions."""

    __slots__ = ("rule", "severity", "quotes", "exceptions")  # noqa: RUF023 - field order

    rule: Rule
    severity: Severity
    quotes: str
    exceptions: regex.Pattern[str] | None

    def __init__(self, rule: Rule, severity: Severity, quotes: str, exceptions: regex.Pattern[str] | None) -> None:
        _set(self, "rule", rule)
        _set(self, "severity", severity)
        _set(self, "quotes", quotes)
        _set(self, "exceptions", exceptions)


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode file bytes: UTF-8 (a BOM kept as U+FEFF), UTF-16 with BOM, or ``encoding``.

    A UTF-8 byte-order mark stays in the text as U+FEFF, so offsets index the
    file as any UTF-8 reader sees it; a UTF-16 BOM only picks the byte order
    and is dropped.

    Raises:
        InputError: naming the file and the first bad byte.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError(f"{path}: cannot decode as {encoding}: {err}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # the BOM picks the byte order and is dropped
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: invalid UTF-16 at byte {err.start}") from None
    if b"\x00" in data[:8192]:
        raise BinaryFileError(f"{path}: binary file (contains NUL bytes), not text")
    try:
        # a UTF-8 BOM stays as U+FEFF: offsets index the file as Python decodes it
        # (what score.py and other tools reading with encoding="utf-8" see)
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not valid UTF-8 at byte {err.start} (use --encoding to name the encoding)"
        ) from None


def read_file(path: str, encoding: str | None = None) -> str:
    """Read a regular file as text without ever blocking on FIFOs or devices."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise BrokenLinkError(f"{path}: broken symbolic link (its target does not exist)") from None
        raise InputError(f"{path}: no such file or folder") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise BrokenLinkError(f"{path}: symbolic link loop") from None
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(f"{path}: not a regular file (FIFO, device or socket)")
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: file too large ({st.st_size} bytes; limit {MAX_FILE_BYTES})")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    return decode(data, path, encoding)


class Linter:
    """Lints documents with a registry of rules and a config."""

    def __init__(self, registry: Registry, config: Config) -> None:
        self.registry = registry
        self.config = config
        self.known_ids = frozenset(registry.rules) | {r.category for r in registry.rules.values()}
        self._plans: dict[tuple[str, ...], list[ActiveRule]] = {}
        # a plan's rules by id, and the ids and categories a directive may name (`_in_force`)
        self._plan_ids: dict[int, tuple[list[ActiveRule], dict[str, ActiveRule], frozenset[str]]] = {}
        # processes one long document may use (the CLI sets it from -j); 1: this one only
        self.jobs = 1
        self._rebuilt: dict[tuple[str, str], Rule] = {}
        # count each file's words (FileStats.words): the CLI turns it off unless
        # --statistics or max-density needs them (None then)
        self.count_words = True

    # -- rule plans -------------------------------------------------------
    def plan(self, path: str) -> list[ActiveRule]:
        """Return the active rules for a path (cached per set of per-file globs)."""
        globs = tuple(g for g, _ in self.config.per_file if self.config.matches(path, g))
        if globs not in self._plans:
            self._plans[globs] = self._make_plan(path)
        return self._plans[globs]

    def prepare(self, paths: Iterable[str], size: int) -> None:
        """Build now what linting these files (``size`` bytes in all) will need.

        Called before worker processes fork, so they inherit the rule plans
        and the anchor index instead of each building its own.
        """
        for path in paths:
            self.plan(path)
        index = anchors.index()
        if size > anchors.SMALL_SCAN:
            index.compile()
            anchors.warm_reach()

    def _make_plan(self, path: str) -> list[ActiveRule]:
        layers = self.config.settings_for(path)
        plan = []
        for rule_id in sorted(self.registry.rules):
            rule = self.registry.rules[rule_id]
            level = level_of(rule, layers, self.config.select, self.config.ignore)
            if level == "off":
                continue
            quotes = rule.quotes
            exceptions = list(rule.exceptions)
            options: dict[str, Any] = {}
            for layer in layers:
                for key in (rule.category, rule.id):
                    s = layer.get(key)
                    if s is None:
                        continue
                    quotes = s.quotes or quotes
                    if s.exceptions is not None:
                        exceptions = list(s.exceptions)
                    exceptions.extend(s.extend_exceptions)
                    options.update(s.options)
            if options:
                rule = self._rebuild(rule, options)
            exceptions.extend(self.config.exceptions)
            compiled = None
            if exceptions:
                flags = regex.IGNORECASE if rule.ignore_case else 0
                body = "|".join(f"(?:{e})" for e in exceptions)
                lists = named_lists(rule.spec.lexicons, body) if rule.spec else {}
                try:
                    compiled = recache.compile(body, flags, **lists)
                except (regex.error, ValueError, TypeError) as err:
                    raise RuleError(f"{self.config.where('exceptions')}: exceptions for {rule.id}: {err}") from None
                anchors.register(compiled, body, lists, flags, local=True)  # tried around hits only
            plan.append(ActiveRule(rule, Severity(level), quotes, compiled))
        recache.save()
        return plan

    def _rebuild(self, rule: Rule, options: Mapping[str, Any]) -> Rule:
        key = (rule.id, repr(sorted(options.items())))
        if key not in self._rebuilt:
            if rule.spec is None:
                raise RuleError(f"rule {rule.id} has no options to set")
            kind = self.registry.kinds[rule.kind]
            where = self.config.where("rules", rule.id)
            merged = dict(rule.spec.options)
            for name, value in options.items():
                expected = type_problem(kind.options[name].type, value)  # the config check's own rule
                if expected:
                    raise RuleError(f"{where}: rules.{rule.id}.{name}: expected {expected}")
                merged[name] = value
            spec = replace(rule.spec, options=merged)
            try:
                check = kind.build(spec)
            except RuleError as err:  # a value the kind refuses: name the config, not the rule file
                msg = str(err)
                lead = f"{spec.path}: "
                detail = f".{msg[len(lead):]}" if msg.startswith(lead) else f": {msg}"
                raise RuleError(f"{where}: rules.{rule.id}{detail}") from None
            self._rebuilt[key] = replace(rule, check=check, options=merged, spec=spec)
        return self._rebuilt[key]

    # -- linting ----------------------------------------------------------
    def parser_for(self, path: str) -> Parser:
        """Return the parser for a path: config globs, then plugins, then suffix; text by default."""
        for glob, name in self.config.parsers.items():
            if self.config.matches(path, glob):
                return self.registry.parsers[name]
        try:
            parser = self.registry.parser_for(path, self.config)
        except RhetlintError:
            raise
        except Exception as err:  # noqa: BLE001 - a plugin's chooser bug names the hook and file
            raise PluginError(f"a plugin's rhetlint_parser_for failed on {path}: {type(err).__name__}: {err}") from err
        return parser or self.registry.parsers["text"]

    def lint_source(self, path: str, source: str) -> tuple[list[Finding], FileStats]:
        """Lint one document's text; return sorted findings and its statistics."""
        return self.lint_document(self.parse(path, source))

    def parse(self, path: str, source: str) -> Document:
        """Parse one document's text with the parser chosen for ``path``.

        Raises:
            PluginError: the parser failed or broke the length contract.
        """
        parser = self.parser_for(path)
        try:
            doc = parser.parse(path, source)
        except RhetlintError:
            raise
        except Exception as err:  # noqa: BLE001 - a parser bug must name the parser and file
            raise PluginError(f"parser '{parser.name}' failed on {path}: {type(err).__name__}: {err}") from err
        if len(doc.text) != len(source):
            raise PluginError(f"parser '{parser.name}' broke the length contract on {path}")
        return doc

    def lint_file(self, path: str, source: str) -> tuple[Document, list[Finding], FileStats, dict[str, float]]:
        """Parse and lint one file and apply the density policy (``max-density``).

        Returns:
            The document, its sorted findings (density findings included), its
            statistics and its densities per 1,000 words (``all`` and per category).
        """
        from rhetlint.density import density_findings, measure

        helpers = self._early_helpers(path, len(source))
        try:
            doc = self.parse(path, source)
            found, st = self.lint_document(doc, helpers) if helpers else self.lint_document(doc)
        finally:
            for helper in helpers:
                helper.close()
        found = sorted(found + density_findings(self, doc, found, st), key=Finding.sort_key)
        return doc, found, st, measure(found, st.words) if st.words is not None else {}

    def _early_helpers(self, path: str, size: int) -> list[_Helper]:
        """Fork the processes that will share a long document before it is parsed.

        While this process parses, they decode the rules' patterns and compile
        the anchor tries (some 70 ms they would otherwise spend after the
        parse); they then take the larger stretches (`_split_regions`).
        """
        if self.jobs < 2 or size < SPLIT_MIN_CHARS or not sys.platform.startswith("linux"):
            return []
        if not _cuttable(self.plan(path)):
            return []  # its rules will be shared out after the parse instead
        anchors.index()
        helpers: list[_Helper] = []
        try:
            for _ in range(self.jobs - 1):
                helpers.append(_Helper(self, path))
        except BaseException as err:
            for helper in helpers:
                helper.close()
            if isinstance(err, OSError):  # no process to fork: this one lints alone
                return []
            raise
        return helpers

    def _warm_up(self, path: str) -> None:
        """Decode every pattern and compile the anchor tries now (what a first document pays for)."""
        self.plan(path)
        anchors.warm_up()
        for pattern in list(recache.lazy_patterns()):
            pattern.real()

    def lint_document(self, doc: Document, helpers: Iterable[_Helper] = ()) -> tuple[list[Finding], FileStats]:
        """Run every active rule on a parsed document.

        With ``jobs`` above 1 (the CLI's ``-j``) and a long document, the
        document is cut into stretches linted in this process and forked ones
        (`_split_regions`, with the ``helpers`` `lint_file` forked before the
        parse), or, when it cannot be cut or a rule may read all of it, its
        rules are shared out (`_split_hits`); the findings are the same.
        """
        ctx = Context(doc)
        plan = self.plan(doc.path)
        active, in_force = self._in_force(plan)
        block_starts = ctx.block_starts
        per_rule = None
        helpers = list(helpers)
        with kinds_common.alarm_budget():
            if self.jobs > 1 and len(doc.text) >= SPLIT_MIN_CHARS and len(plan) > 1 and sys.platform.startswith("linux"):
                if _cuttable(plan):
                    per_rule = self._split_regions(doc, plan, helpers)
                if per_rule is None:  # too few blocks to cut: the rules are shared out instead
                    for helper in helpers:
                        helper.send(None)
                    per_rule = self._split_hits(ctx, doc, block_starts, plan)
            for helper in helpers:
                helper.send(None)  # nothing (more) for them
            if per_rule is None:
                per_rule = [self._rule_hits(ctx, doc, block_starts, act) for act in plan]
        raw: list[tuple[ActiveRule, Hit]] = [(act, h) for act, hits in zip(plan, per_rule) for h in hits]
        sup = suppress.parse_directives(doc.directives, doc.blocks, len(doc.source), self.known_ids)
        quiet = sup.silenced_all([(a.rule.id, a.rule.category, h.start) for a, h in raw])
        kept = [item for item, silenced in zip(raw, quiet) if not silenced]
        kept = _dedupe(kept)
        for hit in sup.problems:
            if suppress.BAD in active:
                kept.append((active[suppress.BAD], hit))
        if suppress.UNUSED in active:
            kept.extend((active[suppress.UNUSED], h) for h in sup.unused(in_force))
        index = LineIndex(doc.source)
        findings = [self._finding(doc, index, a, h) for a, h in kept]
        findings.sort(key=Finding.sort_key)
        words = count_words(doc.text) if self.count_words else None
        return findings, FileStats(doc.path, words, len(findings))

    def _in_force(self, plan: list[ActiveRule]) -> tuple[dict[str, ActiveRule], frozenset[str]]:
        """A plan's rules by id, and every id and category they answer to (made once per plan)."""
        known = self._plan_ids.get(id(plan))
        if known is None or known[0] is not plan:
            active = {a.rule.id: a for a in plan}
            known = self._plan_ids[id(plan)] = (plan, active, frozenset(active) | {a.rule.category for a in plan})
        return known[1], known[2]

    def _rule_hits(self, ctx: Context, doc: Document, block_starts: list[int], act: ActiveRule) -> list[Hit]:
        """Run one rule and the engine's filters on a document; errors name the rule."""
        rule = act.rule
        budget = kinds_common.start_clock(len(doc.text))
        try:
            hits = list(rule.check(ctx))
        except TimeoutError:
            raise RuleError(
                f"{rule.origin}: rule {rule.id} took longer than {budget:.0f} s on {doc.path}"
                " (catastrophic regex?)"
            ) from None
        except RhetlintError:
            raise
        except Exception as err:  # noqa: BLE001 - a rule bug names rule, origin and file
            where = rule.origin or f"plugin '{self.registry.provider.get(('rule', rule.id), '?')}'"
            raise PluginError(
                f"rule {rule.id} ({where}) failed on {doc.path}: {type(err).__name__}: {err}"
            ) from err
        finally:
            kinds_common.stop_clock()
        if not hits:
            return hits
        budget = kinds_common.start_clock(len(doc.text))
        try:
            return [h for _, h in self._filter(ctx, doc, block_starts, act, hits)]
        except TimeoutError:
            raise RuleError(
                f"{self.config.where('exceptions')}: the exceptions of rule {rule.id} ({rule.origin} "
                f"and the config) took longer than {budget:.0f} s on {doc.path} (catastrophic regex?)"
            ) from None
        finally:
            kinds_common.stop_clock()

    def _split_regions(self, doc: Document, plan: list[ActiveRule],
                       helpers: list[_Helper] | None = None) -> list[list[Hit]] | None:
        """Lint stretches of a long document in this process and forked ones; None if it has too few blocks.

        The document is cut at block starts into ``jobs`` stretches of about
        equal length (this process takes a shorter one when ``helpers``,
        forked before the parse, have warmed up meanwhile). Each process
        lints a copy of the document blanked outside its stretch and a margin
        of whole blocks around it (what a rule reads near a hit: the sentence
        after, the paragraph before a quotation, a match running on) and keeps
        the hits that begin in its stretch. Children send their hits, or a
        rule's error, back through a pipe; a stretch whose child dies is
        linted here.
        """
        helpers = helpers or []
        blocks = doc.blocks
        n = len(doc.text)
        starts = [b.start for b in blocks]
        parts = len(helpers) + 1 if helpers else self.jobs
        # helpers warmed up during the parse, but read the document from a pipe after it:
        # this process lints that much less (or, on long documents, more) than each of them
        lead = max(-n // (2 * parts), min(HELPER_LEAD - int(n * HELPER_READ), n // (2 * parts))) if helpers else 0
        mine = (n - (parts - 1) * lead) / parts
        cuts = [0]
        for k in range(1, parts):
            i = bisect.bisect_left(starts, int(mine + (k - 1) * (mine + lead)))
            if i < len(blocks) and blocks[i].start > cuts[-1]:
                cuts.append(blocks[i].start)
        cuts.append(n)
        if len(cuts) != parts + 1 or len(cuts) < 3:
            return None
        anchors.index()  # the prefix table, once, before the fork (each process compiles the tries it scans with:
        # from cached code, in parallel)
        children: list[forking.Child] = []
        results: list[list[object] | None] = [None] * (len(cuts) - 1)
        try:
            if helpers:
                for j, helper in enumerate(helpers, 1):
                    helper.send((doc, cuts, j))
            else:
                for j in range(1, len(cuts) - 1):  # one at a time: if a fork fails, those before are reaped
                    children.append(forking.Child(lambda j=j: _encoded(self._lint_stretch(doc, plan, cuts, j))))
            results[0] = self._lint_stretch(doc, plan, cuts, 0)
            for j in range(1, len(cuts) - 1):
                answer = helpers[j - 1].answer() if helpers else children[j - 1].answer()
                if isinstance(answer, list) and len(answer) <= len(plan):
                    results[j] = [got if isinstance(got, RhetlintError) else
                                  [Hit(s, e, f or EMPTY_FIELDS) for s, e, f in got] for got in answer]
                else:  # the child died: its stretch is linted here
                    results[j] = self._lint_stretch(doc, plan, cuts, j)
        finally:
            forking.close_all(children)
        errors = [(i, got) for part in results for i, got in enumerate(part or []) if isinstance(got, RhetlintError)]
        if errors:  # the error a one-process run would have met first: the first rule in plan order
            raise min(errors, key=lambda item: item[0])[1]
        return [[h for part in results for h in part[i]] for i in range(len(plan))]  # type: ignore[index, union-attr]

    def _lint_stretch(self, doc: Document, plan: list[ActiveRule], cuts: list[int], j: int) -> list[object]:
        """Run the rules on stretch ``j`` of a cut document: per rule its hits there, or the error it raised."""
        lo, hi = cuts[j], cuts[j + 1]
        blocks = doc.blocks
        n = len(doc.text)
        starts = [b.start for b in blocks]
        first = max(0, bisect.bisect_left(starts, lo) - 2)  # two blocks before, and SPLIT_MARGIN
        while first > 0 and lo - starts[first] < SPLIT_MARGIN:
            first -= 1
        last = min(len(blocks) - 1, bisect.bisect_left(starts, hi) + 1)  # two blocks after, and SPLIT_MARGIN
        while last < len(blocks) - 1 and blocks[last].end - hi < SPLIT_MARGIN:
            last += 1
        a = starts[first] if first > 0 else 0
        b = blocks[last].end if last < len(blocks) - 1 else n
        # U+FFFF: no letter, digit, space or punctuation any rule looks for; spaces would make
        # long whitespace runs, which patterns with \s+ walk from every position
        part = replace(doc, text=_BLANK * a + doc.text[a:b] + _BLANK * (n - b), blocks=blocks[first : last + 1])
        ctx = Context(part, (a, b))
        out: list[object] = []
        for act in plan:
            try:
                hits = self._rule_hits(ctx, part, ctx.block_starts, act)
            except RhetlintError as err:
                out.append(err)
                break
            out.append([h for h in hits if lo <= h.start < hi])
        return out

    def _split_hits(self, ctx: Context, doc: Document, block_starts: list[int],
                    plan: list[ActiveRule]) -> list[list[Hit]]:
        """Run the rules in this process and a forked one; return each rule's hits in plan order.

        What the rules share (sentences, quotations, the anchor scan) is
        computed before the fork, so neither side repeats it. Both processes
        take the next rule from a queue (a pipe of rule numbers) until it is
        empty, so they finish together whatever each rule costs. The child
        sends back its hits, or the error a rule raised, through a pipe; if it
        dies without an answer, the rules it took are run here.
        """
        ctx.warm()  # sentences, quotations and the anchor scan: computed once, before the fork
        queue_r, queue_w = os.pipe()
        os.write(queue_w, b"".join(i.to_bytes(2, "big") for i in range(len(plan))))  # < 64 KiB: never blocks
        os.close(queue_w)

        def take() -> int | None:
            token = os.read(queue_r, 2)  # a read this small from a pipe is atomic
            return int.from_bytes(token, "big") if len(token) == 2 else None

        def theirs() -> list[tuple[int, object]]:
            result: list[tuple[int, object]] = []
            while (i := take()) is not None:
                try:
                    hits = self._rule_hits(ctx, doc, block_starts, plan[i])
                except RhetlintError as err:  # handed to the parent, which raises the first in plan order
                    result.append((i, err))
                    break
                result.append((i, [(h.start, h.end, dict(h.fields)) for h in hits]))
            return result

        child = forking.Child(theirs)
        out: list[list[Hit] | None] = [None] * len(plan)
        errors: list[tuple[int, RhetlintError]] = []
        try:
            while (i := take()) is not None:
                try:
                    out[i] = self._rule_hits(ctx, doc, block_starts, plan[i])
                except RhetlintError as err:
                    errors.append((i, err))
                    break
            answer = child.answer()
        finally:
            os.close(queue_r)
            child.close()
        for i, got in answer if isinstance(answer, list) else ():
            if isinstance(got, RhetlintError):
                errors.append((i, got))
            else:
                out[i] = [Hit(s, e, f or EMPTY_FIELDS) for s, e, f in got]  # type: ignore[union-attr]
        for i, hits in enumerate(out):
            if errors and i >= min(e for e, _ in errors):
                break
            if hits is None:  # taken by a child that died, or left in the queue after an error
                try:
                    out[i] = self._rule_hits(ctx, doc, block_starts, plan[i])
                except RhetlintError as err:
                    errors.append((i, err))
        if errors:  # the error a one-process run would have met first
            raise min(errors, key=lambda item: item[0])[1]
        return [hits or [] for hits in out]

    @staticmethod
    def _filter(ctx: Context, doc: Document, block_starts: list[int], act: ActiveRule,
                hits: list[Hit]) -> Iterator[tuple[ActiveRule, Hit]]:
        """Yield the hits that pass the engine's filters: bounds, scope, quotes, exceptions."""
        rule = act.rule
        for hit in hits:
            if not (0 <= hit.start < hit.end <= len(doc.text)):
                continue
            if rule.scope and _block_kind(doc, block_starts, hit.start) not in rule.scope:
                continue
            if act.quotes == "skip":
                quote = ctx.quote_at(hit.start, hit.end)
                if quote is not None and ctx.is_reported_speech(quote):
                    continue
            if act.exceptions is not None and _excepted(ctx, act.exceptions, hit):
                continue
            yield act, hit

    def _finding(self, doc: Document, index: LineIndex, act: ActiveRule, hit: Hit) -> Finding:
        match = " ".join(doc.text[hit.start : hit.end].split())
        fields = _Fields(hit.fields)
        fields.setdefault("match", match)
        try:
            message = act.rule.message.format_map(fields)
        except (ValueError, IndexError, AttributeError, KeyError, TypeError):
            message = act.rule.message
        line, col = index.position(hit.start)
        end_line, end_col = index.position(hit.end)
        return Finding(doc.path, hit.start, hit.end, line, col, end_line, end_col,
                       act.rule.id, act.severity, message, doc.source[hit.start : hit.end])


# How much text (characters) a helper forked before the parse lints in the time it
# saved by warming up meanwhile (decoding patterns, compiling scans: ~35 ms of
# this process's time after the parse, at ~0.5 s per MB): that much less is this
# process's share (0.87 of a helper's on 1 MB, nearly all of it on 16 MB).
HELPER_LEAD = 70_000
# ... and how much it lints in the time it takes to read the document (pickled,
# through a pipe): some 6 ms per MB, the time it takes to lint 1.2% of it.
HELPER_READ = 0.012


def _encoded(got: list[object]) -> list[object]:
    """A stretch's result as plain data for the pipe."""
    return [g if isinstance(g, RhetlintError) else [(h.start, h.end, dict(h.fields)) for h in g]  # type: ignore[attr-defined]
            for g in got]


class _Helper:
    """A process forked before a long document is parsed: it warms up, then lints the stretch it is sent."""

    _open: ClassVar[set[int]] = set()  # this process's ends of the helpers' pipes: no other child may hold one

    def __init__(self, linter: Linter, path: str) -> None:
        read_fd, write_fd = os.pipe()
        self._write: int | None = write_fd

        def work() -> list[object] | None:
            for fd in (write_fd, *_Helper._open):  # else a helper would wait for another's end of the pipe
                os.close(fd)
            linter._warm_up(path)
            with os.fdopen(read_fd, "rb") as fh:
                data = fh.read()
            task = pickle.loads(data) if data else None
            if task is None:
                return None
            doc, cuts, j = task
            with kinds_common.alarm_budget():
                return _encoded(linter._lint_stretch(doc, linter.plan(doc.path), cuts, j))

        try:
            self._child = forking.Child(work)
        except BaseException:
            os.close(write_fd)
            raise
        finally:
            os.close(read_fd)
        _Helper._open.add(write_fd)

    def send(self, task: object) -> None:
        """Hand over the work (None: nothing to do); only the first call counts."""
        if self._write is None:
            return
        fd, self._write = self._write, None
        _Helper._open.discard(fd)
        try:
            with os.fdopen(fd, "wb") as fh:
                if task is not None:
                    pickle.dump(task, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # the helper is gone: its stretch is linted here
            pass

    def answer(self) -> object:
        """The helper's result (None if it died)."""
        return self._child.answer()

    def close(self) -> None:
        """Stop and reap the helper."""
        self.send(None)
        self._child.close()


def _cuttable(plan: list[ActiveRule]) -> bool:
    """Tell whether every rule of a plan reads only the text near its matches (see `BLOCK_LOCAL_KINDS`)."""
    return all(a.rule.kind in BLOCK_LOCAL_KINDS or a.rule.check is suppress.no_hits for a in plan)


def count_words(text: str) -> int:
    """Return the number of words in a (masked) text, as ``--statistics`` and density count them."""
    return len(_WORD.findall(text))


def _block_kind(doc: Document, starts: list[int], offset: int) -> str | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and offset < doc.blocks[i].end:
        return doc.blocks[i].kind
    return None


def _excepted(ctx: Context, pattern: regex.Pattern[str], hit: Hit) -> bool:
    sentence = ctx.sentence_at(hit.start)
    lo, hi = min(sentence.start, hit.start), max(sentence.end, hit.end)
    # an exception that overlaps the hit begins before its end (a user's (?r) pattern is looked at whole)
    reverse = bool(pattern.flags & regex.REVERSE)
    starts = ctx.local_starts(pattern, lo, hi if reverse else hit.end)
    if starts is not None:  # only where an exception may begin (rhetlint.anchors)
        found = anchors.iter_matches(pattern, ctx.text, [(lo, hi)], starts, kinds_common.timeout)
    else:
        found = pattern.finditer(ctx.text, lo, hi, timeout=kinds_common.timeout())
    if reverse:  # a user's (?r) pattern finds matches from the end
        return any(m.start() < hit.end and hit.start < m.end() for m in found)
    for m in found:  # in order of their starts: none after the hit can overlap it
        if m.start() >= hit.end:
            return False
        if hit.start < m.end():
            return True
    return False


def _dedupe(items: list[tuple[ActiveRule, Hit]]) -> list[tuple[ActiveRule, Hit]]:
    """Keep one finding per instance within a category: the most severe, then longest."""
    by_cat: dict[str, list[tuple[ActiveRule, Hit]]] = {}
    for item in items:
        by_cat.setdefault(item[0].rule.category, []).append(item)
    out = []
    for group in by_cat.values():
        group.sort(key=lambda it: (-it[0].severity.rank, -(it[1].end - it[1].start), it[1].start, it[0].rule.id))
        starts: list[int] = []
        ends: list[int] = []
        for act, hit in group:
            i = bisect.bisect_left(starts, hit.start)
            clash = (i > 0 and ends[i - 1] > hit.start) or (i < len(starts) and starts[i] < hit.end)
            if clash:
                continue
            starts.insert(i, hit.start)
            ends.insert(i, hit.end)
            out.append((act, hit))
    return out


def _first_time(path: str, seen: set[str], folders: dict[str, str],
                known: os.stat_result | None = None) -> bool:
    """Tell whether ``path`` names a file not yielded yet (by its real path)."""
    key = _real_path(path, folders, known)
    if key in seen:
        return False
    seen.add(key)
    return True


def _real_path(path: str, folders: dict[str, str], known: os.stat_result | None = None) -> str:
    """``os.path.realpath(path)``, with the real path of each folder worked out once.

    A file that is no symbolic link adds its name to its folder's real path, as
    realpath does after resolving the folder (which looks at each part of the
    path in turn: 446 files named on a command line cost 5 ms that way).
    ``known`` is the file's `os.lstat`, when the caller has it.
    """
    head, tail = os.path.split(path)
    if tail in ("", ".", ".."):
        return os.path.realpath(path)
    if known is None:
        try:
            known = os.lstat(path)
        except OSError:
            return os.path.realpath(path)
    if stat.S_ISLNK(known.st_mode):
        return os.path.realpath(path)
    real = folders.get(head)
    if real is None:
        real = folders[head] = os.path.realpath(head)
    return os.path.join(real, tail)


def iter_paths(paths: Iterable[str], config: Config, notices: list[str],
               errors: list[str] | None = None) -> Iterator[tuple[str, bool]]:
    """Yield ``(path, explicit)`` for every file to lint, folders recursed in sorted order.

    Hidden folders and ``.git`` are skipped; symlinked folders are not followed
    (no loops); files found by recursion must match ``files.include`` and not
    ``files.exclude``. A folder that cannot be listed is never skipped silently:
    its error goes to ``errors``, or raises `InputError` when ``errors`` is None.
    """

    def unlistable(err: OSError) -> None:
        line = f"{err.filename}: cannot list folder: {err.strerror or err}"
        if errors is None:
            raise InputError(line)
        errors.append(line)

    seen: set[str] = set()  # a file named twice (or inside a named folder) is linted once
    folders: dict[str, str] = {}  # a folder as named -> its real path
    for given in paths:
        if given == "-":
            yield given, True
            continue
        try:
            known: os.stat_result | None = os.lstat(given)
        except OSError:
            known = None
        # a folder, or a symbolic link to one (followed when named)
        if known is not None and (stat.S_ISDIR(known.st_mode)
                                  or (stat.S_ISLNK(known.st_mode) and Path(given).is_dir())):
            found = False
            for root, dirs, files in os.walk(given, onerror=unlistable, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.startswith(".") or not config.included(full):
                        continue
                    found = True
                    if _first_time(full, seen, folders):
                        yield full, False
            if not found:
                notices.append(f"{given}: no files matching {', '.join(config.include)}")
        elif _first_time(given, seen, folders, known):
            yield given, True
