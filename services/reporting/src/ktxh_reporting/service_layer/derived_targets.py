"""A unit's target when only the units under it were assigned one (issue 12, "a parent's
target ... = the sum (or the indicator's rule) of the children's targets, shown as such").

A target assigned to the unit itself always wins. Otherwise, for an indicator summed over
units, the unit's target is the sum of its direct children's targets in force (each the
child's own, else its own children's, recursively); `average`, `min` and `max` take that rule
over the children's targets. Rates (a ratio of sums), weighted averages and formulas have no
target of their own from the children's (it would need the targets of their parts), nor do
ranged targets. The result is marked `derived` so every output can say so."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import FigureRef, Rule, Target, Tree
from ktxh_reporting.service_layer.ports import TargetRow

RULES: dict[str, Callable[[list[Decimal]], Decimal]] = {
    "sum": sum,  # type: ignore[dict-item]
    "average": lambda xs: sum(xs) / len(xs),
    "min": min,
    "max": max,
}


def derived_target(pick: Callable[[str], Target | None], tree: Tree, unit_id: str, key: FigureRef,
                   period: Period, rule: Rule, depth: int = 0) -> Target | None:
    """`pick(unit_id)` is the target assigned to a unit (None if none); the children are the
    units directly under `unit_id` in force at the end of the period."""
    combine = RULES.get(rule.spatial)
    if combine is None or depth > 12:
        return None
    day = period.end.isoformat()
    values: list[Decimal] = []
    period_code = ""
    for child in sorted(tree.children.get(unit_id, ())):
        unit = tree.units.get(child)
        if unit is None or not unit.valid_on(day):
            continue
        t = pick(child) or derived_target(pick, tree, child, key, period, rule, depth + 1)
        if t is None or t.value is None:
            continue
        if t.value_max is not None:
            return None  # a range has no sum
        values.append(t.value)
        period_code = period_code or t.period_code
    if not values:
        return None
    return Target(combine(values), None, "", period_code, derived=True)


def group_targets(rows: Iterable[TargetRow]) -> dict[tuple[str, str], list[TargetRow]]:
    """Target rows by (unit id, figure key text), so picking one unit's target is cheap."""
    out: dict[tuple[str, str], list[TargetRow]] = defaultdict(list)
    for r in rows:
        out[(r.unit_id, r.figure_key)].append(r)
    return out


__all__ = ["derived_target", "group_targets"]
