"""Text geometry over masked documents: lines, sentences, clauses, quotations.

Everything works on offsets into the masked text, which are offsets into the
source. `Context` is what a rule's checker receives: the document plus lazily
computed sentence, clause and quotation spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any

import regex

from rhetlint import anchors, recache
from rhetlint.model import Document, Span

# Words before a period that do not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr rev hon
    pres vs etc e.g i.e cf al no nos fig vol pp ed eds approx est inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m""".split()
)

# `regex`'s \s (Unicode White_Space): `re`'s \s also takes \x1c-\x1f. These two scan every
# block, and the standard engine scans several times faster.
_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# a run of terminators before whitespace or the end; the lookahead reads what follows
# (opening quotes or brackets, then the next sentence's first character: group 2). The
# run is written "[.!?…][.!?…]*": `re` skips to a character of a leading class in C, but
# tries a leading repeat at every position
_SENTENCE_END = re.compile(rf"[.!?…][.!?…]*[\"'”’)\]]*(?=[{_WS}]|$)(?=[{_WS}]*([\"'“‘(\[]*)([^{_WS}])?)")
_WORD_BEFORE = recache.compile(r"([\w.]+)\.*[\"'”’)\]]*$")

# Clause boundaries inside a sentence (see split_clauses).
# Conjunctions and subordinators that open a clause after a comma.
_CONJ = (
    r"and|but|or|nor|yet|so|while|whereas|although|though|because|since|unless|if|"
    r"when|whenever|which|who|whom|whose|where|wherever|as|until|till|before|after|once|"
    r"even though|even if|so that|provided that|given that|now that|as long as|whether|"
    r"lest|otherwise|rather than"
)
# Subordinators that open a clause even without a comma ("he will lose because ...").
_BARE_SUBORDINATE = (
    r"but|yet|whereas|although|though|because|unless|while|until|till|lest|"
    r"even though|even if|so that|provided that|as long as|if"
)
_CLAUSE_BREAK = recache.compile(
    # semicolons, colons, dashes, brackets
    r"\s*[;:]\s*"
    r"|\s+[—–]\s+|\s*—\s*|\s--\s"
    r"|\s*[()\[\]]\s*"
    # a comma before a conjunction or subordinator
    rf"|,\s*(?=(?:{_CONJ})\b)"
    # a bare subordinator ("as if" / "even if" stay whole)
    rf"|(?<!\b(?:as|even|and|or|but|not|a|only))\s+(?=(?:{_BARE_SUBORDINATE})\b(?!\s*[,.;:!?]))"
    # quotations: `, "It will ...` opens one; `...,” she said` / `...” , he` closes one
    r"|,\s*(?=[\"“‘])"
    r"|(?<=[,.!?][\"”’])\s+"
    r"|(?<=[\"”’])\s*,\s*",
    regex.IGNORECASE | regex.V1,
)

# A clause opened by a subordinator (or a non-restrictive relative) ends at its
# first comma: "Unless he is deterred, he will ...", "..., which may pass, will ...".
_LEADING_SUBORDINATE = recache.compile(
    r"\s*(?:(?:and|but|or|yet|so)\s+)?"
    r"(?:unless|if|when|whenever|although|though|while|whereas|because|since|after|before|once|"
    r"until|as long as|even if|even though|given that|provided that|now that|so long as|"
    r"which|who|whom|whose|where|wherever|whether)\b[^,;]*,",
    regex.IGNORECASE,
)

# Quotation marks.
_QUOTE_CHAR = re.compile("[\"'“”‘’«»„]")
_OPEN_CLOSE = {"“": "”", "‘": "’", "«": "»", "„": "“"}


_NEWLINE = re.compile(r"\r\n|\n|\r")
_LF = re.compile("\n")


class LineIndex:
    """Maps offsets to 1-based (line, column); CRLF, LF and lone CR end lines."""

    def __init__(self, source: str) -> None:
        # LF only (nearly always): a one-character scan, some three times faster than the alternation
        scan = _NEWLINE if "\r" in source else _LF
        self.starts = [0, *(m.end() for m in scan.finditer(source))]
        self.length = len(source)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of an offset."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


