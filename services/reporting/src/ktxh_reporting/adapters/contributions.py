"""Stored contributions (`tables.contributions`): each unit's part in roll-ups over units, per
figure key and stored period, computed by the domain's `Engine.contribution` (the single
definition of the rules) from the unit's facts.

They are a pure function of the facts and the rules, recomputed — never patched by deltas — in
the consumer's transaction that changes either: an accepted, returned or reopened report
recomputes its unit's rows for the periods that overlap the report's period (and the plan
period); a catalog revision of an indicator recomputes that indicator (and the rates and
weighted averages built from it) for every unit. Redelivery and reordering therefore need
nothing more than what already orders the facts (inbox, versions). Merged units need nothing:
the unit tree is applied when a report is read (`ReadModel.contribution_parts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import contributions, facts, indicator_revisions
from ktxh_reporting.domain.periods import Period, PeriodKind
from ktxh_reporting.domain.rollups import Engine, FigureRef, Rule, Tree, tracked_periods
from ktxh_reporting.service_layer.ports import RuleRevision
from ktxh_reporting.service_layer.rollups import rule_in_force

BATCH = 5000


async def revisions_of(session: AsyncSession, province: str) -> list[RuleRevision]:
    t = indicator_revisions
    rows = (await session.execute(sa.select(t.c.code, t.c.valid_from, t.c.retired, t.c.rule).where(
        t.c.province_code == province).order_by(t.c.code, t.c.valid_from, t.c.revision))).all()
    return [RuleRevision(r.code, r.valid_from, r.retired, Rule.from_dict(r.rule)) for r in rows]


def _parts_of(rule: Rule) -> set[str]:
    out = set()
    if rule.spatial == "ratio" or rule.time == "rate":
        out |= {c for c in (rule.numerator, rule.denominator) if c}
    if rule.spatial == "weighted_average" and rule.weight:
        out.add(rule.weight)
    return out


def affected_codes(revisions: list[RuleRevision], codes: Iterable[str]) -> set[str]:
    """`codes` and every indicator whose contributions are built from them (rates from their
    numerator and denominator, weighted averages from their weight), transitively. Derived
    formulas are not stored: they are computed from their inputs' roll-ups when read."""
    out = set(codes)
    while True:
        more = {r.code for r in revisions if _parts_of(r.rule) & out and not r.rule.formula} - out
        if not more:
            return out
        out |= more


def input_codes(revisions: list[RuleRevision], codes: set[str]) -> set[str]:
    out = set(codes)
    while True:
        more = set().union(*(_parts_of(r.rule) for r in revisions if r.code in out)) - out
        if not more:
            return out
        out |= more


def _periods(year: int, within: Period | None) -> list[Period]:
    """The stored periods of `year` whose figure may change when figures of `within` change
    (all of them when None)."""
    periods = tracked_periods(year)
    if within is None or within.kind is PeriodKind.PLAN_PERIOD:
        return periods
    months = set(within.months)
    return [p for p in periods if p.kind is PeriodKind.PLAN_PERIOD or months & set(p.months)]


def _years(period: Period) -> list[int]:
    if period.kind is PeriodKind.PLAN_PERIOD:
        return list(range(period.year, period.end_year + 1))
    return [period.year]


async def refresh_unit(session: AsyncSession, province: str, unit_id: str, codes: Iterable[str],
                       period_code: str | None = None,
                       revisions: list[RuleRevision] | None = None) -> int:
    """Recompute the unit's contributions of `codes` (and what is built from them) for the
    periods that overlap `period_code` (None: every stored period of every year the unit has
    figures in). Returns the number of rows written."""
    revisions = revisions if revisions is not None else await revisions_of(session, province)
    affected = affected_codes(revisions, codes)
    if not affected:
        return 0
    inputs = input_codes(revisions, affected)
    if period_code is None:
        within = None
        years = sorted(set((await session.scalars(sa.select(contributions.c.year).distinct().where(
            contributions.c.org_unit_id == unit_id,
            contributions.c.indicator_code.in_(sorted(affected))))).all()) | {
            y for code in (await session.scalars(sa.select(facts.c.period_code).distinct().where(
                facts.c.org_unit_id == unit_id, facts.c.indicator_code.in_(sorted(inputs))))).all()
            for y in _years(Period.parse(code))})
    else:
        within = Period.parse(period_code)
        years = _years(within)
    written = 0
    for year in years:
        written += await _refresh_year(session, province, unit_id, year, _periods(year, within),
                                       revisions, affected, inputs)
    return written


