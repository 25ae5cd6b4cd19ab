"""Roll-ups: the figure of a unit for a period, built from the accepted figures of the units
under it and of the shorter periods inside it, following each indicator's rules.

- Over time (one unit): a figure reported for the period itself wins; otherwise the period is
  built from its months (or quarters, or halves; a plan period from its years): flows sum,
  stocks take the last value, averages average, rates are recomputed from their numerator and
  denominator built the same way.
- Over units: every unit under the requested one (by parent, and merged units under their
  first successor, so 2024 compares with 2026) contributes its own figure once: sums add,
  ratios are Σ numerator / Σ denominator × scale (never a mean of rates), weighted averages
  Σ v·w / Σ w, averages, minimum, maximum; `none` reads the unit's own figure only.
- Derived indicators (`formula`): the formula (+ − × ÷, numbers, indicator references such
  as `X[price_basis=current]`) is applied to the rolled-up inputs; `growth(X)` is X against the
  same period a year earlier, in percent minus 100; `share(A, B)` is A / B × 100.

Pure: standard library only.
"""

from __future__ import annotations

import ast
import calendar
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation

from ktxh_platform.domain.figure_keys import figure_key_text, parse_figure_key_text

from ktxh_reporting.domain.periods import Period, PeriodKind

__all__ = [
    "Contribution", "Engine", "FigureRef", "Parts", "PartsEngine", "Rollup", "Rule", "Target", "Tree",
    "Unit", "achievement", "combine", "plan_period_of", "tracked", "tracked_periods",
]

HUNDRED = Decimal(100)


@dataclass(frozen=True, order=True)
class FigureRef:
    """Indicator, the chosen member of each dimension (sorted), and kind (actual, estimate,
    target)."""

    indicator_code: str
    members: tuple[tuple[str, str], ...] = ()
    kind: str = "actual"

    @functools.cached_property
    def text(self) -> str:
        """Canonical text (`ktxh_platform.domain.figure_keys`), e.g.
        ``GRDP[price_basis=comparative]/actual``."""
        return figure_key_text(self.indicator_code, self.members, self.kind)

    @classmethod
    def of(cls, indicator_code: str, members: Mapping[str, str] | None = None,
           kind: str = "actual") -> FigureRef:
        return cls(indicator_code, tuple(sorted((members or {}).items())), kind)

    @classmethod
    def parse(cls, text: str) -> FigureRef:
        """The reverse of `text`."""
        return cls(*parse_figure_key_text(text))

    def with_code(self, code: str) -> FigureRef:
        return FigureRef(code, self.members, self.kind)


@dataclass(frozen=True)
class Rule:
    """What the catalog says about an indicator (one revision)."""

    code: str
    name: str = ""
    unit: str = ""
    value_type: str = "number"
    spatial: str = "sum"  # sum ratio weighted_average min max none average recompute
    time: str = "flow"  # flow stock rate average none
    polarity: str = "higher_is_better"
    numerator: str = ""
    denominator: str = ""
    weight: str = ""
    scale: str = ""
    formula: str = ""
    lower_bound: str = ""
    upper_bound: str = ""
    member_time: Mapping[str, str] = field(default_factory=dict)  # member code -> time rule
    member_unit: Mapping[str, str] = field(default_factory=dict)  # member code -> unit

    def time_for(self, key: FigureRef) -> str:
        for _, member in key.members:
            if member in self.member_time:
                return self.member_time[member]
        return self.time

    def unit_for(self, key: FigureRef) -> str:
        for _, member in key.members:
            if self.member_unit.get(member):
                return self.member_unit[member]
        return self.unit

    @property
    def factor(self) -> Decimal:
        return Decimal(self.scale) if self.scale else Decimal(1)

    def as_dict(self) -> dict:
        return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: Mapping) -> Rule:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Unit:
    id: str
    code: str = ""
    name: str = ""
    kind: str = "commune"
    parent_id: str | None = None
    successor_ids: tuple[str, ...] = ()
    valid_from: str = ""  # ISO date; empty = always
    valid_to: str = ""  # ISO date; empty = still valid

    def valid_on(self, day: str) -> bool:
        return (not self.valid_from or self.valid_from <= day) and (not self.valid_to or day <= self.valid_to)


