"""XLSX import/export of an indicator set with its indicators, in the layout a planning
officer fills in (Vietnamese headers and values, drop-down lists).

Workbook layout (sheet names are Vietnamese):

* ``Chỉ số``: one row per indicator. Rows with an **STT** are the members of the set (in
  that order, with their frequency, responsible office, calendar and note); rows without an
  STT are the other indicators the set needs (components such as numerators and
  denominators, growth and share indicators). The header row is found by its "Mã chỉ số"
  cell, so title rows above it and extra columns are allowed.
* ``Phân tổ``: disaggregation dimensions, one row per dimension value.
* ``Nhóm``: the groups of the set (XIII, D...).
* ``Bộ chỉ số``: the set itself (code, name, legal basis, unit kinds, default calendar,
  consolidating office), as "Thuộc tính | Giá trị" rows.
* ``Hướng dẫn`` (instructions) and a hidden ``Danh mục`` sheet feeding the drop-downs.

``import_indicator_set`` is a dry run: it writes nothing and returns the parsed domain
objects with **every** error as ``RowError(sheet, row, column, message)`` (Excel row
number, Vietnamese column header, Vietnamese message), including the domain rules (ratio
without numerator_code, unknown formula code, cycle, duplicate code, frequency not allowed...).
``export_indicator_set`` followed by ``import_indicator_set`` gives back equal objects.

Only this adapter imports openpyxl.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import IO, Any, TypeVar

import ktxh_vocabulary as vocabulary
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ktxh_catalog.adapters.json_aliases import OLD_VALUES
from ktxh_catalog.domain.calendars import Calendar
from ktxh_catalog.domain.catalog_items import (
    UNIT_KINDS,
    IndicatorGroup,
    IndicatorSet,
    LegalDocument,
    SetMember,
)
from ktxh_catalog.domain.errors import FieldViolation
from ktxh_catalog.domain.indicators import (
    Dimension,
    DimensionMember,
    Frequency,
    Indicator,
    Polarity,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
    frequencies_label,
    validate_indicators,
)
from ktxh_catalog.domain.search import normalize

__all__ = [
    "INDICATOR_COLUMNS",
    "RowError",
    "XlsxImportResult",
    "export_indicator_set",
    "import_indicator_set",
]

E = TypeVar("E", bound=Enum)

SHEET_INDICATORS = "Chỉ số"
SHEET_DIMENSIONS = "Phân tổ"
SHEET_GROUPS = "Nhóm"
SHEET_SET = "Bộ chỉ số"
SHEET_GUIDE = "Hướng dẫn"
SHEET_LISTS = "Danh mục"

def _label(message: str, name: str) -> str:
    """A column header: the field's Vietnamese label, declared once in ``ktxh_vocabulary``
    (``message.name`` in the contract's terms)."""
    text = vocabulary.label(message, name)
    if text is None:
        raise LookupError(f"no label declared for {message}.{name} in ktxh_vocabulary")
    return text


# (key, header, width). Keys are internal; headers are what the officer sees: the label of the
# contract field the column holds.
INDICATOR_COLUMNS: list[tuple[str, str, int]] = [
    ("ordinal", _label("IndicatorSetItem", "ordinal"), 6),
    ("code", _label("Indicator", "code"), 20),
    ("name", _label("Indicator", "name"), 60),
    ("unit_of_measure", _label("Indicator", "unit_of_measure"), 14),
    ("value_type", _label("Indicator", "value_type"), 13),
    ("member_frequencies", _label("IndicatorSetItem", "frequencies"), 18),
    ("frequencies", _label("Indicator", "frequencies"), 18),
    ("spatial_aggregation", _label("Indicator", "spatial_aggregation"), 22),
    ("time_aggregation", _label("Indicator", "time_aggregation"), 22),
    ("weight_indicator_code", _label("Indicator", "weight_indicator_code"), 20),
    ("numerator_code", _label("Indicator", "numerator_code"), 20),
    ("denominator_code", _label("Indicator", "denominator_code"), 20),
    ("scale", _label("Indicator", "scale"), 10),
    ("formula", _label("Indicator", "formula"), 45),
    ("polarity", _label("Indicator", "polarity"), 17),
    ("lower_bound", _label("Indicator", "lower_bound"), 10),
    ("upper_bound", _label("Indicator", "upper_bound"), 10),
    ("group_code", _label("IndicatorSetItem", "group_code"), 8),
    ("field", _label("Indicator", "field"), 24),
    ("responsible_office", _label("IndicatorSetItem", "responsible_office"), 30),
    ("responsible_kind", _label("IndicatorSetItem", "responsible_kind"), 18),
    ("calendar_code", _label("IndicatorSetItem", "calendar_code"), 16),
    ("decimals", _label("Indicator", "decimals"), 10),
    ("note", _label("IndicatorSetItem", "note"), 30),
    ("description", _label("Indicator", "description"), 50),
]
HEADER = {k: h for k, h, _ in INDICATOR_COLUMNS}
REQUIRED_COLUMNS = ("code", "name", "unit_of_measure", "value_type", "member_frequencies",
                    "spatial_aggregation", "time_aggregation")
MEMBER_ONLY = ("member_frequencies", "responsible_office", "responsible_kind", "calendar_code",
               "note")
DEFINITION = ("name", "unit_of_measure", "value_type", "frequencies", "spatial_aggregation",
              "time_aggregation", "weight_indicator_code", "numerator_code", "denominator_code",
              "scale", "formula", "polarity", "lower_bound", "upper_bound", "field", "decimals",
              "description")

DIMENSION_COLUMNS: list[tuple[str, str, int]] = [
    ("indicator_code", _label("Indicator", "code"), 20),
    ("dimension_code", _label("IndicatorDimension", "code"), 16),
    ("dimension_name", _label("IndicatorDimension", "name"), 20),
    ("member_code", _label("DimensionMember", "code"), 22),
    ("member_name", _label("DimensionMember", "name"), 28),
    ("unit_of_measure", _label("DimensionMember", "unit_of_measure"), 14),
    ("value_type", _label("DimensionMember", "value_type"), 13),
    ("time_aggregation", _label("DimensionMember", "time_aggregation"), 22),
]
DIM_HEADER = {k: h for k, h, _ in DIMENSION_COLUMNS}
GROUP_COLUMNS: list[tuple[str, str, int]] = [
    ("code", _label("IndicatorSetGroup", "code"), 10),
    ("name", _label("IndicatorSetGroup", "name"), 80),
    ("ordinal", _label("IndicatorSetGroup", "ordinal"), 8),
]
GROUP_HEADER = {k: h for k, h, _ in GROUP_COLUMNS}
SET_ROWS: list[tuple[str, str]] = [
    ("code", _label("IndicatorSet", "code")),
    ("name", _label("IndicatorSet", "name")),
    ("legal_document.number", _label("LegalDocument", "number")),
    ("legal_document.issued_on", _label("LegalDocument", "issued_on")),
    ("legal_document.issuer", _label("LegalDocument", "issuer")),
    ("legal_document.title", _label("LegalDocument", "title")),
    ("applies_to_kinds", _label("IndicatorSet", "applies_to_kinds")),
    ("calendar_code", _label("IndicatorSet", "calendar_code")),
    ("consolidating_office", _label("IndicatorSet", "consolidating_office")),
    ("description", _label("IndicatorSet", "description")),
]
SET_LABEL = dict(SET_ROWS)

FREQUENCY_CHOICES = [
    "Tháng", "Quý", "6 tháng", "Năm", "5 năm", "Thời điểm", "6 tháng / Năm", "Tháng / Năm",
    "Quý / Năm", "Tháng / Quý / Năm", "Tháng / Quý / 6 tháng / Năm",
]

_FILL_HEADER = PatternFill("solid", fgColor="DDEBF7")
_FILL_MEMBER_ID = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


# ====================================================================== results


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # Excel row number (1-based); None for a whole-sheet problem
    column: str | None  # the Vietnamese column header (or the "Thuộc tính" label)
    message: str

    def __str__(self) -> str:
        where = [f"Sheet '{self.sheet}'"]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột '{self.column}'")
        return ", ".join(where) + f": {self.message}"


@dataclass
class XlsxImportResult:
    indicator_set: IndicatorSet | None
    indicators: dict[str, Indicator] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # indicator code -> Excel row

    @property
    def ok(self) -> bool:
        return not self.errors and self.indicator_set is not None

    def plan(self, known: Mapping[str, Indicator]) -> dict[str, list[str]]:
        """What writing would do: ``{"create": [...], "revise": [...], "unchanged": [...]}``
        (indicator codes compared with the catalog's current definitions)."""
        out: dict[str, list[str]] = {"create": [], "revise": [], "unchanged": []}
        for code, ind in self.indicators.items():
            old = known.get(code)
            key = "create" if old is None else "unchanged" if old == ind else "revise"
            out[key].append(code)
        return out


# ====================================================================== value labels


def _enum_lookup(enum: type[E]) -> dict[str, E]:
    out: dict[str, E] = {}
    for m in enum:
        out[normalize(str(m.value))] = m
        out[normalize(m.value.replace("_", " "))] = m  # type: ignore[attr-defined]
        out[normalize(m.label)] = m  # type: ignore[attr-defined]
    return out


_LOOKUPS: dict[type, dict[str, Any]] = {
    e: _enum_lookup(e)
    for e in (ValueType, Frequency, SpatialAggregation, TimeAggregation, Polarity)
}
_LOOKUPS[ValueType]["phan tram"] = ValueType.PERCENT
_LOOKUPS[ValueType]["ty le"] = ValueType.PERCENT
_LOOKUPS[Frequency]["6 thang"] = Frequency.HALF_YEAR
_LOOKUPS[Frequency]["nua nam"] = Frequency.HALF_YEAR
_LOOKUPS[Frequency]["thoi ky"] = Frequency.PLAN_PERIOD
# codes of workbooks filled in before the catalog had one vocabulary ("ratio_of_sums", "last")
for _enum, _field in ((SpatialAggregation, "spatial_aggregation"),
                      (TimeAggregation, "time_aggregation"), (Polarity, "polarity"),
                      (Frequency, "frequencies")):
    for _old, _new in OLD_VALUES[_field].items():
        _LOOKUPS[_enum].setdefault(normalize(_old), _enum(_new))
        _LOOKUPS[_enum].setdefault(normalize(_old.replace("_", " ")), _enum(_new))
_UNIT_KIND_LOOKUP = {normalize(k): k for k in UNIT_KINDS} | {
    normalize(v): k for k, v in UNIT_KINDS.items()
}


def _labels(enum: type[Enum]) -> list[str]:
    return [m.label for m in enum]  # type: ignore[attr-defined]


# ====================================================================== export


def _num(d: Decimal | int | None) -> Any:
    """A number cell when exact, a text cell otherwise (never loses digits)."""
    if d is None:
        return None
    if isinstance(d, int):
        return d
    if d == d.to_integral_value() and abs(d) < 10**15:
        return int(d)
    f = float(d)
    return f if Decimal(repr(f)) == d else format(d, "f")


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never an Excel formula
    return cell


def _header_row(ws: Worksheet, row: int, columns: list[tuple[str, str, int]]) -> None:
    for j, (_, header, width) in enumerate(columns, start=1):
        c = _put(ws, row, j, header)
        c.font = Font(bold=True)
        c.fill = _FILL_HEADER
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = _BORDER
        ws.column_dimensions[get_column_letter(j)].width = width


def _list_range(ws: Worksheet, col: int, values: list[str], title: str) -> str:
    _put(ws, 1, col, title).font = Font(bold=True)
    for i, v in enumerate(values, start=2):
        _put(ws, i, col, v)
    letter = get_column_letter(col)
    end = max(2, len(values) + 1)
    return f"{quote_sheetname(SHEET_LISTS)}!${letter}$2:${letter}${end}"


def _dv(ws: Worksheet, ref: str, cells: str, *, strict: bool = True, prompt: str = "") -> None:
    dv = DataValidation(type="list", formula1=ref, allow_blank=True)
    dv.showErrorMessage = strict
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.error = "Hãy chọn một giá trị trong danh sách."
    if prompt:
        dv.showInputMessage = True
        dv.prompt = prompt
    ws.add_data_validation(dv)
    dv.add(cells)


def _office_label(code: str, offices: Mapping[str, str] | None) -> str:
    return (offices or {}).get(code, code)


def _dependencies_closure(iset: IndicatorSet, indicators: Mapping[str, Indicator],
                          include: Iterable[str] = ()) -> list[str]:
    """Members in order, then every indicator they (and ``include``) depend on
    (transitively), by code."""
    members = [m.indicator_code for m in iset.ordered_items()]
    seen = set(members)
    extra: set[str] = {c for c in include if c not in seen}
    seen |= extra
    stack = members + sorted(extra)
    while stack:
        ind = indicators.get(stack.pop())
        if ind is None:
            continue
        for dep in ind.direct_dependencies():
            if dep not in seen:
                seen.add(dep)
                extra.add(dep)
                stack.append(dep)
    return members + sorted(c for c in extra if c in indicators)


def export_indicator_set(
    iset: IndicatorSet,
    indicators: Mapping[str, Indicator],
    *,
    offices: Mapping[str, str] | None = None,
    include: Iterable[str] = (),
    extra_rows: int = 200,
) -> bytes:
    """The workbook as bytes. ``indicators`` must hold the members; every indicator they
    depend on (numerators, denominators, weights, formula inputs) is exported too, as are
    the codes in ``include`` (e.g. growth indicators used by a report template) and their
    dependencies. ``offices`` maps office codes to the names shown
    (``{"PKT": "Phòng Kinh tế"}``)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_INDICATORS
    ws_dim = wb.create_sheet(SHEET_DIMENSIONS)
    ws_grp = wb.create_sheet(SHEET_GROUPS)
    ws_set = wb.create_sheet(SHEET_SET)
    ws_guide = wb.create_sheet(SHEET_GUIDE)
    ws_lists = wb.create_sheet(SHEET_LISTS)
    ws_lists.sheet_state = "hidden"
    refs = _drop_down_lists(ws_lists, iset, offices)
    codes = _dependencies_closure(iset, indicators, include)
    _write_indicators_sheet(ws, iset, indicators, codes, offices, refs, extra_rows)
    _write_dimensions_sheet(ws_dim, indicators, codes, refs, extra_rows)
    _write_groups_sheet(ws_grp, iset)
    _write_set_sheet(ws_set, iset, offices)
    _write_guide(ws_guide)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _drop_down_lists(ws_lists: Worksheet, iset: IndicatorSet,
                     offices: Mapping[str, str] | None) -> dict[str, str]:
    """The hidden sheet of drop-down choices; list name -> its range."""
    office_names = [_office_label(c, offices) for c in (offices or {})]
    for m in iset.items:
        label = _office_label(m.responsible_office, offices)
        if label not in office_names:
            office_names.append(label)
    refs = {
        "value_type": _list_range(ws_lists, 1, _labels(ValueType), "Kiểu giá trị"),
        "frequency": _list_range(ws_lists, 2, FREQUENCY_CHOICES, "Tần suất"),
        "spatial_aggregation": _list_range(ws_lists, 3, _labels(SpatialAggregation),
                                        "Tổng hợp theo đơn vị"),
        "time_aggregation": _list_range(ws_lists, 4, _labels(TimeAggregation),
                                        "Tổng hợp theo thời gian"),
        "polarity": _list_range(ws_lists, 5, _labels(Polarity), "Chiều tốt"),
        "unit_kind": _list_range(ws_lists, 6, list(UNIT_KINDS.values()), "Loại đơn vị"),
        "office": _list_range(ws_lists, 7, office_names, "Đơn vị thực hiện"),
        "group_code": _list_range(ws_lists, 8, [g.code for g in iset.groups], "Nhóm"),
    }
    return refs


def _write_indicators_sheet(ws: Worksheet, iset: IndicatorSet,
                            indicators: Mapping[str, Indicator], codes: list[str],
                            offices: Mapping[str, str] | None, refs: Mapping[str, str],
                            extra_rows: int) -> None:
    ncol = len(INDICATOR_COLUMNS)
    title = _put(ws, 1, 1, f"DANH MỤC CHỈ SỐ: {iset.name}")
    title.font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(ncol, 12))
    sub = iset.legal_document.citation if iset.legal_document else ""
    _put(ws, 2, 1, f"Mã bộ: {iset.code}" + (f" — {sub}" if sub else "")).font = Font(italic=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=min(ncol, 12))
    _put(ws, 3, 1, "Dòng có STT là chỉ số thuộc bộ; dòng không có STT là chỉ số thành phần "
                   "(tử số, mẫu số, trọng số) hoặc chỉ số tính theo công thức mà bộ cần.")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=min(ncol, 12))
    header_row = 4
    _header_row(ws, header_row, INDICATOR_COLUMNS)
    col = {k: j for j, (k, _, _) in enumerate(INDICATOR_COLUMNS, start=1)}
    r = header_row
    for code in codes:
        ind = indicators.get(code)
        if ind is None:
            continue
        r += 1
        m = iset.member(code)
        values = _indicator_cells(ind, m, offices)
        for key, value in values.items():
            if value is None or value == "":
                continue
            c = _put(ws, r, col[key], value)
            c.alignment = _WRAP
        for j in range(1, ncol + 1):
            ws.cell(row=r, column=j).border = _BORDER
        if m is not None:
            ws.cell(row=r, column=col["ordinal"]).fill = _FILL_MEMBER_ID
    last = r + extra_rows
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncol)}{max(r, header_row + 1)}"

    _indicator_validations(ws, header_row, last, refs, iset, offices)


def _indicator_cells(ind: Indicator, m: SetMember | None,
                     offices: Mapping[str, str] | None) -> dict[str, Any]:
    """Column key -> cell value of an indicator's row (and of its membership in the set)."""
    values: dict[str, Any] = {
        "code": ind.code,
        "name": ind.name,
        "unit_of_measure": ind.unit_of_measure,
        "value_type": ind.value_type.label,
        "spatial_aggregation": ind.spatial_aggregation.label,
        "time_aggregation": ind.time_aggregation.label,
        "weight_indicator_code": ind.weight_indicator_code,
        "numerator_code": ind.numerator_code,
        "denominator_code": ind.denominator_code,
        "scale": _num(ind.scale),
        "formula": ind.formula,
        "polarity": ind.polarity.label,
        "lower_bound": _num(ind.lower_bound),
        "upper_bound": _num(ind.upper_bound),
        "group_code": ind.group_code,
        "field": ind.field,
        "decimals": ind.decimals,
        "description": ind.description,
    }
    if m is not None:
        values.update({
            "ordinal": m.ordinal,
            "member_frequencies": frequencies_label(m.frequencies),
            "frequencies": (None if m.frequencies == ind.frequencies
                            else frequencies_label(ind.frequencies)),
            "group_code": m.group_code,
            "responsible_office": _office_label(m.responsible_office, offices),
            "responsible_kind": (None if m.responsible_kind == "office"
                                 else UNIT_KINDS.get(m.responsible_kind, m.responsible_kind)),
            "calendar_code": m.calendar_code or None,
            "note": m.note or None,
        })
    else:
        values["member_frequencies"] = frequencies_label(ind.frequencies)
    return values


def _indicator_validations(ws: Worksheet, header_row: int, last: int,
                           refs: Mapping[str, str], iset: IndicatorSet,
                           offices: Mapping[str, str] | None) -> None:
    col = {k: j for j, (k, _, _) in enumerate(INDICATOR_COLUMNS, start=1)}

    def rng(key: str) -> str:
        letter = get_column_letter(col[key])
        return f"{letter}{header_row + 1}:{letter}{last}"

    _dv(ws, refs["value_type"], rng("value_type"))
    _dv(ws, refs["frequency"], rng("member_frequencies"), strict=False,
        prompt="Một hoặc nhiều tần suất, cách nhau bằng '/', ví dụ: 6 tháng / Năm")
    _dv(ws, refs["frequency"], rng("frequencies"), strict=False,
        prompt="Để trống nếu giống cột Tần suất")
    _dv(ws, refs["spatial_aggregation"], rng("spatial_aggregation"))
    _dv(ws, refs["time_aggregation"], rng("time_aggregation"))
    _dv(ws, refs["polarity"], rng("polarity"))
    _dv(ws, refs["office"], rng("responsible_office"), strict=offices is not None)
    _dv(ws, refs["unit_kind"], rng("responsible_kind"))
    if iset.groups:
        _dv(ws, refs["group_code"], rng("group_code"))
    for key in ("ordinal", "decimals"):
        dv = DataValidation(type="whole", operator="between", formula1="0",
                            formula2="9999" if key == "ordinal" else "6", allow_blank=True)
        dv.error = "Phải là số nguyên"
        ws.add_data_validation(dv)
        dv.add(rng(key))


def _write_dimensions_sheet(ws_dim: Worksheet, indicators: Mapping[str, Indicator],
                            codes: list[str], refs: Mapping[str, str],
                            extra_rows: int) -> None:
    _header_row(ws_dim, 1, DIMENSION_COLUMNS)
    ws_dim.freeze_panes = "A2"
    r = 1
    for code in codes:
        ind = indicators.get(code)
        if ind is None:
            continue
        for dim in ind.dimensions:
            for mem in dim.members:
                r += 1
                row = [ind.code, dim.code, dim.name, mem.code, mem.name, mem.unit_of_measure,
                       mem.value_type.label if mem.value_type else None,
                       mem.time_aggregation.label if mem.time_aggregation else None]
                for j, value in enumerate(row, start=1):
                    if value is not None:
                        _put(ws_dim, r, j, value)
    dim_last = r + extra_rows
    _dv(ws_dim, refs["value_type"], f"G2:G{dim_last}")
    _dv(ws_dim, refs["time_aggregation"], f"H2:H{dim_last}")


def _write_groups_sheet(ws_grp: Worksheet, iset: IndicatorSet) -> None:
    _header_row(ws_grp, 1, GROUP_COLUMNS)
    for i, g in enumerate(iset.groups, start=2):
        _put(ws_grp, i, 1, g.code)
        _put(ws_grp, i, 2, g.name)
        _put(ws_grp, i, 3, g.ordinal)


def _write_set_sheet(ws_set: Worksheet, iset: IndicatorSet,
                     offices: Mapping[str, str] | None) -> None:
    _put(ws_set, 1, 1, "THÔNG TIN BỘ CHỈ SỐ").font = Font(bold=True, size=14)
    _header_row(ws_set, 3, [("attr", "Thuộc tính", 28), ("value", "Giá trị", 100)])
    lb = iset.legal_document
    set_values: dict[str, Any] = {
        "code": iset.code,
        "name": iset.name,
        "legal_document.number": lb.number if lb else None,
        "legal_document.issued_on": lb.issued_on if lb else None,
        "legal_document.issuer": lb.issuer if lb else None,
        "legal_document.title": lb.title if lb else None,
        "applies_to_kinds": "; ".join(UNIT_KINDS.get(k, k) for k in iset.applies_to_kinds),
        "calendar_code": iset.calendar_code,
        "consolidating_office": _office_label(iset.consolidating_office, offices)
        if iset.consolidating_office else None,
        "description": iset.description,
    }
    for i, (key, label) in enumerate(SET_ROWS, start=4):
        _put(ws_set, i, 1, label).font = Font(bold=True)
        value = set_values[key]
        if value not in (None, ""):
            c = _put(ws_set, i, 2, value)
            c.alignment = _WRAP
            if isinstance(value, date):
                c.number_format = "DD/MM/YYYY"


def _write_guide(ws_guide: Worksheet) -> None:
    guide = [
        "HƯỚNG DẪN ĐIỀN MẪU BỘ CHỈ SỐ",
        ("1. Sheet 'Chỉ số': mỗi dòng một chỉ số. Dòng có STT là chỉ số thuộc bộ; dòng không có "
        "STT là chỉ số thành phần hoặc chỉ số tính toán."),
        ("2. Tần suất: chọn trong danh sách hoặc ghi nhiều tần suất cách nhau bằng '/', ví dụ "
        "'6 tháng / Năm'. 'Tần suất cho phép' để trống nếu giống 'Tần suất'."),
        ("3. Tỷ lệ (Tổng hợp theo đơn vị = 'Tỷ lệ của tổng') phải ghi Chỉ số tử số, Chỉ số mẫu "
        "số và Hệ số nhân (100 cho tỷ lệ %). Không lấy trung bình các tỷ lệ."),
        "4. 'Trung bình có trọng số' phải ghi Chỉ số trọng số.",
        ("5. Công thức dùng + - * / ( ), mã chỉ số và các hàm growth(X) (tăng trưởng so với cùng "
        "kỳ, %), share(X, TỔNG) (tỷ trọng, %), prev(X) (cùng kỳ năm trước). Phân tổ: "
        "MÃ[price_basis=comparative]. Không bắt đầu công thức bằng dấu '='."),
        "6. Chiều tốt 'Trong khoảng là tốt' phải ghi Cận dưới và Cận trên.",
        ("7. Sheet 'Phân tổ': mỗi dòng một giá trị phân tổ; Đơn vị tính, Kiểu giá trị, Tổng hợp "
        "theo thời gian chỉ ghi khi khác với chỉ số."),
        ("8. Khi nhập, hệ thống kiểm tra toàn bộ tệp và liệt kê mọi lỗi (dòng, cột, nội dung) "
        "trước khi ghi dữ liệu."),
    ]
    ws_guide.column_dimensions["A"].width = 140
    for i, line in enumerate(guide, start=1):
        c = _put(ws_guide, i, 1, line)
        c.alignment = Alignment(wrap_text=True)
        if i == 1:
            c.font = Font(bold=True, size=14)


# ====================================================================== import: cell parsing


class _CellError(Exception):
    pass


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y")
    return str(v).strip()


def _parse_enum(enum: type[E], v: Any) -> E | None:
    s = _text(v)
    if not s:
        return None
    if s == "%" and enum is ValueType:
        return ValueType.PERCENT  # type: ignore[return-value]
    found = _LOOKUPS[enum].get(normalize(s))
    if found is None:
        raise _CellError(f"Giá trị '{s}' không hợp lệ; chọn một trong: "
                         + ", ".join(_labels(enum)))
    return found  # type: ignore[no-any-return]


def _parse_frequencies(v: Any) -> tuple[Frequency, ...]:
    s = _text(v)
    if not s:
        return ()
    out: list[Frequency] = []
    for part in re.split(r"[/;,]", s):
        if not part.strip():
            continue
        f = _parse_enum(Frequency, part)
        if f is not None and f not in out:
            out.append(f)
    return tuple(sorted(out, key=list(Frequency).index))


def _parse_decimal(v: Any) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise _CellError("Phải là một số")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    s = str(v).strip().replace(" ", "").replace("\u00a0", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")  # Vietnamese decimal comma: 1,5
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise _CellError(f"'{v}' không phải là số") from None
    if not d.is_finite():
        raise _CellError(f"'{v}' không phải là số")
    return d


def _parse_int(v: Any) -> int | None:
    d = _parse_decimal(v)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise _CellError(f"'{v}' phải là số nguyên")
    return int(d)


def _parse_date(v: Any) -> date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(s)
    except ValueError:
        if m and 1 <= int(m.group(2)) <= 12:
            raise _CellError(f"Ngày {s} không tồn tại") from None
        raise _CellError(f"'{s}' không phải là ngày (dạng ngày/tháng/năm, ví dụ 03/06/2026)") \
            from None


def _parse_code(v: Any) -> str | None:
    s = _text(v)
    return s or None


def _office_code(v: Any, offices: Mapping[str, str] | None) -> str:
    s = _text(v)
    if not s:
        return ""
    if offices:
        by_name = {normalize(name): code for code, name in offices.items()}
        by_code = {code.upper(): code for code in offices}
        found = by_name.get(normalize(s)) or by_code.get(s.upper())
        if found is None:
            raise _CellError(f"Đơn vị '{s}' không có trong danh sách: "
                             + ", ".join(offices.values()))
        return found
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]{0,31}", s):
        raise _CellError(f"'{s}' không phải là mã đơn vị (ví dụ PKT)")
    return s


def _unit_kind(v: Any) -> str:
    s = _text(v)
    if not s:
        return ""
    found = _UNIT_KIND_LOOKUP.get(normalize(s))
    if found is None:
        raise _CellError(f"Loại đơn vị '{s}' không hợp lệ; chọn một trong: "
                         + "; ".join(UNIT_KINDS.values()) + " (nhiều loại cách nhau bằng ';')")
    return found


# ====================================================================== import


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)

    def filled(self, key: str) -> bool:
        return _text(self.cells.get(key)) != ""


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self._seen: set[tuple[Any, ...]] = set()

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        key = (sheet, row, column, message)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(RowError(sheet, row, column, message))


