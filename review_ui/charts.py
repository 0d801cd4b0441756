"""Charts as server-rendered inline SVG: no script, no external library, every label escaped.
Colours come from SVG presentation attributes, which the strict CSP allows (no inline styles)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#b42318"
BAR_SOFT = "#9ca3af"
TEXT = "#374151"
GRID = "#e5e7eb"
FONT = 'font-size="14" fill="#374151"'


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def columns(series: list[tuple[str, int]], title: str, width: int = 460, height: int = 220) -> Markup:
    """Vertical columns, e.g. flagged posts per day; labels thinned so they never overlap."""
    top = max((value for _, value in series), default=0) or 1
    plot_h, left, bottom = height - 44, 40, height - 24
    step = (width - left - 6) / max(len(series), 1)
    every = max(1, round(len(series) / 7))
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - 4}" y2="{bottom}" stroke="{GRID}"/>',
            f'<text x="{left - 6}" y="{bottom - plot_h + 10}" text-anchor="end" {FONT}>{top}</text>',
            f'<text x="{left - 6}" y="{bottom}" text-anchor="end" {FONT}>0</text>']
    for index, (label, value) in enumerate(series):
        bar_h = plot_h * value / top
        x = left + index * step
        body.append(f'<rect x="{x + step * 0.15:.1f}" y="{bottom - bar_h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{BAR}"><title>{escape(label)}：{value}</title></rect>')
        if index % every == 0:
            body.append(f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle" {FONT}>'
                        f'{escape(label[5:] if len(label) == 10 else label)}</text>')
    return _svg(width, height, body, title)


def bars(items: list[tuple[str, int]], title: str, width: int = 460, limit: int = 12) -> Markup:
    """Horizontal bars with the value printed at the end, largest first."""
    items = items[:limit]
    top = max((value for _, value in items), default=0) or 1
    row, label_w = 28, 96
    height = row * max(len(items), 1) + 8
    body = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        bar_w = (width - label_w - 60) * value / top
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" {FONT}>'
                    f'{escape(label[:10])}</text>'
                    f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="16" rx="3" fill="{BAR}"/>'
                    f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 16}" {FONT}>{value}</text>')
    if not items:
        body.append(f'<text x="8" y="20" {FONT}>暂无数据</text>')
    return _svg(width, height, body, title)


def split_bars(items: list[tuple[str, int, int]], title: str, width: int = 460) -> Markup:
    """One 100% bar per row: confirmed (dark) against dismissed (grey), with both counts."""
    row, label_w = 28, 170
    height = row * max(len(items), 1) + 8
    body = []
    for index, (label, confirmed, dismissed) in enumerate(items):
        y, total = 4 + index * row, (confirmed + dismissed) or 1
        span = width - label_w - 90
        ok_w = span * confirmed / total
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" {FONT}>'
                    f'{escape(label[:14])}</text>'
                    f'<rect x="{label_w}" y="{y + 4}" width="{ok_w:.1f}" height="16" fill="{BAR}"/>'
                    f'<rect x="{label_w + ok_w:.1f}" y="{y + 4}" width="{span - ok_w:.1f}" height="16" '
                    f'fill="{BAR_SOFT}"/>'
                    f'<text x="{label_w + span + 6}" y="{y + 16}" {FONT}>{confirmed} / {dismissed}</text>')
    if not items:
        body.append(f'<text x="8" y="20" {FONT}>暂无已处理的帖子</text>')
    return _svg(width, height, body, title)
