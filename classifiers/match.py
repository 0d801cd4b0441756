"""Find lexicon terms in normalised text with one Aho-Corasick automaton, then drop matches
that are not real mentions: latin or digit patterns glued to other letters or digits, matches
inside a longer term (鞭炮 inside 电子鞭炮), and product matches jieba says straddle words."""

from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick

from classifiers.boundaries import BoundaryChecker
from classifiers.lexicon import Entry

BOUNDARY_CATEGORIES = ("product", "euphemism")
DICTIONARY_CATEGORIES = ("benign", "legal_alternative", "sale_intent", "contact_cue", "delivery", "evasion")
COMPOSITE_GROUP = "origin_standin"   # lexicon.py: origin + supply word, generated
# Matches in these categories make a post worth the full analysis.
CANDIDATE_CATEGORIES = frozenset({"product", "euphemism", "legal_alternative"})
# Words that can make a weak product name count (rules.py): discharge, origin, season.
CONTEXT_CATEGORIES = ("euphemism_context", "origin", "season_context")
# A shot count (一百发, 36发, 一万响) can make a weak name count too (一百发的礼花).
SHOT_COUNT = re.compile(r"[0-9零一二三四五六七八九十百千万两]\s*[发响]")
# A catalogue line: a shot count or calibre, then a number within a few characters (1.5寸49发 128,
# 满天星 36发 45一箱). It describes the product even without its name (classifiers/mentions.py).
CATALOGUE_LINE = re.compile(r"[0-9]\s*(?:发|响|寸|连)[^0-9\n]{0,10}[0-9]{2}"
                            r"|[0-9]\s*(?:发|寸)[^\n]{0,12}[0-9]\s*(?:发|寸)|[0-9十百千]\s*[万千]响")


def is_candidate(entry: Entry) -> bool:
    return entry.category in CANDIDATE_CATEGORIES or entry.mentions_product


def _hides_goods(entry: Entry) -> bool:
    """Evasion (懂的来, 写了就被删) and licensed-shop words: a post may sell unnamed goods
    (rules.Rules._unnamed_offer), so it gets the full analysis."""
    return entry.category in ("evasion", "licensed_shop") and entry.strength == "strong"


class Hit(NamedTuple):
    start: int
    end: int
    entry: Entry


class Matcher:
    """One automaton with every term, and two small ones that let the common case — a post
    that never mentions fireworks — skip the full analysis: candidates (products and phrases
    containing them) and places (reported for every post)."""

    def __init__(self, entries: list[Entry]):
        self._automaton = _automaton(entries)
        self._candidates = _automaton([e for e in entries if is_candidate(e)
                                       or e.category in CONTEXT_CATEGORIES or _hides_goods(e)])
        self._places = _automaton([e for e in entries if e.category == "place"])
        # Sale wording is in the dictionary too, so 实拍|烟花 is not read as 实|拍烟花.
        words = [e.pattern for e in entries if e.category in BOUNDARY_CATEGORIES + DICTIONARY_CATEGORIES]
        self.boundaries = BoundaryChecker(words)

    def has_candidate(self, text: str) -> bool:
        """Whether ``text`` may mention a product (cheap: only candidate patterns)."""
        if not text or not len(self._candidates):
            return False
        contextual: set[str] = set()
        context = season = seasonal = False
        for last, (length, group, _, edges) in self._candidates.iter(text):
            start, end = last - length + 1, last + 1
            if edges is not None and not _edges_ok(text, start, end, edges):
                continue
            for entry in group:
                if entry.category == "season_context":
                    season = True
                elif entry.category in CONTEXT_CATEGORIES:
                    context = True
                elif entry.needs_context or (entry.category == "product" and entry.strength == "weak"):
                    contextual.add(entry.pattern)   # 小玩具, 小金鱼: only with context (rules.py)
                    seasonal = seasonal or entry.season
                else:
                    return True
        if CATALOGUE_LINE.search(text):
            return True
        if not contextual:
            return False
        return context or len(contextual) > 1 or bool(SHOT_COUNT.search(text)) or (seasonal and season)

    def covers(self, text: str) -> bool:
        """Whether some lexicon pattern of two or more characters occurs in ``text``."""
        return any(length >= 2 for _, (length, *_rest) in self._automaton.iter(text)) if text else False

    def find_places(self, text: str) -> list[Hit]:
        """Place names only, for posts that need no further analysis."""
        return self.find(text, self._places)

    def find(self, text: str, automaton: ahocorasick.Automaton | None = None) -> list[Hit]:
        """All surviving hits in ``text``, ordered by position."""
        automaton = automaton or self._automaton
        if not text or not len(automaton):
            return []
        raw: list[tuple[int, int, Entry, bool]] = []
        append = raw.append
        for last, (length, group, unchecked, edges) in automaton.iter(text):
            start, end = last - length + 1, last + 1
            if edges is not None and not _edges_ok(text, start, end, edges):
                continue
            checked = unchecked is not group
            for entry in group:
                append((start, end, entry, checked and _needs_boundary(entry)))
        return [Hit(s, e, entry) for s, e, entry in _outermost(raw, _WordCheck(self.boundaries, text))]


