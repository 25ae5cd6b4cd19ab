"""Roll-ups (pure domain) against a straightforward computation written independently here:
random trees with merged units, random monthly figures, every period kind (hypothesis);
plus worked examples of each rule."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import (
    Engine,
    FigureRef,
    Parts,
    PartsEngine,
    Rule,
    Target,
    Tree,
    Unit,
    achievement,
    tracked,
)

RULES = {
    "FLOW": Rule("FLOW", spatial="sum", time="flow"),
    "STOCK": Rule("STOCK", spatial="sum", time="stock"),
    "NUM": Rule("NUM", spatial="sum", time="flow"),
    "DEN": Rule("DEN", spatial="sum", time="flow"),
    "RATE": Rule("RATE", spatial="ratio", time="rate", numerator="NUM", denominator="DEN", scale="100"),
    "W": Rule("W", spatial="sum", time="stock"),
    "AVGW": Rule("AVGW", spatial="weighted_average", time="stock", weight="W"),
    "GROWTH": Rule("GROWTH", spatial="recompute", time="rate", formula="growth(FLOW)"),
    "SHARE": Rule("SHARE", spatial="recompute", time="rate", formula="share(NUM, FLOW)"),
}


# ------------------------------------------------------------------ the independent computation


def reference_members(units: list[Unit], root: str) -> set[str]:
    """Units whose figures count for `root`: walk up from every unit (successor first)."""
    by_id = {u.id: u for u in units}
    out = set()
    for u in units:
        cur, seen = u, set()
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            if cur.id == root:
                out.add(u.id)
                break
            up = cur.successor_ids[0] if cur.successor_ids else cur.parent_id
            cur = by_id.get(up) if up else None
    return out


def reference(units, facts, root, code, period: Period):
    members = reference_members(units, root)
    months = {f"{y}-M{m:02d}" for y, m in period.months}
    order = [f"{y}-M{m:02d}" for y, m in period.months]

    def cells(c):
        return [(u, p, v) for (u, k, p), v in facts.items()
                if k == FigureRef(c).text and u in members and p in months]

    if code == "FLOW":
        got = cells("FLOW")
        return sum((v for *_, v in got), Decimal(0)) if got else None
    if code == "STOCK":
        last = {}
        for u, p, v in sorted(cells("STOCK"), key=lambda c: order.index(c[1])):
            last[u] = v
        return sum(last.values(), Decimal(0)) if last else None
    if code == "RATE":
        num, den = {}, {}
        for u, _, v in cells("NUM"):
            num[u] = num.get(u, 0) + v
        for u, _, v in cells("DEN"):
            den[u] = den.get(u, 0) + v
        both = num.keys() & den.keys()
        n, d = sum(num[u] for u in both), sum(den[u] for u in both)
        return n / d * 100 if both and d else None
    raise AssertionError(code)


# ------------------------------------------------------------------ generated worlds


@st.composite
def worlds(draw):
    n = draw(st.integers(2, 9))
    units = [Unit("u0", "U0", kind="province")]
    for i in range(1, n):
        parent = f"u{draw(st.integers(0, i - 1))}"
        units.append(Unit(f"u{i}", f"U{i}", parent_id=parent))
    # merges: a unit merged into another one that is not under it
    merged = []
    for u in units[1:]:
        if draw(st.booleans()) and draw(st.booleans()):
            candidates = [v.id for v in units if v.id != u.id
                          and u.id not in reference_members(units, v.id) - {v.id}
                          and v.id not in reference_members(units, u.id)]
            if candidates:
                merged.append((u.id, draw(st.sampled_from(candidates))))
    if merged:
        succ = dict(merged)
        units = [Unit(u.id, u.code, kind=u.kind, parent_id=u.parent_id,
                      successor_ids=(succ[u.id],) if u.id in succ else ()) for u in units]
    value = st.integers(0, 500).map(Decimal)
    facts = {}
    for u in units:
        for m in draw(st.lists(st.integers(1, 12), max_size=6, unique=True)):
            for code in draw(st.lists(st.sampled_from(["FLOW", "STOCK", "NUM", "DEN"]), unique=True)):
                facts[(u.id, FigureRef(code).text, f"2026-M{m:02d}")] = draw(value)
    return units, facts


PERIODS = st.sampled_from(["2026-M03", "2026-Q2", "2026-H2", "2026-9M", "2026", "@2026-08-20", "2026-Q4"])


@settings(max_examples=150, deadline=None)
@given(worlds(), PERIODS, st.sampled_from(["FLOW", "STOCK", "RATE"]))
def test_rollups_equal_the_straightforward_computation(world, period_code, code):
    units, facts = world
    engine = Engine(RULES, Tree(units), facts)
    period = Period.parse(period_code)
    for root in units:
        want = reference(units, facts, root.id, code, period)
        got = engine.rollup(root.id, FigureRef(code), period).value
        assert got == want, (root.id, code, period_code)


STORED = st.sampled_from(["2026-M03", "2026-Q2", "2026-H2", "2026-9M", "2026", "@2026-08-31", "2022-2026"])


@settings(max_examples=150, deadline=None)
@given(worlds(), STORED, st.sampled_from(["FLOW", "STOCK", "RATE"]), st.randoms(use_true_random=False))
def test_rollups_from_stored_contributions_equal_the_straightforward_computation(world, period_code, code, rnd):
    """The read model's path: each unit's contribution (what the consumer stores), added up
    per subtree in any order (what the database's GROUP BY does), then `PartsEngine`."""
    units, facts = world
    tree = Tree(units)
    period = Period.parse(period_code)
    assert tracked(period)
    engine = Engine(RULES, tree, facts)
    key = FigureRef(code)
    parts, own = {}, {}
    for root in units:
        members = tree.contributors(root.id)
        rnd.shuffle(members)
        total = parts[(root.id, key.text, period.code)] = Parts()
        for uid in members:
            total.add(uid, engine.contribution(uid, key, period))
        own[(root.id, key.text, period.code)] = Parts()
        own[(root.id, key.text, period.code)].add(root.id, engine.contribution(root.id, key, period))
    stored = PartsEngine(RULES, tree, parts, own)
    for root in units:
        want = reference(units, facts, root.id, code, period)
        got = stored.rollup(root.id, key, period)
        assert got.value == want, (root.id, code, period_code)
        assert got.value == engine.rollup(root.id, key, period).value


# ------------------------------------------------------------------ worked examples

COMMUNES = [Unit("p", "P", kind="province"), Unit("a", "A", parent_id="p"), Unit("b", "B", parent_id="p")]


def engine(facts: dict[tuple[str, str, str], int]) -> Engine:
    return Engine(RULES, Tree(COMMUNES), {(u, FigureRef(c).text, p): Decimal(v) for (u, c, p), v in facts.items()})


def test_a_rate_is_the_ratio_of_sums_not_the_mean_of_rates():
    e = engine({("a", "NUM", "2026-M10"): 50, ("a", "DEN", "2026-M10"): 1000,
                ("b", "NUM", "2026-M10"): 30, ("b", "DEN", "2026-M10"): 100})
    r = e.rollup("p", FigureRef("RATE"), Period.parse("2026-M10"))
    assert (r.numerator, r.denominator) == (80, 1100)
    assert round(r.value, 4) == Decimal("7.2727")  # not (5 % + 30 %) / 2


def test_weighted_average_and_derived_formulas():
    e = engine({("a", "AVGW", "2026"): 10, ("a", "W", "2026"): 3, ("b", "AVGW", "2026"): 20, ("b", "W", "2026"): 1,
                ("a", "FLOW", "2025"): 100, ("a", "FLOW", "2026"): 120, ("a", "NUM", "2026"): 30})
    assert e.rollup("p", FigureRef("AVGW"), Period.parse("2026")).value == Decimal("12.5")
    assert e.rollup("p", FigureRef("GROWTH"), Period.parse("2026")).value == Decimal(20)
    assert e.rollup("p", FigureRef("SHARE"), Period.parse("2026")).value == Decimal(25)


def test_a_figure_reported_for_the_period_wins_over_its_months():
    e = engine({("a", "FLOW", "2026-H1"): 70, ("a", "FLOW", "2026-M01"): 1, ("b", "FLOW", "2026-M02"): 2})
    assert e.rollup("p", FigureRef("FLOW"), Period.parse("2026-H1")).value == Decimal(72)
    # a plan period is built from its years, each from its months
    assert e.rollup("p", FigureRef("FLOW"), Period.parse("2026-2030")).value == Decimal(3)


def test_achievement_respects_polarity_and_ranges():
    lower = Rule("X", polarity="lower_is_better")
    assert achievement(Decimal(4), Target(Decimal(5)), lower, closed=False) == (Decimal(80), "achieved")
    assert achievement(Decimal(6), Target(Decimal(5)), lower, closed=True)[1] == "missed"
    assert achievement(Decimal(6), Target(Decimal(5)), Rule("Y"), closed=False)[1] == "achieved"
    assert achievement(Decimal(4), Target(Decimal(5)), Rule("Y"), closed=False)[1] == "at_risk"
    ranged = Target(Decimal(2), Decimal(4), "range")
    assert achievement(Decimal(3), ranged, Rule("Z"), closed=True)[1] == "achieved"
    assert achievement(Decimal(5), ranged, Rule("Z"), closed=True)[1] == "missed"
    assert achievement(None, ranged, Rule("Z"), closed=True) == (None, "unspecified")