class Tree:
    """The unit hierarchy for roll-ups: a merged unit hangs under its first successor."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = {u.id: u for u in units}
        self.children: dict[str, list[str]] = {}
        for u in sorted(units, key=lambda u: u.code):
            parent = u.successor_ids[0] if u.successor_ids else u.parent_id
            if parent and parent != u.id:
                self.children.setdefault(parent, []).append(u.id)

    def contributors(self, root: str) -> list[str]:
        """The root, every unit under it and every unit merged into one of them."""
        seen, stack, out = {root}, [root], []
        while stack:
            uid = stack.pop()
            out.append(uid)
            for child in self.children.get(uid, ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return out


@dataclass(frozen=True)
class Rollup:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    unit_ids: tuple[str, ...] = ()  # units whose figures are included
    text_value: str = ""
    # read from stored parts (no unit ids): how many included units are expected to report
    reporting: int | None = None


@dataclass(frozen=True)
class Contribution:
    """One unit's part in a roll-up over units, for one figure and period: its own figure
    (built over time), and, when both exist, the numerator and denominator of a ratio (for a
    weighted average: value × weight and weight)."""

    value: Decimal | None = None
    num: Decimal | None = None
    den: Decimal | None = None

    def __bool__(self) -> bool:
        return self.value is not None or self.num is not None


@dataclass
class Parts:
    """Contributions of several units added up: all a roll-up over units needs (sums, counts,
    extremes), so it can be kept per subtree and read in one row (`PartsEngine`)."""

    count: int = 0  # units with a value
    total: Decimal = Decimal(0)
    low: Decimal | None = None
    high: Decimal | None = None
    pairs: int = 0  # units with both parts
    num: Decimal = Decimal(0)
    den: Decimal = Decimal(0)
    value_ids: tuple[str, ...] = ()
    pair_ids: tuple[str, ...] = ()
    reporting_values: int | None = None  # of `count`, units expected to report (stored parts)
    reporting_pairs: int | None = None

    def add(self, unit_id: str, c: Contribution) -> None:
        if c.value is not None:
            self.count += 1
            self.total += c.value
            self.low = c.value if self.low is None else min(self.low, c.value)
            self.high = c.value if self.high is None else max(self.high, c.value)
            self.value_ids += (unit_id,)
        if c.num is not None and c.den is not None:
            self.pairs += 1
            self.num += c.num
            self.den += c.den
            self.pair_ids += (unit_id,)


def combine(rule: Rule, parts: Parts) -> Rollup:
    """The roll-up over units from the added contributions, by the indicator's spatial rule:
    sums add, ratios are Σ numerator / Σ denominator × scale (never a mean of rates), weighted
    averages Σ v·w / Σ w, averages, minimum, maximum; `none`: the parts of the unit alone."""
    if rule.spatial == "ratio" and rule.numerator and rule.denominator:
        if parts.pairs:
            return Rollup(_ratio(parts.num, parts.den, rule.factor), parts.num, parts.den,
                          parts.pair_ids, reporting=parts.reporting_pairs)
        # no unit reported the parts: a rate reported by one unit alone is still its rate;
        # several units' rates are never averaged (that would not be the rate of the whole)
        if parts.count == 1:
            return Rollup(parts.total, unit_ids=parts.value_ids, reporting=parts.reporting_values)
        return Rollup(None)
    if rule.spatial == "weighted_average" and rule.weight:
        return Rollup(_ratio(parts.num, parts.den, Decimal(1)) if parts.pairs else None,
                      unit_ids=parts.pair_ids, reporting=parts.reporting_pairs)
    if not parts.count:
        return Rollup(None)
    ids, reporting = parts.value_ids, parts.reporting_values
    match rule.spatial:
        case "min":
            return Rollup(parts.low, unit_ids=ids, reporting=reporting)
        case "max":
            return Rollup(parts.high, unit_ids=ids, reporting=reporting)
        case "average" | "weighted_average" | "ratio":  # without parts: plain mean
            return Rollup(parts.total / parts.count, unit_ids=ids, reporting=reporting)
    return Rollup(parts.total, unit_ids=ids, reporting=reporting)  # sum; none (one unit)


# ---------------------------------------------------------------------- stored contributions


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def plan_period_of(year: int) -> Period:
    """The five-year plan period a year belongs to (2021–2025, 2026–2030, …)."""
    start = year - (year - 1) % 5
    return Period.plan_period(start)


def tracked_periods(year: int) -> list[Period]:
    """The periods of a year whose unit contributions the read model stores: months,
    quarters, halves, nine months, the year, year to date at each month's end; and every
    five-year period the year is in (the plan period, and the windows a year earlier or later
    that reports compare with)."""
    out = [Period(PeriodKind.MONTH, year, m) for m in range(1, 13)]
    out += [Period(PeriodKind.QUARTER, year, q) for q in range(1, 5)]
    out += [Period(PeriodKind.HALF_YEAR, year, 1), Period(PeriodKind.HALF_YEAR, year, 2),
            Period(PeriodKind.NINE_MONTHS, year), Period(PeriodKind.YEAR, year)]
    out += [Period(PeriodKind.POINT_IN_TIME, year, as_of=_month_end(year, m)) for m in range(1, 13)]
    return out + [Period.plan_period(start) for start in range(year - 4, year + 1)]


def tracked(period: Period) -> bool:
    """Whether stored contributions exist for the period (other points in time and periods of
    other lengths than five years are rolled up from the figures themselves)."""
    if period.kind is PeriodKind.POINT_IN_TIME:
        return period.as_of == _month_end(period.year, period.as_of.month)  # type: ignore[union-attr]
    if period.kind is PeriodKind.PLAN_PERIOD:
        return period.end_year - period.year == 4
    return True


# facts: (unit id, FigureRef.text, period code) -> value
Facts = Mapping[tuple[str, str, str], Decimal]

_FUNCTIONS = ("growth", "share")
_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]]*\])?")


class Engine:
    def __init__(self, rules: Mapping[str, Rule], tree: Tree, facts: Facts) -> None:
        self.rules = rules
        self.tree = tree
        self.facts = facts

    def rule(self, code: str) -> Rule:
        return self.rules.get(code) or Rule(code, spatial="none", time="none")

    # ------------------------------------------------------------------ over time

    def unit_value(self, unit_id: str, key: FigureRef, period: Period) -> Decimal | None:
        """One unit's figure for the period, built over time when not reported as such."""
        text = key.text
        direct = self.facts.get((unit_id, text, _code(period)))
        if direct is not None:
            return direct
        rule = self.rule(key.indicator_code)
        how = rule.time_for(key)
        if how == "rate" and rule.numerator and rule.denominator:
            n = self.unit_value(unit_id, key.with_code(rule.numerator), period)
            d = self.unit_value(unit_id, key.with_code(rule.denominator), period)
            return _ratio(n, d, rule.factor)
        if how in ("none", ""):
            return None
        for way in _ways(period):
            if period.kind is PeriodKind.PLAN_PERIOD:
                values = [self.unit_value(unit_id, key, p) for p, _ in way]
            else:
                values = [self.facts.get((unit_id, text, code)) for _, code in way]
            present = [v for v in values if v is not None]
            if present:
                if how == "flow":
                    return sum(present, Decimal(0))
                if how == "average":
                    return sum(present, Decimal(0)) / len(present)
                return present[-1]  # stock, or a rate without parts: the last value
        return None

    # ------------------------------------------------------------------ over units

    def contribution(self, unit_id: str, key: FigureRef, period: Period) -> Contribution:
        """The unit's own part in roll-ups over units (see `Contribution`)."""
        rule = self.rule(key.indicator_code)
        value = self.unit_value(unit_id, key, period)
        if rule.spatial == "ratio" and rule.numerator and rule.denominator:
            n = self.unit_value(unit_id, key.with_code(rule.numerator), period)
            d = self.unit_value(unit_id, key.with_code(rule.denominator), period)
            if n is not None and d is not None:
                return Contribution(value, n, d)
        elif rule.spatial == "weighted_average" and rule.weight and value is not None:
            w = self.unit_value(unit_id, FigureRef(rule.weight, (), key.kind), period)
            if w is not None:
                return Contribution(value, value * w, w)
        return Contribution(value)

    def rollup(self, root: str, key: FigureRef, period: Period) -> Rollup:
        rule = self.rule(key.indicator_code)
        if rule.formula:
            return self._derived(root, key, period, rule)
        units = [root] if rule.spatial in ("none", "") else self.tree.contributors(root)
        parts = Parts()
        for uid in units:
            parts.add(uid, self.contribution(uid, key, period))
        return combine(rule, parts)

    def _derived(self, root: str, key: FigureRef, period: Period, rule: Rule) -> Rollup:
        names: dict[str, FigureRef] = {}

        def name_of(match: re.Match) -> str:
            text = match.group(0)
            if text in _FUNCTIONS:
                return text
            code, _, dims = text.partition("[")
            members = dict(p.split("=", 1) for p in dims.rstrip("]").split(",") if "=" in p)
            ref = FigureRef.of(code, {**dict(key.members), **members}, key.kind) if members \
                else FigureRef(code, (), key.kind)
            name = f"v{len(names)}"
            names[name] = ref
            return name

        expression = _REF.sub(name_of, rule.formula)
        try:
            tree = ast.parse(expression, mode="eval")
        except SyntaxError:
            return Rollup(None)
        used: set[str] = set()
        reporting: list[int] = []

        def value_of(ref: FigureRef, p: Period) -> Decimal | None:
            r = self.rollup(root, ref, p)
            used.update(r.unit_ids)
            if r.reporting is not None:
                reporting.append(r.reporting)
            return r.value

        def ev(node: ast.AST) -> Decimal | None:
            match node:
                case ast.Expression(body=body):
                    return ev(body)
                case ast.Constant(value=int() | float() as c):
                    return Decimal(str(c))
                case ast.Name(id=name) if name in names:
                    return value_of(names[name], period)
                case ast.UnaryOp(op=ast.USub(), operand=operand):
                    v = ev(operand)
                    return None if v is None else -v
                case ast.BinOp(left=left, op=op, right=right):
                    a, b = ev(left), ev(right)
                    if a is None or b is None:
                        return None
                    try:
                        if isinstance(op, ast.Add):
                            return a + b
                        if isinstance(op, ast.Sub):
                            return a - b
                        if isinstance(op, ast.Mult):
                            return a * b
                        if isinstance(op, ast.Div):
                            return a / b
                    except (DivisionByZero, InvalidOperation):
                        return None
                case ast.Call(func=ast.Name(id="share"), args=[part, whole]):
                    return _ratio(ev(part), ev(whole), HUNDRED)
                case ast.Call(func=ast.Name(id="growth"), args=[ast.Name(id=name)]) if name in names:
                    now = value_of(names[name], period)
                    before = value_of(names[name], period.same_period_last_year())
                    g = _ratio(now, before, HUNDRED)
                    return None if g is None else g - HUNDRED
            return None

        value = ev(tree)
        # from stored parts the units are counted, not named: the most of any input
        return Rollup(value, unit_ids=tuple(sorted(used)), reporting=max(reporting) if reporting else None)