_DOTTED = recache.compile(r"(?:\w\.)+\w")


def _word_before(text: str, lo: int, end: int) -> str | None:
    """The run of word characters and dots that ends ``text[lo:end]`` before closing quotes or brackets.

    What `_WORD_BEFORE` finds there (its first group); in ASCII (nearly
    always) a loop over the few characters does it without a regex search,
    which would try every position of the window.
    """
    window = text[lo:end]
    if not window.isascii():
        m = _WORD_BEFORE.search(text, lo, end)
        return m.group(1) if m else None
    # the regex's "$" also holds before a final line break
    core = window.removesuffix("\n").rstrip("\"')]")
    i = len(core)
    while i and core[i - 1] in _ASCII_WORD_OR_DOT:
        i -= 1
    return core[i:] or None


_ASCII_WORD_OR_DOT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")


def _is_abbreviation(text: str, end_of_word: int) -> bool:
    """Tell whether the period at ``end_of_word`` ends an abbreviation, an initial or a dotted acronym.

    The word is what `_word_before` finds before the period. A run of ASCII
    word characters and dots is read here directly; where a non-ASCII
    character (maybe a word character) stops it, `_word_before` reads it.
    """
    lo = max(0, end_of_word - 20)
    i = end_of_word
    while i > lo and text[i - 1] in _ASCII_WORD_OR_DOT:
        i -= 1
    if i > lo and not text[i - 1].isascii():
        found = _word_before(text, lo, end_of_word + 1)
        word = found.lower().rstrip(".") if found else ""
    else:
        word = text[i:end_of_word].lower().rstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # an initial ("J. Smith") or a dotted acronym ("U.S.")
    return len(word) == 1 and word.isalpha() or ("." in word and bool(_DOTTED.fullmatch(word)))


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Split ``text[start:end]`` (one block) into sentence spans, trimmed."""
    ends: list[int] = []
    for m in _SENTENCE_END.finditer(text, start, end):
        following = m.group(2)
        if following is not None:
            if not (following.isupper() or following.isdigit()):
                continue
            terminator = m.group()
            if (terminator[0] == "." and len(terminator.rstrip("\"'”’)]")) == 1
                    and _is_abbreviation(text, m.start())):
                continue
        ends.append(m.end())
    ends.append(end)  # the rest of the block (nothing when the last sentence ends it)
    out = []
    s = start
    for cut in ends:
        e = cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(Span(s, e))
        s = cut
    return out


def split_clauses(text: str, sentence: Span) -> list[Span]:
    """Split a sentence into clause spans at punctuation, conjunctions and subordinators.

    Breaks fall at ``;``, ``:``, dashes and brackets; at a comma before a
    conjunction, subordinator or relative pronoun; before a bare subordinator
    ("... will lose because ...", "... if ..."); at quotation boundaries next to
    a comma; and a clause opened by a subordinator or relative pronoun ends at
    its first comma ("Unless he is deterred, | he will ..."). Spans are
    contiguous, trimmed, in order and never empty; a sentence without breaks is
    one clause. Bare commas (lists, parenthetical adverbs) do not split.
    """
    cuts: list[tuple[int, int]] = []
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        cuts.append((m.start(), m.end()))
    spans: list[Span] = []
    cur = sentence.start
    for s, e in cuts:
        if s > cur:
            spans.append(Span(cur, s))
        cur = max(cur, e)
    if cur < sentence.end:
        spans.append(Span(cur, sentence.end))
    out: list[Span] = []
    for span in spans:
        start = span.start
        while True:
            lead = _LEADING_SUBORDINATE.match(text, start, span.end)
            if not lead or lead.end() >= span.end:
                out.append(Span(start, span.end))
                break
            out.append(Span(start, lead.end() - 1))
            start = lead.end()
    trimmed = []
    for s, e in out:
        while s < e and (text[s].isspace() or text[s] in ",\"“”‘’"):
            s += 1
        while e > s and (
            text[e - 1].isspace()
            or text[e - 1] in ",“‘"
            or (text[e - 1] in "”\"’" and e - 2 >= s and text[e - 2] == ",")
        ):
            e -= 1
        if s < e:
            trimmed.append(Span(s, e))
    return trimmed or [sentence]


def find_quotes(text: str, start: int, end: int) -> list[Span]:
    """Return quotation spans (marks included) in ``text[start:end]``, nested too.

    Curly and guillemet quotes pair explicitly; straight double quotes open after
    a space, bracket or dash and close otherwise; single quotes are quotes only
    where they cannot be apostrophes. Quotes left open close at the block end.
    """
    stack: list[tuple[str, int]] = []
    spans: list[Span] = []
    for m in _QUOTE_CHAR.finditer(text, start, end):  # jump from quote mark to quote mark
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch in _OPEN_CLOSE and not (ch == "“" and stack and stack[-1][0] == "„"):
            stack.append((ch, i))
        elif ch in ("”", "»", "“") and stack:
            for k in range(len(stack) - 1, -1, -1):
                if _OPEN_CLOSE.get(stack[k][0]) == ch:
                    spans.append(Span(stack[k][1], i + 1))
                    del stack[k:]
                    break
        elif ch == "’" and stack and not (prev.isalnum() and nxt.isalnum()):
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == "‘":
                    if not nxt.isalnum():
                        spans.append(Span(stack[k][1], i + 1))
                        del stack[k:]
                    break
        elif ch == '"':
            opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == '"'), None)
            if opener is not None and not (prev.isspace() and nxt.isalnum()):
                spans.append(Span(stack[opener][1], i + 1))
                del stack[opener:]
            elif not prev.isalnum() and not nxt.isspace():
                # an inch mark (5'11") or a stray closing quote does not open one
                stack.append(('"', i))
        elif ch == "'":
            opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == "'"), None)
            if opener is not None and not prev.isspace() and not nxt.isalnum():
                spans.append(Span(stack[opener][1], i + 1))
                del stack[opener:]
            elif not prev.isalnum() and nxt.isalpha():
                stack.append(("'", i))
    for _, pos in stack:
        if pos + 1 < end:
            spans.append(Span(pos, end))
    return sorted(spans)


# A named person or body: capitalised words not starting the sentence, e.g.
# "Maria Lopez", "President Zelensky", "Putin".
NAME = r"(?:\p{Lu}[\p{L}'’.\-]*\s+){0,3}\p{Lu}[\p{Ll}'’\-]+\p{L}*"
SPEECH_VERBS = (
    r"said|says|say|told|tells|tell|added|adds|wrote|writes|declared|declares|"
    r"insisted|insists|warned|warns|argued|argues|claimed|claims|stated|states|"
    r"asked|asks|replied|explained|noted|notes|tweeted|posted|announced|"
    r"announces|called|calls|described|describes|put it|recalled|admitted|"
    r"conceded|promised|vowed|pledged|proclaimed|declaring|saying|telling"
)


def _by_first_letter(words: list[str]) -> str:
    """``\b(?:w1|w2|...)`` for words that begin with a letter, written so `re` skips to their first letters in C.

    The words are grouped under their first letter, in their order; the letter
    is matched first and the word start checked after it, as "no word
    character before it": the same matches as the plain alternation.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(rf"{re.escape(first)}(?<!\w.)(?:{'|'.join(rest)})" for first, rest in groups.items())


