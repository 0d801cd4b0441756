"""Find lexicon terms in normalised text with one Aho-Corasick automaton, then drop matches
that are not real mentions: latin or digit patterns glued to other letters or digits, matches
inside a longer term (鞭炮 inside 电子鞭炮), and product matches jieba says straddle words."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from classifiers.boundaries import BoundaryChecker
from classifiers.lexicon import Entry

BOUNDARY_CATEGORIES = ("product", "euphemism")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry

    @property
    def category(self) -> str:
        return self.entry.category


class Matcher:
    def __init__(self, entries: list[Entry]):
        by_pattern: dict[str, list[Entry]] = {}
        for entry in entries:
            by_pattern.setdefault(entry.pattern, []).append(entry)
        self._automaton = ahocorasick.Automaton()
        for pattern, group in by_pattern.items():
            self._automaton.add_word(pattern, (len(pattern), tuple(dict.fromkeys(group))))
        self._automaton.make_automaton()
        words = [e.pattern for e in entries if e.category in BOUNDARY_CATEGORIES + ("benign", "legal_alternative")]
        self.boundaries = BoundaryChecker(words)

    def find(self, text: str) -> list[Hit]:
        """All surviving hits in ``text``, ordered by position."""
        if not text:
            return []
        raw: list[tuple[int, int, Entry]] = []
        for last, (length, group) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if not _edges_ok(text, start, end):
                continue
            raw.extend((start, end, entry) for entry in group)
        hits = [Hit(s, e, entry) for s, e, entry in _outermost(raw)]
        return [h for h in hits if self._is_word(text, h)]

    def _is_word(self, text: str, hit: Hit) -> bool:
        if hit.category not in BOUNDARY_CATEGORIES or not hit.entry.boundary:
            return True
        return self.boundaries.is_word(text, hit.start, hit.end)


def _kind(ch: str) -> str:
    if "a" <= ch <= "z" or ch == "_":
        return "latin"
    if "0" <= ch <= "9":
        return "digit"
    return ""


def _edges_ok(text: str, start: int, end: int) -> bool:
    """A pattern that starts (ends) with a letter or digit must not continue a longer word or
    number: yh inside "why", 110 inside 1100."""
    first, last = _kind(text[start]), _kind(text[end - 1])
    if first and start > 0 and _kind(text[start - 1]) in ("latin", "digit"):
        return False
    if last and end < len(text) and _kind(text[end]) in ("latin", "digit"):
        return False
    return True


def _outermost(raw: list[tuple[int, int, Entry]]) -> list[tuple[int, int, Entry]]:
    """Drop matches strictly inside a longer match (same span matches all stay)."""
    raw.sort(key=lambda r: (r[0], -r[1]))
    kept: list[tuple[int, int, Entry]] = []
    reach_end, reach_span = -1, (-1, -1)
    for start, end, entry in raw:
        if end <= reach_end and (start, end) != reach_span:
            continue
        kept.append((start, end, entry))
        if end > reach_end:
            reach_end, reach_span = end, (start, end)
    return kept