class PartsEngine(Engine):
    """Roll-ups from contributions already added up per unit subtree (the read model's
    stored parts) instead of from figures; the same `combine` and derived formulas.
    `parts[(root, key text, period code)]`: every contributor of the root added up;
    `own[...]`: the root's own contribution alone (indicators rolled up with `none`)."""

    def __init__(self, rules: Mapping[str, Rule], tree: Tree,
                 parts: Mapping[tuple[str, str, str], Parts],
                 own: Mapping[tuple[str, str, str], Parts]) -> None:
        super().__init__(rules, tree, {})
        self.parts = parts
        self.own = own

    def rollup(self, root: str, key: FigureRef, period: Period) -> Rollup:
        rule = self.rule(key.indicator_code)
        if rule.formula:
            return self._derived(root, key, period, rule)
        source = self.own if rule.spatial in ("none", "") else self.parts
        return combine(rule, source.get((root, key.text, period.code)) or Parts())


@functools.lru_cache(maxsize=8192)
def _code(period: Period) -> str:
    return period.code


@functools.lru_cache(maxsize=8192)
def _ways(period: Period) -> tuple[tuple[tuple[Period, str], ...], ...]:
    """`period.parts()` with each part's code, remembered (periods are immutable)."""
    return tuple(tuple((p, p.code) for p in way) for way in period.parts())


