"""The ``attribution`` category: the ``attribution`` rule kind and ``rules/attribution/``.

An attribution rule has ``trigger`` patterns (a vague source with a speech,
belief or evidence verb) and ``sourced-by`` conditions: a hit is dropped when a
named person, a link, a citation marker or a custom pattern stands in the same
sentence (``within: sentence``) or also in the next one (``next-sentence``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib.resources.abc import Traversable
from typing import Any

import regex

from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs
from rhetlint.kinds.common import Unless, compile_pattern, finditer
from rhetlint.model import Checker, Hit, Option, RuleKind, RuleSpec, Span
from rhetlint.text import NAME, NAMED_SPEAKER, Context

CONDITIONS = ("named-person", "link", "citation")

_APPOSITIVE = regex.compile(
    rf"(?<![\p{{L}}]){NAME}\s*,\s+(?:a|an|the)\s+(?:[\p{{L}}\-]+\s+){{0,5}}?"
    r"(?:spokes(?:wo)?man|spokesperson|official|minister|secretary|director|chief|"
    r"president|chair(?:wo)?man|chairperson|professor|analyst|economist|researcher|"
    r"scientist|expert|adviser|advisor|ambassador|general|commander|head|author|"
    r"editor|reporter|lawyer|envoy|negotiator|executive|manager|coach|doctor|fellow)\b"
)


OPTIONS = {
    "trigger": Option(list, required=True, help="patterns for a vague source + verb"),
    "sourced-by": Option(dict, None, help="{within: sentence|next-sentence, any: [...]}"),
    "unless": Option(dict, None, help="as for the pattern kind"),
}


def has_named_person(ctx: Context, span: Span, exclude: Span) -> bool:
    """Tell whether a named speaker ("said Maria Lopez", "Lopez, a UN spokeswoman") is in ``span``."""
    for pattern in (NAMED_SPEAKER, _APPOSITIVE):
        for m in pattern.finditer(ctx.text, span.start, span.end):
            if m.end() <= exclude.start or m.start() >= exclude.end:
                return True
    return False


class SourcedBy:
    """The ``sourced-by`` option: conditions that make an attribution sourced."""

    def __init__(self, spec: RuleSpec, value: Mapping[str, Any] | None) -> None:
        value = value or {}
        if not isinstance(value, Mapping) or set(value) - {"within", "any"}:
            raise RuleError(f"{spec.path}: sourced-by: expected a mapping with 'within' and 'any'")
        self.within = value.get("within", "sentence")
        if self.within not in ("sentence", "next-sentence"):
            raise RuleError(f"{spec.path}: sourced-by.within: expected sentence or next-sentence")
        self.conditions: set[str] = set()
        self.patterns: list[regex.Pattern[str]] = []
        items = value.get("any", list(CONDITIONS))
        if not isinstance(items, list):
            raise RuleError(f"{spec.path}: sourced-by.any: expected a list")
        for i, item in enumerate(items):
            if isinstance(item, str) and item in CONDITIONS:
                self.conditions.add(item)
            elif isinstance(item, Mapping) and set(item) == {"pattern"} and isinstance(item["pattern"], str):
                self.patterns.append(compile_pattern(spec, f"sourced-by.any[{i}].pattern", item["pattern"]))
            else:
                raise RuleError(
                    f"{spec.path}: sourced-by.any[{i}]: expected one of {', '.join(CONDITIONS)} or {{pattern: ...}}"
                )

    def sourced(self, ctx: Context, hit: Span) -> bool:
        """Tell whether the attribution at ``hit`` names its source nearby."""
        windows = [ctx.sentence_at(hit.start)]
        if self.within == "next-sentence":
            nxt = ctx.next_sentence(hit.start)
            if nxt is not None:
                windows.append(nxt)
        for w in windows:
            if ("link" in self.conditions or "citation" in self.conditions) and any(ctx.links_in(w)):
                return True
            if "named-person" in self.conditions and has_named_person(ctx, w, hit):
                return True
            if any(p.search(ctx.text, w.start, w.end) for p in self.patterns):
                return True
        return False


def build(spec: RuleSpec) -> Checker:
    """Compile triggers and sourcing conditions."""
    triggers = spec.options["trigger"]
    if not triggers or not all(isinstance(t, str) for t in triggers):
        raise RuleError(f"{spec.path}: trigger: expected a non-empty list of patterns")
    compiled = [compile_pattern(spec, f"trigger[{i}]", t) for i, t in enumerate(triggers)]
    sourced_by = SourcedBy(spec, spec.options["sourced-by"])
    unless = Unless(spec, spec.options["unless"])

    def check(ctx: Context) -> Iterator[Hit]:
        for pattern in compiled:
            for m in finditer(pattern, ctx.text):
                start, end = m.span("span") if "span" in pattern.groupindex and m.start("span") >= 0 else m.span()
                if start >= end or unless.cancels(ctx, start, end):
                    continue
                if sourced_by.sourced(ctx, Span(start, end)):
                    continue
                yield Hit(start, end, {k: v for k, v in m.groupdict().items() if v and k != "span"})

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``attribution`` kind."""
    return [RuleKind("attribution", OPTIONS, build, __doc__ or "")]


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/attribution``."""
    return plugin_dirs("attribution")()
