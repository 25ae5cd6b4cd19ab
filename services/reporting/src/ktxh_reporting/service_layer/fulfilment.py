"""Use case: how each agency and locality met its targets (GetTargetFulfilment, "đánh giá mức
độ hoàn thành chỉ tiêu của từng cơ quan, địa phương").

For the requested unit and each unit directly under it: the figures with a target in force for
the period (a year, or as of a date: the year's target), and how many are met, at risk
(behind, period not over), missed (period over) or have no figure yet. The judgement is the
roll-ups' own (`GetRollup`'s achievement: polarity, comparison and ranges, as % of plan), so
this table agrees with the indicator report and the dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import HUNDRED, Unit
from ktxh_reporting.service_layer.ports import ReadModel, TargetRow
from ktxh_reporting.service_layer.rollups import IN_FORCE, REPORTING_KINDS, GetRollup, RollupResult, get_rollup


class TargetCodes(Protocol):
    async def target_indicator_codes(self, scope: Scope, *, year: int) -> list[str]: ...


@dataclass(frozen=True)
class GetTargetFulfilment:
    org_unit_code: str
    period_code: str


@dataclass(frozen=True)
class FulfilmentRow:
    unit: Unit
    is_total: bool
    assigned: int = 0
    achieved: int = 0
    at_risk: int = 0
    missed: int = 0
    no_data: int = 0
    not_assessed: int = 0

    @property
    def achieved_percent(self) -> Decimal | None:
        if not self.assigned:
            return None
        return (Decimal(self.achieved) * HUNDRED / Decimal(self.assigned)).quantize(Decimal("0.1"))


@dataclass
class Fulfilment:
    period: Period
    unit: Unit
    rows: list[FulfilmentRow]
    as_of: object = None


def tally(result: RollupResult, targets_by_unit: dict[str, set[str]]) -> list[FulfilmentRow]:
    """Pure: counts per unit from the roll-up's lines; `targets_by_unit` holds the figure keys
    with a target in force for each unit (those without any line have no figure)."""
    out: list[FulfilmentRow] = []
    units: list[Unit] = []
    for line in result.lines:
        if all(u.id != line.unit.id for u in units):
            units.append(line.unit)
    for unit_id in targets_by_unit:
        if all(u.id != unit_id for u in units):
            units.append(Unit(unit_id))
    for unit in units:
        keys = targets_by_unit.get(unit.id, set())
        seen: set[str] = set()
        counts = {"achieved": 0, "at_risk": 0, "missed": 0, "no_data": 0, "not_assessed": 0}
        for line in result.lines:
            if (line.unit.id != unit.id or line.target is None or line.target.value is None
                    or line.target.derived):  # only targets assigned to the unit itself count
                continue
            seen.add(line.key.text)
            if line.value is None:
                counts["no_data"] += 1
            elif line.achievement in ("achieved", "at_risk", "missed"):
                counts[line.achievement] += 1
            else:
                counts["not_assessed"] += 1
        counts["no_data"] += len(keys - seen)
        out.append(FulfilmentRow(unit, unit.id == result.unit.id, assigned=len(keys | seen), **counts))
    total = [r for r in out if r.is_total]
    return total + sorted((r for r in out if not r.is_total), key=lambda r: r.unit.code)


def in_force(r: TargetRow, period: Period) -> bool:
    """The same test as the roll-ups' `pick_target`: a target for the period or its year, in
    force at the period's end."""
    day = period.end.isoformat()
    return (r.period_code in {period.code, str(period.year)} and r.status in IN_FORCE
            and (not r.effective_from or r.effective_from <= day)
            and (not r.effective_to or day < r.effective_to) and bool(r.value))


async def get_fulfilment(q: GetTargetFulfilment, rm: ReadModel, codes: TargetCodes, principal: Principal,
                         today: date) -> Fulfilment:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    if not q.org_unit_code.strip():
        raise InvalidArgument.single("org_unit_code", "Chưa chọn đơn vị")
    period = Period.parse(q.period_code.strip())
    indicator_codes = await codes.target_indicator_codes(scope, year=period.year)
    if indicator_codes:
        result = await get_rollup(GetRollup(period_code=period.code, org_unit_code=q.org_unit_code.strip(),
                                            indicator_codes=tuple(indicator_codes), include_children=True),
                                  rm, principal, today)
    else:
        root = await rm.unit(scope, code=q.org_unit_code.strip())
        if root is None:
            raise NotFound(f"Không tìm thấy đơn vị {q.org_unit_code}")
        result = RollupResult(period, root)
    units = {u.id: u for u in await rm.units(scope.province)}
    day = period.end.isoformat()
    unit_ids = sorted({result.unit.id} | {u.id for u in units.values()  # agencies and localities
                                          if u.parent_id == result.unit.id and u.valid_on(day)
                                          and u.kind in REPORTING_KINDS})
    rows = await rm.targets(scope.province, unit_ids, indicator_codes) if indicator_codes else []
    by_unit: dict[str, set[str]] = {u: set() for u in unit_ids}
    for r in rows:
        if in_force(r, period):
            by_unit[r.unit_id].add(r.figure_key)
    named = [FulfilmentRow(units.get(r.unit.id, r.unit), r.is_total, r.assigned, r.achieved, r.at_risk,
                           r.missed, r.no_data, r.not_assessed) for r in tally(result, by_unit)
             if r.unit.id in by_unit]
    named.sort(key=lambda r: (not r.is_total, r.unit.code))
    return Fulfilment(period, result.unit, named, result.as_of)
