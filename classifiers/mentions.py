"""Which product matches are real mentions of the product on offer, and which product
descriptions name no product word at all.

- Refused or listed as dangerous goods (不带烟花爆竹, 烟花爆竹等危险品不搬), denied (不是烟花), or a
  comparison (像放烟花一样): not on offer.
- A product word that describes other goods (烟花红包封面, 加特林泡泡机, 烟花美甲) is a look-alike.
- A production town standing in for the product (浏阳直发, 醴陵老厂) is the product, unless the
  post sells the town's other specialities (浏阳豆豉, 醴陵瓷器).
- A catalogue line — a shot count or calibre with a price (36发 45一箱, 1.5寸49发 128) — describes
  the product even when its name is a box name (满天星, 富贵牡丹) or left out.
"""

from __future__ import annotations

from classifiers.evidence import Item, of

SIMILE_REACH = 4     # 像 … 烟花: at most this many characters between
REFUSAL_REACH = 8    # 烟花爆竹 液化气不搬: a refusal after a short list of goods
SHOT_UNITS = ("发", "响", "寸", "连")
CATALOGUE_REACH = 12  # a price this close after a shot count is the price of that item


def refused(products: list[Item], items) -> list[Item]:
    """Drop products an ad refuses, lists as dangerous goods or packaging, denies, or compares
    something else to."""
    before = {(i.field, i.end + k) for i in of(items, "refused_before") for k in (0, 1)}
    before |= {(i.field, i.end + k) for i in of(items, "simile_before") for k in range(SIMILE_REACH + 1)}
    after = {(i.field, i.start - k) for i in of(items, "not_offered_after") for k in (0, 1)}
    # a refusal after other goods listed in between (not 烟花不收定金, where it is about payment)
    after |= {(i.field, i.start - k) for i in of(items, "refused_after") for k in range(2, REFUSAL_REACH + 1)}
    if not before and not after:
        return products
    return [p for p in products if (p.field, p.start) not in before and (p.field, p.end) not in after]


def lookalikes(products: list[Item], items) -> tuple[list[Item], list[Item]]:
    """Split products into real mentions and look-alikes: a product word right before the name
    of other goods (烟花红包封面, 加特林泡泡机) describes those goods. Look-alikes come back as
    legal-alternative evidence spanning the product word."""
    starts = {(i.field, i.start - k) for i in of(items, "lookalike_after") for k in (0, 1)}
    if not starts:
        return products, []
    kept = [p for p in products if (p.field, p.end) not in starts]
    alike = [p._replace(kind="legal_alternative") for p in products if (p.field, p.end) in starts]
    return kept, alike


def without_other_goods(products: list[Item], items, window: int) -> list[Item]:
    """A production town standing in for the product (浏阳直发) does not count when the post
    names the town's other specialities nearby (浏阳豆豉, 醴陵瓷器)."""
    goods = of(items, "origin_goods")
    if not goods:
        return products
    near = {(g.field, pos) for g in goods for pos in range(g.start - window, g.end + window)}
    return [p for p in products if p.group != "origin_standin" or (p.field, p.start) not in near]


def catalogue_lines(items) -> list[Item]:
    """Shot counts or calibres followed closely by a price, a stock claim, a number of boxes or
    a kind (满天星 36发 45一箱, 36发的 还剩20箱, 49发的组合, 138发扇形): each is the product, named
    or not. Two different specifications in one field, or a bang count in the ten thousands
    (十万响), are a catalogue too."""
    shots = [q for q in of(items, "quantity") if q.term.endswith(SHOT_UNITS)]
    if not shots:
        return []
    follow = of(items, "price") + of(items, "catalogue_kinds") + [
        i for i in of(items, "quantity") + of(items, "sale_intent")
        if i.group == "stock" or (i.kind == "quantity" and i.term.endswith(("箱", "盒")))]
    lines = [s for s in shots if any(f.field == s.field and 0 <= f.start - s.end <= CATALOGUE_REACH
                                     for f in follow) or s.term.endswith(("万响", "千响"))]
    by_field: dict[str, set[str]] = {}
    for s in shots:
        by_field.setdefault(s.field, set()).add(s.term)
    lines += [s for s in shots if len(by_field[s.field]) > 1 and s not in lines]
    return [s._replace(kind="catalogue", strength="strong") for s in lines]
