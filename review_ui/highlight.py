"""Matched spans highlighted in crawled text, safely: the text is sliced at the classifier's
offsets (which index the ORIGINAL text) and every slice is escaped before any markup is added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


@dataclass
class Span:
    start: int
    end: int
    rule: str


@dataclass
class Highlighted:
    html: Markup
    skipped: int  # spans that did not fit the text (stale classification or bad offsets)


def spans_for(reasons: list[dict[str, Any]], field: str, text: str) -> tuple[list[Span], int]:
    """The valid spans of ``field`` in ``text``; a span whose quoted text differs is skipped."""
    found, skipped = [], 0
    for reason in reasons:
        label = str(reason.get("description") or reason.get("rule") or "")
        for span in reason.get("spans") or []:
            if (span.get("field") or "text") != field:
                continue
            start, end = span.get("start"), span.get("end")
            fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            if not fits or span.get("text") not in (None, text[start:end]):
                skipped += 1
            else:
                found.append(Span(start, end, label))
    return found, skipped


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined into one, their rule names listed together."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        last = merged[-1] if merged else None
        if last is not None and span.start < last.end:
            last.end = max(last.end, span.end)
            if span.rule and span.rule not in last.rule.split("；"):
                last.rule = f"{last.rule}；{span.rule}" if last.rule else span.rule
        else:
            merged.append(Span(span.start, span.end, span.rule))
    return merged


def highlight(text: str, reasons: list[dict[str, Any]], field: str) -> Highlighted:
    """``text`` as escaped HTML with each matched span wrapped in ``<mark>``."""
    spans, skipped = spans_for(reasons, field, text)
    parts: list[str] = []
    position = 0
    for span in merge(spans):
        parts.append(str(escape(text[position:span.start])))
        parts.append(f'<mark title="{escape(span.rule)}">{escape(text[span.start:span.end])}</mark>')
        position = span.end
    parts.append(str(escape(text[position:])))
    return Highlighted(Markup("".join(parts)), skipped)
