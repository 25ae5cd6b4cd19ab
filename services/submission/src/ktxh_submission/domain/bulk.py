"""Bulk import of figures (issue 11, point 8): many figures of one or many reports at once,
from the machine API (`data-values`, in the spirit of DHIS2's `dataValueSets`) or from a
unit's form filled in Excel. Every source becomes a list of `DataValue` rows; each row is
either applied (imported: a new figure; updated: a changed one), ignored (the same value and
note as stored) or refused with its row number, the field and a Vietnamese reason. A refused
row never stops the others: the valid rows are written in one transaction, so posting the
same payload again changes nothing (every row ignored).

Per-figure versions: an import writes at the figure's current version (the caller names no
version), bumps it by one and records who, when, before and after in the figure history with
the import's reason, like any save. Someone who read the figure before the import and saves
afterwards gets the usual conflict showing both values.

Pure: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ktxh_submission.domain.figures import (
    Figure,
    FigureChange,
    FigureKey,
    FigureKind,
    FormLine,
    ValueType,
    parse_decimal,
)
from ktxh_submission.domain.submissions import EDITABLE, MAX_KEY_LENGTH, SectionStatus, Submission
from ktxh_submission.domain.validation import check_value

__all__ = [
    "DATA_VALUE_FIELDS",
    "DataValue",
    "ImportSummary",
    "RefusedRow",
    "form_keys",
    "import_into",
    "parse_key",
    "unreadable",
]

# The columns of a CSV payload, in this order (header names = the JSON field names).
DATA_VALUE_FIELDS = ("org_unit_code", "period_code", "key", "value", "note")
MAX_VALUE_LENGTH = 4000
MAX_NOTE_LENGTH = 4000

_CODE = r"[^\s\[\]/,=]+"
_KEY = re.compile(
    rf"(?P<code>{_CODE})(?:\[(?P<dims>{_CODE}={_CODE}(?:,{_CODE}={_CODE})*)\])?(?:/(?P<kind>[a-z]+))?"
)


@dataclass(frozen=True)
class DataValue:
    """One row of a bulk payload. `row`: where the user finds it (the 1-based position in a
    JSON list, the line of a CSV file, the row of an Excel sheet)."""

    row: int
    org_unit_code: str
    period_code: str
    key: str
    value: str = ""
    note: str = ""


@dataclass(frozen=True)
class RefusedRow:
    row: int
    field: str  # one of DATA_VALUE_FIELDS ("" when the row as a whole is unreadable)
    reason: str  # Vietnamese


@dataclass
class ImportSummary:
    dry_run: bool = False
    imported: int = 0  # new figures
    updated: int = 0  # changed figures
    ignored: int = 0  # rows equal to what is stored
    refused: list[RefusedRow] = field(default_factory=list)

    def refuse(self, row: int, field_name: str, reason: str) -> None:
        self.refused.append(RefusedRow(row, field_name, reason))

    def sort(self) -> None:
        self.refused.sort(key=lambda r: r.row)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LIMITS = {"org_unit_code": 40, "period_code": 20, "key": MAX_KEY_LENGTH,
           "value": MAX_VALUE_LENGTH, "note": MAX_NOTE_LENGTH}


def unreadable(row: DataValue) -> RefusedRow | None:
    """A field no report could hold: too long, or with control characters."""
    if (len(row.key) <= MAX_KEY_LENGTH and len(row.value) <= MAX_VALUE_LENGTH
            and len(row.note) <= MAX_NOTE_LENGTH and len(row.org_unit_code) <= 40
            and len(row.period_code) <= 20 and not _CONTROL.search(
                f"{row.org_unit_code}\t{row.period_code}\t{row.key}\t{row.value}\t{row.note}")):
        return None  # the common case: one scan of the row instead of one per field
    for name, limit in _LIMITS.items():
        text = getattr(row, name)
        if len(text) > limit:
            return RefusedRow(row.row, name, f"Dài quá {limit} ký tự")
        if _CONTROL.search(text):
            return RefusedRow(row.row, name, "Có ký tự điều khiển không hợp lệ")
    return None


def parse_key(text: str) -> FigureKey:
    """The text form of a figure key (`FigureKey.text`):
    ``HP2081.XIII.01[price_basis=comparative]/actual``; without ``/kind`` it is ``actual``.
    Raises ValueError with the Vietnamese reason. A payload names the same keys for every
    unit: parsed keys are shared (immutable; refusals are not remembered)."""
    return _parse_key(text)


@lru_cache(maxsize=65536)
def _parse_key(text: str) -> FigureKey:
    t = text.strip()
    if not t:
        raise ValueError("Thiếu khoá số liệu (mã chỉ số)")
    if len(t) > MAX_KEY_LENGTH:
        raise ValueError(f"Khoá số liệu dài quá {MAX_KEY_LENGTH} ký tự")
    m = _KEY.fullmatch(t)
    if m is None:
        raise ValueError(
            f"Khoá số liệu “{t[:60]}” không đúng dạng MÃ_CHỈ_SỐ[chiều=giá_trị,...]/loại, "
            "ví dụ HP2081.XIII.01[price_basis=comparative]/actual"
        )
    members = [tuple(p.split("=", 1)) for p in (m["dims"] or "").split(",") if p]
    dims = [d for d, _ in members]
    if len(set(dims)) != len(dims):
        raise ValueError("Mỗi chiều chỉ được chọn một giá trị")
    try:
        kind = FigureKind(m["kind"] or "actual")
    except ValueError:
        raise ValueError(
            f"Loại số liệu “{m['kind']}” không hợp lệ (actual: thực hiện, estimate: ước thực hiện)"
        ) from None
    return FigureKey(m["code"], tuple(members), kind)  # type: ignore[arg-type]


def form_keys(sub: Submission) -> list[tuple[FormLine, FigureKey]]:
    """The figure keys of a report's form, in its order: a line without dimensions has its
    total; with dimensions, the total when the first dimension's members add up to it, then
    one key per member; then any other figure already stored (another kind or combination)."""
    out: list[tuple[FormLine, FigureKey]] = []
    for line in sub.lines:
        if not line.dimensions:
            out.append((line, FigureKey(line.indicator_code)))
            continue
        d = line.dimensions[0]
        if d.additive:
            out.append((line, FigureKey(line.indicator_code)))
        out += [(line, FigureKey(line.indicator_code, ((d.code, m),))) for m in d.members]
    listed = {k for _, k in out}
    extra = sorted(k for k in sub.figures if k not in listed)
    for key in extra:
        line = sub.line(key.indicator_code)
        if line is not None:
            out.append((line, key))
    order = {ln.indicator_code: i for i, ln in enumerate(sub.lines)}
    out.sort(key=lambda lk: order[lk[0].indicator_code])  # stable: extras after their line's keys
    return out


def import_into(
    sub: Submission,
    rows: list[DataValue],
    *,
    offices: frozenset[str] | None,
    summary: ImportSummary,
    actor: str,
    at: datetime,
    reason: str,
) -> list[FigureChange]:
    """Apply the rows of one report; refused and ignored rows are counted in `summary`.
    `offices`: the sections the caller may write (None: every section). Returns the changes
    (also appended to `sub.changes`; the report's version is bumped once if any)."""
    if sub.status not in EDITABLE:
        for r in rows:
            summary.refuse(r.row, "period_code", (
                f"Báo cáo {sub.period.label} của {sub.org_unit_code} đang ở trạng thái "
                f"“{sub.status.label}”, không sửa được số liệu"))
        return []
    seen: dict[FigureKey, int] = {}
    changes: list[FigureChange] = []
    lines = {ln.indicator_code: ln for ln in sub.lines}  # a form has up to 2,000 lines
    for r in rows:
        try:
            key = parse_key(r.key)
        except ValueError as err:
            summary.refuse(r.row, "key", str(err))
            continue
        line = lines.get(key.indicator_code)
        if line is None:
            summary.refuse(r.row, "key", f"Chỉ số {key.indicator_code} không có trong báo cáo "
                                         f"{sub.period.label} của {sub.org_unit_code}")
            continue
        problem = sub._key_problem(line, key)
        if problem:
            summary.refuse(r.row, "key", problem)
            continue
        if key in seen:
            summary.refuse(r.row, "key", f"Trùng số liệu với dòng {seen[key]}")
            continue
        seen[key] = r.row
        if offices is not None and line.office_code not in offices:
            summary.refuse(r.row, "key", (
                f"Chỉ số {line.indicator_code} “{line.name}” do {line.office_code} nhập; "
                "bạn chỉ được nhập số liệu của phòng mình"))
            continue
        if offices is not None and sub.sections[line.office_code].status is SectionStatus.DELIVERED:
            summary.refuse(r.row, "key", (
                f"Phần số liệu của {line.office_code} đã chuyển Văn phòng tổng hợp; "
                "không sửa được trừ khi được trả lại"))
            continue
        old = sub.figures.get(key)
        new = Figure(key, line.office_code, note=r.note.strip(),
                     version=old.version if old else 0)
        text = r.value.strip()
        if len(text) > MAX_VALUE_LENGTH:
            summary.refuse(r.row, "value", f"Giá trị dài quá {MAX_VALUE_LENGTH} ký tự")
            continue
        if len(new.note) > MAX_NOTE_LENGTH:
            summary.refuse(r.row, "note", f"Thuyết minh dài quá {MAX_NOTE_LENGTH} ký tự")
            continue
        if text:
            if line.value_type is ValueType.TEXT:
                new.text_value = text
            else:
                try:
                    new.value = parse_decimal(text)
                except ValueError as err:
                    summary.refuse(r.row, "value", (
                        f"Chỉ số {line.indicator_code} “{line.name}”: “{text[:40]}” {err}"))
                    continue
        bad = check_value(line, key, new)
        if bad:
            summary.refuse(r.row, "value", bad[0])
            continue
        if old is None and new.empty and not new.note:
            summary.ignored += 1  # clearing a figure that does not exist
            continue
        if old is not None and (old.value, old.text_value, old.note) == (
            new.value, new.text_value, new.note
        ):
            summary.ignored += 1
            continue
        new.version += 1
        new.updated_by, new.updated_at = actor, at
        if new.empty and not new.note:
            sub.figures.pop(key, None)
        else:
            sub.figures[key] = new
        if old is None:
            summary.imported += 1
        else:
            summary.updated += 1
        changes.append(FigureChange(
            key, line.office_code, old.display if old else "(trống)", new.display,
            old.note if old else "", new.note, actor, at, new.version, reason,
        ))
    if changes:
        sub.version += 1
        sub.changes.extend(changes)
    return changes
