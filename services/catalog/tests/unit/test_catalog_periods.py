from datetime import date

import pytest
from ktxh_catalog.domain.errors import InvalidArgument
from ktxh_catalog.domain.indicators import Frequency
from ktxh_catalog.domain.periods import Period


@pytest.mark.parametrize("code, label, start, end", [
    ("2026-M11", "Tháng 11/2026", date(2026, 11, 1), date(2026, 11, 30)),
    ("2026-Q4", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-H1", "6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-9M", "9 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 9, 30)),
    ("2026", "Năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-2030", "Giai đoạn 2026–2030", date(2026, 1, 1), date(2030, 12, 31)),
    ("2026-11-15", "Thời điểm 15/11/2026", date(2026, 11, 15), date(2026, 11, 15)),
])
def test_codes_labels_bounds(code, label, start, end):
    p = Period.parse(code)
    assert p.code == code and p.label == label
    assert (p.start, p.end) == (start, end)


def test_same_period_last_year():
    assert Period.month(2026, 11).same_period_last_year() == Period.month(2025, 11)
    assert Period.plan_period(2026).same_period_last_year() == Period.plan_period(2021)
    leap = Period.point_in_time(date(2028, 2, 29)).same_period_last_year()
    assert leap.on == date(2027, 2, 28)


def test_invalid_periods():
    for code in ("2026-M13", "2026-Q5", "2026-H3", "2026-2031", "2026-02-31", "abc"):
        with pytest.raises(InvalidArgument):
            Period.parse(code)
    with pytest.raises(InvalidArgument):
        Period(Frequency.POINT_IN_TIME, 2026)


def test_nine_months_is_a_frequency_of_its_own():
    p = Period.nine_months(2026)
    assert p.frequency is Frequency.NINE_MONTHS and Frequency.NINE_MONTHS.label == "9 tháng"
    assert p.last_month == (2026, 9)
    assert p.same_period_last_year() == Period.parse("2025-9M")
    with pytest.raises(InvalidArgument):
        Period(Frequency.NINE_MONTHS, 2026, 2)
