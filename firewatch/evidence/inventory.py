"""The 电子数据清单 (list of electronic data): category, format, size and SHA-256 of each file.

The same rows go into the 笔录 PDF and into an XLSX workbook. The first sheet is a plain table
(one header row, no blank rows) so that any spreadsheet or data-package reader can load it.
"""

from __future__ import annotations

from io import BytesIO

from firewatch.evidence.wacz import Member

HEADERS = ("序号", "文件名", "类别", "文件格式", "大小（字节）", "SHA-256 完整性校验值", "说明")


def inventory_rows(members: list[Member]) -> list[tuple]:
    return [(number, m.path, m.category, m.fmt, m.size, m.sha256, m.description)
            for number, m in enumerate(members, start=1)]


def inventory_xlsx(members: list[Member], case_info: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "电子数据清单"
    sheet.append(HEADERS)
    for row in inventory_rows(members):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (6, 44, 16, 18, 12, 68, 40)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[6].alignment = Alignment(wrap_text=True)
    info = workbook.create_sheet("案件信息")
    info.append(("项目", "内容"))
    for label, value in case_info:
        info.append((label, value))
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
