"""Context as evidence, each signal its own reason: the thread a comment answers, the search
keyword that found the post, the seller's confirmed earlier sales, and a "看图" pointer to a
price list read from the post's pictures.

Context anchors speak for the whole post the way a title does (their Items carry the field
WHOLE_POST, their spans the field they were found in: parent, parent_title, thread_title,
found_by, ocr), so a reply's "还有两箱" counts as sale evidence for the product its parent names.
The parent's own sale wording never counts for the reply: "好漂亮" under a sale is not a sale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from classifiers.verdict import Span

WHOLE_POST = "context"
# A reply offers something when it says more than "nice": sale wording, a contact, a price, a
# quantity, evasion, a stock claim.
OFFER_KINDS = ("sale_intent", "regulars", "evasion", "contact", "contact_cue", "price", "quantity", "delivery",
               "picture_pointer")


@dataclass
class ContextEvidence:
    """What the classifier found in a post's context, ready for the rules."""

    thread_products: list = field(default_factory=list)   # Items, field WHOLE_POST
    thread_label: str = ""                                 # the parent's own verdict label
    thread_buy: list[Span] = field(default_factory=list)  # the parent's buy-request wording
    found_by: list = field(default_factory=list)           # Items: product terms in the keyword
    history_count: int = 0
    history_refs: list[dict[str, Any]] = field(default_factory=list)
    history_spans: list[Span] = field(default_factory=list)   # this post's matching contacts

    @property
    def anchors(self) -> list:
        return self.thread_products or self.found_by

    @property
    def has_history(self) -> bool:
        return self.history_count > 0


def history_scale(count: int) -> float:
    """One confirmed earlier sale counts fully; more add a quarter each, up to 1.5 times."""
    return min(1.0 + 0.25 * (count - 1), 1.5)


def offers(near_kinds: set[str]) -> bool:
    return any(kind in near_kinds for kind in OFFER_KINDS)
