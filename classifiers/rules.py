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

from classifiers.evidence import EMOJI_GROUP, Bucketed, Item, of
from classifiers import mentions
from classifiers.context_rules import WHOLE_POST, ContextEvidence, history_scale, offers
from classifiers.lexicon import Lexicon
from classifiers.verdict import Reason, Span

PRODUCT_KINDS = ("product", "euphemism")
COMMERCE_KINDS = ("sale_intent", "evasion", "contact", "contact_cue", "price", "quantity", "delivery", "origin",
                  "picture_pointer", "regulars")
WHOLE_POST_FIELDS = ("title", WHOLE_POST)   # evidence there speaks for the whole post
REPORTING_GROUPS = ("news", "report", "ban_notice", "doubt")   # posts that quote sellers
SCALED_KINDS = ("sale_intent", "delivery")   # more distinct terms, more weight (up to 1.5x)
WEAK_SCALED_KINDS = ("sale_intent", "contact_cue", "delivery", "evasion")
BUYER_WISHES = frozenset({"contact", "contact_cue", "price", "quantity", "delivery", "jurisdiction",
                          "jurisdiction_delivery", "marketplace"})
# With a seller's confirmed history, these say the unnamed goods are the same as before.
HIDDEN_PRODUCT = ("evasion", "euphemism", "picture_pointer", "regulars")
# Offer evidence that, with evasion or a delivering licensed shop, stands for unnamed goods.
UNNAMED_OFFER_KINDS = ("sale_intent", "regulars", "contact", "contact_cue", "delivery", "price", "picture_pointer")
# Look-alikes and comparisons explain firework emoji in the same post: then 🎆 is decoration.
EXPLAINED_IMAGERY = ("legal_alternative", "lookalike_after", "simile_before")
QUESTION_REACH = 12   # a buy phrase this close after 好多人问 is quoted, not asked
MAX_SPANS = 50        # per reason: a 1 MB post would otherwise list thousands


@dataclass
class Decision:
    score: float
    flagged: bool
    label: str
    reasons: list[Reason]


