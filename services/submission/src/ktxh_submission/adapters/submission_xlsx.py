"""A unit's report as an Excel workbook to fill in offline, and the filled-in workbook read
back as `DataValue` rows for the bulk import path (issue 11, point 8).

Layout (sheet ``Báo cáo``): a title and the report's unit, period, deadline and status above;
the header on row `HEADER_ROW`; then one row per figure key of the form (a line without
dimensions: its total; with dimensions: the total when the members add up to it, then one
row per member of the first dimension; any other figure already stored), in the form's order.
Only the value and note cells are unlocked (the sheet is protected without a password, so
the key columns are not changed by mistake); value cells carry a number format by the line's
type. A hidden sheet ``_ktxh`` names the report id, so a workbook of another report is
refused. Row 5 carries the whole report's explanatory note (thuyết minh chung), read-only:
it is written on the screen, not imported. Reading back takes the key from the ``Khoá số liệu`` column and the unit and period
from the report; row numbers in the summary are the sheet's rows.

Only this adapter imports openpyxl.
"""

from __future__ import annotations

import io
import math
from datetime import date
from decimal import Decimal
from typing import Any

import ktxh_vocabulary as vocabulary
from ktxh_platform.domain import InvalidArgument
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from ktxh_submission.domain.bulk import DataValue, RefusedRow, form_keys
from ktxh_submission.domain.figures import ValueType, format_decimal
from ktxh_submission.domain.submissions import Submission

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Báo cáo"
META_SHEET = "_ktxh"
NOTE_ROW = 5  # the whole report's note, above the header
HEADER_ROW = 6
# (header, width); the value and note columns are the only ones to fill in
COLUMNS = [
    ("STT", 6), ("Mã chỉ số", 16), ("Tên chỉ số", 48), ("Phân tổ", 22), ("Loại số liệu", 14),
    ("Đơn vị tính", 12), ("Phòng nhập", 16), ("Giá trị", 16), ("Thuyết minh", 40),
    ("Khoá số liệu", 40), ("Phiên bản", 10),
]
COL = {name: i + 1 for i, (name, _) in enumerate(COLUMNS)}
FORMATS = {ValueType.NUMBER: "#,##0.##########", ValueType.INTEGER: "#,##0",
           ValueType.PERCENT: "0.0##", ValueType.TEXT: "@"}
MAX_ROWS = 20_000  # far more than any form; a larger sheet is not one of ours
FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in


def file_name(sub: Submission) -> str:
    return f"Báo cáo {sub.org_unit_code} {sub.period.label.replace('/', '-')}.xlsx"


def _members(members: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{d}={m}" for d, m in members) or "Tổng số"


def export_workbook(sub: Submission, today: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"BÁO CÁO {sub.period.label.upper()} — ĐƠN VỊ {sub.org_unit_code}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = f"Hạn gửi: {sub.deadline.strftime('%d/%m/%Y')} · Trạng thái: {sub.status.label}"
    ws["A3"] = f"Xuất ngày {today.strftime('%d/%m/%Y')}. Chỉ nhập cột “Giá trị” và “Thuyết minh” " \
               "(ô màu vàng), rồi nhập lại tệp này (nên chạy thử trước)."
    ws["A4"] = "Dấu thập phân: dấu chấm hoặc dấu phẩy; để trống ô Giá trị để xoá số liệu."
    if sub.note:
        _note_row(ws, sub.note)
    for i, (name, width) in enumerate(COLUMNS, start=1):
        c = ws.cell(HEADER_ROW, i, name)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    row = HEADER_ROW
    for n, (line, key) in enumerate(form_keys(sub), start=1):
        row += 1
        fig = sub.figures.get(key)
        cells: list[Any] = [
            n, line.indicator_code, line.name, _members(key.members), key.kind.label,
            line.unit, line.office_code, None, fig.note if fig else "", key.text,
            fig.version if fig else 0,
        ]
        if fig is not None:
            cells[COL["Giá trị"] - 1] = (
                fig.text_value if line.value_type is ValueType.TEXT or fig.value is None
                else _number(fig.value))
        for i, v in enumerate(cells, start=1):
            c = ws.cell(row, i, v)
            c.protection = Protection(locked=True)
        value, note = ws.cell(row, COL["Giá trị"]), ws.cell(row, COL["Thuyết minh"])
        value.number_format = FORMATS[line.value_type]
        for c in (value, note):
            c.protection = Protection(locked=False)
            c.fill = FILL
        note.alignment = Alignment(wrap_text=True)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, COL["Giá trị"])
    ws.protection.sheet = True  # no password: it guards against slips, not people
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "submission_id", sub.id
    meta["A2"], meta["B2"] = "org_unit_code", sub.org_unit_code
    meta["A3"], meta["B3"] = "period_code", sub.period.code
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _note_row(ws: Any, note: str) -> None:
    """The report's note across the sheet's width, wrapped, tall enough to read."""
    cell = ws.cell(NOTE_ROW, 1, f"{vocabulary.label('Submission', 'note')}: {note}")
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=len(COLUMNS))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    per_line = int(sum(width for _, width in COLUMNS) * 1.1)  # characters on one line, roughly
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
    ws.row_dimensions[NOTE_ROW].height = min(409, 15 * lines)  # 409 points: Excel's highest


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() and abs(d) < 10**15 else float(d)


