"""Evidence as the rules see it: one Item per lexicon match or extracted contact, price or
quantity, grouped by kind once per post."""

from __future__ import annotations

from typing import NamedTuple

from classifiers.verdict import Span


EMOJI_GROUP = "emoji"   # Item.group of a product written as an emoji (🎆, 🧨)


class Item(NamedTuple):
    """One piece of evidence: a lexicon match or an extracted contact/price/quantity."""

    field: str
    kind: str
    start: int        # in the field's normalised text
    end: int
    term: str
    span: Span
    strength: str = "strong"
    group: str = ""
    disguised: bool = False
    needs_context: bool = False
    amount: float = 0.0
    mentions_product: bool = False
    quoted: bool = False   # inside quotation marks in the original text (“…”, 「…」)


class Bucketed(list):
    """Evidence grouped by kind once, so each rule looks up only its own kind."""

    def __init__(self, items: list[Item]):
        super().__init__(items)
        self.by_kind: dict[str, list[Item]] = {}
        for item in items:
            self.by_kind.setdefault(item.kind, []).append(item)


_EMPTY: list[Item] = []


def of(items: Bucketed, kind: str) -> list[Item]:
    return items.by_kind.get(kind, _EMPTY)