_SPEECH_HINT = re.compile(rf"(?:{_by_first_letter([*SPEECH_VERBS.split('|'), 'according to'])})\b")
# Between two quotations of one speaker: a tag like ', Lopez said. ' or ' he added, '.
_SPEECH_TAG_GAP = recache.compile(
    rf"[\s,.;:!?—–-]*(?:(?:{NAME})\s+(?:{SPEECH_VERBS})|(?:{SPEECH_VERBS})\s+(?:{NAME})|(?i:he|she|they)\s+"
    rf"(?:{SPEECH_VERBS}))(?:\s+[\p{{Ll}}\-]+){{0,4}}[\s,.;:!?—–-]*"
)
# A sentence that opens with a person's name (two or more capitalised words) and runs in
# lower-case words to a colon: "Eliot Hart was blunt:", "Carl Webb described the scene:".
_NAMED_LEAD = recache.compile(
    r"\s*(?!(?:The|This|That|These|Those|It|In|On|At|As|But|And|So|Yet|Last|Next|Every|Early|Late|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b)"
    r"(?:\p{Lu}[\p{L}'’.\-]*\s+){1,3}\p{Lu}[\p{Ll}'’\-]+\p{L}*,?(?:\s+[\p{Ll}'’\-]+)*\s*:\s*"
)

