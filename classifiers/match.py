"""Find lexicon terms in normalised text with one Aho-Corasick automaton, then drop matches
that are not real mentions: latin or digit patterns glued to other letters or digits, matches
inside a longer term (鞭炮 inside 电子鞭炮), and product matches jieba says straddle words."""

from __future__ import annotations

from typing import NamedTuple

import ahocorasick

from classifiers.boundaries import BoundaryChecker
from classifiers.lexicon import Entry

BOUNDARY_CATEGORIES = ("product", "euphemism")


class Hit(NamedTuple):
    start: int
    end: int
    entry: Entry


class Matcher:
    def __init__(self, entries: list[Entry]):
        by_pattern: dict[str, list[Entry]] = {}
        for entry in entries:
            by_pattern.setdefault(entry.pattern, []).append(entry)
        self._automaton = ahocorasick.Automaton()
        for pattern, group in by_pattern.items():
            # Whether the pattern's first/last character needs a word-edge check (latin, digit).
            edges = bool(_kind(pattern[0])), bool(_kind(pattern[-1]))
            self._automaton.add_word(pattern, (len(pattern), tuple(dict.fromkeys(group)), edges))
        self._automaton.make_automaton()
        words = [e.pattern for e in entries if e.category in BOUNDARY_CATEGORIES + ("benign", "legal_alternative")]
        self.boundaries = BoundaryChecker(words)

    def find(self, text: str) -> list[Hit]:
        """All surviving hits in ``text``, ordered by position."""
        if not text:
            return []
        raw: list[tuple[int, int, Entry]] = []
        for last, (length, group, edges) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if (edges[0] or edges[1]) and not _edges_ok(text, start, end, edges):
                continue
            for entry in group:
                raw.append((start, end, entry))
        # Boundaries first, containment second: 烟花爆竹 straddling jieba's 燃放烟花|爆竹 fails,
        # and then 烟花 and 爆竹 inside it must still count.
        words = [(s, e, entry) for s, e, entry in raw if self._is_word(text, s, e, entry)]
        return [Hit(s, e, entry) for s, e, entry in _outermost(words)]

    def _is_word(self, text: str, start: int, end: int, entry: Entry) -> bool:
        if not entry.boundary or entry.category not in BOUNDARY_CATEGORIES:
            return True
        return self.boundaries.is_word(text, start, end)


def _kind(ch: str) -> str:
    if "a" <= ch <= "z" or ch == "_":
        return "latin"
    if "0" <= ch <= "9":
        return "digit"
    return ""


def _edges_ok(text: str, start: int, end: int, edges: tuple[bool, bool]) -> bool:
    """A pattern that starts (ends) with a letter or digit must not continue a longer word or
    number: yh inside "why", 110 inside 1100."""
    if edges[0] and start > 0 and _kind(text[start - 1]):
        return False
    if edges[1] and end < len(text) and _kind(text[end]):
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