class Rules:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def decide(self, items: list[Item], platform: str = "", context: ContextEvidence | None = None) -> Decision:
        items = Bucketed(items)
        context = context or ContextEvidence()
        products, lookalike = self._mentions(items)
        anchors = products + self._context_anchors(items, products, context)
        if not anchors:
            return self._without_products(items, lookalike)
        near = Bucketed(self._near(self._commerce(items, products), anchors))
        reasons = self._product_reasons([p for p in products if p.kind != "legal_alternative"])
        reasons += self._commerce_reasons(near, products)
        if platform and platform in self.lex.marketplaces:
            reasons.append(self._reason("marketplace", []))
        reasons += self._place_reasons(items, near)
        buy = self._buy_reason(items, near, anchors)
        if buy:   # a buyer's wishes (能送货的, 价格200以内, 联系我) are not an offer
            reasons = [r for r in reasons if r.rule not in BUYER_WISHES] + [buy]
        reasons += self._context_reasons(items, products, near, context, buy is not None)
        legal = self._legal_reasons(items, lookalike)
        reasons += legal
        reasons += self._licensed_reason(items, near)
        reasons += self._benign_reasons(items, anchors)
        score = self._score(sum(r.weight for r in reasons))
        flagged = score >= self.lex.threshold
        label = "sale" if flagged else "buy_request" if buy else (
            "legal_alternative" if any(r.rule == "legal_alternative" for r in legal) else
            "benign" if products or context.thread_products else "none")
        return Decision(score, flagged, label, reasons)

    def _score(self, evidence: float) -> float:
        """sigmoid(bias + evidence), with strong evidence compressed above ``knee``: a post with
        six kinds of sale evidence is not a thousand times surer than one with four, and scores
        that all read 0.999 stop ranking (docs/classifier.md, reliability)."""
        z = self.lex.bias + evidence
        knee, soft = self.lex.calibration_knee, self.lex.calibration_softness
        if z > knee and soft > 0:
            z = knee + soft * math.log1p((z - knee) / soft)
        return round(1.0 / (1.0 + math.exp(-z)), 4)

    def _context_anchors(self, items: list[Item], products: list[Item], context: ContextEvidence) -> list[Item]:
        """Anchors that speak for the whole post: the product the thread names, the search
        keyword, a seller with confirmed sales, and a picture the text points to."""
        anchors = [] if products else list(context.anchors)
        pointers = [i for i in of(items, "picture_pointer") if i.field != "ocr"]
        if pointers:
            anchors += [_whole_post(p) for p in products if p.field == "ocr"]
        if context.has_history and not products and not anchors and any(of(items, k) for k in HIDDEN_PRODUCT):
            anchors.append(Item(WHOLE_POST, "seller_history", 0, 0, "", Span(0, 0, "", WHOLE_POST)))
        if not products and not anchors:
            anchors += [_whole_post(i) for i in self._unnamed_offer(items)]
        return anchors

    def _unnamed_offer(self, items: Bucketed) -> list[Item]:
        """Goods left unnamed on purpose: a seller who says it cannot be written (懂的来, 写了就被删)
        or a licensed shop that delivers (送货上门 is illegal for fireworks even with a licence),
        with two or more other kinds of offer evidence. Every crawled post was found by a
        firework keyword search; in a post that hides what it sells, that is what it sells."""
        kinds = {i.kind for k in UNNAMED_OFFER_KINDS for i in of(items, k) if i.strength == "strong"}
        if len(kinds) < 2:
            return []
        evasion = [i for i in of(items, "evasion") if i.strength == "strong"]
        licensed = of(items, "licensed_shop") if "delivery" in kinds else []
        return [i._replace(kind="unnamed_offer") for i in (evasion or licensed)]

    def _context_reasons(self, items: list[Item], products: list[Item], near: list[Item],
                         context: ContextEvidence, buying: bool) -> list[Reason]:
        reasons: list[Reason] = []
        if not products and context.thread_products:
            reasons.append(self._reason("thread_product", context.thread_products))
        elif not products and context.found_by:
            reasons.append(self._reason("found_by", context.found_by))
        kinds = near.by_kind
        if context.thread_label == "buy_request" and not buying and offers(kinds):
            reason = self._reason("reply_to_buyer", [])
            reason.spans = sorted(set(context.thread_buy))[:MAX_SPANS]
            reasons.append(reason)
        elif context.thread_label == "sale" and not buying and offers(kinds):
            reasons.append(self._reason("thread_sale", []))
        if context.has_history:
            reason = self._reason("seller_history", [], history_scale(context.history_count))
            reason.description += f"：{context.history_count} 条"
            reason.spans, reason.refs = context.history_spans[:MAX_SPANS], context.history_refs
            reasons.append(reason)
        if not products and not context.anchors:
            unnamed = self._unnamed_offer(items)
            if unnamed:
                reasons.append(self._reason("unnamed_offer", unnamed))
        pointers = [i for i in of(items, "picture_pointer") if i.field != "ocr"]
        ocr_products = [p for p in products if p.field == "ocr"] if pointers else []
        if ocr_products:
            reasons.append(self._reason("ocr_price_list", pointers + ocr_products))
        return reasons

    def _mentions(self, items: Bucketed) -> tuple[list[Item], list[Item]]:
        """Product mentions that stand for the product on offer, and look-alikes (classifiers/mentions.py)."""
        named = mentions.refused(of(items, "product") + of(items, "euphemism"), items)
        named = mentions.without_other_goods(named, items, self.lex.context_window)
        named, lookalike = mentions.lookalikes(named, items)
        return self._products(named, items), lookalike

    def _commerce(self, items: Bucketed, products: list[Item]) -> list[Item]:
        """Sale evidence candidates. In a report (news, police, a complaint) or a post quoting
        several slogans, wording inside quotation marks is the seller quoted, not an offer."""
        product_ends = {(p.field, p.end) for p in products}
        found = [i for kind in COMMERCE_KINDS + ("legal_alternative",) for i in of(items, kind)
                 if not _is_product_name(i, product_ends)]
        quoted = {i.term for i in found if i.quoted}
        reporting = any(i.group in REPORTING_GROUPS for i in of(items, "benign"))
        if quoted and (reporting or len(quoted) > 1):
            found = [i for i in found if not i.quoted]
        return found

    def _without_products(self, items: list[Item], lookalike: list[Item] = ()) -> Decision:
        """No product mention: a legal alternative, a post about fireworks in a fixed phrase
        (烟花易冷, 可以放烟花吗, 加特林机枪) which is benign, or nothing to do with fireworks."""
        legal = of(items, "legal_alternative") + list(lookalike)
        if legal:
            return Decision(0.0, False, "legal_alternative", [self._reason("legal_alternative", legal)])
        if any(i.mentions_product for i in of(items, "benign")):
            return Decision(0.0, False, "benign", self._benign_reasons(items))
        return Decision(0.0, False, "none", [])

    # -- evidence selection -------------------------------------------------------------------

    def _products(self, named: list[Item], items: list[Item]) -> list[Item]:
        """Product mentions among the ``named`` ones. Weak terms (小金鱼, 礼花) and needs_context
        euphemisms (小玩具) count only near a strong product, a production area, a shot count or
        season/discharge words."""
        strong = [i for i in named if i.kind == "product" and i.strength == "strong"]
        if any(of(items, k) for k in EXPLAINED_IMAGERY):   # LED烟花灯🎆, 像放烟花一样🎆
            strong = [i for i in strong if i.group != EMOJI_GROUP]
        strong += [i for i in named if i.kind == "euphemism" and not i.needs_context]
        strong += mentions.catalogue_lines(items)
        if of(items, "disguise"):   # 电子鞭炮 + 填充物/火药: the "legal" product is the cover
            strong += of(items, "legal_alternative")
        strong_ids = {id(i) for i in strong}
        weak = [i for i in named if id(i) not in strong_ids]
        if not weak:
            return strong
        shots = [q for q in of(items, "quantity") if q.term.endswith(mentions.SHOT_UNITS)]
        weak_spans = {i.span for i in weak}   # 噼里啪啦 is a weak name and a context word: not its own context
        context = [i for i in of(items, "euphemism_context") if i.span not in weak_spans]
        anchors = strong + context + of(items, "origin") + shots
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
        shots = [q for q in of(items, "quantity") if q.term.endswith(("发", "响"))]
        return self._near(seasonal, of(items, "season_context") + shots, self.lex.context_window)

    def _near(self, candidates: list[Item], anchors: list[Item], window: int | None = None) -> list[Item]:
        """The candidates within ``window`` characters of an anchor in the same field, or in
        either field when one of them is in the title (a title speaks for the whole post)."""
        if not anchors:
            return []
        if any(a.field in WHOLE_POST_FIELDS for a in anchors):
            return candidates
        w = window or self.lex.window
        starts: dict[str, list[int]] = {}
        for anchor in anchors:  # positions only compare within one field (text vs ocr)
            starts.setdefault(anchor.field, []).append(anchor.start)
        for positions in starts.values():
            positions.sort()
        return [i for i in candidates if i.field in WHOLE_POST_FIELDS or _within(starts.get(i.field, []), i.start, w)]

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
        catalogue = [p for p in products if p.kind == "catalogue"]
        reasons = []
        if strong or len({p.term for p in weak}) > 1:   # 烟火 + 礼花 together name the product
            reasons.append(self._reason("product", strong + weak))
        elif weak:
            reasons.append(self._reason("product_weak", weak))
        if euphemisms and not strong:
            reasons.append(self._reason("product_euphemism", euphemisms))
        if catalogue and not strong:
            reasons.append(self._reason("catalogue_line", catalogue))
        disguised = [p for p in products if p.disguised]
        if disguised:
            reasons.append(self._reason("product_disguised", disguised))
        if len({p.term for p in strong}) >= 2:
            reasons.append(self._reason("extra_products", strong))
        return reasons

    def _commerce_reasons(self, near: list[Item], products: list[Item]) -> list[Reason]:
        reasons = []
        contacts = of(near, "contact")
        for kind in ("origin", "sale_intent", "regulars", "evasion", "contact", "contact_cue", "price", "quantity",
                     "delivery", "picture_pointer"):
            found = of(near, kind)
            if not found or (kind == "contact_cue" and contacts):
                continue
            if kind == "price":
                found = _one_label_per_price([i for i in found if i.amount < self.lex.max_offer_price and (
                    i.strength == "strong" or _right_after(i, products + of(near, "quantity")))])
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
        places = of(items, "place")
        commerce = [i for i in near if i.kind in ("contact", "price", "delivery")
                    or (i.kind in ("sale_intent", "evasion", "contact_cue") and i.strength == "strong")]
        if not places or not commerce:
            return []
        reasons = [self._reason("jurisdiction", places)]
        if of(near, "delivery"):
            reasons.append(self._reason("jurisdiction_delivery", places + of(near, "delivery")))
        return reasons

    def _buy_reason(self, items: list[Item], near: list[Item], products: list[Item]) -> Reason | None:
        """Asking to buy, unless the post offers more than it asks (哪里买？找我！现货批发)."""
        if not of(items, "buy_request"):
            return None
        quoted = {f: sorted(q.end for q in of(items, "reported_question") if q.field == f)
                  for f in ("title", "text", "ocr")}
        buy = [b for b in self._near(of(items, "buy_request"), products, self.lex.context_window)
               if not _within(quoted[b.field], b.start - QUESTION_REACH // 2, QUESTION_REACH // 2)]
        offers = {i.term: i.strength for i in of(near, "sale_intent") + of(near, "evasion") + of(near, "regulars")}
        offered = sum(1.0 if s == "strong" else 0.4 for s in offers.values())
        if not buy or offered > len({i.term for i in buy}):
            return None
        return self._reason("buy_request", buy)

    def _legal_reasons(self, items: list[Item], lookalike: list[Item]) -> list[Reason]:
        legal = of(items, "legal_alternative") + lookalike
        if not legal:
            return []
        disguise = of(items, "disguise")
        if disguise:
            return [self._reason("disguise_legal", legal + disguise)]
        return [self._reason("legal_alternative", legal)]

    def _licensed_reason(self, items: list[Item], near: list[Item]) -> list[Reason]:
        licensed = of(items, "licensed_shop")
        if not licensed or any(d.strength == "strong" for d in of(near, "delivery")):
            return []
        return [self._reason("licensed_shop", licensed)]

    def _benign_reasons(self, items: list[Item], products: list[Item] | None = None) -> list[Reason]:
        """One reason per benign group found; groups scoped to the window count only near a
        product mention (a stray 涨价 in a long post does not make an offer a discussion)."""
        benign = of(items, "benign")
        if not benign:
            return []
        if products:
            windowed = self.lex.windowed_groups
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


def _one_label_per_price(prices: list[Item]) -> list[Item]:
    """88、88元一盒 is one price: the bare number takes the label of the reading with a unit."""
    labels = {}
    for p in prices:
        if "/" in p.term or p.amount not in labels:
            labels[p.amount] = p.term
    return [p._replace(term=labels[p.amount]) for p in prices]


def _whole_post(item: Item) -> Item:
    """The same evidence, as an anchor for the whole post (a picture the text points to)."""
    return item._replace(field=WHOLE_POST)


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
