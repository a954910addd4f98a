"""The ``pattern`` kind: flag regex matches, unless a hedge is near.

``patterns:`` are run with the ``regex`` module over the masked text, the
rule's lexicons available as ``\\L<name>``. A named group ``span`` marks the
flagged part (otherwise the whole match); other named groups become message
fields. ``unless:`` cancels a hit when one of its patterns or lexicon entries
is in the same clause or sentence.

``prefilter: {lexicons: [...], patterns: [...]}`` is a speed promise: every
match contains one of these (lexicon entries count at the start of a longer
word too), so the patterns run only in the blocks where one occurs. Rules over large gazetteers (historical analogies) use it; results
are the same, and a long document costs a fraction of a full scan.
"""

from __future__ import annotations

from collections.abc import Iterator

from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.kinds.common import Prefilter, Unless, compile_pattern, finditer_in, hit_span, match_fields
from rhetlint.model import Checker, Hit, Option, RuleKind, RuleSpec
from rhetlint.text import Context

OPTIONS = {
    "patterns": Option(list, required=True, help="regexes; group 'span' marks the flagged part"),
    "unless": Option(dict, None, help="{within: clause|sentence, patterns: [...], lexicons: [...]}"),
    "prefilter": Option(dict, None, help="{lexicons: [...], patterns: [...]}: run only in blocks with one"),
}


def build(spec: RuleSpec) -> Checker:
    """Compile the rule's patterns."""
    raw = spec.options["patterns"]
    if not raw or not all(isinstance(p, str) for p in raw):
        raise RuleError(f"{spec.path}: patterns: expected a non-empty list of strings")
    compiled = [compile_pattern(spec, f"patterns[{i}]", p) for i, p in enumerate(raw)]
    unless = Unless(spec, spec.options["unless"])
    prefilter = Prefilter(spec, spec.options["prefilter"])

    def check(ctx: Context) -> Iterator[Hit]:
        windows, begins = prefilter.regions(ctx)
        if windows == []:  # the prefilter found nothing: no pattern can match
            return
        if windows is None:
            windows = ctx.block_spans  # a match never crosses a block
        for pattern in compiled:
            for m in finditer_in(pattern, ctx.text, windows, ctx, begins):
                start, end = hit_span(pattern, m)
                if start >= end or unless.cancels(ctx, start, end):
                    continue
                yield Hit(start, end, match_fields(m))

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``pattern`` kind."""
    return [RuleKind("pattern", OPTIONS, build, __doc__ or "")]