def _ratio(n: Decimal | None, d: Decimal | None, scale: Decimal) -> Decimal | None:
    if n is None or d is None or d == 0:
        return None
    return n / d * scale


# ---------------------------------------------------------------------- achievement


@dataclass(frozen=True)
class Target:
    value: Decimal | None
    value_max: Decimal | None = None
    comparison: str = ""  # at_least at_most equal range; empty = from the polarity
    period_code: str = ""  # the period the target is for (usually the year)
    derived: bool = False  # not assigned to the unit: from its children's (service_layer/derived_targets.py)


def achievement(value: Decimal | None, target: Target | None, rule: Rule,
                closed: bool) -> tuple[Decimal | None, str]:
    """(% of plan, status): % of plan is value / target × 100; the status respects the
    comparison, else the polarity (lower is better: met when at most the target; within a
    range: between the target's bounds or the indicator's). `closed`: the target's period is
    over, so a miss is final (`missed`) rather than `at_risk`."""
    if value is None or target is None or target.value is None:
        return None, "unspecified"
    percent = _ratio(value, target.value, HUNDRED)
    how = target.comparison or {
        "lower_is_better": "at_most", "within_range": "range", "neutral": "",
    }.get(rule.polarity, "at_least")
    if how == "at_least":
        met = value >= target.value
    elif how == "at_most":
        met = value <= target.value
    elif how == "equal":
        met = value == target.value
    elif how == "range":
        low = target.value
        high = target.value_max
        if high is None and rule.upper_bound:
            low, high = Decimal(rule.lower_bound or target.value), Decimal(rule.upper_bound)
        met = low <= value <= (high if high is not None else low)
    else:
        return percent, "unspecified"
    if met:
        return percent, "achieved"
    return percent, "missed" if closed else "at_risk"
