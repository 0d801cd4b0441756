"""Render the 电子数据提取笔录 as a PDF in Chinese (reportlab).

The font is a CJK TrueType embedded in the PDF (default: WenQuanYi Zen Hei from Debian's
fonts-wqy-zenhei; the ``pdf_font`` setting overrides it). Without it, reportlab's built-in
STSong-Light CID font is used: correct text, but the reader must supply the glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from firewatch.evidence.inventory import HEADERS, inventory_rows
from firewatch.evidence.wacz import Member

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FALLBACK_FONT = "STSong-Light"
FRAME_WIDTH = A4[0] - 36 * mm
SLICE_HEIGHT = 110 * mm
MAX_SLICES = 10


@dataclass
class PostSection:
    heading: str
    details: list[tuple[str, str]]
    entry_steps: list[str]
    screenshot: bytes | None = None
    screenshot_note: str = ""


@dataclass
class RecordContent:
    title: str
    case_info: list[tuple[str, str]]
    posts: list[PostSection]
    members: list[Member]
    integrity: list[tuple[str, str]]
    public_key_pem: str
    signature_lines: list[str] = field(default_factory=list)
    footer: str = ""


def font_name(font_path: str | None = None) -> str:
    """Register the CJK font once; returns the name to use in styles."""
    path = font_path or DEFAULT_FONT  # the pdf_font setting arrives as font_path
    name = f"FW-{Path(path).stem}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if Path(path).is_file():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        return name
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def render_record(content: RecordContent, font_path: str | None = None) -> bytes:
    font = font_name(font_path)
    styles = _styles(font)
    story = [Paragraph(escape(content.title), styles["title"]), _pairs(content.case_info, styles)]
    story.append(Paragraph("一、提取对象、进入步骤及截图", styles["h1"]))
    for section in content.posts:
        story.extend(_post(section, styles))
    story.append(PageBreak())
    story.append(Paragraph("二、电子数据清单", styles["h1"]))
    story.append(_inventory(content.members, styles))
    story.append(Paragraph("三、完整性校验与签名", styles["h1"]))
    story.append(_pairs(content.integrity, styles))
    story.append(Paragraph(escape(content.public_key_pem).replace("\n", "<br/>"), styles["mono"]))
    story.append(Paragraph("四、签名", styles["h1"]))
    story.extend(Paragraph(escape(line), styles["sign"]) for line in content.signature_lines)
    out = BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=18 * mm, title=content.title,
                                 author="firewatch", subject=content.footer)
    document.build(story, onFirstPage=_footer(font, content.footer),
                   onLaterPages=_footer(font, content.footer))
    return out.getvalue()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13, leading=20, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11, leading=17, spaceBefore=8, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9),
        "mono": ParagraphStyle("mono", parent=base, fontSize=7.5, leading=9.5),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=30),
    }


def _pairs(rows: list[tuple[str, str]], styles):
    if not rows:
        return Spacer(1, 2 * mm)
    data = [[Paragraph(escape(label), styles["body"]), Paragraph(_text(value), styles["body"])]
            for label, value in rows]
    table = Table(data, colWidths=[38 * mm, FRAME_WIDTH - 38 * mm])
    table.setStyle(_grid())
    return table


def _text(value: str) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _post(section: PostSection, styles) -> list:
    parts = [Paragraph(escape(section.heading), styles["h2"]), _pairs(section.details, styles)]
    steps = "<br/>".join(f"{n}. {escape(step)}" for n, step in enumerate(section.entry_steps, 1))
    parts.append(_pairs([("进入步骤", "")], styles) if not steps else
                 Table([[Paragraph("进入步骤", styles["body"]), Paragraph(steps, styles["body"])]],
                       colWidths=[38 * mm, FRAME_WIDTH - 38 * mm], style=_grid()))
    parts.append(Spacer(1, 4 * mm))
    if section.screenshot:
        parts.append(Paragraph(escape(f"网页截图（{section.heading}）"), styles["body"]))
        parts.extend(_screenshot_slices(section.screenshot))
    if section.screenshot_note:
        parts.append(Paragraph(escape(section.screenshot_note), styles["body"]))
    return parts


def _screenshot_slices(png: bytes) -> list[Image]:
    """The full-page screenshot, scaled to the page width and cut into page-high slices."""
    from PIL import Image as PILImage

    picture = PILImage.open(BytesIO(png))
    scale = FRAME_WIDTH / picture.width
    step = max(1, int(SLICE_HEIGHT / scale))
    slices = []
    for top in range(0, min(picture.height, step * MAX_SLICES), step):
        part = picture.crop((0, top, picture.width, min(picture.height, top + step)))
        buffer = BytesIO()
        part.save(buffer, format="PNG")
        buffer.seek(0)
        slices.append(Image(buffer, width=FRAME_WIDTH, height=part.height * scale))
    return slices


def _inventory(members: list[Member], styles) -> Table:
    header = [Paragraph(escape(h), styles["small"]) for h in HEADERS[:6]]
    rows = [[Paragraph(escape(str(cell)), styles["small"]) for cell in row[:6]]
            for row in inventory_rows(members)]
    widths = [8 * mm, 46 * mm, 22 * mm, 20 * mm, 16 * mm, FRAME_WIDTH - 112 * mm]
    table = Table([header] + rows, colWidths=widths, repeatRows=1)
    table.setStyle(_grid())
    return table


def _grid() -> TableStyle:
    return TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2"))])


def _footer(font: str, text: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(18 * mm, 10 * mm, text)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()
    return draw
