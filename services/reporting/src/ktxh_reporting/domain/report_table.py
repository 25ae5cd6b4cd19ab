"""The report table: what every export (XLSX, PDF, CSV, JSON) and a published edition show.

A `ReportTable` is format-free: a title, the unit and period it is about, columns (some under
a common group heading, which the XLSX and PDF render as merged header cells) and rows of
cells. Two builders make the report kinds of seed 000:

- `indicator_report`: one row per indicator (figure key) of a unit for a period — value
  beside the year's target, % of plan, the same period last year and the growth
  ("Báo cáo KT-XH: Tháng, Quý, Thời điểm, Năm, Thời kỳ");
- `appendix_matrix`: indicators × communes (or any child units) with the total of the unit
  ("Phụ lục kết quả thực hiện chỉ tiêu KT-XH năm … mẫu toàn huyện").

The numbers come from the roll-ups; this module computes none of them, so an export shows
exactly what the dashboards and the REST reads show. Pure: standard library (and the platform's aggregate base) only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ktxh_platform.domain.events import Aggregate, DomainEvent

# Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving), so a fixed offset is exact.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

__all__ = [
    "CellKind",
    "Column",
    "IndicatorLine",
    "MatrixLine",
    "ReportKind",
    "ReportRow",
    "ReportTable",
    "UnitColumn",
    "appendix_matrix",
    "Edition",
    "ReportPublished",
    "decimal_text",
    "period_label",
    "header_groups",
    "indicator_report",
]


class ReportKind(StrEnum):
    INDICATORS = "indicators"  # báo cáo chỉ tiêu của một đơn vị cho một kỳ
    MATRIX = "matrix"  # phụ lục: chỉ tiêu × đơn vị cấp dưới
    KEY_TASKS = "key_tasks"  # tổng hợp nhiệm vụ trọng tâm tại một thời điểm (domain/report_kinds.py)
    TARGET_FULFILMENT = "target_fulfilment"  # mức độ hoàn thành chỉ tiêu của từng đơn vị

    @property
    def label(self) -> str:
        return {
            "indicators": "Báo cáo kết quả thực hiện chỉ tiêu kinh tế - xã hội",
            "matrix": "Phụ lục kết quả thực hiện chỉ tiêu kinh tế - xã hội",
            "key_tasks": "Tổng hợp tình hình thực hiện nhiệm vụ trọng tâm",
            "target_fulfilment": "Mức độ hoàn thành chỉ tiêu được giao của các cơ quan, địa phương",
        }[self]


class CellKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"  # a value in the indicator's unit of measure
    PERCENT = "percent"  # a percentage (already × 100: 95.5 means 95,5 %)


@dataclass(frozen=True)
class Column:
    key: str  # the cell's key in every row, and the column name in CSV/JSON
    label: str  # Vietnamese heading
    kind: CellKind = CellKind.TEXT
    group: str = ""  # heading shared with the neighbouring columns of the same group
    width: int = 14  # approximate width in characters (XLSX/PDF)


@dataclass(frozen=True)
class ReportRow:
    cells: Mapping[str, str | Decimal | None]
    level: int = 0  # 0 = indicator, 1 = a component or breakdown (indented)
    bold: bool = False


@dataclass(frozen=True)
class ReportTable:
    kind: ReportKind
    title: str
    org_unit_code: str
    org_unit_name: str
    period_code: str
    period_label: str
    columns: tuple[Column, ...]
    rows: tuple[ReportRow, ...]
    as_of: datetime | None = None  # freshness of the figures shown
    notes: tuple[str, ...] = ()

    def as_of_text(self) -> str:
        """"Số liệu tính đến HH:MM ngày DD/MM/YYYY" in Vietnam time (UTC+7, no daylight
        saving), whatever zone `as_of` was recorded in (naive = UTC); empty without `as_of`."""
        if self.as_of is None:
            return ""
        at = self.as_of if self.as_of.tzinfo else self.as_of.replace(tzinfo=UTC)
        return f"Số liệu tính đến {at.astimezone(VIETNAM_TIME):%H:%M ngày %d/%m/%Y}"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def visible_columns(self) -> tuple[Column, ...]:
        """Columns shown to people (XLSX, PDF): all but the machine key (width 0)."""
        return tuple(c for c in self.columns if c.width > 0)

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings, empty = no data); `from_dict` reads it back."""
        return {
            "kind": self.kind.value,
            "title": self.title,
            "org_unit_code": self.org_unit_code,
            "org_unit_name": self.org_unit_name,
            "period_code": self.period_code,
            "period_label": self.period_label,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "notes": list(self.notes),
            "columns": [
                {"key": c.key, "label": c.label, "kind": c.kind.value, "group": c.group,
                 "width": c.width}
                for c in self.columns
            ],
            "rows": [
                {
                    "level": r.level,
                    "bold": r.bold,
                    "cells": {c.key: decimal_text(r.cells.get(c.key)) for c in self.columns},
                }
                for r in self.rows
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportTable:
        columns = tuple(
            Column(c["key"], c["label"], CellKind(c["kind"]), c.get("group", ""),
                   int(c.get("width", 14)))
            for c in data["columns"]
        )
        kinds = {c.key: c.kind for c in columns}
        rows = tuple(
            ReportRow(
                cells={
                    k: (Decimal(v) if kinds.get(k) != CellKind.TEXT and v else (v or None))
                    for k, v in r["cells"].items()
                },
                level=int(r.get("level", 0)),
                bold=bool(r.get("bold", False)),
            )
            for r in data["rows"]
        )
        return cls(
            kind=ReportKind(data["kind"]),
            title=data["title"],
            org_unit_code=data["org_unit_code"],
            org_unit_name=data["org_unit_name"],
            period_code=data["period_code"],
            period_label=data["period_label"],
            columns=columns,
            rows=rows,
            as_of=datetime.fromisoformat(data["as_of"]) if data.get("as_of") else None,
            notes=tuple(data.get("notes", ())),
        )


def header_groups(columns: Sequence[Column]) -> list[tuple[str, int, int]]:
    """Runs of consecutive columns sharing a group: (group label, first index, last index),
    0-based; a column without a group is a run of one with an empty label."""
    runs: list[tuple[str, int, int]] = []
    for i, col in enumerate(columns):
        if runs and col.group and runs[-1][0] == col.group and runs[-1][2] == i - 1:
            runs[-1] = (col.group, runs[-1][1], i)
        else:
            runs.append((col.group, i, i))
    return runs


def decimal_text(value: str | Decimal | None) -> str:
    """A cell as text for CSV/JSON: decimals without exponent or trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value.normalize(), "f")
    return value


# --------------------------------------------------------------------------------------------
# Indicator report
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    """One rolled-up figure as the roll-ups give it (nothing is computed here)."""

    indicator_code: str
    name: str  # Vietnamese name of the indicator (with the breakdown, if any)
    unit: str  # đơn vị tính
    value: Decimal | None = None
    target_value: Decimal | None = None
    plan_percent: Decimal | None = None
    previous_year_value: Decimal | None = None
    growth_percent: Decimal | None = None
    figure_key: str = ""  # FigureKey text, for machine readers (CSV/JSON)
    level: int = 0


def _year_of(period_code: str) -> int | None:
    head = period_code.lstrip("@")[:4]
    return int(head) if head.isdigit() else None


def indicator_report(
    *,
    org_unit_code: str,
    org_unit_name: str,
    period_code: str,
    period_label: str,
    lines: Iterable[IndicatorLine],
    as_of: datetime | None = None,
    title: str = "",
) -> ReportTable:
    year = _year_of(period_code)
    this_year = f" {year}" if year else ""
    last_year = f" {year - 1}" if year else ""
    columns = (
        Column("stt", "STT", width=5),
        Column("indicator_code", "Mã chỉ tiêu", width=14),
        Column("indicator_name", "Chỉ tiêu", width=44),
        Column("unit", "Đơn vị tính", width=12),
        Column("target_value", f"Kế hoạch năm{this_year}", CellKind.NUMBER, width=14),
        Column("value", f"Thực hiện {period_label}", CellKind.NUMBER, width=14),
        Column("previous_year_value", f"Cùng kỳ năm{last_year}", CellKind.NUMBER, width=14),
        Column("plan_percent", "So với kế hoạch", CellKind.PERCENT, "So sánh (%)", 12),
        Column("growth_percent", "So với cùng kỳ", CellKind.PERCENT, "So sánh (%)", 12),
        Column("figure_key", "Khóa số liệu", width=0),  # machine key; hidden in XLSX/PDF
    )
    rows: list[ReportRow] = []
    number = 0
    for line in lines:
        if line.level == 0:
            number += 1
        rows.append(
            ReportRow(
                cells={
                    "stt": str(number) if line.level == 0 else None,
                    "indicator_code": line.indicator_code,
                    "indicator_name": line.name,
                    "unit": line.unit,
                    "target_value": line.target_value,
                    "value": line.value,
                    "previous_year_value": line.previous_year_value,
                    "plan_percent": line.plan_percent,
                    "growth_percent": line.growth_percent,
                    "figure_key": line.figure_key,
                },
                level=line.level,
                bold=line.level == 0,
            )
        )
    return ReportTable(
        kind=ReportKind.INDICATORS,
        title=title or f"{ReportKind.INDICATORS.label} {period_label}",
        org_unit_code=org_unit_code,
        org_unit_name=org_unit_name,
        period_code=period_code,
        period_label=period_label,
        columns=columns,
        rows=tuple(rows),
        as_of=as_of,
    )


# --------------------------------------------------------------------------------------------
# Appendix matrix: indicators × child units
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitColumn:
    code: str
    name: str


@dataclass(frozen=True)
class MatrixLine:
    indicator_code: str
    name: str
    unit: str
    target_value: Decimal | None  # the parent unit's target for the year
    total: Decimal | None  # the parent unit's rolled-up value
    by_unit: Mapping[str, Decimal | None] = field(default_factory=dict)  # child code → value
    figure_key: str = ""
    level: int = 0


def appendix_matrix(
    *,
    org_unit_code: str,
    org_unit_name: str,
    period_code: str,
    period_label: str,
    units: Sequence[UnitColumn],
    lines: Iterable[MatrixLine],
    as_of: datetime | None = None,
    title: str = "",
) -> ReportTable:
    year = _year_of(period_code)
    done = f"Thực hiện {period_label}"
    columns = [
        Column("stt", "STT", width=5),
        Column("indicator_code", "Mã chỉ tiêu", width=14),
        Column("indicator_name", "Chỉ tiêu", width=40),
        Column("unit", "Đơn vị tính", width=10),
        Column("target_value", f"Kế hoạch năm {year}" if year else "Kế hoạch", CellKind.NUMBER,
               width=13),
    ]
    columns += [
        Column(f"unit:{u.code}", u.name, CellKind.NUMBER, done, width=12) for u in units
    ]
    columns += [
        Column("total", f"Toàn {org_unit_name}" if org_unit_name else "Tổng", CellKind.NUMBER,
               done, width=13),
        Column("figure_key", "Khóa số liệu", width=0),
    ]
    rows: list[ReportRow] = []
    number = 0
    for line in lines:
        if line.level == 0:
            number += 1
        cells: dict[str, str | Decimal | None] = {
            "stt": str(number) if line.level == 0 else None,
            "indicator_code": line.indicator_code,
            "indicator_name": line.name,
            "unit": line.unit,
            "target_value": line.target_value,
            "total": line.total,
            "figure_key": line.figure_key,
        }
        for u in units:
            cells[f"unit:{u.code}"] = line.by_unit.get(u.code)
        rows.append(ReportRow(cells=cells, level=line.level, bold=line.level == 0))
    return ReportTable(
        kind=ReportKind.MATRIX,
        title=title or f"{ReportKind.MATRIX.label} {period_label}",
        org_unit_code=org_unit_code,
        org_unit_name=org_unit_name,
        period_code=period_code,
        period_label=period_label,
        columns=tuple(columns),
        rows=tuple(rows),
        as_of=as_of,
    )


# --------------------------------------------------------------------------------------------
# Period labels and published editions
# --------------------------------------------------------------------------------------------

_ROMAN = ("I", "II", "III", "IV")


def period_label(code: str) -> str:
    """Vietnamese label of a canonical period code: ``2026-M10`` → ``Tháng 10/2026``,
    ``2026-Q3`` → ``Quý III/2026``, ``2026-H1`` → ``6 tháng đầu năm 2026``, ``2026-9M`` →
    ``9 tháng đầu năm 2026``, ``2026`` → ``Năm 2026``, ``2026-2030`` → ``Giai đoạn
    2026-2030``, ``@2026-10-31`` → ``Thời điểm 31/10/2026``; anything else as is."""
    if code.startswith("@") and len(code) == 11:
        y, m, d = code[1:].split("-")
        return f"Thời điểm {d}/{m}/{y}"
    year, _, rest = code.partition("-")
    if not rest:
        return f"Năm {year}"
    if rest.startswith("M") and rest[1:].isdigit():
        return f"Tháng {int(rest[1:])}/{year}"
    if rest.startswith("Q") and rest[1:] in ("1", "2", "3", "4"):
        return f"Quý {_ROMAN[int(rest[1:]) - 1]}/{year}"
    if rest in ("H1", "H2"):
        return f"6 tháng {'đầu' if rest == 'H1' else 'cuối'} năm {year}"
    if rest == "9M":
        return f"9 tháng đầu năm {year}"
    if rest.isdigit():
        return f"Giai đoạn {year}-{rest}"
    return code


@dataclass(frozen=True)
class ReportPublished(DomainEvent):
    edition: Edition


@dataclass
class Edition(Aggregate):
    """A published (frozen) report: its table never changes; publishing the same unit, period
    and kind again makes the next revision, and every revision stays readable."""

    id: str = ""
    province_code: str = ""
    table: ReportTable | None = None
    revision: int = 1
    published_by: str = ""
    published_at: datetime | None = None
    document_id: str = ""

    @classmethod
    def publish(cls, *, id: str, province_code: str, table: ReportTable, previous_revision: int,
                published_by: str, published_at: datetime, document_id: str = "") -> Edition:
        edition = cls(id=id, province_code=province_code, table=table,
                      revision=previous_revision + 1, published_by=published_by,
                      published_at=published_at, document_id=document_id, version=1)
        notes = (*table.notes,
                 f"Bản công bố lần {edition.revision}, {published_at:%H:%M ngày %d/%m/%Y}, "
                 f"người công bố: {published_by}")
        edition.table = ReportTable(**{**table.__dict__, "notes": notes})
        edition.record(ReportPublished(edition))
        return edition
