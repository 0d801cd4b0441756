"""Word boundaries from jieba, consulted only around candidate product matches.

The automaton finds 烟花 anywhere, including inside 烟花易冷 or across words (我抽烟花钱 is
抽烟 + 花钱). jieba, with a user dictionary built from the lexicon and HMM off (deterministic),
decides whether the match is a word in its context. Segmenting a few characters around each
candidate instead of every post is what keeps the classifier faster than jieba alone.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import jieba

MARGIN = 6  # characters of context on each side of a candidate


class BoundaryChecker:
    """Answers "is text[start:end] a word here?" with a private jieba tokenizer."""

    def __init__(self, words: list[str]):
        self._words = sorted({w for w in words if len(w) > 1 and _is_han(w)})
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()   # the crawler classifies from worker threads
        self._cut = lru_cache(maxsize=20000)(self._cut_uncached)

    def warm_up(self) -> None:
        """Load jieba's dictionary now rather than on the first candidate."""
        self._ensure()

    def _ensure(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for word in self._words:
                        tokenizer.add_word(word)
                    self._tokenizer = tokenizer
        return self._tokenizer

    def _cut_uncached(self, window: str) -> tuple[int, ...]:
        """Token boundary offsets within ``window``."""
        bounds = [0]
        for token in self._ensure().cut(window, HMM=False):
            bounds.append(bounds[-1] + len(token))
        return tuple(bounds)

    def tokens(self, text: str) -> list[str]:
        """The whole text segmented by the same deterministic tokenizer (HMM off)."""
        return list(self._ensure().cut(text, HMM=False))

    def is_word(self, text: str, start: int, end: int) -> bool:
        """False when a token crosses either edge of text[start:end] (so the match straddles
        two words); a single character must be a whole token by itself."""
        if (start == 0 or not _is_han_char(text[start - 1])) and (end == len(text) or not _is_han_char(text[end])):
            return True   # no Chinese character on either side: nothing can straddle the edges
        lo, hi = max(0, start - MARGIN), min(len(text), end + MARGIN)
        bounds = self._cut(text[lo:hi])
        s, e = start - lo, end - lo
        if e - s == 1:
            return s in bounds and e in bounds
        for a, b in zip(bounds, bounds[1:]):
            if a < s < b or a < e < b:
                return False
        return True


def _is_han_char(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _is_han(word: str) -> bool:
    return all(_is_han_char(c) for c in word)
