"""Turn evidence into reasons, a score and a label.

A product mention alone is not a sale: sale wording, contacts, prices, quantities and delivery
count only near a product mention (same field within ``window`` characters, or anywhere when
the title names a product). Benign framing (news, ban notices, safety tips, reports, songs,
idioms, shows, nostalgia), legal alternatives and licensed-shop pointers pull the score down;
places in 常州 push it up when there is sale evidence. score = sigmoid(bias + Σ weights).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from classifiers.lexicon import Lexicon
from classifiers.verdict import Reason, Span

PRODUCT_KINDS = ("product", "euphemism")
COMMERCE_KINDS = ("sale_intent", "contact", "contact_cue", "price", "quantity", "delivery", "origin")


@dataclass(frozen=True)
class Item:
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


@dataclass
class Decision:
    score: float
    flagged: bool
    label: str
    reasons: list[Reason]


class Rules:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def decide(self, items: list[Item]) -> Decision:
        products = self._products(items)
        reasons: list[Reason] = []
        if not products:
            legal = _of(items, "legal_alternative")
            if legal:
                reasons.append(self._reason("legal_alternative", legal))
            return Decision(0.0, False, "legal_alternative" if legal else "none", reasons)
        near = [i for i in items if i.kind in COMMERCE_KINDS + ("legal_alternative",)
                and self._near(i, products)]
        reasons += self._product_reasons(products)
        reasons += self._commerce_reasons(near)
        reasons += self._place_reasons(items, near)
        buy = self._buy_reason(items, near)
        reasons += [buy] if buy else []
        legal = self._legal_reasons(items, near)
        reasons += legal
        reasons += self._licensed_reason(items, near)
        reasons += self._benign_reasons(items)
        z = self.lex.bias + sum(r.weight for r in reasons)
        score = round(1.0 / (1.0 + math.exp(-z)), 4)
        flagged = score >= self.lex.threshold
        label = "sale" if flagged else "buy_request" if buy else (
            "legal_alternative" if any(r.rule == "legal_alternative" for r in legal) else "benign")
        return Decision(score, flagged, label, reasons)

    # -- evidence selection -------------------------------------------------------------------

    def _products(self, items: list[Item]) -> list[Item]:
        """Product mentions; a needs_context euphemism counts only near season/origin words."""
        strong = [i for i in items if i.kind in PRODUCT_KINDS and not i.needs_context]
        anchors = strong + [i for i in items if i.kind in ("euphemism_context", "origin")]
        contextual = [i for i in items if i.kind == "euphemism" and i.needs_context
                      and any(self._close(i, a) for a in anchors)]
        return strong + contextual

    def _close(self, a: Item, b: Item) -> bool:
        if a.field != b.field:
            return a.field == "title" or b.field == "title"
        return b.start - self.lex.window <= a.start <= b.end + self.lex.window

    def _near(self, item: Item, products: list[Item]) -> bool:
        return any(p.field == "title" or self._close(item, p) for p in products)

    # -- reasons ------------------------------------------------------------------------------

    def _reason(self, rule: str, items: list[Item], scale: float = 1.0, extra: str = "") -> Reason:
        cfg = self.lex.rules[rule]
        terms = list(dict.fromkeys(i.term for i in items))
        detail = "、".join(terms[:8]) + (extra and f"（{extra}）")
        description = cfg.description + (f"：{detail}" if detail else "")
        spans = sorted(set(i.span for i in items), key=lambda s: (s.field != "title", s.start, s.end))
        return Reason(rule, round(cfg.weight * scale, 3), description, spans)

    def _product_reasons(self, products: list[Item]) -> list[Reason]:
        strong = [p for p in products if p.kind == "product" and p.strength == "strong"]
        weak = [p for p in products if p.kind == "product" and p.strength == "weak"]
        euphemisms = [p for p in products if p.kind == "euphemism"]
        reasons = []
        if strong:
            reasons.append(self._reason("product", strong + weak))
        elif weak:
            reasons.append(self._reason("product_weak", weak))
        if euphemisms and not strong:
            reasons.append(self._reason("product_euphemism", euphemisms))
        disguised = [p for p in products if p.disguised]
        if disguised:
            reasons.append(self._reason("product_disguised", disguised))
        if len({p.term for p in strong}) >= 2:
            reasons.append(self._reason("extra_products", strong))
        return reasons

    def _commerce_reasons(self, near: list[Item]) -> list[Reason]:
        reasons = []
        contacts = _of(near, "contact")
        for kind in ("origin", "sale_intent", "contact", "contact_cue", "price", "quantity", "delivery"):
            found = _of(near, kind)
            if not found or (kind == "contact_cue" and contacts):
                continue
            distinct = len({i.term for i in found if i.strength == "strong"}) + 0.4 * len(
                {i.term for i in found if i.strength == "weak"})
            scale = min(1.0 + 0.25 * max(distinct - 1, 0), 1.5) if kind in ("sale_intent", "delivery") else 1.0
            reasons.append(self._reason(kind, found, scale))
        return reasons

    def _place_reasons(self, items: list[Item], near: list[Item]) -> list[Reason]:
        places = _of(items, "place")
        commerce = [i for i in near if i.kind in ("sale_intent", "contact", "contact_cue", "price", "delivery")]
        if not places or not commerce:
            return []
        reasons = [self._reason("jurisdiction", places)]
        if _of(near, "delivery"):
            reasons.append(self._reason("jurisdiction_delivery", places + _of(near, "delivery")))
        return reasons

    def _buy_reason(self, items: list[Item], near: list[Item]) -> Reason | None:
        """Asking to buy, unless the post offers more than it asks (哪里买？找我！现货批发)."""
        buy = _of(items, "buy_request")
        offers = {i.term for i in _of(near, "sale_intent") if i.strength == "strong"}
        if not buy or len(offers) > len({i.term for i in buy}):
            return None
        return self._reason("buy_request", buy)

    def _legal_reasons(self, items: list[Item], near: list[Item]) -> list[Reason]:
        legal = _of(items, "legal_alternative")
        if not legal:
            return []
        disguise = _of(items, "disguise")
        if disguise:
            return [self._reason("disguise_legal", legal + disguise)]
        return [self._reason("legal_alternative", legal)]

    def _licensed_reason(self, items: list[Item], near: list[Item]) -> list[Reason]:
        licensed = _of(items, "licensed_shop")
        if not licensed or _of(near, "delivery"):
            return []
        return [self._reason("licensed_shop", licensed)]

    def _benign_reasons(self, items: list[Item]) -> list[Reason]:
        reasons = []
        for group, cfg in self.lex.benign_groups.items():
            found = [i for i in items if i.kind == "benign" and i.group == group]
            if not found:
                continue
            strength = sum(1.0 if s == "strong" else 0.4 for s in
                           {i.term: i.strength for i in found}.values())
            factor = min(self.lex.benign_cap, strength)
            terms = list(dict.fromkeys(i.term for i in found))
            spans = sorted(set(i.span for i in found), key=lambda s: (s.field != "title", s.start))
            reasons.append(Reason(f"benign_{group}", round(cfg.weight * factor, 3),
                                  f"{cfg.description}：{'、'.join(terms[:8])}", spans))
        return reasons


def _of(items: list[Item], kind: str) -> list[Item]:
    return [i for i in items if i.kind == kind]
