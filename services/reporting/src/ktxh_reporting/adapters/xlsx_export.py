"""A `ReportTable` as an Excel workbook in the official layout (openpyxl).

Layout: the unit's name and the national motto on top, the title and period, a two-row header
whose group headings ("So sánh (%)", "Thực hiện Tháng 10/2026") are merged over their columns
and whose other headings are merged over both rows, then the rows with the number formats of
their kind (values `#,##0.##`, percentages `0.0`), indicators in bold, components indented.
Columns of width 0 (the machine key) are left out.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ktxh_reporting.domain.report_table import CellKind, ReportTable, header_groups

__all__ = ["NUMBER_FORMAT", "PERCENT_FORMAT", "render_xlsx"]

NUMBER_FORMAT = "#,##0.##"
PERCENT_FORMAT = "0.0"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


def render_xlsx(table: ReportTable) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    columns = list(table.visible_columns())
    last = get_column_letter(len(columns))

    def banner(row: int, text: str, *, bold: bool = False, size: int = 12) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws[f"A{row}"]
        cell.value = text
        cell.font = Font(name=_FONT, bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    banner(1, table.org_unit_name.upper(), bold=True)
    banner(2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc", bold=True)
    banner(3, table.title.upper(), bold=True, size=14)
    banner(4, f"Kỳ báo cáo: {table.period_label} ({table.period_code})")
    top = 6
    two_rows = table.has_groups
    header_font = Font(name=_FONT, bold=True)
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    groups = [(g, a + 1, b + 1) for g, a, b in header_groups(columns)]
    for group, first, end in groups:
        if group:
            ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=end)
            ws.cell(top, first, group)
            for i in range(first, end + 1):
                ws.cell(top + 1, i, columns[i - 1].label)
        else:
            col = columns[first - 1]
            if two_rows:
                ws.merge_cells(start_row=top, start_column=first, end_row=top + 1,
                               end_column=first)
            ws.cell(top, first, col.label)
    header_rows = 2 if two_rows else 1
    for r in range(top, top + header_rows):
        for i in range(1, len(columns) + 1):
            cell = ws.cell(r, i)
            cell.font = header_font
            cell.alignment = centered
            cell.border = _BOX
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width + 2

    r = top + header_rows
    for row in table.rows:
        for i, col in enumerate(columns, start=1):
            value = row.cells.get(col.key)
            cell = ws.cell(r, i)
            if isinstance(value, Decimal):
                cell.value = int(value) if value == value.to_integral_value() else float(value)
                cell.number_format = (
                    PERCENT_FORMAT if col.kind == CellKind.PERCENT else NUMBER_FORMAT
                )
                cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = value or None
                indent = row.level * 2 if col.key == "indicator_name" else 0
                cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent,
                                           horizontal="center" if col.key == "stt" else None)
            cell.font = Font(name=_FONT, bold=row.bold)
            cell.border = _BOX
        r += 1
    ws.freeze_panes = ws.cell(top + header_rows, 1)
    if table.as_of:
        ws.cell(r + 1, 1, table.as_of_text()).font = Font(
            name=_FONT, italic=True
        )
    for i, note in enumerate(table.notes):
        ws.cell(r + 2 + i, 1, note).font = Font(name=_FONT, italic=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{top}:{top + header_rows - 1}"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