def _read_table(
    ws: Worksheet, columns: list[tuple[str, str, int]], required: Iterable[str],
    sheet: str, errors: _Errors, anchor: str,
) -> tuple[int | None, list[_Row]]:
    """Find the header row (the one holding ``anchor``'s header) and read the rows below."""
    headers = {normalize(h): k for k, h, _ in columns}
    rows = ws.iter_rows(values_only=True)
    header_row = None
    index: dict[str, int] = {}
    consumed = 0
    for i, values in enumerate(rows, start=1):
        consumed = i
        texts = [normalize(_text(v)) for v in values]
        if normalize({k: h for k, h, _ in columns}[anchor]) in texts:
            header_row = i
            for j, t in enumerate(texts):
                if t in headers and headers[t] not in index:
                    index[headers[t]] = j
            break
        if i >= 20:
            break
    if header_row is None:
        errors.add(sheet, None, None, "Không tìm thấy dòng tiêu đề (cột '"
                   + {k: h for k, h, _ in columns}[anchor] + "')")
        return None, []
    header_of = {k: h for k, h, _ in columns}
    for key in required:
        if key not in index:
            errors.add(sheet, header_row, header_of[key], "Thiếu cột bắt buộc")
    out: list[_Row] = []
    for i, values in enumerate(rows, start=consumed + 1):
        cells = {k: (values[j] if j < len(values) else None) for k, j in index.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        out.append(_Row(i, cells))
    return header_row, out


def _parse_cells(row: _Row, parsers: Mapping[str, Callable[[Any], Any]], sheet: str,
                 header: Mapping[str, str], errors: _Errors) -> None:
    for key, parse in parsers.items():
        try:
            row.values[key] = parse(row.cells.get(key))
        except _CellError as e:
            row.failed.add(key)
            errors.add(sheet, row.number, header[key], str(e))


def import_indicator_set(
    source: bytes | IO[bytes] | Path,
    *,
    offices: Mapping[str, str] | None = None,
    known: Mapping[str, Indicator] | None = None,
    calendars: Mapping[str, Calendar] | None = None,
) -> XlsxImportResult:
    """Dry run: parse and validate a workbook made by ``export_indicator_set`` (or filled
    in by hand in that layout). Writes nothing.

    ``offices`` (code -> name) lets the sheet name offices by name; ``known`` are indicators
    already in the catalog that rows may refer to (a member row whose code is known may
    leave the definition columns empty); ``calendars`` enables the calendar checks."""
    errors = _Errors()
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - not a workbook at all (zip, xml, key errors...)
        return XlsxImportResult(None, errors=[RowError("", None, None,
                                                       f"Không đọc được tệp Excel: {e}")])
    known = dict(known or {})
    try:
        return _import(wb, offices, known, calendars, errors)
    finally:
        wb.close()


def _sheet(wb: Any, name: str, errors: _Errors, required: bool = True) -> Worksheet | None:
    for ws in wb.worksheets:
        if normalize(ws.title) == normalize(name):
            return ws  # type: ignore[no-any-return]
    if required:
        errors.add(name, None, None, f"Thiếu sheet '{name}'")
    return None


def _import(
    wb: Any,
    offices: Mapping[str, str] | None,
    known: dict[str, Indicator],
    calendars: Mapping[str, Calendar] | None,
    errors: _Errors,
) -> XlsxImportResult:
    """Read the sheets (set attributes, groups, indicator rows, dimensions), build the domain
    objects, and report the domain rules' violations at their cells."""
    ws = _sheet(wb, SHEET_INDICATORS, errors)
    ws_set = _sheet(wb, SHEET_SET, errors)
    ws_dim = _sheet(wb, SHEET_DIMENSIONS, errors, required=False)
    ws_grp = _sheet(wb, SHEET_GROUPS, errors, required=False)
    if ws is None or ws_set is None:
        return XlsxImportResult(None, errors=errors.items)
    attrs = _read_set_sheet(ws_set, offices, errors)
    groups = _read_groups_sheet(ws_grp, errors)
    by_code = _read_indicator_rows(ws, offices, errors)
    dims = _read_dimensions_sheet(ws_dim, by_code, errors)
    built = _Built()
    for code, row in by_code.items():
        _build_row(code, row, dims, known, built, errors)
    # built even when some set attributes failed, so the member rules are still checked;
    # the result is not ``ok`` while any error remains
    values = attrs.values
    iset = IndicatorSet(
        code=values.get("code", ""),
        name=values.get("name", ""),
        legal_document=attrs.legal_document,
        applies_to_kinds=values.get("applies_to_kinds", ()),
        items=tuple(built.members),
        groups=tuple(groups),
        calendar_code=values.get("calendar_code", ""),
        consolidating_office=values.get("consolidating_office", ""),
        description=values.get("description", ""),
    )
    cells = _Cells(by_code, dims, built.freq_col, built.member_rows, attrs.rows)
    _report_indicator_violations(built.indicators, known, cells, errors)
    _report_set_violations(iset, {**known, **built.indicators}, calendars, cells, errors)
    result = XlsxImportResult(iset, built.indicators, errors.items,
                              {c: r.number for c, r in by_code.items()})
    result.errors.sort(key=lambda e: (_SHEET_ORDER.get(e.sheet, 9), e.row or 0))
    return result


@dataclass
class _SetAttributes:
    values: dict[str, Any]
    rows: dict[str, int]
    legal_document: LegalDocument | None


def _read_set_sheet(ws_set: Any, offices: Mapping[str, str] | None,
                    errors: _Errors) -> _SetAttributes:
    """The set's attributes: one labelled row each (``SET_ROWS``)."""
    set_rows: dict[str, int] = {}
    set_cells: dict[str, Any] = {}
    label_key = {normalize(label): key for key, label in SET_ROWS}
    for i, values in enumerate(ws_set.iter_rows(values_only=True), start=1):
        if not values:
            continue
        key = label_key.get(normalize(_text(values[0])))
        if key:
            set_rows[key] = i
            set_cells[key] = values[1] if len(values) > 1 else None

    def set_err(key: str, message: str) -> None:
        errors.add(SHEET_SET, set_rows.get(key), SET_LABEL.get(key, key), message)

    set_values: dict[str, Any] = {}
    set_parsers: dict[str, Callable[[Any], Any]] = {
        "code": _text, "name": _text, "legal_document.number": _text,
        "legal_document.issued_on": _parse_date, "legal_document.issuer": _text,
        "legal_document.title": _text, "calendar_code": _text, "description": _text,
        "consolidating_office": lambda v: _office_code(v, offices),
        "applies_to_kinds": lambda v: tuple(_unit_kind(p) for p in re.split(r"[;\n]", _text(v))
                                      if p.strip()),
    }
    set_failed = False
    for key, parse in set_parsers.items():
        try:
            set_values[key] = parse(set_cells.get(key))
        except _CellError as e:
            set_failed = True
            set_err(key, str(e))
    if "code" not in set_rows:
        set_err("code", "Thiếu dòng 'Mã bộ chỉ số'")
    lb_keys = ("legal_document.number", "legal_document.issued_on", "legal_document.issuer")
    legal_document = None
    if any(set_values.get(k) for k in lb_keys + ("legal_document.title",)):
        for k in lb_keys:
            if not set_values.get(k) and k in set_values:
                set_err(k, "Phải ghi đủ số văn bản, ngày ban hành và cơ quan ban hành")
                set_failed = True
        if not set_failed:
            legal_document = LegalDocument(set_values["legal_document.number"],
                                     set_values["legal_document.issued_on"],
                                     set_values["legal_document.issuer"],
                                     set_values["legal_document.title"])
    return _SetAttributes(set_values, set_rows, legal_document)


def _read_groups_sheet(ws_grp: Any, errors: _Errors) -> list[IndicatorGroup]:
    groups: list[IndicatorGroup] = []
    if ws_grp is None:
        return groups
    _, grows = _read_table(ws_grp, GROUP_COLUMNS, ("code", "name"), SHEET_GROUPS, errors,
                           "code")
    for row in grows:
        _parse_cells(row, {"code": _text, "name": _text, "ordinal": _parse_int},
                     SHEET_GROUPS, GROUP_HEADER, errors)
        if not row.values.get("code"):
            errors.add(SHEET_GROUPS, row.number, GROUP_HEADER["code"], "Không được để trống")
            continue
        if row.failed:
            continue
        groups.append(IndicatorGroup(row.values["code"], row.values["name"],
                                     row.values["ordinal"] or 0))
    return groups


def _indicator_parsers(offices: Mapping[str, str] | None) -> dict[str, Callable[[Any], Any]]:
    return {
        "ordinal": _parse_int,
        "code": _parse_code,
        "name": _text,
        "unit_of_measure": _text,
        "value_type": lambda v: _parse_enum(ValueType, v),
        "member_frequencies": _parse_frequencies,
        "frequencies": _parse_frequencies,
        "spatial_aggregation": lambda v: _parse_enum(SpatialAggregation, v),
        "time_aggregation": lambda v: _parse_enum(TimeAggregation, v),
        "weight_indicator_code": _parse_code,
        "numerator_code": _parse_code,
        "denominator_code": _parse_code,
        "scale": _parse_decimal,
        "formula": lambda v: _text(v) or None,
        "polarity": lambda v: _parse_enum(Polarity, v),
        "lower_bound": _parse_decimal,
        "upper_bound": _parse_decimal,
        "group_code": _text,
        "field": _text,
        "responsible_office": lambda v: _office_code(v, offices),
        "responsible_kind": _unit_kind,
        "calendar_code": _text,
        "decimals": _parse_int,
        "note": _text,
        "description": _text,
    }


def _read_indicator_rows(ws: Any, offices: Mapping[str, str] | None,
                         errors: _Errors) -> dict[str, _Row]:
    """Indicator rows by code; duplicates, rows without a code and set-only columns on rows
    that are not members are reported."""
    _, rows = _read_table(ws, INDICATOR_COLUMNS, REQUIRED_COLUMNS, SHEET_INDICATORS,
                          errors, "code")
    parsers = _indicator_parsers(offices)
    by_code: dict[str, _Row] = {}
    for row in rows:
        _parse_cells(row, parsers, SHEET_INDICATORS, HEADER, errors)
        code = row.values.get("code")
        if not code:
            errors.add(SHEET_INDICATORS, row.number, HEADER["code"], "Không được để trống")
            continue
        if code in by_code:
            errors.add(SHEET_INDICATORS, row.number, HEADER["code"],
                       f"Mã chỉ số '{code}' bị trùng với dòng {by_code[code].number}")
            continue
        by_code[code] = row
        is_member = row.values.get("ordinal") is not None or "ordinal" in row.failed
        if not is_member:
            for key in ("responsible_office", "calendar_code", "note", "responsible_kind"):
                if row.filled(key):
                    errors.add(SHEET_INDICATORS, row.number, HEADER["ordinal"],
                               f"Dòng có '{HEADER[key]}' là chỉ số thuộc bộ: phải ghi STT "
                               "(hoặc để trống các cột của chỉ số thuộc bộ)")
                    break
    return by_code


# indicator code -> its dimensions, each with the row of its first member and of every member
_Dims = dict[str, list[tuple[Dimension, int, list[int]]]]

_DIMENSION_PARSERS: dict[str, Callable[[Any], Any]] = {
    "indicator_code": _text, "dimension_code": _text, "dimension_name": _text,
    "member_code": _text, "member_name": _text, "unit_of_measure": lambda v: _text(v) or None,
    "value_type": lambda v: _parse_enum(ValueType, v),
    "time_aggregation": lambda v: _parse_enum(TimeAggregation, v),
}


def _read_dimensions_sheet(ws_dim: Any, by_code: Mapping[str, _Row], errors: _Errors) -> _Dims:
    dims: _Dims = {}
    if ws_dim is None:
        return dims
    _, drows = _read_table(ws_dim, DIMENSION_COLUMNS,
                           ("indicator_code", "dimension_code", "member_code", "member_name"),
                           SHEET_DIMENSIONS, errors, "dimension_code")
    building: dict[tuple[str, str], dict[str, Any]] = {}
    for row in drows:
        _parse_cells(row, _DIMENSION_PARSERS, SHEET_DIMENSIONS, DIM_HEADER, errors)
        missing = [k for k in ("indicator_code", "dimension_code", "member_code")
                   if not row.values.get(k) and k not in row.failed]
        for k in missing:
            errors.add(SHEET_DIMENSIONS, row.number, DIM_HEADER[k], "Không được để trống")
        if missing or row.failed:
            continue
        ind_code = row.values["indicator_code"]
        if ind_code not in by_code:
            errors.add(SHEET_DIMENSIONS, row.number, DIM_HEADER["indicator_code"],
                       f"Chỉ số '{ind_code}' không có trong sheet '{SHEET_INDICATORS}'")
            continue
        key = (ind_code, row.values["dimension_code"])
        if key not in building:  # insertion order = the sheet's order
            building[key] = {"name": row.values["dimension_name"], "members": [],
                             "row": row.number, "rows": []}
        elif row.values["dimension_name"] and not building[key]["name"]:
            building[key]["name"] = row.values["dimension_name"]
        building[key]["members"].append(DimensionMember(
            row.values["member_code"], row.values["member_name"], row.values["unit_of_measure"],
            row.values["value_type"], row.values["time_aggregation"]))
        building[key]["rows"].append(row.number)
    for (ind_code, dim_code), b in building.items():
        dims.setdefault(ind_code, []).append(
            (Dimension(dim_code, b["name"], tuple(b["members"])), b["row"], b["rows"]))
    return dims


@dataclass
class _Built:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    members: list[SetMember] = field(default_factory=list)
    member_rows: list[int] = field(default_factory=list)
    freq_col: dict[str, str] = field(default_factory=dict)  # code -> column of its frequencies


def _build_row(code: str, row: _Row, dims: _Dims, known: Mapping[str, Indicator],
               built: _Built, errors: _Errors) -> None:
    """The indicator a row defines (unless a member row only names a catalog indicator) and
    the set member it is."""
    v = row.values
    is_member = v.get("ordinal") is not None
    definition_given = any(row.filled(k) for k in DEFINITION)
    if not (is_member and not definition_given and code in known):
        _build_indicator(code, row, dims, built, errors)
    if is_member and "member_frequencies" not in row.failed:
        m_freqs = v.get("member_frequencies") or ()
        if not m_freqs and code in known and not definition_given:
            errors.add(SHEET_INDICATORS, row.number, HEADER["member_frequencies"],
                       "Không được để trống")
        built.members.append(SetMember(
            indicator_code=code,
            frequencies=m_freqs,
            responsible_office=v.get("responsible_office") or "",
            responsible_kind=v.get("responsible_kind") or "office",
            calendar_code=v.get("calendar_code") or "",
            group_code=v.get("group_code") or "",
            ordinal=v["ordinal"],
            note=v.get("note") or "",
        ))
        built.member_rows.append(row.number)


def _build_indicator(code: str, row: _Row, dims: _Dims, built: _Built,
                     errors: _Errors) -> None:
    v = row.values
    for key in REQUIRED_COLUMNS:
        if key in ("unit_of_measure", "member_frequencies") or key in row.failed:
            continue
        if not row.filled(key):
            errors.add(SHEET_INDICATORS, row.number, HEADER[key], "Không được để trống")
    freqs = v.get("frequencies") or v.get("member_frequencies") or ()
    built.freq_col[code] = "frequencies" if row.filled("frequencies") else "member_frequencies"
    if not freqs and built.freq_col[code] not in row.failed:
        errors.add(SHEET_INDICATORS, row.number, HEADER["member_frequencies"],
                   "Không được để trống")
    needed = ("name", "value_type", "spatial_aggregation", "time_aggregation")
    if row.failed or not all(v.get(k) for k in needed) or not freqs:
        return
    built.indicators[code] = Indicator(
        code=code,
        name=v["name"],
        unit_of_measure=v["unit_of_measure"],
        value_type=v["value_type"],
        frequencies=freqs,
        spatial_aggregation=v["spatial_aggregation"],
        time_aggregation=v["time_aggregation"],
        polarity=v["polarity"] or Polarity.HIGHER_IS_BETTER,
        weight_indicator_code=v["weight_indicator_code"],
        numerator_code=v["numerator_code"],
        denominator_code=v["denominator_code"],
        scale=v["scale"],
        lower_bound=v["lower_bound"],
        upper_bound=v["upper_bound"],
        dimensions=tuple(d for d, _, _ in dims.get(code, [])),
        formula=v["formula"],
        field=v["field"],
        group_code=v["group_code"],
        decimals=v["decimals"],
        description=v["description"],
    )


@dataclass
class _Cells:
    """Where the parts of the workbook's objects were read from: domain paths -> cells."""

    by_code: Mapping[str, _Row]
    dims: _Dims
    freq_col: Mapping[str, str]
    member_rows: list[int]
    set_rows: Mapping[str, int]

    def of_indicator(self, code: str, path: str) -> tuple[str, int | None, str | None]:
        row = self.by_code.get(code)
        m = re.match(r"^dimensions\[(\d+)\](?:\.members\[(\d+)\])?(?:\.(\w+))?", path)
        if m and code in self.dims and int(m.group(1)) < len(self.dims[code]):
            return self._of_dimension(self.dims[code][int(m.group(1))], m.group(2), m.group(3))
        if path.startswith("dimensions"):
            return SHEET_DIMENSIONS, None, None
        fld = path.split(".")[0].split("[")[0]
        if fld == "frequencies":
            fld = self.freq_col.get(code, "member_frequencies")
        return SHEET_INDICATORS, row.number if row else None, HEADER.get(fld)

    @staticmethod
    def _of_dimension(entry: tuple[Dimension, int, list[int]], member: str | None,
                      fld: str | None) -> tuple[str, int | None, str | None]:
        _dim, first, mrows = entry
        if member is not None and int(member) < len(mrows):
            col = {"code": "member_code", "name": "member_name"}.get(fld or "member_code",
                                                                     fld or "member_code")
            return SHEET_DIMENSIONS, mrows[int(member)], DIM_HEADER.get(col)
        col = {"code": "dimension_code", "name": "dimension_name",
               "members": "member_code"}.get(fld or "dimension_code", fld or "dimension_code")
        return SHEET_DIMENSIONS, first, DIM_HEADER.get(col)


def _report_indicator_violations(indicators: Mapping[str, Indicator],
                                 known: Mapping[str, Indicator], cells: _Cells,
                                 errors: _Errors) -> None:
    for viol in validate_indicators(indicators.values(), known):
        m = re.match(r"^indicators\[([^\]]+)\]\.(.+)$", viol.field)
        if m:
            errors.add(*cells.of_indicator(m.group(1), m.group(2)), viol.message)
        else:
            errors.add(SHEET_INDICATORS, None, None, viol.message)


def _report_set_violations(iset: IndicatorSet, pool: Mapping[str, Indicator],
                           calendars: Mapping[str, Calendar] | None, cells: _Cells,
                           errors: _Errors) -> None:
    violations: list[FieldViolation] = iset.validate() + iset.validate_against(pool, calendars)
    for viol in violations:
        m = re.match(r"^items\[(\d+)\]\.(\w+)", viol.field)
        if m:
            i = int(m.group(1))
            key = {"indicator_code": "code", "frequencies": "member_frequencies"}.get(
                m.group(2), m.group(2))
            rows = cells.member_rows
            errors.add(SHEET_INDICATORS, rows[i] if i < len(rows) else None,
                       HEADER.get(key), viol.message)
        elif viol.field.startswith("groups"):
            errors.add(SHEET_GROUPS, None, None, viol.message)
        else:
            key = viol.field
            if key.startswith("legal_document."):
                key = ".".join(key.split(".")[:2])
            errors.add(SHEET_SET, cells.set_rows.get(key), SET_LABEL.get(key, key),
                       viol.message)


_SHEET_ORDER = {SHEET_SET: 0, SHEET_GROUPS: 1, SHEET_INDICATORS: 2, SHEET_DIMENSIONS: 3}
