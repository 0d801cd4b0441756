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
COMMERCE_KINDS = ("sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery", "origin")
SCALED_KINDS = ("sale_intent", "delivery")   # more distinct terms, more weight (up to 1.5x)
WEAK_SCALED_KINDS = ("sale_intent", "contact_cue", "delivery", "evasion")
QUESTION_REACH = 12   # a buy phrase this close after 好多人问 is quoted, not asked


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
    amount: float = 0.0


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
        reasons += self._product_reasons([p for p in products if p.kind != "legal_alternative"])
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
        """Product mentions. Weak terms (小金鱼, 礼花) and needs_context euphemisms (小玩具) count
        only near a strong product, a production area or season/discharge words."""
        strong = [i for i in items if i.kind == "product" and i.strength == "strong"]
        strong += [i for i in items if i.kind == "euphemism" and not i.needs_context]
        if _of(items, "disguise"):   # 电子鞭炮 + 填充物/火药: the "legal" product is the cover
            strong += _of(items, "legal_alternative")
        anchors = strong + [i for i in items if i.kind in ("euphemism_context", "origin")]
        contextual = [i for i in items if i.kind in PRODUCT_KINDS and i not in strong
                      and any(self._close(i, a) for a in anchors if a is not i)]
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
        for kind in ("origin", "sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery"):
            found = _of(near, kind)
            if not found or (kind == "contact_cue" and contacts):
                continue
            if kind == "price":
                found = [i for i in found if i.amount < self.lex.max_offer_price]
                if not found:
                    continue
            reasons.append(self._reason(kind, found, self._scale(kind, found)))
        return reasons

    def _scale(self, kind: str, found: list[Item]) -> float:
        strong = {i.term for i in found if i.strength == "strong"}
        weak = {i.term for i in found if i.strength == "weak"} - strong
        base = 1.0 if strong or kind not in WEAK_SCALED_KINDS else self.lex.weak_only
        if kind not in SCALED_KINDS:
            return base
        return min(base + 0.25 * max(len(strong) + 0.4 * len(weak) - 1, 0), 1.5)

    def _place_reasons(self, items: list[Item], near: list[Item]) -> list[Reason]:
        places = _of(items, "place")
        commerce = [i for i in near if i.kind in ("sale_intent", "evasion", "contact", "contact_cue", "price", "delivery")]
        if not places or not commerce:
            return []
        reasons = [self._reason("jurisdiction", places)]
        if _of(near, "delivery"):
            reasons.append(self._reason("jurisdiction_delivery", places + _of(near, "delivery")))
        return reasons

    def _buy_reason(self, items: list[Item], near: list[Item]) -> Reason | None:
        """Asking to buy, unless the post offers more than it asks (哪里买？找我！现货批发)."""
        quoted = _of(items, "reported_question")
        buy = [b for b in _of(items, "buy_request") if not any(
            q.field == b.field and q.start <= b.start <= q.end + QUESTION_REACH for q in quoted)]
        offers = {i.term: i.strength for i in _of(near, "sale_intent") + _of(near, "evasion")}
        offered = sum(1.0 if s == "strong" else 0.4 for s in offers.values())
        if not buy or offered > len({i.term for i in buy}):
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
            factor = min(cfg.cap or self.lex.benign_cap, strength)
            terms = list(dict.fromkeys(i.term for i in found))
            spans = sorted(set(i.span for i in found), key=lambda s: (s.field != "title", s.start))
            reasons.append(Reason(f"benign_{group}", round(cfg.weight * factor, 3),
                                  f"{cfg.description}：{'、'.join(terms[:8])}", spans))
        return reasons


def _of(items: list[Item], kind: str) -> list[Item]:
    return [i for i in items if i.kind == kind]
