"""Regular English inflections for lexicon entries.

Lexicons list lemmas ("subjugate", "vicious"); rules that ask for inflections
match the forms generated here as well ("subjugated", "subjugation",
"viciously"). Over-generation is harmless: a form that is not a word never
matches. Only the last word of a multi-word entry is inflected, and of a
hyphenated last word only the part after the last hyphen ("witch-hunt" ->
"witch-hunts", "left-winger" -> "left-wingers").
"""

from __future__ import annotations

_VOWELS = set("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def _syllables(word: str) -> int:
    """Count vowel groups (a rough syllable count)."""
    groups, prev = 0, False
    for ch in word:
        cur = ch in _VOWELS
        groups += cur and not prev
        prev = cur
    return groups


def _word_variants(word: str) -> set[str]:
    w = word
    out = {w}
    if not w.isalpha() or len(w) < 3:
        return out
    if w.endswith(("ous", "less")):
        return out | {w + "ly", w + "ness"}  # vicious -> viciously, viciousness
    if len(w) >= 6 and w.endswith("ed") and not w.endswith("eed"):
        return out | {w + "ly"}  # misguided -> misguidedly (no "misguideded")
    if len(w) >= 6 and w.endswith("ing"):
        return out | {w + "s", w + "ly"}  # killing -> killings, chilling -> chillingly
    if w.endswith(_SIBILANT_ENDINGS):
        out.add(w + "es")
    elif w.endswith("y") and w[-2] not in _VOWELS:
        out.update({w[:-1] + "ies", w[:-1] + "ied", w[:-1] + "ily", w + "ing"})
    else:
        out.add(w + "s")
    if w.endswith("e"):
        stem = w[:-1]
        out.update({w + "d", stem + "ing", w + "ly", w + "r", w + "rs"})
        if w.endswith("ate"):
            out.update({stem + "ion", stem + "ions"})
        if w.endswith("ize") or w.endswith("ise"):
            out.update({stem + "ation", stem + "ations"})
        if w.endswith("le"):
            out.add(stem + "y")  # terrible -> terribly
    elif not (w.endswith("y") and w[-2] not in _VOWELS):
        out.update({w + "ed", w + "ing", w + "ly", w + "er", w + "ers"})
        # stab -> stabbed: double a final consonant after a single vowel, in one-syllable words
        if (
            w[-1] not in _VOWELS | {"w", "x", "y"}
            and w[-2] in _VOWELS
            and w[-3] not in _VOWELS
            and _syllables(w) == 1
        ):
            out.update({w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er", w + w[-1] + "ers"})
    if w.endswith("ss"):
        out.update({w + "ion", w + "ions", w + "ive"})  # obsess -> obsession
    if w.endswith("ic"):
        out.add(w + "ally")
    if w.endswith("ous") or w.endswith("ful") or w.endswith("ent") or w.endswith("ant"):
        out.add(w + "ness" if w.endswith(("ous", "ful")) else w[:-1] + "ce")
    return out


def variants(entry: str) -> list[str]:
    """Return the entry and its regular inflections, sorted.

    Args:
        entry: a lexicon entry, one word or a phrase; the last word is inflected.

    Returns:
        Sorted distinct forms, the entry itself included.
    """
    head, _, last = entry.rpartition(" ")
    prefix = head + " " if head else ""
    stem, hyphen, tail = last.rpartition("-")
    if hyphen and stem and tail:
        prefix += stem + hyphen
        last = tail
    return sorted({prefix + form for form in _word_variants(last)})
