"""Use case: the roll-up of a unit for a period (GetRollup), each figure beside its target,
the same period last year, the growth and year to date. One read-only session per call."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import (
    HUNDRED,
    Engine,
    FigureRef,
    Rollup,
    Rule,
    Target,
    Tree,
    Unit,
    achievement,
)
from ktxh_reporting.service_layer.derived_targets import RULES, derived_target, group_targets
from ktxh_reporting.service_layer.ports import ReadModel, RuleRevision, TargetRow

# Kinds of unit expected to hand in reports of their own (offices and the Front do not).
REPORTING_KINDS = ("province", "district", "commune", "agency")
IN_FORCE = ("issued", "acknowledged", "superseded")


@dataclass(frozen=True)
class GetRollup:
    period_code: str
    org_unit_id: str = ""
    org_unit_code: str = ""
    indicator_codes: tuple[str, ...] = ()
    include_children: bool = False
    use_estimates: bool = False


@dataclass(frozen=True)
class RollupLine:
    unit: Unit
    key: FigureRef
    rule: Rule
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text_value: str = ""
    target: Target | None = None
    plan_percent: Decimal | None = None
    achievement: str = "unspecified"
    previous_year: Decimal | None = None
    growth_percent: Decimal | None = None
    percent_of_previous_year: Decimal | None = None
    year_to_date: Decimal | None = None
    estimated: bool = False
    reporting_units: int = 0
    expected_units: int = 0
    is_total: bool = True


@dataclass
class RollupResult:
    period: Period
    unit: Unit
    lines: list[RollupLine] = field(default_factory=list)
    as_of: datetime | None = None


def rule_in_force(revisions: list[RuleRevision], day: date) -> dict[str, Rule]:
    """The revision of each indicator in force on `day` (the latest that started by then;
    the first one for periods before it existed)."""
    by_code: dict[str, list[RuleRevision]] = defaultdict(list)
    for r in revisions:
        by_code[r.code].append(r)
    out = {}
    text = day.isoformat()
    for code, revs in by_code.items():
        started = [r for r in revs if not r.valid_from or r.valid_from <= text]
        live = [r for r in started if not r.retired] or [r for r in revs if not r.retired] or revs
        out[code] = max(live, key=lambda r: r.valid_from or "") if started else live[0]
        out[code] = out[code].rule
    return out


def _inputs(rule: Rule) -> set[str]:
    codes = {c for c in (rule.numerator, rule.denominator, rule.weight) if c}
    if rule.formula:
        codes |= {m.split("[")[0] for m in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]]*\])?", rule.formula)
                  if m not in ("growth", "share")}
    return codes


def period_codes_needed(periods: list[Period]) -> set[str]:
    codes: set[str] = set()
    stack = list(periods)
    while stack:
        p = stack.pop()
        if p.code in codes:
            continue
        codes.add(p.code)
        for way in p.parts():
            stack.extend(way)
    return codes


def pick_target(rows: list[TargetRow], unit_id: str, key: FigureRef, period: Period) -> Target | None:
    """The target in force at the end of the period for the unit and figure: for the period
    itself (a year, a plan period), else for its year; a later decision supersedes."""
    day = period.end.isoformat()
    wanted = {period.code, str(period.year)}
    candidates = [
        r for r in rows
        if r.unit_id == unit_id and r.figure_key == key.text and r.period_code in wanted
        and r.status in IN_FORCE and (not r.effective_from or r.effective_from <= day)
        and (not r.effective_to or day < r.effective_to)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda r: (r.period_code == period.code, r.effective_from))
    return Target(Decimal(best.value) if best.value else None,
                  Decimal(best.value_max) if best.value_max else None, best.comparison,
                  best.period_code)


def _ended(period_code: str, today: date) -> bool:
    try:
        return Period.parse(period_code).end < today
    except InvalidArgument:
        return False


async def _load_rules(rm: ReadModel, province: str, codes: set[str]) -> tuple[list[RuleRevision], set[str]]:
    """The rules of `codes` and of every indicator they are computed from (transitively)."""
    wanted, frontier, revisions = set(codes), set(codes), []
    while frontier:
        found = await rm.rules(province, frontier)
        revisions += found
        frontier = set().union(*(_inputs(r.rule) for r in found)) - wanted
        wanted |= frontier
    return revisions, wanted


@dataclass
class Inputs:
    """What a roll-up reads: rule revisions, fact rows, and the facts keyed for the engine
    (estimates stand in for missing actual figures when asked)."""

    revisions: list[RuleRevision]
    fact_rows: list
    codes: set[str]
    facts: dict[tuple[str, str, str], Decimal]
    texts: dict[tuple[str, str, str], str]
    estimated: set[tuple[str, str, str]]


async def load_inputs(rm: ReadModel, scope: Scope, root_id: str, codes: set[str] | None, needed: set[str],
                      kinds: tuple[str, ...], opened: set[tuple[str, str]] | None) -> Inputs:
    # rules first, to know the inputs (numerator, denominator, weight, formula) to load
    if codes is None:  # every indicator with a figure in reach for these periods
        fact_rows = await rm.facts(scope, codes=None, period_codes=needed, kinds=kinds)
        codes = {f.key.indicator_code for f in fact_rows}
        # and the indicators computed from them (rates, derived formulas)
        codes |= {r.code for r in await rm.rules(scope.province, None)
                  if (r.rule.formula or (r.rule.numerator and r.rule.denominator))
                  and _inputs(r.rule) & codes}
        revisions, wanted = await _load_rules(rm, scope.province, codes)
        extra = wanted - codes
        if extra:
            fact_rows += await rm.facts(scope, codes=extra, period_codes=needed, kinds=kinds)
    else:
        revisions, wanted = await _load_rules(rm, scope.province, codes)
        fact_rows = await rm.facts(scope, codes=wanted, period_codes=needed, kinds=kinds)
    if opened is not None:
        fact_rows = [f for f in fact_rows if (f.unit_id, f.key.indicator_code) in opened]
        codes = {c for c in codes if (root_id, c) in opened}

    facts: dict[tuple[str, str, str], Decimal] = {}
    texts: dict[tuple[str, str, str], str] = {}
    estimated: set[tuple[str, str, str]] = set()
    for f in sorted(fact_rows, key=lambda f: f.key.kind != "actual"):  # actual first
        k = (f.unit_id, FigureRef(f.key.indicator_code, f.key.members, "actual").text, f.period_code)
        if k in facts or k in texts:
            continue
        if f.key.kind == "estimate":
            estimated.add(k)
        if f.value is not None:
            facts[k] = f.value
        else:
            texts[k] = f.text_value
    return Inputs(revisions, fact_rows, codes, facts, texts, estimated)


async def get_rollup(q: GetRollup, rm: ReadModel, principal: Principal, today: date) -> RollupResult:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    period = Period.parse(q.period_code)
    if not (q.org_unit_id or q.org_unit_code):
        raise InvalidArgument.single("org_unit_code", "Chưa chọn đơn vị")
    root = await rm.unit(scope, unit_id=q.org_unit_id, code=q.org_unit_code)
    if root is None:
        raise NotFound(f"Không tìm thấy đơn vị {q.org_unit_code or q.org_unit_id}")
    tree = Tree(await rm.units(scope.province))
    opened = await rm.opened_to_front(scope)

    previous = period.same_period_last_year()
    periods = [period, previous]
    ytd = period.year_to_date()
    if ytd is not None:
        periods.append(ytd)
    kinds = ("actual", "estimate") if q.use_estimates else ("actual",)

    data = await load_inputs(rm, scope, root.id, set(q.indicator_codes) or None,
                             period_codes_needed(periods), kinds, opened)
    revisions, fact_rows, codes = data.revisions, data.fact_rows, data.codes
    facts, texts, estimated = data.facts, data.texts, data.estimated
    rules = rule_in_force(revisions, period.end)
    engine = Engine(rules, tree, facts)
    previous_engine = Engine(rule_in_force(revisions, previous.end), tree, facts)

    keys = {FigureRef(f.key.indicator_code, f.key.members, "actual")
            for f in fact_rows if f.key.indicator_code in codes}
    for c in codes:  # computed indicators: one row per member set of their numerator
        rule = rules.get(c)
        if rule is None or not (rule.formula or (rule.spatial == "ratio" and rule.numerator)):
            continue
        keys |= {FigureRef(c, f.key.members) for f in fact_rows
                 if f.key.indicator_code == rule.numerator} or {FigureRef(c)}
    keys = sorted(keys)
    units = [root]
    if q.include_children:
        units += [tree.units[c] for c in tree.children.get(root.id, ())
                  if c in tree.units and tree.units[c].valid_on(period.end.isoformat())]
    target_rows = await rm.targets(scope.province, [u.id for u in units], {k.indicator_code for k in keys})
    # a unit assigned nothing shows its children's targets (service_layer/derived_targets.py):
    # only then are the targets of the units under it read
    own = group_targets(target_rows)
    without = {k.indicator_code for u in units for k in keys if engine.rule(k.indicator_code).spatial in RULES
               and pick_target(own.get((u.id, k.text), []), u.id, k, period) is None}
    if without:
        below = {c for u in units for c in tree.contributors(u.id)} - {u.id for u in units}
        target_rows = [*target_rows, *await rm.targets(scope.province, below, without)] if below else target_rows
    targets_by = group_targets(target_rows)
    result = RollupResult(period, root, as_of=await rm.last_change(scope.province))
    day = period.end.isoformat()
    for unit in units:
        contributors = tree.contributors(unit.id)
        expected = [u for u in contributors if u in tree.units and tree.units[u].kind in REPORTING_KINDS
                    and tree.units[u].valid_on(day) and (u != unit.id or len(contributors) == 1)]
        for key in keys:
            rule = engine.rule(key.indicator_code)
            r: Rollup = engine.rollup(unit.id, key, period)
            before = previous_engine.rollup(unit.id, key, previous).value
            to_date = engine.rollup(unit.id, key, ytd).value if ytd is not None else None
            target = pick_target(targets_by.get((unit.id, key.text), []), unit.id, key, period)
            if target is None:
                target = derived_target(lambda u, k=key: pick_target(targets_by.get((u, k.text), []), u, k, period),
                                        tree, unit.id, key, period, rule)
            closed = target is not None and _ended(target.period_code, today)
            percent, status = achievement(r.value, target, rule, closed)
            growth = None
            if r.value is not None and before:
                growth = r.value / before * HUNDRED - HUNDRED
            used = set(r.unit_ids)
            result.lines.append(RollupLine(
                unit=unit, key=key, rule=rule, value=r.value, numerator=r.numerator,
                denominator=r.denominator, text_value=texts.get((unit.id, key.text, period.code), ""),
                target=target, plan_percent=percent, achievement=status, previous_year=before,
                growth_percent=growth,
                percent_of_previous_year=None if growth is None else growth + HUNDRED,
                year_to_date=to_date,
                estimated=any((u, key.text, period.code) in estimated for u in used),
                reporting_units=len(used & set(expected)) if expected else len(used),
                expected_units=len(expected), is_total=unit.id == root.id,
            ))
    return result


