"""A `ReportTable` as a PDF (reportlab), with Vietnamese diacritics in embedded fonts.

The fonts are TrueType files from the system (Noto Sans from `fonts-noto-core`, or DejaVu Sans
from `fonts-dejavu-core`, both installed by `scripts/ci-setup.sh` and the service image);
reportlab embeds the subset used, with its ToUnicode map, so the text can be searched and
copied. Numbers are written the Vietnamese way (1.234,5); the layout follows the XLSX: the unit,
the motto, the title and period, a two-row header with merged group headings, A4 landscape,
the header repeated on every page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ktxh_reporting.domain.report_table import CellKind, ReportTable, header_groups

__all__ = ["FONT_CANDIDATES", "FontMissing", "render_pdf", "vn_number"]

# (regular, bold) pairs, first found wins.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
_REGULAR, _BOLD = "KtxhSans", "KtxhSans-Bold"


class FontMissing(RuntimeError):
    """No TrueType font with Vietnamese glyphs is installed."""


@cache
def _register_fonts() -> None:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont(_REGULAR, regular))
            pdfmetrics.registerFont(TTFont(_BOLD, bold))
            return
    raise FontMissing(
        "No Vietnamese font found (install fonts-noto-core or fonts-dejavu-core): "
        + ", ".join(r for r, _ in FONT_CANDIDATES)
    )


def vn_number(value: Decimal, places: int = 2) -> str:
    """1234567.891 → "1.234.567,89"; trailing decimal zeros dropped."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    frac = frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + (f",{frac}" if frac else "")


def render_pdf(table: ReportTable) -> bytes:
    _register_fonts()
    columns = table.visible_columns()
    small = ParagraphStyle("cell", fontName=_REGULAR, fontSize=8, leading=10)
    small_bold = ParagraphStyle("cellb", parent=small, fontName=_BOLD)
    head = ParagraphStyle("head", parent=small_bold, alignment=1)
    title = ParagraphStyle("title", fontName=_BOLD, fontSize=13, leading=17, alignment=1)
    centered = ParagraphStyle("centre", fontName=_REGULAR, fontSize=10, leading=13, alignment=1)

    groups = header_groups(columns)
    two_rows = table.has_groups
    first_row: list[object] = []
    second_row: list[object] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for group, a, b in groups:
        if group:
            first_row += [Paragraph(_escape(group), head)] + [""] * (b - a)
            second_row += [Paragraph(_escape(c.label), head) for c in columns[a : b + 1]]
            if b > a:
                spans.append(("SPAN", (a, 0), (b, 0)))
        else:
            first_row.append(Paragraph(_escape(columns[a].label), head))
            second_row.append("")
            if two_rows:
                spans.append(("SPAN", (a, 0), (a, 1)))
    data: list[list[object]] = [first_row] + ([second_row] if two_rows else [])
    header_rows = len(data)
    for row in table.rows:
        style = small_bold if row.bold else small
        cells: list[object] = []
        for col in columns:
            value = row.cells.get(col.key)
            if isinstance(value, Decimal):
                cells.append(vn_number(value, 1 if col.kind == CellKind.PERCENT else 2))
            elif col.key == "indicator_name":
                pad = "&nbsp;" * (4 * row.level)
                cells.append(Paragraph(pad + _escape(value or ""), style))
            else:
                cells.append(Paragraph(_escape(value or ""), style))
        data.append(cells)

    page = landscape(A4)
    usable = page[0] - 24 * mm
    total = sum(c.width for c in columns) or 1
    widths = [usable * c.width / total for c in columns]
    grid = Table(data, colWidths=widths, repeatRows=header_rows)
    numeric = [i for i, c in enumerate(columns) if c.kind != CellKind.TEXT]
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _REGULAR),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE")),
                *[("ALIGN", (i, header_rows), (i, -1), "RIGHT") for i in numeric],
                *[("FONTNAME", (0, header_rows + n), (-1, header_rows + n), _BOLD)
                  for n, r in enumerate(table.rows) if r.bold],
                *spans,
            ]
        )
    )
    story: list[object] = [
        Paragraph(_escape(table.org_unit_name.upper()), centered),
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centered),
        Paragraph("Độc lập - Tự do - Hạnh phúc", centered),
        Spacer(1, 4 * mm),
        Paragraph(_escape(table.title.upper()), title),
        Paragraph(_escape(f"Kỳ báo cáo: {table.period_label} ({table.period_code})"), centered),
        Spacer(1, 4 * mm),
        grid,
    ]
    if table.as_of:
        story += [Spacer(1, 3 * mm),
                  Paragraph(table.as_of_text(), small)]
    story += [Paragraph(_escape(n), small) for n in table.notes]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, title=table.title, author=table.org_unit_name,
        subject=f"{table.org_unit_code} {table.period_code}",
        initialFontName=_REGULAR,  # else the canvas declares Helvetica, which has no "ỷ"
    )
    doc.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