def _text(v: Any) -> str:
    """A cell as the import reads it: numbers without float noise (Excel stores doubles)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_decimal(Decimal(repr(v)))
    return str(v)


def _bad(message: str) -> InvalidArgument:
    return InvalidArgument.single("file", message)


def read_workbook(content: bytes, sub: Submission) -> tuple[list[DataValue], list[RefusedRow]]:
    """The rows of a filled-in workbook of `sub`; InvalidArgument naming `file` when it is not
    a workbook of this report."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a workbook at all (zip, xml, key errors...)
        raise _bad("Không đọc được tệp Excel (.xlsx)") from None
    try:
        if META_SHEET in wb.sheetnames:
            meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(max_row=10, max_col=2, values_only=True)
                    if r and r[0]}
            if meta.get("submission_id") not in (None, sub.id):
                raise _bad(
                    f"Tệp là của báo cáo khác ({meta.get('org_unit_code')} "
                    f"{meta.get('period_code')}), không phải báo cáo {sub.org_unit_code} "
                    f"{sub.period.label}")
        if SHEET not in wb.sheetnames:
            raise _bad(f"Thiếu sheet “{SHEET}”: hãy dùng tệp xuất từ báo cáo")
        ws = wb[SHEET]
        header_at, cols = _header(ws)
        rows: list[DataValue] = []
        refused: list[RefusedRow] = []
        for r, cells in enumerate(ws.iter_rows(min_row=header_at + 1, values_only=True),
                                  start=header_at + 1):
            if r > header_at + MAX_ROWS:
                raise _bad(f"Sheet “{SHEET}” có quá {MAX_ROWS} dòng")
            get = (lambda name, cells=cells: _text(cells[cols[name] - 1])
                   if cols[name] - 1 < len(cells) else "")
            key = get("Khoá số liệu").strip()
            if not key:
                if get("Giá trị").strip() or get("Thuyết minh").strip():
                    refused.append(RefusedRow(r, "key", "Dòng không có khoá số liệu (cột “Khoá số liệu”)"))
                continue
            rows.append(DataValue(r, sub.org_unit_code, sub.period.code, key,
                                  get("Giá trị"), get("Thuyết minh")))
        return rows, refused
    finally:
        wb.close()


def _header(ws: Any) -> tuple[int, dict[str, int]]:
    for r, cells in enumerate(ws.iter_rows(max_row=30, values_only=True), start=1):
        names = [str(c).strip() if c is not None else "" for c in cells]
        if "Khoá số liệu" in names:
            missing = [n for n in ("Khoá số liệu", "Giá trị", "Thuyết minh") if n not in names]
            if missing:
                raise _bad("Thiếu cột: " + ", ".join(missing))
            return r, {n: names.index(n) + 1 for n in ("Khoá số liệu", "Giá trị", "Thuyết minh")}
    raise _bad("Không tìm thấy dòng tiêu đề (cột “Khoá số liệu”): hãy dùng tệp xuất từ báo cáo")


__all__ = ["MEDIA_TYPE", "export_workbook", "file_name", "read_workbook"]
