"""The ``prediction`` category: the ``prediction`` rule kind and ``rules/prediction/``.

A ``prediction`` rule is a ``pattern`` rule that knows what is *not* an
assertion about the future made by the writer:

* ``unless:`` as for the pattern kind, or a list of such mappings, so a rule
  can cancel on hedges in the clause (``within: clause``) and on schedule or
  software context in the sentence (``within: sentence``) at once;
* ``skip:`` built-in contexts where a hit is dropped: ``question`` (the
  sentence asks: "Will he ever accept?") and ``reported-speech`` (a named
  source says or forecasts it: "..., said Maria Lopez", "the IMF predicts
  that ...", "according to Lopez"). Default: both.

Reported speech needs a named speaker that governs the prediction: before it
in the sentence with no "but"/";" in between, or right after it behind a
comma or closing quote (", said Lopez", "” Lopez wrote"). "He will never
accept what Trump says" is not reported speech.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import regex

from rhetlint import recache
from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs
from rhetlint.kinds.common import Unless, compile_pattern, finditer_in, hit_span, match_fields
from rhetlint.model import Checker, Hit, Option, RuleKind, RuleSpec
from rhetlint.text import NAME, Context

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

SKIPS = ("question", "reported-speech")

# Verbs that report what a named source said or forecast (not what they think:
# "Putin believes he will win" stays the writer's claim about Putin).
_REPORT_VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|declared|declares|insisted|insists|"
    r"warned|warns|argued|argues|claimed|claims|stated|states|noted|notes|tweeted|posted|"
    r"announced|announces|predicted|predicts|forecast|forecasts|projected|projects|"
    r"estimated|estimates|concluded|concludes|found|finds|reported|reports|testified|"
    r"promised|promises|vowed|vows|pledged|pledges|admitted|conceded|explained|replied|"
    r"cautioned|cautions|contended|contends|maintained|maintains|suggested|suggests|"
    r"indicated|indicates|signaled|signalled|signals|hinted|hints|forecasted"
)
_SOURCE = rf"(?:{NAME}|\p{{Lu}}{{2,}}s?)"
# A definite role or institution, named earlier in the text: "the company said", "the coach says".
_ROLE = (
    r"(?:the|its|his|her|their)\s+(?:[\p{Ll}\-]+\s+){0,2}?(?:company|firm|club|team|council|government|"
    r"ministry|department|agency|bank|board|court|commission|committee|union|party|police|school|"
    r"university|hospital|coach|minister|mayor|governor|president|chairman|chairwoman|chair|spokesman|"
    r"spokeswoman|spokesperson|regulator|campaign|carrier|airline|operator|"
    r"manufacturer|developer|owner|owners|organi[sz]ers|organi[sz]ation|fund|institute)"
)
# Speaker before the prediction: "Lopez said (that)", "the IMF predicts", "according to Lopez",
# "Lopez, a city planner, warned".
_SPEAKER_BEFORE = recache.compile(
    rf"(?<![\p{{L}}]){_SOURCE}(?:\s*,[^,;]{{2,60}},)?\s+"
    rf"(?:has\s+|had\s+|also\s+|recently\s+)?(?:{_REPORT_VERBS})\b"
    rf"|\b(?i:according\s+to)\s+(?:(?:the|a)\s+)?(?:[\p{{Ll}}\-]+\s+){{0,3}}?{_SOURCE}"
    rf"|\b(?i:he|she|they)\s+(?:{_REPORT_VERBS})\b"
    rf"|\b(?i:in|as)\s+(?:{_SOURCE}|(?:his|her|their)\s+\w+)\s+(?:put\s+it|noted|wrote|said|argued)\b"
    rf"|\b(?i:{_ROLE})\s+(?:has\s+|had\s+|also\s+)?(?:{_REPORT_VERBS})\b"
)
_ROLE_START = recache.compile(rf"(?i:{_ROLE})\s")
# Between "the company said" and the forecast it reports: only "that" and the forecast's subject.
_ROLE_GAP = recache.compile(r"[;:.!?]|\b(?:and|so|but|or|while|whereas|after|before|because)\b", regex.IGNORECASE)
# Speaker right after it: ', said Lopez', ', Lopez said', '” the report found'.
_SPEAKER_AFTER = recache.compile(
    rf"[,\"”’]\s*[\"”’]?\s*(?:(?:{_REPORT_VERBS})\s+(?:{_SOURCE}|(?:the|a)\s+)"
    rf"|(?:(?:the|a)\s+)?{_SOURCE}\s+(?:{_REPORT_VERBS})\b"
    rf"|(?:he|she|they)\s+(?:{_REPORT_VERBS})\b"
    rf"|{_ROLE}\s+(?:{_REPORT_VERBS})\b"
    rf"|(?i:according\s+to)\b)"
)
_CONTRAST = recache.compile(r"[;]|\bbut\b|\bhowever\b|\byet\b", regex.IGNORECASE)

OPTIONS = {
    "patterns": Option(list, required=True, help="regexes; group 'span' marks the flagged part"),
    "unless": Option((dict, list), None, help="{within, patterns, lexicons} or a list of them"),
    "skip": Option(list, list(SKIPS), help=f"built-in contexts to drop: {', '.join(SKIPS)}"),
}


# A capitalised first word of a sentence is not a name when it is a determiner or a
# plural common noun ("Experts say ...", "Critics warn ..."): those are vague sources.
_NOT_A_NAME = recache.compile(
    r"(?:the|a|an|this|that|these|those|some|many|most|few|several|all|both|other|others|"
    r"people|experts|critics|officials|analysts|economists|scientists|observers|reports|studies|"
    r"polls|sources|researchers|historians|scholars|commentators|pundits|insiders|supporters|"
    r"opponents|activists|diplomats|aides|allies|investors|skeptics|sceptics|authorities|voters|"
    r"residents|farmers|parents|teachers|doctors|workers|unions|everyone|everybody|somebody|someone|"
    r"\w+(?:ists|ians|ers|ors|ants|ents|ics))",
    regex.IGNORECASE,
)


_FIRST_WORD = recache.compile(r"[\p{L}'’\-]+")

def _is_vague_opener(text: str, sentence_start: int, m: regex.Match[str]) -> bool:
    """Tell whether a speaker match is a sentence-initial common word, not a name."""
    lead = text[sentence_start : m.start()].strip(" \"'“‘(")
    if lead:
        return False
    if _ROLE_START.match(m.group()):
        return False  # "The parks department said": a definite body named earlier, not "The experts"
    first = _FIRST_WORD.match(m.group())
    return bool(first and _NOT_A_NAME.fullmatch(first.group()))


def is_question(ctx: Context, start: int) -> bool:
    """Tell whether the sentence holding ``start`` is a question."""
    sentence = ctx.sentence_at(start)
    return ctx.text[sentence.start : sentence.end].rstrip(" \"'”’)").endswith("?")


def is_reported(ctx: Context, start: int, end: int) -> bool:
    """Tell whether a named source in the sentence says or forecasts what ``[start, end)`` predicts."""
    sentence = ctx.sentence_at(start)
    text = ctx.text
    for m in _SPEAKER_BEFORE.finditer(text, sentence.start, start):
        if _is_vague_opener(text, sentence.start, m):
            continue
        if _ROLE_START.match(m.group()) and _ROLE_GAP.search(text, m.end(), start):
            continue  # "The company reported profits, and its rivals will never ...": not what it said
        if not _CONTRAST.search(text, m.end(), start):
            return True
    m = _SPEAKER_AFTER.search(text, end, sentence.end)
    return bool(m and not _CONTRAST.search(text, end, m.start()))


def _unless_list(spec: RuleSpec, value: Any) -> list[Unless]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, Mapping) for v in items):
        raise RuleError(f"{spec.path}: unless: expected a mapping or a list of mappings")
    return [Unless(spec, v) for v in items]


def build(spec: RuleSpec) -> Checker:
    """Compile patterns, unless-conditions and skips."""
    raw = spec.options["patterns"]
    if not raw or not all(isinstance(p, str) for p in raw):
        raise RuleError(f"{spec.path}: patterns: expected a non-empty list of strings")
    compiled = [compile_pattern(spec, f"patterns[{i}]", p) for i, p in enumerate(raw)]
    unlesses = _unless_list(spec, spec.options["unless"])
    skip = spec.options["skip"]
    if not isinstance(skip, list) or any(s not in SKIPS for s in skip):
        raise RuleError(f"{spec.path}: skip: expected a list of {', '.join(SKIPS)}")

    def check(ctx: Context) -> Iterator[Hit]:
        blocks = ctx.block_spans  # a forecast never crosses a block
        for pattern in compiled:
            for m in finditer_in(pattern, ctx.text, blocks, ctx):
                start, end = hit_span(pattern, m)
                if start >= end or any(u.cancels(ctx, start, end) for u in unlesses):
                    continue
                if "question" in skip and is_question(ctx, start):
                    continue
                if "reported-speech" in skip and is_reported(ctx, start, end):
                    continue
                fields = match_fields(m)
                yield Hit(start, end, fields)

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``prediction`` kind."""
    return [RuleKind("prediction", OPTIONS, build, __doc__ or "")]


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/prediction``."""
    return plugin_dirs("prediction")()