async def _refresh_year(session: AsyncSession, province: str, unit_id: str, year: int,
                        periods: list[Period], revisions: list[RuleRevision], affected: set[str],
                        inputs: set[str]) -> int:
    f, c = facts.c, contributions.c
    codes_of_year = sorted(p.code for p in tracked_periods(year))
    rows = (await session.execute(sa.select(f.figure_key, f.indicator_code, f.period_code, f.value).where(
        f.org_unit_id == unit_id, f.kind == "actual", f.indicator_code.in_(sorted(inputs)),
        f.period_code.in_(codes_of_year), f.value != ""))).all()
    values: dict[tuple[str, str, str], Decimal] = {
        (unit_id, r.figure_key, r.period_code): Decimal(r.value) for r in rows}
    # five-year periods are built from their years: the other years' figures as stored, when
    # the rules are the same in all those years; else the other years' figures themselves
    span = [y for y in range(year - 4, year + 5) if y != year]
    if any(p.kind is PeriodKind.PLAN_PERIOD for p in periods):
        if _same_rules(revisions, inputs, [year, *span]):
            for r in (await session.execute(sa.select(c.figure_key, c.period_code, c.value).where(
                    c.org_unit_id == unit_id, c.indicator_code.in_(sorted(inputs)),
                    c.period_code.in_([str(y) for y in span]), c.value.is_not(None)))).all():
                values.setdefault((unit_id, r.figure_key, r.period_code), Decimal(r.value))
        else:
            other_codes = sorted({p.code for y in span for p in tracked_periods(y)} - set(codes_of_year))
            for r in (await session.execute(sa.select(f.figure_key, f.period_code, f.value).where(
                    f.org_unit_id == unit_id, f.kind == "actual", f.indicator_code.in_(sorted(inputs)),
                    f.period_code.in_(other_codes), f.value != ""))).all():
                values[(unit_id, r.figure_key, r.period_code)] = Decimal(r.value)
    # the figure keys: those reported, rates per member set of their numerator, and those stored
    keys: set[str] = {r.figure_key for r in rows if r.indicator_code in affected}
    numerators = {}
    for rev in revisions:
        if rev.code in affected and rev.rule.numerator and not rev.rule.formula:
            numerators.setdefault(rev.rule.numerator, set()).add(rev.code)
    # and those of the other years (five-year periods), which the plan windows still show
    for (_, k, _) in values:
        ref = FigureRef.parse(k)
        if ref.indicator_code in affected:
            keys.add(k)
        for code in numerators.get(ref.indicator_code, ()):
            keys.add(ref.with_code(code).text)
    period_codes = [p.code for p in periods]

    tree = Tree([])
    await session.execute(sa.delete(contributions).where(
        c.org_unit_id == unit_id, c.indicator_code.in_(sorted(affected)), c.period_code.in_(period_codes)))
    writer = _Writer(session)
    refs = sorted(FigureRef.parse(k) for k in keys)
    for p in periods:
        engine = Engine(_rules_at(revisions, p.end), tree, values)
        for ref in refs:
            got = engine.contribution(unit_id, ref, p)
            if got:
                await writer.add((p.code, unit_id, ref.text, ref.indicator_code, province, p.year,
                                  got.value, got.num, got.den))
    await writer.flush()
    return writer.count


_RULES_CACHE: dict[tuple[int, object], tuple[list[RuleRevision], dict[str, Rule]]] = {}


def _rules_at(revisions: list[RuleRevision], day: date) -> dict[str, Rule]:
    """`rule_in_force`, remembered for the same list of revisions (one event's work)."""
    hit = _RULES_CACHE.get((id(revisions), day))
    if hit is not None and hit[0] is revisions:
        return hit[1]
    if len(_RULES_CACHE) > 512:
        _RULES_CACHE.clear()
    rules = rule_in_force(revisions, day)
    _RULES_CACHE[(id(revisions), day)] = (revisions, rules)
    return rules


def _same_rules(revisions: list[RuleRevision], codes: set[str], years: list[int]) -> bool:
    """Whether the rules of `codes` in force at the end of each of `years` are the same."""
    mine = [r for r in revisions if r.code in codes]
    if all(r.valid_from <= f"{min(years)}-01-01" for r in mine) and len({r.code for r in mine}) == len(mine):
        return True  # one revision each, in force all along
    seen = [{k: v for k, v in rule_in_force(mine, date(y, 12, 31)).items()} for y in years]
    return all(s == seen[0] for s in seen)


async def refresh_indicators(session: AsyncSession, province: str, codes: Iterable[str]) -> int:
    """After a catalog revision: recompute `codes` (and what is built from them) for every unit
    with figures of them."""
    revisions = await revisions_of(session, province)
    affected = affected_codes(revisions, codes)
    inputs = input_codes(revisions, affected)
    units = set((await session.scalars(sa.select(facts.c.org_unit_id).distinct().where(
        facts.c.province_code == province, facts.c.indicator_code.in_(sorted(inputs))))).all())
    units |= set((await session.scalars(sa.select(contributions.c.org_unit_id).distinct().where(
        contributions.c.province_code == province,
        contributions.c.indicator_code.in_(sorted(affected))))).all())
    written = 0
    for unit_id in sorted(units):
        written += await refresh_unit(session, province, unit_id, affected, None, revisions)
    return written


