"""Chinese numerals to numbers (一百二十 → 120, 两千五 → 2500), for prices written in words."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def parse_chinese_number(text: str) -> float | None:
    """The value of a Chinese numeral, or None when ``text`` is not one."""
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        return None
    if all(c in DIGITS for c in text) and len(text) > 1:
        return float("".join(str(DIGITS[c]) for c in text))   # 一二八 read digit by digit
    total, section, digit = 0, 0, None
    last_unit = 1
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            if digit == 0:
                last_unit = 1  # 一千零五: the digit after 零 is a unit digit
            continue
        unit = UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit, last_unit = 0, None, 10000
            continue
        else:
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit is not None:
        # 两千五 means 2500: a trailing digit after a unit counts one place lower.
        section += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return float(total + section)
