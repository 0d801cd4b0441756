"""Turn evidence into reasons, a score and a label.

A product mention alone is not a sale: sale wording, contacts, prices, quantities and delivery
count only near a product mention (same field within ``window`` characters, or anywhere when
the title names a product). Benign framing (news, ban notices, safety tips, reports, songs,
idioms, shows, nostalgia), legal alternatives and licensed-shop pointers pull the score down;
places in 常州 push it up when there is sale evidence. score = sigmoid(bias + Σ weights).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from classifiers.lexicon import Lexicon
from classifiers.verdict import Reason, Span

PRODUCT_KINDS = ("product", "euphemism")
COMMERCE_KINDS = ("sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery", "origin")
SCALED_KINDS = ("sale_intent", "delivery")   # more distinct terms, more weight (up to 1.5x)
WEAK_SCALED_KINDS = ("sale_intent", "contact_cue", "delivery", "evasion")
BUYER_WISHES = frozenset({"contact", "contact_cue", "price", "quantity", "delivery", "jurisdiction",
                          "jurisdiction_delivery", "marketplace"})
QUESTION_REACH = 12   # a buy phrase this close after 好多人问 is quoted, not asked
MAX_SPANS = 50        # per reason: a 1 MB post would otherwise list thousands


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


@dataclass
class Decision:
    score: float
    flagged: bool
    label: str
    reasons: list[Reason]


class Rules:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def decide(self, items: list[Item], platform: str = "") -> Decision:
        items = _Bucketed(items)
        products = _not_refused(self._products(items), items)
        reasons: list[Reason] = []
        if not products:
            return self._without_products(items)
        product_ends = {(p.field, p.end) for p in products}
        near = _Bucketed(self._near([i for kind in COMMERCE_KINDS + ("legal_alternative",)
                                     for i in _of(items, kind) if not _is_product_name(i, product_ends)],
                                    products))
        reasons += self._product_reasons([p for p in products if p.kind != "legal_alternative"])
        reasons += self._commerce_reasons(near, products)
        if platform and platform in self.lex.marketplaces:
            reasons.append(self._reason("marketplace", []))
        reasons += self._place_reasons(items, near)
        buy = self._buy_reason(items, near, products)
        if buy:   # a buyer's wishes (能送货的, 价格200以内, 联系我) are not an offer
            reasons = [r for r in reasons if r.rule not in BUYER_WISHES] + [buy]
        legal = self._legal_reasons(items, near)
        reasons += legal
        reasons += self._licensed_reason(items, near)
        reasons += self._benign_reasons(items, products)
        z = self.lex.bias + sum(r.weight for r in reasons)
        score = round(1.0 / (1.0 + math.exp(-z)), 4)
        flagged = score >= self.lex.threshold
        label = "sale" if flagged else "buy_request" if buy else (
            "legal_alternative" if any(r.rule == "legal_alternative" for r in legal) else "benign")
        return Decision(score, flagged, label, reasons)

    def _without_products(self, items: list[Item]) -> Decision:
        """No product mention: a legal alternative, a post about fireworks in a fixed phrase
        (烟花易冷, 可以放烟花吗, 加特林机枪) which is benign, or nothing to do with fireworks."""
        legal = _of(items, "legal_alternative")
        if legal:
            return Decision(0.0, False, "legal_alternative", [self._reason("legal_alternative", legal)])
        if any(i.mentions_product for i in _of(items, "benign")):
            return Decision(0.0, False, "benign", self._benign_reasons(items))
        return Decision(0.0, False, "none", [])

    # -- evidence selection -------------------------------------------------------------------

    def _products(self, items: list[Item]) -> list[Item]:
        """Product mentions. Weak terms (小金鱼, 礼花) and needs_context euphemisms (小玩具) count
        only near a strong product, a production area or season/discharge words."""
        strong = [i for i in _of(items, "product") if i.strength == "strong"]
        strong += [i for i in _of(items, "euphemism") if not i.needs_context]
        if _of(items, "disguise"):   # 电子鞭炮 + 填充物/火药: the "legal" product is the cover
            strong += _of(items, "legal_alternative")
        strong_ids = {id(i) for i in strong}
        weak = [i for i in _of(items, "product") + _of(items, "euphemism") if id(i) not in strong_ids]
        if not weak:
            return strong
        anchors = strong + _of(items, "euphemism_context") + _of(items, "origin")
        if len({i.term for i in weak}) > 1:   # 烟火 and 礼花 together: each is context for the other
            anchors = anchors + weak
        kept = [i for i in self._near(weak, anchors) if len(anchors) > 1 or anchors[0] is not i]
        kept_ids = {id(i) for i in kept}
        return strong + kept + self._seasonal([i for i in weak if id(i) not in kept_ids], items)

    def _seasonal(self, weak: list[Item], items: list[Item]) -> list[Item]:
        """Weak names that are fireworks at New Year or with a shot count (春节礼花, 一百发的礼花)
        count within a sentence of those words; 小金鱼 (also a pet) is not among them."""
        seasonal = [i for i in weak if i.kind == "product" and i.term in self.lex.seasonal]
        if not seasonal:
            return []
        shots = [q for q in _of(items, "quantity") if q.term.endswith(("发", "响"))]
        return self._near(seasonal, _of(items, "season_context") + shots, self.lex.context_window)

    def _near(self, candidates: list[Item], anchors: list[Item], window: int | None = None) -> list[Item]:
        """The candidates within ``window`` characters of an anchor in the same field, or in
        either field when one of them is in the title (a title speaks for the whole post)."""
        if not anchors:
            return []
        if any(a.field == "title" for a in anchors):
            return candidates
        w = window or self.lex.window
        starts: dict[str, list[int]] = {}
        for anchor in anchors:  # positions only compare within one field (text vs ocr)
            starts.setdefault(anchor.field, []).append(anchor.start)
        for positions in starts.values():
            positions.sort()
        return [i for i in candidates if i.field == "title" or _within(starts.get(i.field, []), i.start, w)]

    # -- reasons ------------------------------------------------------------------------------

    def _reason(self, rule: str, items: list[Item], scale: float = 1.0) -> Reason:
        cfg = self.lex.rules[rule]
        terms = list(dict.fromkeys(i.term for i in items))
        description = cfg.description + (f"：{'、'.join(terms[:8])}" if terms else "")
        return Reason(rule, round(cfg.weight * scale, 3), description, _spans(items))

    def _product_reasons(self, products: list[Item]) -> list[Reason]:
        strong = [p for p in products if p.kind == "product" and p.strength == "strong"]
        weak = [p for p in products if p.kind == "product" and p.strength == "weak"]
        euphemisms = [p for p in products if p.kind == "euphemism"]
        reasons = []
        if strong or len({p.term for p in weak}) > 1:   # 烟火 + 礼花 together name the product
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

    def _commerce_reasons(self, near: list[Item], products: list[Item]) -> list[Reason]:
        reasons = []
        contacts = _of(near, "contact")
        for kind in ("origin", "sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery"):
            found = _of(near, kind)
            if not found or (kind == "contact_cue" and contacts):
                continue
            if kind == "price":
                found = [i for i in found if i.amount < self.lex.max_offer_price
                         and (i.strength == "strong" or _right_after(i, products + _of(near, "quantity")))]
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
        commerce = [i for i in near if i.kind in ("contact", "price", "delivery")
                    or (i.kind in ("sale_intent", "evasion", "contact_cue") and i.strength == "strong")]
        if not places or not commerce:
            return []
        reasons = [self._reason("jurisdiction", places)]
        if _of(near, "delivery"):
            reasons.append(self._reason("jurisdiction_delivery", places + _of(near, "delivery")))
        return reasons

    def _buy_reason(self, items: list[Item], near: list[Item], products: list[Item]) -> Reason | None:
        """Asking to buy, unless the post offers more than it asks (哪里买？找我！现货批发)."""
        quoted = {f: sorted(q.end for q in _of(items, "reported_question") if q.field == f)
                  for f in ("title", "text", "ocr")}
        buy = [b for b in self._near(_of(items, "buy_request"), products, self.lex.context_window)
               if not _within(quoted[b.field], b.start - QUESTION_REACH // 2, QUESTION_REACH // 2)]
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

    def _benign_reasons(self, items: list[Item], products: list[Item] | None = None) -> list[Reason]:
        """One reason per benign group found; groups scoped to the window count only near a
        product mention (a stray 涨价 in a long post does not make an offer a discussion)."""
        benign = _of(items, "benign")
        if products:
            windowed = {g for g, cfg in self.lex.benign_groups.items() if cfg.scope == "window"}
            near = {id(i) for i in self._near([i for i in benign if i.group in windowed], products,
                                               self.lex.context_window)}
            benign = [i for i in benign if i.group not in windowed or id(i) in near]
        by_group: dict[str, dict[str, Item]] = {}
        for item in benign:
            by_group.setdefault(item.group, {}).setdefault(item.term, item)
        reasons = []
        for group, cfg in self.lex.benign_groups.items():
            found = by_group.get(group)
            if not found:
                continue
            strength = sum(1.0 if i.strength == "strong" else 0.4 for i in found.values())
            factor = min(cfg.cap or self.lex.benign_cap, strength)
            spans = _spans([i for i in benign if i.group == group])
            reasons.append(Reason(f"benign_{group}", round(cfg.weight * factor, 3),
                                  f"{cfg.description}：{'、'.join(list(found)[:8])}", spans))
        return reasons


def _not_refused(products: list[Item], items: list[Item]) -> list[Item]:
    """Drop products an ad refuses or lists as dangerous goods or packaging (不带烟花爆竹,
    烟花爆竹等危险品不搬, 烟花爆竹包装盒): a mover or a courier is not offering them."""
    before = {(i.field, i.end + k) for i in _of(items, "refused_before") for k in (0, 1)}
    after = {(i.field, i.start - k) for i in _of(items, "not_offered_after") for k in (0, 1)}
    if not before and not after:
        return products
    return [p for p in products if (p.field, p.start) not in before and (p.field, p.end) not in after]


def _right_after(item: Item, anchors: list[Item], reach: int = 1) -> bool:
    """Whether a product name or a specification ends right before ``item`` in the same field
    (加特林88米, 加特林 36发 128米), so the number is its price and not a distance."""
    return any(a.field == item.field and 0 <= item.start - a.end <= reach for a in anchors)


def _is_product_name(item: Item, product_ends: set[tuple[str, int]]) -> bool:
    """A quantity that ends where a product name ends (一万响, 两万响) is the name, not extra
    evidence of a sale."""
    return item.kind == "quantity" and (item.field, item.end) in product_ends


def _spans(items: list[Item]) -> list:
    """Distinct spans in reading order, at most MAX_SPANS (a 1 MB post would list thousands)."""
    return sorted(set(i.span for i in items))[:MAX_SPANS]


def _within(starts: list[int], position: int, window: int) -> bool:
    """Whether some start in the sorted list lies within ``window`` of ``position``."""
    k = bisect_left(starts, position - window)
    return k < len(starts) and starts[k] <= position + window


class _Bucketed(list):
    """Evidence grouped by kind once, so each rule looks up only its own kind."""

    def __init__(self, items: list[Item]):
        super().__init__(items)
        self.by_kind: dict[str, list[Item]] = {}
        for item in items:
            self.by_kind.setdefault(item.kind, []).append(item)


_EMPTY: list[Item] = []


def _of(items: _Bucketed, kind: str) -> list[Item]:
    return items.by_kind.get(kind, _EMPTY)
