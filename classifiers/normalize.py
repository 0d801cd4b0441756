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
# Sentence punctuation (，。！？；：、) is kept: deleting it would join 抽烟，花钱 into 烟花 —
# except between lone characters (烟，花，爆，竹), which is a disguise, not two sentences.
# Title marks 《》 are kept too: 《烟花》 names a song or film.
SOFT_PUNCT = r"\s*·•．.\-_/\\|~^`'\"#@=×☆★♡♥♪◆◇○●□■△▲※()（）\[\]{}<>【】「」『』“”‘’—"
SPLIT_PUNCT = "，,、。.;；"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
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
        if len(self.seg_norm) == 1 and self.seg_identity[0]:
            return start, end   # nothing changed length: offsets are the same
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


# Common CJK punctuation left unfolded: folding ，！？：；（） on every post costs more than it
# helps (sentence punctuation is kept anyway; extraction patterns accept both widths).
UNFOLDED = set("，！？：；（）")
# Blocks where NFKC changes characters that matter here: ASCII and Latin (case, controls, tone
# marks),
# superscripts and letterlike symbols, enclosed and circled alphanumerics (①, ㈤), CJK
# radicals and compatibility ideographs, surrogates, full-width forms, mathematical letters.
FOLD_RANGES = [(0x0000, 0x0250), (0x1E00, 0x1F00), (0x2000, 0x2200), (0x2460, 0x2500), (0x2E80, 0x2FE0),
               (0x3000, 0x3040), (0x3190, 0x3400), (0xD800, 0xE000), (0xF900, 0xFB00),
               (0xFE10, 0xFE70), (0xFF00, 0xFFF0), (0x1D400, 0x1D800), (0x1F100, 0x1F200)]


@lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, str], str]:
    """One-to-one folds (width, case, controls, surrogates), and the characters whose NFKC form
    is longer than one character."""
    table: dict[int, str] = {}
    expanding: list[str] = []
    for cp in (cp for lo, hi in FOLD_RANGES for cp in range(lo, hi)):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            table[cp] = " "
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        if len(folded) == 1 and not folded.isascii():
            folded = _strip_accent(folded)   # pinyin with tone marks: yān huā → yan hua
        if folded == ch or ch in UNFOLDED:
            continue
        if len(folded) == 1:
            table[cp] = folded
        elif folded.strip() and not unicodedata.combining(folded[0]):
            expanding.append(ch)
    table[ord("İ")] = "i"
    return table, "".join(expanding)


def _strip_accent(ch: str) -> str:
    """A latin letter without its diacritics (ā → a, ǚ → u), else the character itself."""
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if base.isascii() and base.isalpha() else ch


def _ranges(code_points: list[int]) -> str:
    """A regex character-class body with consecutive code points merged into ranges."""
    merged: list[list[int]] = []
    for cp in code_points:
        if merged and merged[-1][1] == cp - 1:
            merged[-1][1] = cp
        else:
            merged.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in merged)


@lru_cache(maxsize=1)
def _fold_runs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of characters the one-to-one table changes: BMP and astral apart, because a class
    mixing both loses the regex engine's fast BMP lookup (0.9 µs vs 7 µs per post)."""
    table, _ = _fold_table()
    bmp = _ranges([cp for cp in sorted(table) if cp < 0x10000])
    astral = _ranges([cp for cp in sorted(table) if cp >= 0x10000])
    return re.compile(f"[{bmp}]+"), re.compile(f"[{astral}]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """Characters OpenCC changes on their own; text without any is left as it is."""
    convert = _t2s().convert
    block = "".join(chr(cp) for cp in range(0x3400, 0xA000))
    simplified = convert(block)
    if len(simplified) == len(block):
        changed = [ord(a) for a, b in zip(block, simplified) if a != b]
    else:
        changed = [ord(c) for c in block if convert(c) != c]
    return re.compile(f"[{_ranges(changed)}]")


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
        self._runs, self._astral_runs = _fold_runs()
        # Two compilations: most posts have no astral characters (emoji), and a pattern without
        # them runs several times faster.
        self._edits_bmp = self._compile_edits(expanding, astral=False)
        self._edits = self._compile_edits(expanding, astral=True)
        # Cheap scans that rule out every edit (most posts): a character that could be edited,
        # or punctuation between lone characters.
        bmp_keys = "".join(re.escape(k[0]) for k in self.emoji if k[0] <= "\uffff")
        decor = _class_without([r for r in EMOJI_RANGES if r[1] <= 0xFFFF], set())
        self._may_edit = re.compile(f"[{SOFT_PUNCT}{ZERO_WIDTH}{decor}{bmp_keys}"
                                    f"{re.escape(''.join(c for c in expanding if c <= chr(0xFFFF)))}]")
        self._may_split = re.compile(f"[{SPLIT_PUNCT}](?<=(?<![{CJK}])[{CJK}][{SPLIT_PUNCT}])(?=[{CJK}](?![{CJK}]))")

    def _compile_edits(self, expanding: str, astral: bool) -> re.Pattern[str]:
        keys = [k for k in self.emoji if astral or max(k) <= "\uffff"]
        ranges = [r for r in EMOJI_RANGES if astral or r[1] <= 0xFFFF]
        decor = _class_without(ranges, {k for k in keys if len(k) == 1})
        sep = f"[{SOFT_PUNCT}{ZERO_WIDTH}{decor}]+"
        obf = f"[{OBFUSCATORS}{ZERO_WIDTH}]+"
        emoji_alt = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) or "(?!)"
        expanding = "".join(c for c in expanding if astral or c <= "\uffff")
        return re.compile(
            f"(?P<emo>(?:{emoji_alt})[\ufe0e\ufe0f]?)"
            f"|(?<=[{CJK}])(?P<sep>{sep})(?=[{CJK}a-z])"
            f"|(?<=[a-z])(?P<sep2>{sep})(?=[{CJK}])"
            f"|(?<=[a-z])(?P<obf>{obf})(?=[a-z])"
            # 烟，花，爆，竹: single characters split by sentence punctuation are one word.
            f"|(?<=(?<![{CJK}])[{CJK}])(?P<split>[{SPLIT_PUNCT}])(?=[{CJK}](?![{CJK}]))"
            f"|(?P<zw>[{ZERO_WIDTH}]+)"
            + (f"|(?P<exp>[{re.escape(expanding)}])" if expanding else "")
        )

    def __call__(self, text: str) -> Normalised:
        folded = self._fold(text)
        astral = _ASTRAL.search(folded) is not None
        if not astral and not self._may_edit.search(folded) and not self._may_split.search(folded):
            return Normalised(text, folded, [0], [0], [len(folded)], [True])   # nothing to edit
        pieces: list[str] = []
        seg_norm: list[int] = []
        seg_orig: list[int] = []
        seg_end: list[int] = []
        seg_identity: list[bool] = []
        pos = out = 0
        for m in (self._edits if astral else self._edits_bmp).finditer(folded):
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
        table = self._table
        folded = self._runs.sub(lambda m: m.group().translate(table), text)
        if _ASTRAL.search(folded):
            folded = self._astral_runs.sub(lambda m: m.group().translate(table), folded)
        if not _traditional().search(folded):
            return folded   # already simplified: OpenCC would return it unchanged
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
