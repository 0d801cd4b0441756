"""The XLSX summary for the 工作总结: one sheet per dashboard table, headers in Chinese."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from firewatch.core import labels
from firewatch.core.stats import Dashboard

DECISION_COLUMNS = ("confirm", "dismiss", "escalate", "refer", "approve", "note")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for index, _ in enumerate(header):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18


def _cell(value):
    # A cell that starts with = would be a formula when opened: crawled text must stay text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def summary_workbook(board: Dashboard, unit: str = "") -> bytes:
    book = Workbook()
    overview = book.active
    overview.title = "概况"
    period = f"{board.period.start.isoformat()} 至 {board.period.end.isoformat()}"
    for row in (["单位", unit], ["统计期间", period], ["发现疑似销售帖子", board.totals.get("flagged", 0)],
                *([labels.DECISION[d], board.totals.get(d, 0)] for d in DECISION_COLUMNS)):
        overview.append(row)
    overview.column_dimensions["A"].width = 22
    overview.column_dimensions["B"].width = 30
    _sheet(book, "每日", ["日期", "发现数"], [list(r) for r in board.per_day])
    _sheet(book, "平台", ["平台", "发现数"], [[labels.platform_name(p), n] for p, n in board.per_platform])
    _sheet(book, "区域", ["区域", "发现数"], [list(r) for r in board.per_district])
    _sheet(book, "人员", ["人员", *(labels.DECISION[d] for d in DECISION_COLUMNS)],
           [[name, *(counts.get(d, 0) for d in DECISION_COLUMNS)] for name, counts in board.per_officer])
    _sheet(book, "规则", ["规则", "说明", "确认", "排除", "排除率"],
           [[r.rule, r.description, r.confirmed, r.dismissed, round(r.dismiss_rate, 3)] for r in board.rules])
    _sheet(book, "来源", ["来源", "平台", "最近运行", "状态", "说明"],
           [[s.name, labels.platform_name(s.platform),
             run.started_at.astimezone(board.period.zone).strftime("%Y-%m-%d %H:%M") if run else "",
             labels.RUN_STATUS.get(run.status, run.status) if run else "从未运行", run.message if run else ""]
            for s, run in board.sources])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