async def rebuild(session: AsyncSession, province: str) -> int:
    """Every contribution of the province from its facts, in bulk (after a migration, or to
    measure): year by year, each unit's figures of the year at once, the five-year windows
    last from the years' figures kept in memory; COPY on PostgreSQL. The same
    `Engine.contribution` as the consumer's refresh."""
    c, f = contributions.c, facts.c
    await session.execute(sa.delete(contributions).where(c.province_code == province))
    revisions = await revisions_of(session, province)
    all_codes = {r.code for r in revisions}
    codes = set((await session.scalars(sa.select(f.indicator_code).distinct().where(
        f.province_code == province))).all())
    if not codes:
        return 0
    if not _same_rules(revisions, all_codes | codes, [2000, 2100]):
        return await refresh_indicators(session, province, codes)  # revisions: unit by unit
    affected = affected_codes(revisions, codes)
    numerators: dict[str, set[str]] = {}
    for rev in revisions:
        if rev.code in affected and rev.rule.numerator and not rev.rule.formula:
            numerators.setdefault(rev.rule.numerator, set()).add(rev.code)
    years = sorted({int(p[:4]) for p in (await session.scalars(sa.select(f.period_code).distinct().where(
        f.province_code == province))).all() if p[:4].isdigit()})
    writer = _Writer(session)
    year_values: dict[tuple[str, str, str], Decimal] = {}
    window_keys: dict[str, set[str]] = {}
    tree = Tree([])
    for year in years:
        periods = [p for p in tracked_periods(year) if p.kind is not PeriodKind.PLAN_PERIOD]
        codes_of_year = sorted(p.code for p in tracked_periods(year))
        by_unit: dict[str, dict[tuple[str, str, str], Decimal]] = {}
        result = await session.stream(sa.select(f.org_unit_id, f.figure_key, f.period_code, f.value).where(
            f.province_code == province, f.kind == "actual", f.period_code.in_(codes_of_year), f.value != ""))
        async for r in result:
            by_unit.setdefault(r.org_unit_id, {})[(r.org_unit_id, r.figure_key, r.period_code)] = Decimal(r.value)
        for unit_id, values in by_unit.items():
            keys = {k for (_, k, _) in values if FigureRef.parse(k).indicator_code in affected}
            for (_, k, _) in list(values):
                ref = FigureRef.parse(k)
                for code in numerators.get(ref.indicator_code, ()):
                    keys.add(ref.with_code(code).text)
            refs = sorted(FigureRef.parse(k) for k in keys)
            window_keys.setdefault(unit_id, set()).update(keys)
            for p in periods:
                engine = Engine(_rules_at(revisions, p.end), tree, values)
                for ref in refs:
                    got = engine.contribution(unit_id, ref, p)
                    if got:
                        await writer.add((p.code, unit_id, ref.text, ref.indicator_code, province, p.year,
                                          got.value, got.num, got.den))
                        if p.kind is PeriodKind.YEAR and got.value is not None:
                            year_values[(unit_id, ref.text, p.code)] = got.value
    # the five-year windows, from the years' figures
    for start in range(years[0] - 4, years[-1] + 1):
        window = Period.plan_period(start)
        engine = Engine(_rules_at(revisions, window.end), tree, year_values)
        for unit_id, keys in window_keys.items():
            for ref in sorted(FigureRef.parse(k) for k in keys):
                got = engine.contribution(unit_id, ref, window)
                if got:
                    await writer.add((window.code, unit_id, ref.text, ref.indicator_code, province, start,
                                      got.value, got.num, got.den))
    await writer.flush()
    return writer.count


class _Writer:
    """Rows into `contributions` in batches: COPY on PostgreSQL, INSERT elsewhere."""

    COLUMNS = ("period_code", "org_unit_id", "figure_key", "indicator_code", "province_code", "year",
               "value", "num", "den")

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows: list[tuple] = []
        self.count = 0

    async def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= 20_000:
            await self.flush()

    async def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        conn = await self.session.connection()
        if conn.dialect.name == "postgresql":
            raw = (await conn.get_raw_connection()).driver_connection
            # the service's schema is on the connection's search path
            await raw.copy_records_to_table(contributions.name, records=rows, columns=self.COLUMNS)
        else:
            await self.session.execute(sa.insert(contributions), [dict(zip(self.COLUMNS, r)) for r in rows])

