"""Suppression directives in HTML comments.

``<!-- rhetlint-disable IDS -->`` … ``<!-- rhetlint-enable IDS -->`` silence a
region, ``<!-- rhetlint-disable-next IDS -->`` the next block,
``<!-- rhetlint-disable-file IDS -->`` the whole file. IDS are rule ids or
categories separated by spaces or commas (none means all); an optional reason
follows ``--``. A malformed directive or an unknown id is the finding
``rhetlint.bad-directive``, never a blanket ignore; a directive that silenced
nothing is ``rhetlint.unused-directive``.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import regex

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Block, Directive, Example, Hit, Rule, Severity, Span

BAD = "rhetlint.bad-directive"
UNUSED = "rhetlint.unused-directive"

_DIRECTIVE_PATTERN = (
    r"\s*rhetlint-(?P<verb>disable-next|disable-file|disable|enable)"
    r"(?P<ids>(?:[\s,]+(?!--)[^\s,]+)*)"
    r"(?:\s+--(?:\s+(?P<reason>.*?))?)?\s*"
)
_ID_PATTERN = r"[a-z][a-z0-9\-]*(?:\.[a-z][a-z0-9\-]*)?"
_regexes: tuple[regex.Pattern[str], regex.Pattern[str]] | None = None


def _directive_regexes() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Return the directive and rule-id patterns, compiled when a document first has a comment."""
    global _regexes
    if _regexes is None:
        _regexes = (regex.compile(_DIRECTIVE_PATTERN, regex.DOTALL), regex.compile(_ID_PATTERN))
    return _regexes


@dataclass
class Region:
    """Where a directive silences which ids (empty = all)."""

    directive: Directive
    start: int
    end: int
    ids: frozenset[str]
    used: bool = False

    def covers(self, rule: str, category: str, start: int) -> bool:
        """Tell whether a finding of ``rule`` at ``start`` is silenced."""
        if not (self.start <= start < self.end):
            return False
        return not self.ids or rule in self.ids or category in self.ids


@dataclass
class Suppressions:
    """The regions of a document and the bad-directive hits found while parsing."""

    regions: list[Region] = field(default_factory=list)
    problems: list[Hit] = field(default_factory=list)
    stray: list[Directive] = field(default_factory=list)

    def silenced(self, rule: str, category: str, start: int) -> bool:
        """Tell whether a finding is silenced, marking the directives used."""
        hit = False
        for region in self.regions:
            if region.covers(rule, category, start):
                region.used = True
                hit = True
        return hit

    def silenced_all(self, queries: list[tuple[str, str, int]]) -> list[bool]:
        """`silenced` for many ``(rule, category, start)`` at once, in one sweep.

        Same answers and the same directives marked used, without testing every
        region for every finding (a long file with thousands of directives and
        findings would be quadratic).
        """
        import heapq

        order = sorted(range(len(queries)), key=lambda i: queries[i][2])
        regions = sorted(self.regions, key=lambda r: r.start)
        active: dict[str, int] = {}  # key ("*" = all ids) -> number of live regions
        pending: dict[str, list[Region]] = {}  # key -> live regions not yet marked used
        expiry: list[tuple[int, int, Region]] = []
        answers = [False] * len(queries)
        nxt = 0
        for qi in order:
            rule, category, pos = queries[qi]
            while nxt < len(regions) and regions[nxt].start <= pos:
                region = regions[nxt]
                nxt += 1
                if region.end <= pos:
                    continue
                heapq.heappush(expiry, (region.end, id(region), region))
                for key in region.ids or ("*",):
                    active[key] = active.get(key, 0) + 1
                    pending.setdefault(key, []).append(region)
            while expiry and expiry[0][0] <= pos:
                region = heapq.heappop(expiry)[2]
                for key in region.ids or ("*",):
                    active[key] -= 1
            for key in ("*", rule, category):
                if not active.get(key):
                    continue
                answers[qi] = True
                waiting = pending.get(key)
                if waiting:
                    keep = []
                    for region in waiting:
                        if region.end <= pos:
                            continue  # expired before any finding it covers
                        if region.start <= pos:
                            region.used = True
                        else:  # pragma: no cover - regions enter only once started
                            keep.append(region)
                    pending[key] = keep
        return answers

    def unused(self, active: Collection[str] | None = None) -> Iterator[Hit]:
        """Yield hits for directives that silenced nothing.

        With ``active`` (the ids and categories of the rules in force), a
        directive naming only rules that are switched off is not reported: it
        may be needed again when they are switched on.
        """
        seen: set[Directive] = set()
        used = {r.directive for r in self.regions if r.used}
        for region in self.regions:
            d = region.directive
            if d in used or d in seen:
                continue
            if active is not None and region.ids and not (region.ids & set(active)):
                continue
            seen.add(d)
            yield Hit(d.start, d.end, {"directive": " ".join(d.body.split())})
        for d in self.stray:
            yield Hit(d.start, d.end, {"directive": " ".join(d.body.split())})


