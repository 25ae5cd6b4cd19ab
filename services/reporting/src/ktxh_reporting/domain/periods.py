"""Reporting periods as roll-ups see them: which months a period covers, the periods it is
made of, the same period a year earlier, and the span from January (year to date).

Codes are those of `ktxh.common.v1.Period.code`: ``2026-M05``, ``2026-Q2``, ``2026-H1``,
``2026-9M``, ``2026``, ``2026-2030``, ``@2026-05-14``. Pure: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ktxh_platform.domain import InvalidArgument

__all__ = ["Period", "PeriodKind"]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    PLAN_PERIOD = "plan_period"
    POINT_IN_TIME = "point_in_time"


_CODE = re.compile(
    r"^(?:(?P<my>\d{4})-M(?P<m>\d{2})|(?P<qy>\d{4})-Q(?P<q>\d)|(?P<hy>\d{4})-H(?P<h>\d)"
    r"|(?P<ny>\d{4})-9M|(?P<py>\d{4})-(?P<pe>\d{4})|@(?P<d>\d{4}-\d{2}-\d{2})|(?P<y>\d{4}))$"
)
_TOP = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2}


@dataclass(frozen=True, order=True)
class Period:
    """One period. `number` is the month, quarter or half; `end_year` the last year of a plan
    period; `as_of` the day of a point in time."""

    kind: PeriodKind
    year: int
    number: int = 0
    end_year: int = 0
    as_of: date | None = None

    @classmethod
    def parse(cls, code: str, field: str = "period_code") -> Period:
        m = _CODE.match(code.strip())
        if not m:
            raise InvalidArgument.single(
                field, f"Mã kỳ '{code}' không hợp lệ (ví dụ: 2026-M10, 2026-Q3, 2026-H1, "
                "2026-9M, 2026, 2026-2030, @2026-10-14)")
        g = m.groupdict()
        try:
            if g["my"]:
                p = cls(PeriodKind.MONTH, int(g["my"]), int(g["m"]))
            elif g["qy"]:
                p = cls(PeriodKind.QUARTER, int(g["qy"]), int(g["q"]))
            elif g["hy"]:
                p = cls(PeriodKind.HALF_YEAR, int(g["hy"]), int(g["h"]))
            elif g["ny"]:
                p = cls(PeriodKind.NINE_MONTHS, int(g["ny"]))
            elif g["py"]:
                p = cls(PeriodKind.PLAN_PERIOD, int(g["py"]), end_year=int(g["pe"]))
            elif g["d"]:
                day = date.fromisoformat(g["d"])
                p = cls(PeriodKind.POINT_IN_TIME, day.year, as_of=day)
            else:
                p = cls(PeriodKind.YEAR, int(g["y"]))
        except ValueError:
            raise InvalidArgument.single(field, f"Ngày trong mã kỳ '{code}' không tồn tại") from None
        top = _TOP.get(p.kind)
        if top and not 1 <= p.number <= top:
            raise InvalidArgument.single(field, f"Số thứ tự trong mã kỳ '{code}' phải từ 1 đến {top}")
        if p.kind is PeriodKind.PLAN_PERIOD and not p.year < p.end_year <= p.year + 9:
            raise InvalidArgument.single(field, f"Giai đoạn '{code}' không hợp lệ")
        if not 1900 <= p.year <= 9990:
            raise InvalidArgument.single(field, f"Năm trong mã kỳ '{code}' không hợp lệ")
        return p

    @property
    def code(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}-M{self.number:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}-Q{self.number}"
            case PeriodKind.HALF_YEAR:
                return f"{self.year}-H{self.number}"
            case PeriodKind.NINE_MONTHS:
                return f"{self.year}-9M"
            case PeriodKind.YEAR:
                return str(self.year)
            case PeriodKind.PLAN_PERIOD:
                return f"{self.year}-{self.end_year}"
        assert self.as_of is not None
        return f"@{self.as_of.isoformat()}"

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) pairs covered, in order. A point in time covers its year up to and
        including its month (flows read as year to date, stocks as the last value)."""
        match self.kind:
            case PeriodKind.MONTH:
                return [(self.year, self.number)]
            case PeriodKind.QUARTER:
                return [(self.year, m) for m in range(3 * self.number - 2, 3 * self.number + 1)]
            case PeriodKind.HALF_YEAR:
                return [(self.year, m) for m in range(6 * self.number - 5, 6 * self.number + 1)]
            case PeriodKind.NINE_MONTHS:
                return [(self.year, m) for m in range(1, 10)]
            case PeriodKind.YEAR:
                return [(self.year, m) for m in range(1, 13)]
            case PeriodKind.PLAN_PERIOD:
                return [(y, m) for y in range(self.year, self.end_year + 1) for m in range(1, 13)]
        assert self.as_of is not None
        return [(self.year, m) for m in range(1, self.as_of.month + 1)]

    @property
    def end(self) -> date:
        """Last day covered: the date a target or catalog revision must be in force on."""
        if self.as_of is not None:
            return self.as_of
        return _month_end(*self.months[-1])

    def parts(self) -> list[list[Period]]:
        """Ways to build the period from shorter ones, finest first (months, then quarters,
        then halves); a plan period is built from its years."""
        if self.kind is PeriodKind.MONTH:
            return []
        if self.kind is PeriodKind.PLAN_PERIOD:
            return [[Period(PeriodKind.YEAR, y) for y in range(self.year, self.end_year + 1)]]
        months = self.months
        ways = [[Period(PeriodKind.MONTH, y, m) for y, m in months]]
        if len(months) % 3 == 0 and months[0][1] % 3 == 1 and self.kind is not PeriodKind.QUARTER:
            ways.append([Period(PeriodKind.QUARTER, self.year, (m + 2) // 3) for _, m in months[2::3]])
        if len(months) % 6 == 0 and self.kind not in (PeriodKind.HALF_YEAR,):
            ways.append([Period(PeriodKind.HALF_YEAR, self.year, m // 6) for _, m in months[5::6]])
        return ways

    def shifted(self, years: int) -> Period:
        """The same period `years` later (negative: earlier); 29 February becomes the 28th."""
        as_of = None
        if self.as_of is not None:
            day = min(self.as_of.day, 28) if self.as_of.month == 2 else self.as_of.day
            as_of = self.as_of.replace(year=self.as_of.year + years, day=day)
        return Period(self.kind, self.year + years, self.number,
                      self.end_year + years if self.end_year else 0, as_of)

    def year_to_date(self) -> Period | None:
        """From January to the end of this period (lũy kế); None when that is the period
        itself or not meaningful (plan period)."""
        if self.kind in (PeriodKind.PLAN_PERIOD, PeriodKind.POINT_IN_TIME):
            return None
        first, last = self.months[0][1], self.months[-1][1]
        if first == 1:
            return None
        if last == 12:
            return Period(PeriodKind.YEAR, self.year)
        if last == 9:
            return Period(PeriodKind.NINE_MONTHS, self.year)
        if last == 6:
            return Period(PeriodKind.HALF_YEAR, self.year, 1)
        return Period(PeriodKind.POINT_IN_TIME, self.year, as_of=_month_end(self.year, last))


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)
