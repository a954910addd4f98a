"""The ``existence`` kind: flag any of a list of phrases.

Terms come from ``tokens:`` and the rule's ``lexicons:``; ``.tsv`` lexicons add
per-term columns (group, measured precision, inflect) that ``groups:`` and
``min-precision:`` filter on and messages can use as ``{group}`` and
``{precision}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.kinds.common import finditer_in, lexicon_terms
from rhetlint.model import Checker, Hit, Lexicon, Option, RuleKind, RuleSpec
from rhetlint.text import Context
from rhetlint.trie import word_regex

OPTIONS = {
    "tokens": Option(list, [], help="literal phrases to flag"),
    "inflect": Option(bool, False, help="also match regular inflections of each entry"),
    "min-precision": Option((float, int), 0.0, help="drop .tsv entries measured below this"),
    "groups": Option(list, [], help="only .tsv entries of these groups"),
}


def build(spec: RuleSpec) -> Checker:
    """Compile the rule's phrases into one factored regex."""
    opts = spec.options
    tokens = opts["tokens"]
    if not all(isinstance(t, str) and t.strip() for t in tokens):
        raise RuleError(f"{spec.path}: tokens: expected a list of non-empty strings")
    lexicons = list(spec.lexicons.values())
    lexicons.append(Lexicon("tokens", spec.path, tuple(tokens)))
    forms = lexicon_terms(
        lexicons,
        inflect=opts["inflect"],
        min_precision=float(opts["min-precision"]),
        groups=opts["groups"],
    )
    if not forms:
        raise RuleError(f"{spec.path}: tokens: the rule has no terms")
    pattern = word_regex(forms, ignore_case=spec.ignore_case)

    def check(ctx: Context) -> Iterator[Hit]:
        for m in finditer_in(pattern, ctx.text, ctx.block_spans, ctx):  # a term never crosses a block
            key = " ".join(m.group().lower().split())
            entry, cols = forms.get(key, (key, {}))
            yield Hit(m.start(), m.end(), {"term": entry, **cols})

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``existence`` kind."""
    return [RuleKind("existence", OPTIONS, build, __doc__ or "")]
