"""Use case: load historical figures (back to 2010) straight into the read model.

Figures come in the data-values format (unit code, period code, figure key, value), each
checked on its own: a refused row is reported with its row number, field and reason and the
others still load. A figure already loaded with the same value is ignored, with another value
updated, else imported; a dry run computes the same summary and writes nothing. A unit and
period whose report was accepted in the system is refused: the live figures win. Loaded figures
are facts like any accepted report's, so every roll-up, export and dashboard includes them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import FigureRef

__all__ = ["FIRST_YEAR", "HistoricalRow", "HistoryStore", "ImportSummary", "Refusal",
           "history_id", "import_historical"]

FIRST_YEAR = 2010
MAX_ROWS = 10_000
_NAMESPACE = uuid.UUID("6f1c3a52-2d0e-4f43-9a55-0b8f8b2f2010")


@dataclass(frozen=True)
class HistoricalRow:
    org_unit_code: str
    period_code: str
    key: FigureRef
    value: str


@dataclass(frozen=True)
class Refusal:
    row: int  # 1-based, as in the file or list sent
    field: str
    reason: str


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    refused: list[Refusal] = field(default_factory=list)
    dry_run: bool = True


@dataclass(frozen=True)
class HistoricalFact:
    history_id: str  # one per unit and period (the read model's "report" of the history)
    unit_id: str
    period_code: str
    key: FigureRef
    value: str


class HistoryStore(Protocol):
    async def unit_ids(self, province: str, codes: set[str]) -> dict[str, str]: ...

    async def accepted(self, province: str, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]: ...

    async def values(self, ids: set[str]) -> dict[tuple[str, str], str]: ...

    async def save(self, province: str, facts: list[HistoricalFact], now: datetime) -> None: ...


class HistoryUnitOfWork(Protocol):
    history: HistoryStore

    async def __aenter__(self) -> HistoryUnitOfWork: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...


def history_id(unit_id: str, period_code: str) -> str:
    """A stable id per unit and period, so a re-import replaces rather than adds."""
    return str(uuid.uuid5(_NAMESPACE, f"{unit_id}|{period_code}"))


def _value(text: str) -> str | None:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        return None
    return format(d.normalize(), "f") if d.is_finite() else None


async def import_historical(rows: list[HistoricalRow], *, dry_run: bool, uow: HistoryUnitOfWork,
                            principal: Principal, today: date, now: datetime) -> ImportSummary:
    scope = authorize(principal, Resource.REPORT, Action.WRITE)
    if scope.unit_code is not None:
        raise NotFound("Không tìm thấy chức năng nhập số liệu lịch sử")
    if len(rows) > MAX_ROWS:
        raise InvalidArgument.single("data_values", f"Tối đa {MAX_ROWS:,} số liệu mỗi lần nhập"
                                     .replace(",", "."))
    summary = ImportSummary(dry_run=dry_run)
    async with uow:
        units = await uow.history.unit_ids(scope.province, {r.org_unit_code for r in rows})
        good: list[tuple[int, HistoricalRow, str, str]] = []
        for n, r in enumerate(rows, start=1):
            unit_id = units.get(r.org_unit_code)
            if unit_id is None:
                summary.refused.append(Refusal(n, "org_unit_code",
                                               f"Không có đơn vị mã {r.org_unit_code}"))
                continue
            try:
                period = Period.parse(r.period_code)
            except InvalidArgument as err:
                summary.refused.append(Refusal(n, "period_code", err.violations[0].message))
                continue
            if not FIRST_YEAR <= period.year <= today.year or period.end > today:
                summary.refused.append(Refusal(
                    n, "period_code", f"Kỳ phải đã kết thúc, từ năm {FIRST_YEAR} đến nay"))
                continue
            if not r.key.indicator_code or r.key.kind != "actual":
                summary.refused.append(Refusal(n, "key", "Chỉ nhập số thực hiện của một chỉ tiêu"))
                continue
            value = _value(r.value)
            if value is None:
                summary.refused.append(Refusal(n, "value", f"'{r.value}' không phải là một số"))
                continue
            good.append((n, r, unit_id, value))
        live = await uow.history.accepted(scope.province, {(u, r.period_code) for _, r, u, _ in good})
        ids = {history_id(u, r.period_code) for _, r, u, _ in good}
        stored = await uow.history.values(ids)
        latest: dict[tuple[str, str], HistoricalFact] = {}
        for n, r, unit_id, value in good:
            if (unit_id, r.period_code) in live:
                summary.refused.append(Refusal(
                    n, "period_code",
                    f"Đơn vị {r.org_unit_code} đã có báo cáo kỳ {r.period_code} được tiếp nhận"))
                continue
            hid = history_id(unit_id, r.period_code)
            before = stored.get((hid, r.key.text))
            if before is not None and Decimal(before) == Decimal(value):
                summary.ignored += 1
                continue
            if before is None and (hid, r.key.text) not in latest:
                summary.imported += 1
            else:
                summary.updated += 1
            latest[(hid, r.key.text)] = HistoricalFact(hid, unit_id, r.period_code, r.key, value)
        if not dry_run and latest:
            await uow.history.save(scope.province, list(latest.values()), now)
            await uow.commit()
    summary.refused.sort(key=lambda x: x.row)
    return summary