_FAR = 1 << 62  # past any offset
_LONGEST_LOOKBACK_QUOTE = 1500  # a longer "quotation" is usually a stray mark; only its own sentence counts


def _closed(text: str, quote: Span) -> bool:
    """Whether a quotation span ends in a closing quotation mark (not at a paragraph's end)."""
    return quote.end > quote.start and text[quote.end - 1] in "\"”’'»"


NAMED_SPEAKER = recache.compile(
    rf"(?<![\p{{L}}])(?:{NAME})\s*,?\s+(?:[\p{{Ll}}\-]+\s+){{0,3}}(?:{SPEECH_VERBS})\b"
    rf"|\b(?:{SPEECH_VERBS})\s+(?:by\s+)?(?:{NAME})"
    rf"|\baccording to\s+(?:{NAME})"
    rf"|\b(?:he|she)\s+(?:{SPEECH_VERBS})\b",
)


class Context:
    """A document as a rule sees it, with lazily computed text geometry."""

    def __init__(self, document: Document, region: tuple[int, int] | None = None) -> None:
        self.document = document
        self.text = document.text
        # the part of the text any rule may read (a stretch of a shared document, see
        # Linter._split_regions); whole-text scans stay inside it
        self.region = region or (0, len(document.text))
        self.source = document.source
        self._scans: dict[object, list[tuple[int, int]]] = {}
        self._reported: dict[Span, bool] = {}
        self._own: dict[Span, tuple[bool, bool, int]] = {}
        self._clauses: dict[Span, list[Span]] = {}
        self._split: dict[int, list[Span]] = {}  # block index -> its sentences (`_block_sentences`)
        self._anchor_index: object = None
        self._anchor_starts: Any = None

    def warm(self) -> None:
        """Compute now what every rule shares: sentences, quotations and the anchor scan."""
        self.sentences  # noqa: B018 - cached properties, computed here
        self.quotes  # noqa: B018
        self._starts()

    def _starts(self) -> Any:
        """The anchor scan of the document (`rhetlint.anchors`), made again after a registration."""
        index = anchors.index()
        if index is not self._anchor_index:
            self._anchor_index = index
            self._anchor_starts = index.scan(self.text, self.folded, *self.region, self._after_numerals)
        return self._anchor_starts

    @cached_property
    def block_spans(self) -> list[Span]:
        """The blocks as spans: the windows of rules whose matches stay inside one block."""
        return [Span(b.start, b.end) for b in self.document.blocks]

    @cached_property
    def folded(self) -> str:
        """The masked text folded as the anchor scans read it (`rhetlint.anchors.fold`): same length."""
        lo, hi = self.region
        if (lo, hi) == (0, len(self.text)):
            return anchors.fold(self.text)
        return self.text[:lo] + anchors.fold(self.text[lo:hi]) + self.text[hi:]

    @cached_property
    def _after_numerals(self) -> list[int]:
        return anchors.after_numerals(self.text, *self.region)

    def local_starts(self, pattern: object, lo: int, hi: int) -> list[int] | None:
        """Return where a window-only pattern (a rule's exceptions) may begin in ``[lo, hi)``, or None.

        See `rhetlint.anchors.local_starts`; None: the pattern has no anchor, try every position.
        """
        return anchors.local_starts(pattern, self.text, self.folded, lo, hi, self._after_numerals)

    def anchor_starts(self, pattern: object, spans: Iterable[tuple[int, int]] | None = None) -> list[int] | None:
        """Return where a rule pattern may begin (`rhetlint.anchors`), or None to scan it all.

        One scan of the document serves every anchored pattern of the run.
        With ``spans``, the starts inside them are all there (others may be left out).
        """
        index = anchors._index  # the index current for this document's scan (`_starts`), or none yet
        if index is None or index is not self._anchor_index:
            self._starts()  # reads new registrations, builds the index, scans the document
        if pattern not in anchors._patterns:  # not `anchored`: the registrations are read just above
            return None
        return self._anchor_starts.get(pattern, spans)  # type: ignore[no-any-return]

    def scan(self, pattern: re.Pattern[str] | regex.Pattern[str],
             timeout: float | None = None) -> list[tuple[int, int]]:
        """Return the match spans of a pattern over the masked text, once per document.

        Rules that scan for the same compiled pattern share the result. ``timeout``
        (seconds, ``regex`` patterns only) bounds a first scan.
        """
        hits = self._scans.get(pattern)
        starts = self.anchor_starts(pattern) if hits is None else None
        if starts is not None:
            if starts:
                from rhetlint.kinds.common import timeout as left

                hits = [m.span() for m in anchors.iter_matches(pattern, self.text, [self.region], starts, left)]
            else:  # no place to begin (most scans of most documents)
                hits = []
            self._scans[pattern] = hits
        elif hits is None:
            lo, hi = self.region
            if timeout is not None and isinstance(pattern, recache.PatternLike):
                hits = [m.span() for m in pattern.finditer(self.text, lo, hi, timeout=timeout)]
            else:
                hits = [m.span() for m in pattern.finditer(self.text, lo, hi)]
            self._scans[pattern] = hits
        return hits

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        """All sentence spans, in order; sentences never cross blocks."""
        out: list[Span] = []
        for i in range(len(self.document.blocks)):
            out.extend(self._block_sentences(i))
        return tuple(out)

    def _block_sentences(self, i: int) -> list[Span]:
        """The sentences of block ``i``, split when first asked for (most blocks hold no hit)."""
        found = self._split.get(i)
        if found is None:
            block = self.document.blocks[i]
            found = self._split[i] = split_sentences(self.text, block.start, block.end)
        return found

    def _sentence_place(self, offset: int) -> tuple[Sequence[Span], int, int | None] | None:
        """Where the sentence holding ``offset`` is: (its block's sentences, its index there, the block), or None.

        What `sentence_index` finds in `sentences`, splitting only the block
        that holds the offset: a sentence lies inside its block. Blocks out of
        order or overlapping (a plugin parser's) are looked up in the whole
        list, as one block without an index.
        """
        found: Sequence[Span]
        block = None
        if self._blocks_in_order:
            block = bisect.bisect_right(self.block_starts, offset) - 1
            if block < 0 or offset >= self.document.blocks[block].end:
                return None
            found = self._block_sentences(block)
        else:
            found = self.sentences  # split whole, once
        j = bisect.bisect_right(found, (offset, _FAR)) - 1  # the last sentence beginning by the offset
        if j >= 0 and found[j].end > offset:
            return found, j, block
        return None

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def quotes(self) -> tuple[Span, ...]:
        """All quotation spans (marks included), nested ones too."""
        out: list[Span] = []
        for block in self.document.blocks:
            out.extend(find_quotes(self.text, block.start, block.end))
        return tuple(sorted(out))

    def sentence_index(self, offset: int) -> int | None:
        """Return the index of the sentence holding ``offset``, or None."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return i
        return None

    @cached_property
    def _blocks_in_order(self) -> bool:
        """Whether the blocks are sorted and do not overlap (the built-in parsers' always are)."""
        blocks = self.document.blocks
        return all(a.end <= b.start for a, b in zip(blocks, blocks[1:]))

    def sentence_at(self, offset: int) -> Span:
        """Return the sentence holding ``offset`` (or an empty span there)."""
        place = self._sentence_place(offset)
        return place[0][place[1]] if place is not None else Span(offset, offset)

    def next_sentence(self, offset: int) -> Span | None:
        """Return the sentence after the one holding ``offset``, unless a blank line lies between.

        That is the next sentence of its block, or the first of a later block
        (blocks without text have none) when the two blocks are not separated
        by a blank line.
        """
        place = self._sentence_place(offset)
        if place is None:
            return None
        here, j, b = place
        if j + 1 < len(here):
            nxt = here[j + 1]
        else:  # the first sentence of a later block (a block without text has none)
            blocks = len(self.document.blocks)
            b = blocks if b is None else b + 1
            while b < blocks and not self._block_sentences(b):
                b += 1
            if b == blocks:
                return None
            nxt = self._block_sentences(b)[0]
        gap = self.text[here[j].end : nxt.start]
        return nxt if gap.count("\n") < 2 else None

    def clauses(self, sentence: Span) -> list[Span]:
        """Return the clause spans of a sentence (split once per sentence)."""
        found = self._clauses.get(sentence)
        if found is None:
            found = self._clauses[sentence] = split_clauses(self.text, sentence)
        return found

    def clause_at(self, offset: int) -> Span:
        """Return the clause holding ``offset``."""
        sentence = self.sentence_at(offset)
        for clause in self.clauses(sentence):
            if clause.start <= offset < clause.end:
                return clause
        return sentence

    def quote_at(self, start: int, end: int) -> Span | None:
        """Return the innermost quotation containing ``[start, end)``, if any.

        Quotations nest or are disjoint and never cross blocks, so the search
        walks back from the last quotation opening at or before ``start`` and
        stops at the block's first one.
        """
        quotes = self.quotes
        i = bisect.bisect_right(self._quote_starts, start) - 1
        block_start = self._block_start(start)
        while i >= 0 and quotes[i].start >= block_start:
            q = quotes[i]
            if end <= q.end:
                return q
            i -= 1
        return None

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [q.start for q in self.quotes]

    @cached_property
    def block_starts(self) -> list[int]:
        """Start offsets of the blocks, for bisecting."""
        return [b.start for b in self.document.blocks]

    def _block_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.block_starts, offset) - 1
        return self.document.blocks[i].start if i >= 0 else 0

    def is_reported_speech(self, quote: Span) -> bool:
        """Tell whether a quotation is attributed to a named speaker.

        In its own sentence ("Lopez said", "said Lopez"); or, for a quotation
        with no tag of its own, by carrying over: it continues the named
        speaker's closed quotation just before it in the same paragraph, it
        sits inside a reported quotation, or it follows "Name ...:" (in its
        sentence, or opening the paragraph after one ending so). The
        quotations of a paragraph are settled in order, so no chain recurses.
        """
        known = self._reported.get(quote)
        if known is not None:
            return known
        if self._own_tag(quote)[0]:  # the common case: its own sentence names the speaker
            self._reported[quote] = True
            return True
        quotes = self.quotes
        i = bisect.bisect_left(quotes, quote)
        block = self._block_start(quote.start)
        j = i  # back to the paragraph's start or to a quotation already settled
        while j > 0 and quotes[j - 1].start >= block and quotes[j - 1] not in self._reported:
            j -= 1
        for q in quotes[j : i + 1]:
            if q not in self._reported:
                self._reported[q] = self._decide_reported(q)
        if quote not in self._reported:  # a span that is not one of the document's quotations
            self._reported[quote] = self._decide_reported(quote)
        return self._reported[quote]

    def _own_tag(self, quote: Span) -> tuple[bool, bool, int]:
        """(named speaker in its sentence, any speech tag in its sentence, sentence start)."""
        found = self._own.get(quote)
        if found is None:
            text = self.text
            sentence = self.sentence_at(quote.start)
            lo = min(sentence.start, quote.start)
            hi = max(sentence.end, quote.end)
            # most sentences have no speech verb at all: a cheap scan settles them
            tagged = bool(_SPEECH_HINT.search(text, lo, quote.start) or _SPEECH_HINT.search(text, quote.end, hi))
            named = tagged and bool(
                NAMED_SPEAKER.search(text[lo : quote.start] + " " * (quote.end - quote.start) + text[quote.end : hi])
            )
            found = self._own[quote] = (named, tagged, lo)
        return found

    def _decide_reported(self, quote: Span) -> bool:
        """One quotation's answer; the earlier quotations of its paragraph are settled."""
        text = self.text
        named, tagged, lo = self._own_tag(quote)
        if named:
            return True
        if quote.end - quote.start > _LONGEST_LOOKBACK_QUOTE or not _closed(text, quote):
            return False  # a stray or unclosed mark: only its own sentence counts
        prev = self._quote_before(quote)
        if prev is not None and prev.end > quote.start:  # inside an earlier quotation: that one's speaker
            # (as deep as the nesting of quotation marks, which is shallow)
            return _closed(text, prev) and prev.end - prev.start <= _LONGEST_LOOKBACK_QUOTE and (
                self.is_reported_speech(prev))
        if not tagged and prev is not None and self._reported.get(prev, False) and _closed(text, prev):
            gap = text[prev.end : quote.start]
            if len(gap) <= 120 and (not gap.strip(" \t\n,.;:!?—–-") or _SPEECH_TAG_GAP.fullmatch(gap)):
                return True
        return self._after_named_colon(quote, lo)

    def _quote_before(self, quote: Span) -> Span | None:
        """The quotation just before ``quote`` in its paragraph (an enclosing one first), or None."""
        quotes = self.quotes
        i = bisect.bisect_left(quotes, quote) - 1
        block = self._block_start(quote.start)
        if i < 0 or quotes[i].start < block:
            return None
        k = i
        while k >= 0 and quotes[k].start >= block:  # an enclosing quotation, if any
            if quotes[k].end >= quote.end:
                return quotes[k]
            k -= 1
        return quotes[i] if quotes[i].end <= quote.start else None

    def _after_named_colon(self, quote: Span, sentence_start: int) -> bool:
        """A quotation after "Name ...:": ``Lopez was blunt: "..."``.

        The sentence must open with the name (two capitalised words) followed
        by lower-case words up to the colon; or the quotation opens its
        paragraph and the paragraph before ends with such a sentence.
        """
        text = self.text
        before = text[sentence_start : quote.start]
        if before.rstrip().endswith(":"):
            return bool(_NAMED_LEAD.fullmatch(before))
        block = self._block_start(quote.start)
        if text[block : quote.start].strip(" >\t\n\"“‘'"):
            return False  # the quotation does not open its paragraph
        i = bisect.bisect_right(self.block_starts, quote.start) - 2
        if i < 0:
            return False
        prev = self.document.blocks[i]
        tail = text[prev.start : prev.end].rstrip()
        if not tail.endswith(":") or text[prev.end : quote.start].count("\n") > 3:
            return False
        last = self.sentence_at(max(prev.start, prev.end - 1))
        return bool(_NAMED_LEAD.fullmatch(text, max(last.start, prev.start), prev.end))

    @cached_property
    def _link_index(self) -> tuple[list[int], list[int]]:
        """Link starts (links are sorted) and the running maximum of their ends."""
        starts, max_ends, top = [], [], -1
        for link in self.document.links:
            starts.append(link.start)
            top = max(top, link.end)
            max_ends.append(top)
        return starts, max_ends

    def links_in(self, span: Span) -> Iterator[Span]:
        """Yield link ranges that overlap ``span``, in order.

        A bisection and a walk back while some earlier link still reaches the
        span: linear in the links near it, not in the document's links.
        """
        starts, max_ends = self._link_index
        links = self.document.links
        j = bisect.bisect_left(starts, span.end) - 1
        found = []
        while j >= 0 and max_ends[j] > span.start:
            if links[j].end > span.start:
                found.append(links[j])
            j -= 1
        yield from reversed(found)
