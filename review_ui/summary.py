"""The XLSX summary for the 工作总结: one sheet per dashboard table, headers in Chinese.

Each table is a pandas DataFrame written with openpyxl, so a sheet is its columns and rows and
nothing else; crawled text that starts like a formula is written as text."""

from __future__ import annotations

from io import BytesIO

import pandas as pd

from firewatch.core import labels
from firewatch.core.stats import Dashboard

DECISION_COLUMNS = ("confirm", "dismiss", "escalate", "refer", "approve", "note")
FORMULA_STARTS = ("=", "+", "-", "@")
COLUMN_WIDTH = 18


def as_text(value):
    """A cell that starts with = would be a formula when opened: crawled text must stay text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def summary_tables(board: Dashboard, unit: str = "") -> dict[str, pd.DataFrame]:
    """The summary's sheets by name, in order."""
    period = f"{board.period.start.isoformat()} 至 {board.period.end.isoformat()}"
    overview = [["单位", unit], ["统计期间", period], ["发现疑似销售帖子", board.totals.get("flagged", 0)],
                *([labels.DECISION[d], board.totals.get(d, 0)] for d in DECISION_COLUMNS)]
    zone = board.period.zone
    return {
        "概况": pd.DataFrame(overview, columns=["项目", "数值"]),
        "每日": pd.DataFrame(board.per_day, columns=["日期", "发现数"]),
        "平台": pd.DataFrame([[labels.platform_name(p), n] for p, n in board.per_platform], columns=["平台", "发现数"]),
        "区域": pd.DataFrame(board.per_district, columns=["区域", "发现数"]),
        "人员": pd.DataFrame([[name, *(counts.get(d, 0) for d in DECISION_COLUMNS)] for name, counts in board.per_officer],
                           columns=["人员", *(labels.DECISION[d] for d in DECISION_COLUMNS)]),
        "规则": pd.DataFrame([[r.rule, r.description, r.confirmed, r.dismissed, round(r.dismiss_rate, 3)]
                            for r in board.rules], columns=["规则", "说明", "确认", "排除", "排除率"]),
        "来源": pd.DataFrame([[h.source, labels.platform_name(h.platform),
                             h.last_run_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if h.last_run_at else "",
                             labels.RUN_STATUS.get(h.last_status, h.last_status), h.message, h.problem]
                            for h in board.sources], columns=["来源", "平台", "最近运行", "状态", "说明", "需处理"]),
    }


def summary_workbook(board: Dashboard, unit: str = "") -> bytes:
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in summary_tables(board, unit).items():
            table.map(as_text).to_excel(writer, sheet_name=name, index=False)
            for column in writer.sheets[name].columns:
                writer.sheets[name].column_dimensions[column[0].column_letter].width = COLUMN_WIDTH
    return buffer.getvalue()
