"""Use cases: an indicator's time series (GetIndicatorSeries), submission progress for a
period (GetSubmissionProgress) and accepted figures read incrementally (ListFigures). One
read-only session per call; every read is limited to the caller's scope in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.periods import Period, PeriodKind
from ktxh_reporting.domain.rollups import Engine, FigureRef, Target, Tree, Unit
from ktxh_reporting.service_layer.ports import FactRow, ReadModel
from ktxh_reporting.service_layer.rollups import (
    REPORTING_KINDS,
    load_inputs,
    period_codes_needed,
    pick_target,
    rule_in_force,
)

MAX_SERIES_POINTS = 400


async def _root(rm: ReadModel, scope, unit_id: str, code: str) -> Unit:
    if not (unit_id or code):
        raise InvalidArgument.single("org_unit_code", "Chưa chọn đơn vị")
    root = await rm.unit(scope, unit_id=unit_id, code=code)
    if root is None:
        raise NotFound(f"Không tìm thấy đơn vị {code or unit_id}")
    return root


# ---------------------------------------------------------------------- series


@dataclass(frozen=True)
class GetSeries:
    key: FigureRef
    kind: PeriodKind
    from_year: int
    to_year: int
    org_unit_id: str = ""
    org_unit_code: str = ""


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: Decimal | None
    target: Target | None
    estimated: bool = False


def periods_of(kind: PeriodKind, first: int, last: int) -> list[Period]:
    out: list[Period] = []
    for y in range(first, last + 1):
        match kind:
            case PeriodKind.MONTH:
                out += [Period(kind, y, m) for m in range(1, 13)]
            case PeriodKind.QUARTER:
                out += [Period(kind, y, q) for q in range(1, 5)]
            case PeriodKind.HALF_YEAR:
                out += [Period(kind, y, h) for h in (1, 2)]
            case PeriodKind.NINE_MONTHS | PeriodKind.YEAR:
                out.append(Period(kind, y))
            case PeriodKind.PLAN_PERIOD:
                if (y - first) % 5 == 0:
                    out.append(Period.plan_period(y))
            case _:
                raise InvalidArgument.single("kind", "Chuỗi số liệu không theo kỳ 'thời điểm'")
    return out


async def get_series(q: GetSeries, rm: ReadModel, principal: Principal, today: date) -> list[SeriesPoint]:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    if not q.key.indicator_code:
        raise InvalidArgument.single("indicator_code", "Chưa chọn chỉ tiêu")
    last = q.to_year or today.year
    if not 1900 <= q.from_year <= last <= 9990:
        raise InvalidArgument.single("from", "Khoảng năm không hợp lệ (từ năm phải không sau đến năm)")
    periods = periods_of(q.kind, q.from_year, last)
    if len(periods) > MAX_SERIES_POINTS:
        raise InvalidArgument.single("from", f"Tối đa {MAX_SERIES_POINTS} kỳ trong một chuỗi")
    root = await _root(rm, scope, q.org_unit_id, q.org_unit_code)
    tree = Tree(await rm.units(scope.province))
    opened = await rm.opened_to_front(scope)
    kinds = ("actual", "estimate") if q.key.kind == "estimate" else ("actual",)
    data = await load_inputs(rm, scope, root.id, {q.key.indicator_code}, period_codes_needed(periods),
                             kinds, opened)
    if q.key.indicator_code not in data.codes:
        return []
    targets = await rm.targets(scope.province, [root.id], [q.key.indicator_code])
    key = FigureRef(q.key.indicator_code, q.key.members, "actual")
    points = []
    for p in periods:
        engine = Engine(rule_in_force(data.revisions, p.end), tree, data.facts)
        r = engine.rollup(root.id, key, p)
        points.append(SeriesPoint(p, r.value, pick_target(targets, root.id, key, p),
                                  any((u, key.text, p.code) in data.estimated for u in r.unit_ids)))
    return points


# ---------------------------------------------------------------------- progress


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    submission_id: str = ""
    status: str = "not_opened"  # sent | returned | accepted | reopened | not_opened
    deadline: str = ""
    sent_at: datetime | None = None
    accepted_at: datetime | None = None
    timeliness: str = ""
    days_late: int = 0


@dataclass
class Progress:
    period: Period
    units: list[UnitProgress] = field(default_factory=list)

    def count_by_status(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for u in self.units:
            out[u.status] = out.get(u.status, 0) + 1
        return out


async def get_progress(period_code: str, rm: ReadModel, principal: Principal, *, org_unit_id: str = "",
                       org_unit_code: str = "") -> Progress:
    """Every unit under the given one expected to report (provinces, districts, communes,
    agencies in force at the end of the period), with the state of its report as the
    submission events told it: sent, returned, accepted, reopened, or not sent yet."""
    scope = authorize(principal, Resource.REPORT, Action.READ)
    period = Period.parse(period_code)
    root = await _root(rm, scope, org_unit_id, org_unit_code)
    tree = Tree(await rm.units(scope.province))
    day = period.end.isoformat()
    expected = [tree.units[u] for u in tree.contributors(root.id)
                if u != root.id and tree.units[u].kind in REPORTING_KINDS and tree.units[u].valid_on(day)]
    states = {s.org_unit_id: s for s in await rm.report_states(scope, period.code)}
    out = Progress(period)
    for unit in sorted(expected, key=lambda u: u.code):
        s = states.get(unit.id)
        if s is None:
            out.units.append(UnitProgress(unit))
            continue
        out.units.append(UnitProgress(unit, s.submission_id, s.status, s.deadline, s.sent_at,
                                      s.accepted_at, s.timeliness, s.days_late))
    return out


# ---------------------------------------------------------------------- incremental figures


@dataclass(frozen=True)
class ListFigures:
    indicator_code: str = ""
    org_unit_code: str = ""
    period_code: str = ""
    updated_since: datetime | None = None
    page_size: int = 1000
    page_token: str = ""


async def list_figures(q: ListFigures, rm: ReadModel, principal: Principal
                       ) -> tuple[list[tuple[Unit, FactRow]], str]:
    scope = authorize(principal, Resource.FIGURES, Action.READ)
    if q.period_code:
        Period.parse(q.period_code)
    if not 0 <= q.page_size <= 10_000:
        raise InvalidArgument.single("page_size", "Số dòng mỗi trang từ 1 đến 10000")
    tree = Tree(await rm.units(scope.province))
    unit_ids = None
    if q.org_unit_code:
        root = await _root(rm, scope, "", q.org_unit_code)
        unit_ids = tree.contributors(root.id)
    opened = await rm.opened_to_front(scope)
    rows, token = await rm.figures_page(scope, indicator_code=q.indicator_code, period_code=q.period_code,
                                        unit_ids=unit_ids, updated_since=q.updated_since,
                                        limit=q.page_size or 1000, page_token=q.page_token)
    if opened is not None:
        rows = [r for r in rows if (r.unit_id, r.key.indicator_code) in opened]
    return [(tree.units.get(r.unit_id, Unit(r.unit_id)), r) for r in rows], token
