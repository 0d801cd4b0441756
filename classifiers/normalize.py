"""Normalise a post for matching and keep a map back to the original characters.

Steps: one-to-one character folding (NFKC width, case, control characters, lone surrogates),
OpenCC traditional → simplified, then edits that change length (NFKC expansions such as ㈤,
emoji → words, deleting zero-width characters and separators between CJK/latin characters, so
烟*花, 烟 花 and 鞭/炮 match). Every normalised character knows which original characters it
came from, so a match can be highlighted in the text the officer sees.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import opencc

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
ZERO_WIDTH = "\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe0e\ufe0f"
# Characters sellers put between the characters of a word. "+" is kept: it means 加 (+v).
# Sentence punctuation (，。！？；：、) is kept: deleting it would join 抽烟，花钱 into 烟花.
# Title marks 《》 are kept too: 《烟花》 names a song or film.
SOFT_PUNCT = r"\s*·•．.\-_/\\|~^`'\"#@=×☆★♡♥♪◆◇○●□■△▲※()\[\]{}<>【】「」『』“”‘’—"
OBFUSCATORS = r"*·•．.~^`'#@=×☆★♡♥♪◆◇○●□■△▲※"
EMOJI_RANGES = [(0x1F300, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1F2FF)]


@dataclass
class Normalised:
    """Normalised text plus the piecewise map from its characters to the original string."""

    original: str
    text: str
    # Segment i covers text[seg_norm[i]:seg_norm[i+1]] and came from original[seg_orig[i]:seg_end[i]];
    # identity segments map character for character, replacement segments map as a whole.
    seg_norm: list[int]
    seg_orig: list[int]
    seg_end: list[int]
    seg_identity: list[bool]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) covering normalised text[start:end]."""
        if end <= start:
            end = start + 1
        return self._orig_start(start), self._orig_end(end - 1)

    def _segment(self, index: int) -> int:
        return max(0, bisect_right(self.seg_norm, index) - 1)

    def _orig_start(self, index: int) -> int:
        seg = self._segment(index)
        if self.seg_identity[seg]:
            return self.seg_orig[seg] + (index - self.seg_norm[seg])
        return self.seg_orig[seg]

    def _orig_end(self, index: int) -> int:
        seg = self._segment(index)
        if self.seg_identity[seg]:
            return self.seg_orig[seg] + (index - self.seg_norm[seg]) + 1
        return self.seg_end[seg]


@lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, str], str]:
    """One-to-one folds for str.translate, and the characters whose NFKC form is longer."""
    table: dict[int, str] = {}
    expanding: list[str] = []
    for cp in list(range(0x10000)) + list(range(0x1D400, 0x1D800)):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            table[cp] = " "
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        if folded == ch:
            continue
        if len(folded) == 1:
            table[cp] = folded
        elif folded.strip() and not unicodedata.combining(folded[0]):
            expanding.append(ch)
    table.update({ord("İ"): "i"})
    return table, "".join(expanding)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _class_without(ranges: list[tuple[int, int]], exclude: set[str]) -> str:
    """A regex character class body for code-point ranges minus some characters."""
    parts: list[str] = []
    for lo, hi in ranges:
        start = lo
        for cp in sorted(ord(c) for c in exclude if lo <= ord(c) <= hi):
            if start <= cp - 1:
                parts.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = cp + 1
        if start <= hi:
            parts.append(f"{re.escape(chr(start))}-{re.escape(chr(hi))}")
    return "".join(parts)


class Normaliser:
    """Normalises strings with a given emoji → word table (from the lexicon)."""

    def __init__(self, emoji: dict[str, str]):
        self.emoji = {k: v.lower() for k, v in emoji.items() if k}
        table, expanding = _fold_table()
        self._table = table
        single_emoji = {k for k in self.emoji if len(k) == 1}
        decor = _class_without(EMOJI_RANGES, single_emoji)
        sep = f"[{SOFT_PUNCT}{ZERO_WIDTH}{decor}]+"
        obf = f"[{OBFUSCATORS}{ZERO_WIDTH}]+"
        emoji_alt = "|".join(re.escape(k) for k in sorted(self.emoji, key=len, reverse=True)) or "(?!)"
        self._edits = re.compile(
            f"(?P<emo>(?:{emoji_alt})[\ufe0e\ufe0f]?)"
            f"|(?<=[{CJK}])(?P<sep>{sep})(?=[{CJK}a-z])"
            f"|(?<=[a-z])(?P<sep2>{sep})(?=[{CJK}])"
            f"|(?<=[a-z])(?P<obf>{obf})(?=[a-z])"
            f"|(?P<zw>[{ZERO_WIDTH}]+)"
            + (f"|(?P<exp>[{re.escape(expanding)}])" if expanding else "")
        )

    def __call__(self, text: str) -> Normalised:
        folded = self._fold(text)
        pieces: list[str] = []
        seg_norm: list[int] = []
        seg_orig: list[int] = []
        seg_end: list[int] = []
        seg_identity: list[bool] = []
        pos = out = 0
        for m in self._edits.finditer(folded):
            if m.start() > pos:
                seg_norm.append(out); seg_orig.append(pos); seg_end.append(m.start()); seg_identity.append(True)
                pieces.append(folded[pos:m.start()])
                out += m.start() - pos
            replacement = self._replacement(m)
            if replacement:
                seg_norm.append(out); seg_orig.append(m.start()); seg_end.append(m.end()); seg_identity.append(False)
                pieces.append(replacement)
                out += len(replacement)
            pos = m.end()
        if pos < len(folded) or not seg_norm:
            seg_norm.append(out); seg_orig.append(pos); seg_end.append(len(folded)); seg_identity.append(True)
            pieces.append(folded[pos:])
        return Normalised(text, "".join(pieces), seg_norm, seg_orig, seg_end, seg_identity)

    def _fold(self, text: str) -> str:
        """Length-preserving folds: width, case, controls, surrogates, traditional → simplified."""
        folded = text.translate(self._table)
        simplified = _t2s().convert(folded)
        if len(simplified) == len(folded):
            return simplified
        return "".join(c if len(s := _t2s().convert(c)) != 1 else s for c in folded)

    def _replacement(self, m: re.Match[str]) -> str:
        kind = m.lastgroup
        if kind == "emo":
            return self.emoji.get(m.group("emo").rstrip("\ufe0e\ufe0f"), "")
        if kind == "exp":
            return unicodedata.normalize("NFKC", m.group()).lower()
        return ""
