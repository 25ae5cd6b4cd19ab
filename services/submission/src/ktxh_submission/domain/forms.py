"""The report form built from what a unit was given (issue 11, point 2).

A unit's form for a period is built, when the report is opened, from:

- the indicator sets in force for the unit's kind on the period's last day (catalog): every
  item becomes a line; it is *required* when the set (or the indicator) reports it for the
  period's kind (a monthly report lists the whole set, but only the monthly indicators must
  be filled in before sending);
- the targets in force for the unit (assignment): an assigned indicator outside every set is
  added as a required line; the target whose period holds the report's period (the most
  specific one: a month's target before the year's) stands beside the figure;
- the key tasks assigned to the unit: one task-progress row each, reported by the task's lead
  office (catalog `lead_office`, mapped like a line's office).

**The office entering a line** is the set item's `responsible_office` (the catalog's
"đơn vị thực hiện", e.g. `PKT`) mapped to the unit's own office `<unit code>.<office>`
(`10846.PKT`), as the seed's unit tree names them. When the unit has no such office (a unit
without offices, or an assigned indicator outside every set), the set's
`consolidating_office` enters it, and failing that the unit itself.

The built form is snapshotted into the report: later changes of the catalog or new
assignments do not change an opened report.

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ktxh_submission.domain.figures import Dimension, FigureKey, FigureKind, FormLine, ValueType
from ktxh_submission.domain.periods import Period, PeriodKind

__all__ = [
    "AssignedTarget",
    "AssignedTask",
    "BuiltForm",
    "CatalogIndicator",
    "FormTarget",
    "IndicatorSetInfo",
    "SetItem",
    "TaskRow",
    "build_form",
    "estimate_due",
]


@dataclass(frozen=True)
class CatalogIndicator:
    """What the form needs of a catalog indicator in force."""

    code: str
    name: str
    unit: str = ""
    value_type: ValueType = ValueType.NUMBER
    time_aggregation: str = ""  # flow | stock | rate | average | none
    frequencies: frozenset[PeriodKind] = frozenset()
    dimensions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, member codes)


@dataclass(frozen=True)
class SetItem:
    indicator_code: str
    responsible_office: str = ""  # office code inside the unit, e.g. "PKT"
    frequencies: frozenset[PeriodKind] = frozenset()  # empty = the indicator's own


@dataclass(frozen=True)
class IndicatorSetInfo:
    code: str
    items: tuple[SetItem, ...]
    consolidating_office: str = ""
    calendar_code: str = ""


@dataclass(frozen=True)
class AssignedTarget:
    """A target in force for the unit (kind ``target`` on the assignment side)."""

    key: FigureKey  # the figure it is for (kind ACTUAL here)
    period: Period
    value: Decimal | None = None
    value_max: Decimal | None = None  # a RANGE's upper bound
    comparison: str = ""  # at_least | at_most | equal | range
    text: str = ""


@dataclass(frozen=True)
class AssignedTask:
    key_task_id: str
    key_task_code: str
    name: str
    deadline: date | None = None
    lead_office: str = ""  # the catalog's proposed lead office code, e.g. "VP"


@dataclass(frozen=True)
class FormTarget:
    """The target beside one figure: a value, or a range low–high (decimal texts)."""

    value: str = ""
    low: str = ""
    high: str = ""
    text: str = ""


@dataclass(frozen=True)
class TaskRow:
    key_task_id: str
    key_task_code: str
    name: str
    deadline: date | None = None
    office_code: str = ""  # the office reporting its progress (the lead office, mapped)


@dataclass
class BuiltForm:
    lines: list[FormLine]
    targets: dict[FigureKey, FormTarget] = field(default_factory=dict)
    tasks: list[TaskRow] = field(default_factory=list)
    calendar_code: str = ""


def estimate_due(period: Period) -> bool:
    """The full-year estimate (ước thực hiện cả năm) is asked from the 9-month report on: a
    period of the year ending in September or later (month 9–12, Q3, Q4, 9 months, the second
    half-year, the year)."""
    if period.kind in (PeriodKind.PLAN_PERIOD, PeriodKind.POINT_IN_TIME):
        return False
    return period.last_month[1] >= 9


def _due(kind: PeriodKind, item: SetItem | None, ind: CatalogIndicator) -> bool:
    freq = (item.frequencies if item is not None and item.frequencies else ind.frequencies)
    return not freq or kind in freq


def _line(
    ind: CatalogIndicator, office: str, required: bool, period: Period
) -> FormLine:
    return FormLine(
        indicator_code=ind.code, name=ind.name, office_code=office,
        value_type=ind.value_type, unit=ind.unit, required=required,
        # The catalog does not say whether a dimension's members add up to a total, so a
        # built form never claims it (the parts-vs-total check needs an explicit form).
        dimensions=tuple(Dimension(code, members, additive=False) for code, members in ind.dimensions),
        time_aggregation=ind.time_aggregation,
        estimate=estimate_due(period) and ind.value_type is not ValueType.TEXT,
    )


def _target(t: AssignedTarget) -> FormTarget:
    def s(d: Decimal | None) -> str:
        return "" if d is None else str(d)

    if t.comparison == "range" or t.value_max is not None:
        return FormTarget(low=s(t.value), high=s(t.value_max), text=t.text)
    return FormTarget(value=s(t.value), text=t.text)


def build_form(
    *,
    unit_code: str,
    period: Period,
    sets: list[IndicatorSetInfo],
    indicators: dict[str, CatalogIndicator],
    targets: list[AssignedTarget],
    tasks: list[AssignedTask],
    offices: set[str],
) -> BuiltForm:
    """`offices`: the codes of the unit's own offices (e.g. ``{"10846.PKT", …}``)."""

    def office_of(responsible: str, consolidating: str) -> str:
        for code in (responsible, consolidating):
            if code and f"{unit_code}.{code}" in offices:
                return f"{unit_code}.{code}"
        return unit_code

    lines: dict[str, FormLine] = {}
    consolidating = next((s.consolidating_office for s in sets if s.consolidating_office), "")
    for s in sets:
        for item in s.items:
            ind = indicators.get(item.indicator_code)
            if ind is None or item.indicator_code in lines:
                continue  # not in force on the period's last day, or already in an earlier set
            lines[ind.code] = _line(
                ind, office_of(item.responsible_office, s.consolidating_office),
                _due(period.kind, item, ind), period,
            )
    chosen: dict[FigureKey, AssignedTarget] = {}
    for t in targets:
        if not (t.period.start <= period.start and period.end <= t.period.end):
            continue  # a target for another period
        key = FigureKey(t.key.indicator_code, t.key.members, FigureKind.ACTUAL)
        best = chosen.get(key)
        if best is None or t.period.start > best.period.start or (
            t.period.start == best.period.start and t.period.end < best.period.end
        ):
            chosen[key] = t
        if key.indicator_code not in lines and key.indicator_code in indicators:
            lines[key.indicator_code] = _line(
                indicators[key.indicator_code], office_of("", consolidating), True, period)
    form_targets: dict[FigureKey, FormTarget] = {}
    for key, t in chosen.items():
        if key.indicator_code in lines:
            form_targets[key] = _target(t)
            if lines[key.indicator_code].estimate:
                form_targets[FigureKey(key.indicator_code, key.members, FigureKind.ESTIMATE)] = _target(t)
    rows = [TaskRow(t.key_task_id, t.key_task_code, t.name, t.deadline,
                    office_of(t.lead_office, consolidating))
            for t in sorted(tasks, key=lambda t: t.key_task_code)]
    calendar = next((s.calendar_code for s in sets if s.calendar_code), "")
    return BuiltForm(list(lines.values()), form_targets, rows, calendar)