def parse_directives(
    directives: Collection[Directive],
    blocks: Collection[Block],
    length: int,
    known: Collection[str],
) -> Suppressions:
    """Turn a document's comments into suppression regions.

    Args:
        directives: HTML comments found outside code.
        blocks: the document's prose blocks (for ``disable-next``).
        length: the source length (regions may run to the end).
        known: every valid rule id and category.
    """
    out = Suppressions()
    block_starts = [b.start for b in blocks]
    blocks = list(blocks)
    open_regions: dict[str, tuple[Directive, int]] = {}
    for d in sorted(directives):
        body = d.body
        if not body.strip().lower().startswith("rhetlint"):
            continue
        directive_re, id_re = _directive_regexes()
        m = directive_re.fullmatch(body)
        if not m:
            out.problems.append(Hit(d.start, d.end, {"problem": "malformed directive", "directive": body.strip()}))
            continue
        ids = [i for i in regex.split(r"[\s,]+", m.group("ids")) if i]
        own = [i for i in ids if i == "rhetlint" or i.startswith("rhetlint.")]
        if own:
            # directive and density findings are made after suppression: a directive cannot reach them
            out.problems.append(Hit(d.start, d.end, {
                "problem": f"'{own[0]}' cannot be silenced by a directive; set it in the config's rules: or per-file:",
                "directive": body.strip()}))
            continue
        bad = [i for i in ids if not id_re.fullmatch(i) or i not in known]
        if bad:
            out.problems.append(Hit(d.start, d.end, {"problem": f"unknown rule or category '{bad[0]}'",
                                                     "directive": body.strip()}))
            continue
        verb = m.group("verb")
        idset = frozenset(ids)
        if verb == "disable-file":
            out.regions.append(Region(d, 0, length, idset))
        elif verb == "disable-next":
            i = bisect.bisect_left(block_starts, d.end)
            if i < len(blocks):
                out.regions.append(Region(d, blocks[i].start, blocks[i].end, idset))
            else:
                out.problems.append(Hit(d.start, d.end, {"problem": "no block follows disable-next",
                                                         "directive": body.strip()}))
        elif verb == "disable":
            repeated = True
            for key in ids or ["*"]:
                if key not in open_regions:
                    open_regions[key] = (d, d.end)
                    repeated = False
            if repeated:  # everything it names is already disabled
                out.stray.append(d)
        else:  # enable
            keys = ids or list(open_regions)
            closed = False
            for key in keys:
                if key in open_regions:
                    od, start = open_regions.pop(key)
                    out.regions.append(Region(od, start, d.start, frozenset() if key == "*" else frozenset([key])))
                    closed = True
            if not closed:  # an enable that ends no disable region does nothing
                out.stray.append(d)
    for key, (od, start) in open_regions.items():
        out.regions.append(Region(od, start, length, frozenset() if key == "*" else frozenset([key])))
    return out


def no_hits(_ctx: object) -> list[Hit]:
    """The checker of rules whose findings the engine makes itself (directives, density)."""
    return []


@hookimpl
def rhetlint_rules() -> list[Rule]:
    """Register the two directive rules so they can be configured like any other."""
    return [
        Rule(
            id=BAD,
            kind="python",
            check=no_hits,
            message="Bad suppression directive: {problem}. Fix it; it silences nothing.",
            severity=Severity.ERROR,
            description="A rhetlint directive that cannot be parsed or names an unknown rule. "
            "It is reported instead of silently ignoring everything (the flake8 noqa trap).",
            examples=(
                Example("<!-- rhetlint-disable loded -->", (Span(0, 31),), True),
                Example("<!-- rhetlint-disable loaded -->", (), False),
            ),
            origin="rhetlint.suppress",
        ),
        Rule(
            id=UNUSED,
            kind="python",
            check=no_hits,
            message="Unused suppression directive: it silenced nothing. Remove it.",
            severity=Severity.INFO,
            description="A rhetlint directive that silenced no finding: stale after an edit.",
            examples=(
                Example("<!-- rhetlint-disable loaded -->\nA calm sentence.", (Span(0, 32),), True),
                Example("<!-- rhetlint-disable loaded -->\nA vicious sentence.", (), False),
            ),
            origin="rhetlint.suppress",
        ),
    ]
