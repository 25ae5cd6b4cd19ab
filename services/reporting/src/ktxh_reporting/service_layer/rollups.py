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
    PartsEngine,
    Rollup,
    Rule,
    Target,
    Tree,
    Unit,
    achievement,
    tracked,
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


def _expected(tree: Tree, unit: Unit, day: str) -> list[str]:
    """The units expected to report toward `unit`'s figures: reporting kinds in force that day
    (the unit itself only when nothing is under it)."""
    contributors = tree.contributors(unit.id)
    return [u for u in contributors if u in tree.units and tree.units[u].kind in REPORTING_KINDS
            and tree.units[u].valid_on(day) and (u != unit.id or len(contributors) == 1)]


def _computed_keys(rules: dict[str, Rule], codes: set[str], refs: set[FigureRef]) -> set[FigureRef]:
    """Rows of computed indicators: one per member set of their numerator (else one)."""
    keys: set[FigureRef] = set()
    for c in codes:
        rule = rules.get(c)
        if rule is None or not (rule.formula or (rule.spatial == "ratio" and rule.numerator)):
            continue
        keys |= {FigureRef(c, r.members) for r in refs if r.indicator_code == rule.numerator} or {FigureRef(c)}
    return keys


@dataclass
class _Prepared:
    engine: Engine
    previous_engine: Engine
    keys: list[FigureRef]
    texts: dict[tuple[str, str, str], str]
    estimated: set[tuple[str, str, str]]


async def _from_figures(q: GetRollup, rm: ReadModel, scope: Scope, root: Unit, tree: Tree, periods: list[Period],
                        opened: set[tuple[str, str]] | None) -> _Prepared:
    """Every figure of the periods involved loaded and rolled up here (estimates, the Front's
    opened pairs, points in time and plan periods that are not stored)."""
    period, previous = periods[0], periods[1]
    kinds = ("actual", "estimate") if q.use_estimates else ("actual",)
    # with the years before: derived growth of last year's line and of year to date reads them
    shown = period_codes_needed(periods)
    periods = periods + [p.shifted(-1) for p in periods[1:]]
    data = await load_inputs(rm, scope, root.id, set(q.indicator_codes) or None,
                             period_codes_needed(periods), kinds, opened)
    rules = rule_in_force(data.revisions, period.end)
    under = set(tree.contributors(root.id))  # rows for what the unit's own subtree reported
    refs = {FigureRef(f.key.indicator_code, f.key.members, "actual") for f in data.fact_rows
            if f.period_code in shown and f.unit_id in under}
    keys = {r for r in refs if r.indicator_code in data.codes} | _computed_keys(rules, data.codes, refs)
    return _Prepared(Engine(rules, tree, data.facts),
                     Engine(rule_in_force(data.revisions, previous.end), tree, data.facts),
                     sorted(keys), data.texts, data.estimated)


def _earlier(stored: list[Period]) -> list[Period]:
    """Of [period, last year's, the year before's, year to date, last year's year to date]:
    the ones only `growth()` of last year's lines reads."""
    return [stored[2], *stored[4:]]


async def _growth_inputs(rm: ReadModel, province: str) -> set[str]:
    """Indicators `growth(...)` reads (and what they are computed from): the only ones whose
    figures a year before the report's periods are needed."""
    revisions = await rm.rules(province, None)
    by_code: dict[str, set[str]] = {}
    for r in revisions:
        by_code.setdefault(r.code, set()).update(_inputs(r.rule))
    out: set[str] = set()
    for r in revisions:
        for m in re.finditer(r"growth\(\s*([A-Za-z_][A-Za-z0-9_.]*)", r.rule.formula):
            out.add(m.group(1))
    frontier = set(out)
    while frontier:
        frontier = set().union(*(by_code.get(c, set()) for c in frontier)) - out
        out |= frontier
    return out


async def _from_parts(q: GetRollup, rm: ReadModel, scope: Scope, root: Unit, tree: Tree, units: list[Unit],
                      stored: list[Period], day: str) -> _Prepared:
    """The stored contributions added up per subtree in the database: one row per figure key
    and period for each unit shown, whatever the number of figures under it."""
    period, previous = stored[0], stored[1]
    requested = set(q.indicator_codes) or None
    query_codes = None
    if requested is not None:
        _, query_codes = await _load_rules(rm, scope.province, requested)
    # the period two years back and last year's year to date only for what growth() reads
    main, before = [p for p in stored if p not in _earlier(stored)], _earlier(stored)
    grown = await _growth_inputs(rm, scope.province)
    if query_codes is not None:
        grown &= query_codes
    parts: dict = {}
    own: dict = {}
    for unit in units:
        contributors, expected = tree.contributors(unit.id), _expected(tree, unit, day)
        total, alone = await rm.contribution_parts(scope, unit.id, contributors, expected,
                                                   [p.code for p in main], query_codes)
        parts.update(total)
        own.update(alone)
        if grown:
            total, alone = await rm.contribution_parts(scope, unit.id, contributors, expected,
                                                       [p.code for p in before], grown)
            parts.update(total)
            own.update(alone)
    shown = {p.code for p in main}
    refs = {FigureRef.parse(k) for (u, k, pc) in parts if u == root.id and pc in shown}
    if requested is None:
        codes = {r.indicator_code for r in refs}
        codes |= {r.code for r in await rm.rules(scope.province, None)
                  if (r.rule.formula or (r.rule.numerator and r.rule.denominator)) and _inputs(r.rule) & codes}
    else:
        codes = requested
    revisions, _ = await _load_rules(rm, scope.province, codes)
    rules = rule_in_force(revisions, period.end)
    keys = {r for r in refs if r.indicator_code in codes} | _computed_keys(rules, codes, refs)
    return _Prepared(PartsEngine(rules, tree, parts, own),
                     PartsEngine(rule_in_force(revisions, previous.end), tree, parts, own),
                     sorted(keys), await rm.texts(scope, [u.id for u in units], period.code), set())


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
    day = period.end.isoformat()

    previous = period.same_period_last_year()
    periods = [period, previous]
    ytd = period.year_to_date()
    if ytd is not None:
        periods.append(ytd)
    units = [root]
    if q.include_children:
        units += [tree.units[c] for c in tree.children.get(root.id, ())
                  if c in tree.units and tree.units[c].valid_on(day)]
    # derived growth of last year's line reads the year before it
    stored = [period, previous, previous.shifted(-1)] + ([ytd, ytd.shifted(-1)] if ytd else [])
    if not q.use_estimates and opened is None and all(tracked(p) for p in stored):
        prepared = await _from_parts(q, rm, scope, root, tree, units, stored, day)
    else:
        prepared = await _from_figures(q, rm, scope, root, tree, periods, opened)
    engine, previous_engine, keys = prepared.engine, prepared.previous_engine, prepared.keys
    texts, estimated = prepared.texts, prepared.estimated

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
    for unit in units:
        expected = _expected(tree, unit, day)
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
            if r.reporting is not None:
                reporting = r.reporting
            else:
                reporting = len(used & set(expected)) if expected else len(used)
            result.lines.append(RollupLine(
                unit=unit, key=key, rule=rule, value=r.value, numerator=r.numerator,
                denominator=r.denominator, text_value=texts.get((unit.id, key.text, period.code), ""),
                target=target, plan_percent=percent, achievement=status, previous_year=before,
                growth_percent=growth,
                percent_of_previous_year=None if growth is None else growth + HUNDRED,
                year_to_date=to_date,
                estimated=any((u, key.text, period.code) in estimated for u in used),
                reporting_units=reporting,
                expected_units=len(expected), is_total=unit.id == root.id,
            ))
    return result