class _WordCheck:
    """jieba's verdict on a span, asked at most once per span and only when containment has
    not already settled the hit (鞭 and 炮 inside 鞭炮 need no segmentation)."""

    def __init__(self, boundaries: BoundaryChecker, text: str):
        self._is_word, self._text, self._seen = boundaries.is_word, text, {}

    def __call__(self, start: int, end: int) -> bool:
        key = (start, end)
        if key not in self._seen:
            self._seen[key] = self._is_word(self._text, start, end)
        return self._seen[key]


def _needs_boundary(entry: Entry) -> bool:
    """Product words, and phrases containing one (拍烟花, 能放烟花): jieba must agree they are
    words here, or a phrase that overlaps a neighbour (实拍烟花) would hide the product."""
    return entry.boundary and (entry.category in BOUNDARY_CATEGORIES or entry.mentions_product)


def _automaton(entries: list[Entry]) -> ahocorasick.Automaton:
    """An automaton whose values are (pattern length, entries with that pattern, those of them
    that need no jieba check — the same tuple when none does —, edge checks or None)."""
    by_pattern: dict[str, list[Entry]] = {}
    for entry in entries:
        by_pattern.setdefault(entry.pattern, []).append(entry)
    automaton = ahocorasick.Automaton()
    for pattern, group in by_pattern.items():
        # Whether the pattern's first/last character needs a word-edge check (latin, digit).
        edges = bool(_kind(pattern[0])), bool(_kind(pattern[-1]))
        group = tuple(dict.fromkeys(group))
        unchecked = tuple(e for e in group if not _needs_boundary(e))
        automaton.add_word(pattern, (len(pattern), group, group if len(unchecked) == len(group) else unchecked,
                                     edges if any(edges) else None))
    if by_pattern:
        automaton.make_automaton()
    return automaton


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


def _strictly_inside(match: tuple[int, int, Entry], others: list[tuple[int, int, Entry]]) -> bool:
    start, end = match[0], match[1]
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in others)


def _outermost(raw: list[tuple[int, int, Entry, bool]], word) -> list[tuple[int, int, Entry]]:
    """Drop matches that fail their word check and matches strictly inside a longer surviving
    match (same span matches all stay). Boundaries decide before containment — 烟花爆竹 that
    straddles jieba's 燃放烟花|爆竹 fails, and then 烟花 and 爆竹 inside it count — but a match
    already inside a surviving one is never segmented. A composite stand-in (浏阳发货: a town and
    a shipping word) shadows nothing: its parts count as well."""
    composite = [r for r in raw if r[2].group == COMPOSITE_GROUP]
    if composite:
        kept = _outermost([r for r in raw if r[2].group != COMPOSITE_GROUP], word)
        composite = [(s, e, entry) for s, e, entry, check in composite
                     if not _strictly_inside((s, e, entry), kept) and (not check or word(s, e))]
        return sorted(kept + composite, key=lambda r: (r[0], -r[1]))
    raw.sort(key=lambda r: (r[0], -r[1]))
    kept: list[tuple[int, int, Entry]] = []
    reach_end, reach_span = -1, (-1, -1)
    for start, end, entry, check in raw:
        if end <= reach_end and (start, end) != reach_span:
            continue
        if check and not word(start, end):
            continue
        kept.append((start, end, entry))
        if end > reach_end:
            reach_end, reach_span = end, (start, end)
    return kept
