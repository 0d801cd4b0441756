"""Pinyin spellings of product terms, derived with pypinyin when the lexicon loads: full pinyin
(yanhua, yan hua), one character in pinyin (yan花, 烟hua) and initials (yh). Sellers write these
to get past keyword filters; the lexicon says per term which forms are safe to match. Only the
reading pypinyin picks for the whole word is used (烟花 → yan hua, not yin hua), because rarer
readings mostly spell other words (yinhua is 印花)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_forms(term: str, full: bool, initials: bool) -> list[str]:
    """The pinyin spellings of ``term`` asked for; empty when the term is not all Chinese."""
    syllables = lazy_pinyin(term, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(term) or not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    forms: set[str] = set()
    if full:
        forms.add("".join(syllables))
        forms.add(" ".join(syllables))
        for i, syllable in enumerate(syllables):
            forms.add(term[:i] + syllable + term[i + 1:])
    if initials:
        forms.add("".join(s[0] for s in syllables))
    forms.discard(term)
    return sorted(forms)
