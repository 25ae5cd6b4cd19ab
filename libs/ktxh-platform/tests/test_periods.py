"""Reporting periods (pure domain, `ktxh_platform.domain.periods`): codes, labels, bounds, the
periods around one, and what roll-ups read; properties checked by hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ktxh_platform.domain import InvalidArgument
from ktxh_platform.domain.periods import Period, PeriodKind

years = st.integers(min_value=2000, max_value=2090)


@st.composite
def periods(draw) -> Period:
    kind = draw(st.sampled_from(list(PeriodKind)))
    year = draw(years)
    if kind is PeriodKind.MONTH:
        return Period.month(year, draw(st.integers(1, 12)))
    if kind is PeriodKind.QUARTER:
        return Period.quarter(year, draw(st.integers(1, 4)))
    if kind is PeriodKind.HALF_YEAR:
        return Period.half_year(year, draw(st.integers(1, 2)))
    if kind is PeriodKind.POINT_IN_TIME:
        return Period.point_in_time(draw(st.dates(date(year, 1, 1), date(year, 12, 31))))
    return Period(kind, year)


def test_codes_labels_and_bounds():
    p = Period.parse("2026-M10")
    assert (p.code, p.label, p.start, p.end) == ("2026-M10", "Tháng 10/2026", date(2026, 10, 1),
                                                 date(2026, 10, 31))
    assert Period.parse("2026-Q4").label == "Quý IV/2026"
    assert Period.parse("2026-H1").end == date(2026, 6, 30)
    assert Period.parse("2026-9M").end == date(2026, 9, 30)
    assert Period.parse("2026-2030").end == date(2030, 12, 31)
    assert Period.parse("@2026-10-31") == Period.parse("2026-10-31")
    assert Period.parse("@2026-10-31").label == "Thời điểm 31/10/2026"


@pytest.mark.parametrize("code", ["2026-M13", "2026-Q5", "2026-2029", "@2026-02-30", "26-M1", ""])
def test_a_bad_code_names_the_field(code):
    with pytest.raises(InvalidArgument) as err:
        Period.parse(code, "period_code")
    assert err.value.violations[0].field == "period_code"


@given(periods())
def test_code_round_trips(p):
    assert Period.parse(p.code) == p


@given(periods(), st.integers(-10, 10))
def test_shifting_is_invertible_and_keeps_the_kind(p, steps):
    q = p.shifted(steps)
    assert q.kind is p.kind
    if p.kind is not PeriodKind.POINT_IN_TIME:
        assert q.shifted(-steps) == p
    if steps > 0:
        assert q.start > p.start and q.end > p.end


@given(periods().filter(lambda p: p.kind in (PeriodKind.MONTH, PeriodKind.QUARTER,
                                              PeriodKind.HALF_YEAR)))
def test_consecutive_periods_tile_the_calendar(p):
    assert p.shifted(1).start == p.end + timedelta(days=1)


@pytest.mark.parametrize(("code", "months", "ytd"), [
    ("2026-M05", [(2026, 5)], "@2026-05-31"),
    ("2026-Q3", [(2026, 7), (2026, 8), (2026, 9)], "2026-9M"),
    ("2026-H2", [(2026, m) for m in range(7, 13)], "2026"),
    ("2026-9M", [(2026, m) for m in range(1, 10)], None),
    ("@2026-02-14", [(2026, 1), (2026, 2)], None),
])
def test_months_a_rollup_reads_and_the_year_to_date(code, months, ytd):
    p = Period.parse(code)
    assert p.code == code and p.months == months
    assert (p.year_to_date().code if p.year_to_date() else None) == ytd
    assert p.same_period_last_year().code == code.replace("2026", "2025")


def test_bad_period_codes_name_the_field():
    for bad in ("2026-M13", "2026-Q5", "2026-2020", "@2026-02-30", "tháng 10"):
        with pytest.raises(InvalidArgument) as err:
            Period.parse(bad)
        assert err.value.violations[0].field == "period_code"
    assert Period.parse("@2028-02-29").same_period_last_year().as_of == date(2027, 2, 28)
