"""Report tables of the key tasks at a point in time and of target fulfilment per agency and
locality (beside `report_table.py`'s indicator report and appendix matrix). Like those, they
only lay out what the use cases computed (`service_layer/key_tasks.py`, `fulfilment.py`), so a
file shows the numbers of the REST reads and the dashboards. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ktxh_reporting.domain.report_table import CellKind, Column, ReportKind, ReportRow, ReportTable

__all__ = ["FulfilmentLine", "KeyTaskLine", "KeyTaskStatusCount", "TASK_STATUS_LABELS",
           "key_task_report", "fulfilment_report"]

# Vietnamese labels of the key-task statuses (declared once; the web has its own copy in
# features/reporting/model.ts for the dashboard).
TASK_STATUS_LABELS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done": "Đã hoàn thành",
    "overdue": "Chậm tiến độ",
    "stopped": "Tạm dừng",
    "not_reported": "Chưa báo cáo",
}


@dataclass(frozen=True)
class KeyTaskLine:
    key_task_code: str
    title: str
    field: str
    lead_unit_name: str
    deadline: str  # ISO date or empty
    status: str
    percent_done: int
    overdue: bool
    results: str = ""


@dataclass(frozen=True)
class KeyTaskStatusCount:
    label: str  # a status, a lead unit or a sector
    total: int
    done: int
    overdue: int


def _vn_date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso


def key_task_report(*, org_unit_code: str, org_unit_name: str, as_of_iso: str, year: int,
                    lines: Iterable[KeyTaskLine], by_lead_unit: Iterable[KeyTaskStatusCount],
                    by_field: Iterable[KeyTaskStatusCount], as_of: datetime | None = None) -> ReportTable:
    label = f"đến ngày {_vn_date(as_of_iso)}"
    columns = (
        Column("stt", "STT", width=5),
        Column("key_task_code", "Mã nhiệm vụ", width=14),
        Column("title", "Nhiệm vụ trọng tâm", width=44),
        Column("field", "Lĩnh vực", width=16),
        Column("lead_unit", "Đơn vị chủ trì", width=22),
        Column("deadline", "Thời hạn", width=11),
        Column("status", "Tình trạng", width=15),
        Column("percent_done", "Tiến độ (%)", CellKind.PERCENT, width=10),
        Column("overdue", "Quá hạn", width=10),
    )
    rows: list[ReportRow] = []
    for i, line in enumerate(lines, start=1):
        rows.append(ReportRow(cells={
            "stt": str(i), "key_task_code": line.key_task_code, "title": line.title,
            "field": line.field, "lead_unit": line.lead_unit_name, "deadline": _vn_date(line.deadline),
            "status": TASK_STATUS_LABELS.get(line.status, line.status),
            "percent_done": Decimal(line.percent_done) if line.status != "not_reported" else None,
            "overdue": "Quá hạn" if line.overdue else "",
        }))

    def section(title: str, groups: Iterable[KeyTaskStatusCount]) -> None:
        groups = list(groups)
        if not groups:
            return
        rows.append(ReportRow(cells={"title": title}, bold=True))
        for g in groups:
            rows.append(ReportRow(cells={
                "title": g.label, "status": f"{g.done}/{g.total} hoàn thành",
                "overdue": str(g.overdue) if g.overdue else "",
            }, level=1))

    section("Theo đơn vị chủ trì", by_lead_unit)
    section("Theo lĩnh vực", by_field)
    return ReportTable(
        kind=ReportKind.KEY_TASKS, title=f"{ReportKind.KEY_TASKS.label} năm {year} {label}",
        org_unit_code=org_unit_code, org_unit_name=org_unit_name, period_code=f"@{as_of_iso}",
        period_label=f"Năm {year}, {label}", columns=columns, rows=tuple(rows), as_of=as_of,
    )


@dataclass(frozen=True)
class FulfilmentLine:
    org_unit_code: str
    org_unit_name: str
    is_total: bool
    assigned: int
    achieved: int
    at_risk: int
    missed: int
    no_data: int
    achieved_percent: Decimal | None


def fulfilment_report(*, org_unit_code: str, org_unit_name: str, period_code: str, period_label: str,
                      lines: Iterable[FulfilmentLine], as_of: datetime | None = None) -> ReportTable:
    group = "Số chỉ tiêu"
    columns = (
        Column("stt", "STT", width=5),
        Column("org_unit_code", "Mã đơn vị", width=12),
        Column("org_unit_name", "Cơ quan, địa phương", width=36),
        Column("assigned", "Được giao", CellKind.NUMBER, group, 10),
        Column("achieved", "Đạt", CellKind.NUMBER, group, 10),
        Column("at_risk", "Có nguy cơ không đạt", CellKind.NUMBER, group, 12),
        Column("missed", "Không đạt", CellKind.NUMBER, group, 10),
        Column("no_data", "Chưa có số liệu", CellKind.NUMBER, group, 12),
        Column("achieved_percent", "Tỷ lệ đạt (%)", CellKind.PERCENT, width=10),
    )
    rows = []
    number = 0
    for line in lines:
        if not line.is_total:
            number += 1
        rows.append(ReportRow(cells={
            "stt": "" if line.is_total else str(number), "org_unit_code": line.org_unit_code,
            "org_unit_name": f"Toàn {line.org_unit_name}" if line.is_total else line.org_unit_name,
            "assigned": Decimal(line.assigned), "achieved": Decimal(line.achieved),
            "at_risk": Decimal(line.at_risk), "missed": Decimal(line.missed),
            "no_data": Decimal(line.no_data), "achieved_percent": line.achieved_percent,
        }, bold=line.is_total))
    return ReportTable(
        kind=ReportKind.TARGET_FULFILMENT, title=f"{ReportKind.TARGET_FULFILMENT.label} {period_label}",
        org_unit_code=org_unit_code, org_unit_name=org_unit_name, period_code=period_code,
        period_label=period_label, columns=columns, rows=tuple(rows), as_of=as_of,
    )
