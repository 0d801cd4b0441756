"""Pull seller contacts, prices and quantities out of normalised text. Positions are in the
normalised text; the classifier maps them back to the original for display."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.numerals import NUMERAL_CHARS, parse_chinese_number

# Chinese digits become ASCII digits one for one (offsets unchanged) so 一三八… is a phone too.
_DIGIT_TABLE = str.maketrans("零〇一幺二两三四五六七八九", "0011223456789")
_GAP = r"[\s\-.·]?"
PHONE = re.compile(rf"(?<![0-9])(1[3-9](?:{_GAP}[0-9]){{9}})(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])(0519[\s\-)]?[1-9][0-9]{6,7})(?![0-9])|(?<![0-9])\(0519\)\s?([1-9][0-9]{6,7})(?![0-9])")
WECHAT = re.compile(
    r"(?:微信号?|v信|威信|薇信|卫星|薇|vx|wx|(?<![a-z])v|加v|\+v)"
    r"\s*(?:号|号码|id)?\s*[:：是为]?\s*([a-z][-_a-z0-9]{5,19}|1[3-9][0-9]{9})(?![-_a-z0-9])"
)
QQ = re.compile(r"(?:qq|扣扣|企鹅|加q|\+q|(?<![a-z])q)\s*(?:号|群)?\s*[:：是为]?\s*([1-9][0-9]{4,10})(?![0-9])")
SAME_NUMBER = re.compile(r"同号|微信同|同微信|v同|同v")
HOTLINE = re.compile(r"举报|报警|热线|监督电话|投诉")
# Cheap pre-checks: most posts have no digits and no contact cue, so skip the full patterns.
_CN_DIGIT_RUN = re.compile(r"[零〇一幺二两三四五六七八九]{7,}")
_MAY_HAVE_CONTACT = re.compile(r"[0-9]|[a-z]{2}|微|薇|威|卫|扣|企鹅|[零〇一幺二两三四五六七八九]{7}")
_MAY_HAVE_PRICE = re.compile(r"[0-9¥]|rmb|[元块米]|只要|仅需|仅要|特价|售价|单价|一口价|现价|到手价")
_MAY_HAVE_QUANTITY = re.compile(r"[发响寸箱连]")
_MAY_HAVE_STOCK = re.compile(r"还有|剩|还在")

_NUM = rf"(?:[0-9]+(?:\.[0-9]+)?|[{NUMERAL_CHARS}]+)"
_UNIT = r"箱|件|盒|挂|封|支|筒|套|发|个|份|组|提|卷|饼|根|包|袋|只|捆|串|板|对|桶|车"
_PER = rf"\s*(?:/|每|一|1)?\s*({_UNIT})"
PRICE = re.compile(
    rf"(?:¥|rmb)\s*([0-9]+(?:\.[0-9]+)?)(?:{_PER})?"
    rf"|({_NUM})\s*(元|块钱|块|米|rmb|r(?![a-z]))(?!宵|旦|素|气|首|老|帅|复始|月|年|代|器)(?:{_PER})?"
    rf"|([0-9]+(?:\.[0-9]+)?)\s*/\s*({_UNIT})"
    rf"|(?:一|每)({_UNIT})\s*({_NUM})\s*(?:元|块钱|块|米)?(?![0-9{NUMERAL_CHARS}发响寸天点分年月号岁人次多万斤根片张粒颗瓶罐把{_UNIT}])"
    rf"|(?<=[0-9]发|[0-9]响)\s*([0-9]{{2,4}})(?![0-9.]|\s*(?:/|发|响|寸|箱|个|元|块|米|[一每]\s*(?:{_UNIT})))"
    rf"|(?:只要|仅需|仅要|特价|售价|单价|一口价|现价|到手价)\s*({_NUM})(?![0-9{NUMERAL_CHARS}])(?!\s*(?:发|响|寸|箱|个|天|点|分|年|月|号|岁|人|次|多|万))"
    rf"|(?<![0-9.])([0-9]{{2,5}})\s*(?:一|每)\s*({_UNIT})(?![0-9{NUMERAL_CHARS}])"
)
QUANTITY = re.compile(rf"(?:[0-9]+(?:\.[0-9]+)?|[{NUMERAL_CHARS}]+)\s*(?:发(?![货送出布生现票动给]|全国)|响|寸|箱|连(?=发|珠|响|$|[\s,，、/]))")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str
    value: str = ""
    amount: float = 0.0


def contacts(text: str) -> list[Found]:
    """Phone numbers (mobile, 0519 landline), WeChat IDs and QQ numbers; hotline numbers in
    reporting context (举报电话 …) are not seller contacts."""
    if not _MAY_HAVE_CONTACT.search(text):
        return []
    digits = text.translate(_DIGIT_TABLE) if _CN_DIGIT_RUN.search(text) else text
    found: list[Found] = []
    for m in PHONE.finditer(digits):
        if _hotline(text, m.start()):
            continue
        value = re.sub(r"[^0-9]", "", m.group(1))
        found.append(Found(m.start(), m.end(), "phone", value))
        if SAME_NUMBER.search(text, max(0, m.start() - 12), m.start()):
            found.append(Found(m.start(), m.end(), "wechat", value))
    mobiles = [(f.start, f.end) for f in found]
    for m in LANDLINE.finditer(digits):
        inside_mobile = any(s < m.end() and m.start() < e for s, e in mobiles)   # 139 0519 2233
        if not inside_mobile and not _hotline(text, m.start()):
            found.append(Found(m.start(), m.end(), "phone", re.sub(r"[^0-9]", "", m.group())))
    for m in WECHAT.finditer(text):
        found.append(Found(m.start(), m.end(), "wechat", m.group(1)))
    for m in QQ.finditer(text):
        found.append(Found(m.start(), m.end(), "qq", m.group(1)))
    return sorted(set(found), key=lambda f: (f.start, f.kind))


def _hotline(text: str, start: int) -> bool:
    return HOTLINE.search(text, max(0, start - 10), start) is not None


def prices(text: str) -> list[Found]:
    """Prices with their unit: 100元/箱, ¥88, 两百米一箱 (米 is slang for 元 and only counts with
    a per-item unit), 50/盒. Chinese numerals before 块 or 米 need a unit (一块去 is "together")."""
    found: list[Found] = []
    if not _MAY_HAVE_PRICE.search(text):
        return found
    for m in PRICE.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in "几数":   # 几十元, 数百元: vague, not an offer
            continue
        if m.group(1) is not None:
            amount, currency, unit = float(m.group(1)), "元", m.group(2)
        elif m.group(3) is not None:
            amount, currency, unit = _amount(m.group(3)), m.group(4), m.group(5)
            if currency in ("米", "块", "r") and unit is None and not m.group(3)[0].isdigit():
                continue
        elif m.group(6) is not None:
            amount, currency, unit = float(m.group(6)), "元", m.group(7)
        elif m.group(8) is not None:   # 一盒五块: unit first, then the price
            amount, currency, unit = _amount(m.group(9)), "元", m.group(8)
        elif m.group(10) is not None:  # 36发88: a price right after a shot count
            amount, currency, unit = float(m.group(10)), "元", None
        elif m.group(11) is not None:
            amount, currency, unit = _amount(m.group(11)), "元", None
        else:                          # 45一箱: price lists leave out the currency
            amount, currency, unit = float(m.group(12)), "元", m.group(13)
        if amount is None or amount <= 0:
            continue
        label = "元" + (f"/{unit}" if unit else "")
        # 88米 alone may be metres: it counts only right after a product name (rules.py).
        kind = "price_near" if currency == "米" and unit is None else "price"
        start, end = _trimmed(text, m.start(), m.end())
        found.append(Found(start, end, kind, label, amount))
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Match bounds without the spaces the patterns allow around numbers (36发 88 → "88")."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


STOCK = re.compile(rf"(?:还有|还剩|只剩|就剩|仅剩|剩下?|还在的?)\s*(?:最后)?\s*({_NUM}\s*(?:{_UNIT}))")


def stock_claims(text: str) -> list[Found]:
    """A seller's stock claim (还有两箱, 只剩三盒, 还剩最后5箱): a reply that is only this
    answers a buyer under a sale post."""
    if not _MAY_HAVE_STOCK.search(text):
        return []
    return [Found(m.start(), m.end(), "stock", m.group()) for m in STOCK.finditer(text)]


def _amount(number: str) -> float | None:
    if number[0].isdigit():
        return float(number)
    return parse_chinese_number(number)


def quantities(text: str) -> list[Found]:
    """Product specifications: 36发, 一万响, 5寸, 10箱."""
    if not _MAY_HAVE_QUANTITY.search(text):
        return []
    return [Found(m.start(), m.end(), "quantity", m.group()) for m in QUANTITY.finditer(text)]
