"""The cascade check (issue 10, item 6): a unit passes on what it received to its own units;
its decision's sub-targets are compared with the unit's own target for the same figure.

Additive indicators (spatial aggregation SUM) are summed: the sum falling short of the own
target is a warning (for lower-is-better indicators, the sum exceeding it). Rates and averages
are not summed: each sub-target is shown beside the own target, and the warning comes only
when every sub-target is less ambitious than the own target. Warnings never block issuing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ktxh_assignment.domain.decisions import Assignment, Target, parse_decimal


@dataclass(frozen=True)
class IndicatorInfo:
    """What the assignment service needs to know of a catalog indicator."""

    code: str
    unit_of_measure: str
    additive: bool  # spatial aggregation SUM
    polarity: str  # higher_is_better, lower_is_better, neutral, within_range ("" = unknown)
    dimensions: dict[str, dict[str, str]]  # dimension code -> member code -> unit of measure


@dataclass(frozen=True)
class SubTarget:
    assignee_unit_id: str
    target_value: str


@dataclass(frozen=True)
class CascadeRow:
    target: Target  # the figure and period (from the first sub-target)
    unit_of_measure: str
    aggregation: str  # "sum" | "compared"
    own_target: str
    sub_total: str
    sub_targets: tuple[SubTarget, ...]
    shortfall: str
    warning: str


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def check_cascade(
    own: dict[str, Assignment], subs: list[Assignment], info: dict[str, IndicatorInfo]
) -> list[CascadeRow]:
    """``own``: the issuer's own in-force targets by subject key; ``subs``: the decision's
    assignments (only indicator targets are compared)."""
    groups: dict[str, list[Assignment]] = {}
    for a in subs:
        if isinstance(a.subject, Target) and a.subject.target_value:
            groups.setdefault(a.subject_key, []).append(a)
    rows = []
    for key, items in groups.items():
        target = items[0].subject
        assert isinstance(target, Target)
        ind = info.get(target.indicator_code)
        additive = bool(ind and ind.additive)
        lower_better = bool(ind and ind.polarity == "lower_is_better")
        directional = bool(ind and ind.polarity in ("higher_is_better", "lower_is_better"))
        uom = target.unit_of_measure or (ind.unit_of_measure if ind else "")
        values = [parse_decimal(a.subject.target_value, "target_value") for a in items]  # type: ignore[union-attr]
        mine = own.get(key)
        own_value = None
        if mine is not None and isinstance(mine.subject, Target) and mine.subject.target_value:
            own_value = parse_decimal(mine.subject.target_value, "target_value")
        total = sum(values, Decimal(0))
        shortfall = Decimal(0)
        warning = ""
        if own_value is not None and directional:
            if additive:
                shortfall = (total - own_value) if lower_better else (own_value - total)
                if shortfall > 0:
                    if lower_better:
                        warning = (
                            f"Tổng chỉ tiêu giao cho các đơn vị ({_fmt(total)} {uom}) vượt mức "
                            f"được giao ({_fmt(own_value)} {uom}) {_fmt(shortfall)} {uom}"
                        ).replace("  ", " ")
                    else:
                        warning = (
                            f"Tổng chỉ tiêu giao cho các đơn vị ({_fmt(total)} {uom}) thấp hơn "
                            f"chỉ tiêu được giao ({_fmt(own_value)} {uom}): còn thiếu {_fmt(shortfall)} {uom}"
                        ).replace("  ", " ")
            else:
                weaker = [v > own_value if lower_better else v < own_value for v in values]
                if all(weaker):
                    gaps = [(v - own_value) if lower_better else (own_value - v) for v in values]
                    shortfall = min(gaps)
                    warning = (
                        f"Tất cả chỉ tiêu giao cho các đơn vị đều "
                        f"{'cao hơn' if lower_better else 'thấp hơn'} chỉ tiêu được giao "
                        f"({_fmt(own_value)} {uom})"
                    ).replace("  ", " ")
        rows.append(
            CascadeRow(
                target=target, unit_of_measure=uom,
                aggregation="sum" if additive else "compared",
                own_target=_fmt(own_value) if own_value is not None else "",
                sub_total=_fmt(total) if additive else "",
                sub_targets=tuple(
                    SubTarget(a.assignee_unit_id, a.subject.target_value)  # type: ignore[union-attr]
                    for a in items
                ),
                shortfall=_fmt(shortfall) if shortfall > 0 else "",
                warning=warning,
            )
        )
    return rows
