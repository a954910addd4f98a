"""The ``attribution`` category: the ``attribution`` rule kind and ``rules/attribution/``.

An attribution rule has ``trigger`` patterns (a vague source with a speech,
belief or evidence verb) and ``sourced-by`` conditions: a hit is dropped when a
named person, a named document, a link, a citation marker or a custom pattern
stands in the same sentence (``within: sentence``) or also in the next one
(``next-sentence``). Vagueness is the test, not the verb: "the WHO said" or
"Putin has declared" never trigger, and "said Maria Lopez, a UN spokeswoman"
sources the claim around it.

Conditions (``sourced-by.any``):

- ``named-person``: a named speaker: "Maria Lopez said", "said Maria Lopez",
  "Lopez, a UN spokeswoman,", "according to Lopez", "Senator Roe has argued".
  Capitalised common words ("Critics", "Western", "On Monday") are not names,
  and "told Reuters" names the listener, not the source.
- ``named-document``: a specific document: "the mission's March 2025 report",
  "a study by the University of Leeds", "published in The Lancet", "Pew's
  latest survey", "according to the Census Bureau".
- ``link``: a Markdown link or bare URL in the window.
- ``citation``: a citation or footnote marker: "[1]", "[^2]", "(Smith 2021)",
  "(Smith et al., 2021)", "(OSU 2006)".
- ``{pattern: ...}``: any regex found in the window.

Author bios and bylines ("Jane Doe is a research fellow at ...", "By Jane
Doe") are never attributions: hits in such sentences are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

from rhetlint import anchors, recache
from rhetlint.errors import RuleError
from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs
from rhetlint.kinds.common import (
    Prefilter,
    Unless,
    compile_pattern,
    finditer_in,
    hit_span,
    match_fields,
    search_in,
    timeout,
)
from rhetlint.model import Checker, Hit, Option, RuleKind, RuleSpec, Span
from rhetlint.ruledata import builtin_lexicon_dir, load_lexicon
from rhetlint.text import NAME, SPEECH_VERBS, Context

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CONDITIONS = ("named-person", "named-document", "link", "citation")

# Capitalised words that are not names: function words, time words, and the
# words of vague sources themselves ("Critics said", "Western officials").
_COMMON = frozenset(
    """a an the this that these those some many most several other others few all both each every any
    no none one two three four five six seven eight nine ten i we you he she it they his her its their our
    my your on in at by for from to of with without after before during since until as when while if but and
    or so yet however meanwhile still then now today yesterday tonight earlier later last next this also
    according meanwhile instead there here what who which where why how indeed moreover furthermore nevertheless nonetheless thus hence
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december spring summer autumn fall winter
    western eastern northern southern european american british russian chinese ukrainian foreign
    senior junior top leading unnamed anonymous independent government intelligence military
    administration party industry health legal security local federal state official officials
    critics experts analysts observers sources diplomats insiders aides advisers advisors allies
    commentators economists historians scholars scientists researchers supporters opponents skeptics
    sceptics pundits watchers activists investors lawmakers legislators politicians regulators
    campaigners advocates proponents detractors doctors physicians people residents
    evidence studies study research data polls poll polling surveys survey statistics figures numbers
    history experience science reports report analysis analyses findings records estimates trials
    experiments literature consensus everyone everybody nobody someone somebody""".split()
) | frozenset(
    # every vague-source noun: "Teachers say" opening the next sentence is a vague source, not a name
    entry.lower() for entry in load_lexicon("vague_sources", [builtin_lexicon_dir()]).entries if " " not in entry
)

# Lowercase words allowed between a name and its verb ("Lopez has repeatedly warned").
_AUX = (
    r"(?:(?:has|have|had|was|were|is|would|will|did|does|also|later|then|again|since|once|first|"
    r"publicly|repeatedly|previously|recently|long|already|never|not|often|herself|himself|"
    r"themselves|itself|separately|similarly|likewise|famously|memorably)\s+){0,3}"
)
_VERBS = (
    SPEECH_VERBS + r"|believes|believed|thinks|thought|estimates|estimated|predicted|predicts|"
    r"found|finds|concluded|concludes|reported|reports|observed|observes|suggested|suggests|"
    r"testified|acknowledged|acknowledges|confirmed|confirms|contended|contends|maintained|"
    r"maintains|cautioned|cautions|emphasi[sz]ed|stressed|pointed out|points out|has said|told"
)
# "Lopez said", "Maria Lopez of Human Rights Watch has warned", "Lopez, a UN spokeswoman, said".
_SUBJECT_SPEAKER = recache.compile(
    rf"(?<![\p{{L}}])(?P<name>{NAME})"
    rf"(?:\s+(?:of|at|from)\s+(?:the\s+)?(?:\p{{Lu}}[\p{{L}}'’.\-]*\s+){{0,5}}?\p{{Lu}}[\p{{L}}'’.\-]*)?"
    r"(?:\s*,\s*(?:a|an|the)\s+[^,.;:!?]{1,80},)?"
    rf"\s*,?\s+{_AUX}(?:{_VERBS})\b"
)
# "said Maria Lopez", "writes Lopez", "according to Lopez" (not "told Reuters": that is the listener).
_INVERTED_SPEAKER = recache.compile(
    r"\b(?:said|says|say|added|adds|wrote|writes|argued|argues|warned|warns|noted|notes|explained|"
    r"insisted|insists|claimed|claims|stated|declared|recalled|observed|cautioned|according\s+to)"
    r"\s+(?:by\s+)?(?:(?!(?:in|on|at|from|to|that|by|with|for|of|after|before|during|last|this|earlier|later|some|many|most|several)\b)[\p{Ll}\-]+\s+){0,2}"
    rf"(?P<name>{NAME})"
)
_TITLES = (
    r"spokes(?:wo)?man|spokesperson|official|minister|secretary|director|chief|president|chair(?:wo)?man|"
    r"chairperson|chair|professor|analyst|economist|researcher|scientist|expert|adviser|advisor|ambassador|"
    r"general|commander|head|author|editor|reporter|correspondent|lawyer|attorney|envoy|negotiator|"
    r"executive|manager|coach|doctor|physician|fellow|founder|partner|strategist|historian|scholar|"
    r"senator|governor|mayor|lawmaker|legislator|member|leader|captain|player|striker|ceo|cfo|cto"
)
# "Maria Lopez, a UN spokeswoman" / "Lopez, the mission's chief".
_APPOSITIVE = recache.compile(
    rf"(?<![\p{{L}}])(?P<name>{NAME})\s*,\s+(?:a|an|the)\s+(?:[\p{{L}}'’\-]+\s+){{0,5}}?(?:{_TITLES})\b"
)
# Named members of a vague group: "critics such as Jane Roe", "some scholars, like Siedow and Kowal,".
_EXAMPLES = recache.compile(
    rf"\b(?:such\s+as|including|like|notably|among\s+them|especially|led\s+by)\s+(?:the\s+)?(?P<name>{NAME})"
)
# A title before a name: "UN spokeswoman Maria Lopez said" is caught by _SUBJECT_SPEAKER.

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DOC = (
    r"reports?|study|studies|surveys?|polls?|papers?|analys[ie]s|audits?|reviews?|assessments?|census|"
    r"data(?:set)?|datasets|figures|statistics|index|investigations?|inquiry|inquiries|white\s+paper|"
    r"articles?|books?|memo(?:randum)?|filings?|testimony|transcripts?|yearbook|survey\s+results|"
    r"findings|estimates|projections|forecasts?|trial|experiment|meta-analysis"
)
_STATED = "said|says|wrote|writes|stated|states|argued|warned|noted|estimated|predicted|forecast|added"
_NAMED_DOCUMENT = recache.compile(
    # a dated document: "the mission's March 2025 report", "a 2023 study"
    rf"\b(?:{_MONTH}\s+)?(?:1[89]|20)\d\d(?:[-–/]\d\d(?:\d\d)?)?\s+(?:[\p{{L}}\-]+\s+){{0,2}}?(?:{_DOC})\b"
    # a document with a named author or venue: "a study by the University of Leeds", "published in The Lancet"
    rf"|\b(?:{_DOC})\s+(?:(?:published|released|commissioned|conducted|compiled|carried\s+out|led)\s+)?"
    rf"(?:by|from|of|for|in)\s+(?:the\s+)?(?:journal\s+)?\p{{Lu}}[\p{{L}}\-]*"
    r"|\b(?:published|reported|appeared|printed)\s+(?:last\s+\w+\s+|this\s+\w+\s+)?(?:in|by)\s+(?:the\s+)?(?:journal\s+)?\p{Lu}"
    # a statement identified by its occasion: "wrote in a note to clients on Thursday", "said in a press release on Monday"
    # (the verb is looked for before the look-behind: at most positions that fails at once)
    rf"|\b(?={_STATED})(?<!\b(?:a|an|one|another|some|several|two|three|four)\s+(?:[\p{{L}}\-]+\s+){{0,3}})"
    rf"(?:{_STATED})\s+in\s+"
    r"(?:a|an|the|its|their|his|her)\s+(?:[\p{L}\-]+\s+){0,2}?(?:note|report|statement|press\s+release|letter|memo|"
    r"filing|briefing|testimony|blog\s+post|op-ed|column|newsletter|speech|interview)\s+(?:to\s+(?:clients|investors|"
    r"shareholders|staff|employees|members|lawmakers|parliament|congress)\b|on\s+(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b|"
    r"(?:published|released|dated|issued|sent|filed|posted)\b)"
    # a named owner mid-sentence: "Pew's latest survey", "the Gallup poll", "Eurostat figures"
    rf"|(?=\p{{Lu}})(?:(?<=[\p{{Ll}},;:]\s)|(?<=\bThe\s))\p{{Lu}}[\p{{L}}&.\-]*(?:\s+\p{{Lu}}[\p{{L}}&.\-]*){{0,4}}(?:['’]s)?\s+"
    rf"(?:(?:own|latest|new|annual|recent|final|first|quarterly|monthly|\d{{4}})\s+){{0,2}}(?:{_DOC})\b"
    # a titled document: the report "Fault Lines"
    rf"|\b(?:{_DOC}),?\s+(?:titled|entitled|called)?\s*[\"“‘']\p{{Lu}}"
)
anchors.register(_NAMED_DOCUMENT, _NAMED_DOCUMENT.pattern, {}, local=True)  # searched in sentences only
# "Eurostat figures show", "Pew's survey found" at the start of a sentence.
_LEADING_OWNER = recache.compile(
    rf"(?P<name>\p{{Lu}}[\p{{L}}&.\-]*(?:\s+\p{{Lu}}[\p{{L}}&.\-]*){{0,4}})(?:['’]s)?\s+"
    rf"(?:(?:own|latest|new|annual|recent|final|first|quarterly|monthly|\d{{4}})\s+){{0,2}}(?:{_DOC})\b"
)
# Adjectives that open a sentence before an evidence noun and name nothing.
_EVIDENCE_ADJ = frozenset(
    """recent new numerous scientific clinical academic independent laboratory epidemiological official
    internal early preliminary latest previous further more multiple various large major media press news
    opinion public medical economic historical market polling survey census government leaked published
    peer-reviewed unconfirmed emerging mounting growing overwhelming countless past decades years exit
    national federal local global international animal human observational experimental genetic""".split()
)
_ACCORDING_TO_NAMED = recache.compile(r"\baccording\s+to\s+(?:the\s+)?(?P<name>(?:\p{Lu}[\p{L}&.\-]*\s+){0,5}\p{Lu}[\p{L}&.\-]*)")

_CITATION = recache.compile(
    # (Smith 2021), (Smith et al., 2021, p. 4), (OSU 2006 ), (2009)
    r"\(\s*(?:\p{Lu}[^()]{0,60}?[,\s]\s*)?(?:1[6-9]|20)\d\d[a-z]?\s*(?:,\s*pp?\.\s*\d+(?:\s*[-–]\s*\d+)?)?\s*\)"
    # [1], [12, 14], [^note], superscript digits after a word or punctuation
    r"|\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]|\[\^[\w.-]{1,20}\]"
    r"|(?<=[\p{L}.,;:)\"”])[¹²³⁴⁵⁶⁷⁸⁹⁰]+"
)

# An author bio or byline: "Jane Doe is a research fellow at ...", "By Jane Doe".
_BIO = recache.compile(
    rf"^\s*(?:[*_#>\-]+\s*)?(?:By\s+(?P<by>{NAME})\b"
    rf"|(?P<name>{NAME})\s+(?:is|was|has\s+been|serves\s+as|previously\s+served\s+as)\s+"
    r"(?:a|an|the|formerly|currently|now|also|co-?author|author|editor|director|professor|senior|associate|"
    r"assistant|deputy|former|non-?resident|visiting)\b)"
)


_THE_BEFORE = recache.compile(r"\bthe\s+$")

def _is_name(text: str) -> bool:
    """Tell whether a NAME match is a name, not capitalised common words."""
    words = [w.strip("'’.-") for w in text.split()]
    return any(w and w[0].isupper() and w.lower() not in _COMMON for w in words)


# After "..., Lopez said" only a sentence end, a comma or a time/place phrase may follow.
_SPEAKER_TAIL = recache.compile(
    r"\s*(?:[,.;:!?)\"”’]|$|\s*(?:on|in|at|last|this|yesterday|today|earlier|later|during|after|before|when|while)\b)"
)


def has_named_person(ctx: Context, span: Span, exclude: Span) -> bool:
    """Tell whether a named speaker ("said Maria Lopez", "Lopez, a UN spokeswoman") is in ``span``.

    In the attribution's own sentence, "Name said" after the attribution counts
    only as a closing tag ("..., Lopez said."), not inside the reported claim
    ("experts maintained that Lopez had observed the law").
    """
    for pattern in (_SUBJECT_SPEAKER, _INVERTED_SPEAKER, _APPOSITIVE, _EXAMPLES):
        for m in pattern.finditer(ctx.text, span.start, span.end, timeout=timeout()):
            if not (m.end() <= exclude.start or m.start() >= exclude.end):
                continue
            if not _is_name(m.group("name")):
                continue
            if pattern is _SUBJECT_SPEAKER and not (span.start <= exclude.start < span.end):
                # in the next sentence, "the Treasury said" is a new statement, not the source
                before = ctx.text[max(span.start, m.start() - 4) : m.start()]
                if m.group("name").startswith("The ") or _THE_BEFORE.search(before):
                    continue
            if (
                pattern is _SUBJECT_SPEAKER
                and span.start <= exclude.start < span.end
                and m.start() >= exclude.end
                and not _SPEAKER_TAIL.match(ctx.text, m.end(), span.end)
            ):
                continue
            return True
    return False


def has_named_document(ctx: Context, span: Span) -> bool:
    """Tell whether a specific, named document is cited in ``span``."""
    if search_in(ctx, _NAMED_DOCUMENT, span.start, span.end):  # tried only where it can begin
        return True
    m = _LEADING_OWNER.match(ctx.text, span.start, span.end, timeout=timeout())
    if m and m.group("name").split()[0].lower() not in _EVIDENCE_ADJ and _is_name(m.group("name")):
        return True
    for m in _ACCORDING_TO_NAMED.finditer(ctx.text, span.start, span.end, timeout=timeout()):
        if _is_name(m.group("name")):
            return True
    return False


def has_citation(ctx: Context, span: Span) -> bool:
    """Tell whether a citation or footnote marker stands in ``span``."""
    return _CITATION.search(ctx.text, span.start, span.end, timeout=timeout()) is not None


@lru_cache(maxsize=4096)
def _bio(sentence: str) -> bool:
    m = _BIO.match(sentence)
    return m is not None and _is_name(m.group("by") or m.group("name"))


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
                self.patterns.append(compile_pattern(spec, f"sourced-by.any[{i}].pattern", item["pattern"], local=True))
            else:
                raise RuleError(
                    f"{spec.path}: sourced-by.any[{i}]: expected one of {', '.join(CONDITIONS)} or {{pattern: ...}}"
                )

    def sourced(self, ctx: Context, hit: Span, own: Callable[[Span], bool] | None = None) -> bool:
        """Tell whether the attribution at ``hit`` names its source nearby.

        ``own`` tells whether a sentence holds an attribution of its own (a
        trigger of the same rule that is not itself a linked or named
        source): then a source there is that one's, and the next sentence
        does not source this one ("Officials admit X. Analysts have warned Y;
        a 2023 study by Z put it at ..."). "[A 2019 paper](...) found" still
        sources the sentence before.
        """
        windows = [ctx.sentence_at(hit.start)]
        if self.within == "next-sentence":
            nxt = ctx.next_sentence(hit.start)
            if nxt is not None and not (own is not None and own(nxt)):
                windows.append(nxt)
        for w in windows:
            if "link" in self.conditions and any(ctx.links_in(w)):
                return True
            if "citation" in self.conditions and has_citation(ctx, w):
                return True
            if "named-person" in self.conditions and has_named_person(ctx, w, hit):
                return True
            if "named-document" in self.conditions and has_named_document(ctx, w):
                return True
            if any(search_in(ctx, p, w.start, w.end) for p in self.patterns):
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
    prefilter = Prefilter(spec, spec.options["prefilter"])

    def own_attribution(ctx: Context, span: Span) -> bool:
        """A trigger of this rule in ``span`` whose own words are not a source (a link, citation, document)."""
        for pattern in compiled:
            for m in finditer_in(pattern, ctx.text, [span], ctx):
                words = Span(m.start(), m.end())
                if not (any(ctx.links_in(words)) or has_citation(ctx, words) or has_named_document(ctx, words)):
                    return True
        return False

    def check(ctx: Context) -> Iterator[Hit]:
        seen: set[tuple[int, int]] = set()
        # an attribution never crosses a block; the prefilter narrows further
        windows, begins = prefilter.regions(ctx)
        if windows is None:
            windows = ctx.block_spans
        for pattern in compiled:
            for m in finditer_in(pattern, ctx.text, windows, ctx, begins):
                start, end = hit_span(pattern, m)
                if start >= end or (start, end) in seen:
                    continue
                seen.add((start, end))
                sentence = ctx.sentence_at(start)
                if _bio(ctx.text[sentence.start : sentence.end]):
                    continue
                if unless.cancels(ctx, start, end):
                    continue
                if sourced_by.sourced(ctx, Span(start, end), lambda nxt: own_attribution(ctx, nxt)):
                    continue
                fields = match_fields(m)
                if "noun" in fields:
                    # "which data?", not "which the data?"
                    fields["noun"] = " ".join(fields["noun"].lower().split()).removeprefix("the ")
                yield Hit(start, end, fields)

    return check


@hookimpl
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register the ``attribution`` kind."""
    return [RuleKind("attribution", OPTIONS, build, __doc__ or "")]


OPTIONS = {
    "trigger": Option(list, required=True, help="patterns for a vague source + verb"),
    "sourced-by": Option(
        dict, None, help="{within: sentence|next-sentence, any: [named-person, named-document, link, citation, {pattern}]}"
    ),
    "unless": Option(dict, None, help="as for the pattern kind"),
    "prefilter": Option(dict, None, help="as for the pattern kind: run only near these"),
}


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/attribution``."""
    return plugin_dirs("attribution")()
