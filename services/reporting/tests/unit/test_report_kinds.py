"""The key-task and target-fulfilment report tables, and the "as of" line in Vietnam time,
read back from the XLSX as a user would see them."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from ktxh_reporting.adapters.xlsx_export import render_xlsx
from ktxh_reporting.domain.report_kinds import (
    FulfilmentLine,
    KeyTaskLine,
    KeyTaskStatusCount,
    fulfilment_report,
    key_task_report,
)
from ktxh_reporting.domain.report_table import ReportTable


def _cells(table: ReportTable) -> list[list]:
    ws = load_workbook(io.BytesIO(render_xlsx(table))).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_key_task_table_lists_tasks_then_counts_and_prints_vietnam_time():
    table = key_task_report(
        org_unit_code="10846", org_unit_name="Xã Hà Tây", as_of_iso="2026-10-31", year=2026,
        lines=[KeyTaskLine("NV-1", "Chuyển đổi số cấp xã", "Chuyển đổi số", "Xã Hà Tây", "2026-10-15",
                           "in_progress", 40, True)],
        by_lead_unit=[KeyTaskStatusCount("Xã Hà Tây", 1, 0, 1)], by_field=[],
        as_of=datetime(2026, 10, 31, 18, 30, tzinfo=UTC))
    cells = _cells(table)
    flat = [v for row in cells for v in row if v is not None]
    assert "TỔNG HỢP TÌNH HÌNH THỰC HIỆN NHIỆM VỤ TRỌNG TÂM NĂM 2026 ĐẾN NGÀY 31/10/2026" in flat
    row = next(r for r in cells if "NV-1" in r)
    assert [v for v in row if v is not None][1:] == [
        "NV-1", "Chuyển đổi số cấp xã", "Chuyển đổi số", "Xã Hà Tây", "15/10/2026", "Đang thực hiện", 40, "Quá hạn"]
    assert "Theo đơn vị chủ trì" in flat and "0/1 hoàn thành" in flat
    # 18:30 UTC on 31/10 is 01:30 on 01/11 in Hà Nội
    assert "Số liệu tính đến 01:30 ngày 01/11/2026" in flat


def test_fulfilment_table_has_the_total_first_and_a_row_per_unit():
    table = fulfilment_report(
        org_unit_code="31", org_unit_name="Thành phố", period_code="2026", period_label="Năm 2026",
        lines=[FulfilmentLine("31", "Thành phố", True, 1, 1, 0, 0, 0, Decimal(100)),
               FulfilmentLine("C", "Xã Cát", False, 3, 1, 0, 1, 1, Decimal("33.3"))],
        as_of=datetime(2026, 11, 30, 1, 0))  # naive = UTC
    cells = _cells(table)
    flat = [v for row in cells for v in row if v is not None]
    assert "Số liệu tính đến 08:00 ngày 30/11/2026" in flat
    assert "Số chỉ tiêu" in flat and "Tỷ lệ đạt (%)" in flat
    total = next(r for r in cells if "Toàn Thành phố" in r)
    commune = next(r for r in cells if "Xã Cát" in r)
    assert [v for v in commune if v is not None] == ["1", "C", "Xã Cát", 3, 1, 0, 1, 1, 33.3]
    assert cells.index(total) < cells.index(commune)
