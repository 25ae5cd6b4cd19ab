"""Reporting periods (Kỳ báo cáo): month, quarter, half-year, the first nine months of a year,
year, 5-year plan period, or a point in time ("thời điểm").

Codes (stable, sortable within a frequency, used in URLs and keys):
``2026-M11``, ``2026-Q4``, ``2026-H1``, ``2026-9M``, ``2026``, ``2026-2030``, ``2026-11-15``
(point in time).
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

from ktxh_catalog.domain.errors import InvalidArgument
from ktxh_catalog.domain.indicators import Frequency

__all__ = ["Period", "add_months", "days_in_month"]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_CODE = re.compile(
    r"^(?:(?P<y>\d{4})-M(?P<m>\d{1,2})|(?P<qy>\d{4})-Q(?P<q>\d)|(?P<hy>\d{4})-H(?P<h>\d)"
    r"|(?P<ny>\d{4})-9M|(?P<fy>\d{4})-(?P<fe>\d{4})|(?P<d>\d{4}-\d{2}-\d{2})|(?P<yy>\d{4}))$"
)


def days_in_month(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    """(2026, 1) + -1 -> (2025, 12)."""
    idx = year * 12 + (month - 1) + offset
    return idx // 12, idx % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    frequency: Frequency
    year: int  # for a 5-year period: its first year (2026 for 2026–2030)
    number: int = 1  # month 1-12, quarter 1-4, half 1-2; 1 for year and 5-year
    on: date | None = None  # point in time only

    def __post_init__(self) -> None:
        limits = {
            Frequency.MONTH: 12,
            Frequency.QUARTER: 4,
            Frequency.HALF_YEAR: 2,
            Frequency.NINE_MONTHS: 1,
            Frequency.YEAR: 1,
            Frequency.PLAN_PERIOD: 1,
            Frequency.POINT_IN_TIME: 1,
        }
        if not 1 <= self.year <= 9999:
            raise InvalidArgument.single("period.year", f"Năm {self.year} không hợp lệ")
        if not 1 <= self.number <= limits[self.frequency]:
            raise InvalidArgument.single(
                "period.number",
                f"Số thứ tự kỳ {self.number} không hợp lệ cho tần suất "
                f"{self.frequency.label.lower()}",
            )
        if (self.frequency is Frequency.POINT_IN_TIME) != (self.on is not None):
            raise InvalidArgument.single(
                "period.on", "Chỉ kỳ 'Thời điểm' mới có ngày cụ thể, và bắt buộc phải có"
            )
        if self.on is not None and self.on.year != self.year:
            raise InvalidArgument.single("period.year", "Năm phải trùng với năm của ngày")

    # ---------------------------------------------------------------- constructors

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(Frequency.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(Frequency.QUARTER, year, quarter)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        return cls(Frequency.HALF_YEAR, year, half)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(Frequency.NINE_MONTHS, year)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(Frequency.YEAR, year)

    @classmethod
    def plan_period(cls, first_year: int) -> Period:
        return cls(Frequency.PLAN_PERIOD, first_year)

    @classmethod
    def point_in_time(cls, on: date) -> Period:
        return cls(Frequency.POINT_IN_TIME, on.year, 1, on)

    @classmethod
    def parse(cls, code: str) -> Period:
        m = _CODE.match(code.strip())
        if not m:
            raise InvalidArgument.single("period", f"Mã kỳ báo cáo '{code}' không hợp lệ")
        g = m.groupdict()
        if g["m"]:
            return cls.month(int(g["y"]), int(g["m"]))
        if g["q"]:
            return cls.quarter(int(g["qy"]), int(g["q"]))
        if g["h"]:
            return cls.half_year(int(g["hy"]), int(g["h"]))
        if g["ny"]:
            return cls.nine_months(int(g["ny"]))
        if g["fy"]:
            first, last = int(g["fy"]), int(g["fe"])
            if last != first + 4:
                raise InvalidArgument.single("period", "Giai đoạn 5 năm phải gồm đúng 5 năm")
            return cls.plan_period(first)
        if g["d"]:
            try:
                return cls.point_in_time(date.fromisoformat(g["d"]))
            except ValueError:
                raise InvalidArgument.single("period", f"Ngày '{g['d']}' không tồn tại") from None
        return cls.of_year(int(g["yy"]))

    # ---------------------------------------------------------------- facts

    @property
    def code(self) -> str:
        f = self.frequency
        if f is Frequency.MONTH:
            return f"{self.year}-M{self.number:02d}"
        if f is Frequency.QUARTER:
            return f"{self.year}-Q{self.number}"
        if f is Frequency.HALF_YEAR:
            return f"{self.year}-H{self.number}"
        if f is Frequency.NINE_MONTHS:
            return f"{self.year}-9M"
        if f is Frequency.PLAN_PERIOD:
            return f"{self.year}-{self.year + 4}"
        if f is Frequency.POINT_IN_TIME:
            assert self.on is not None
            return self.on.isoformat()
        return str(self.year)

    @property
    def label(self) -> str:
        """Vietnamese label: ``Tháng 11/2026``, ``Quý IV/2026``, ``6 tháng đầu năm 2026``."""
        f = self.frequency
        if f is Frequency.MONTH:
            return f"Tháng {self.number}/{self.year}"
        if f is Frequency.QUARTER:
            return f"Quý {_ROMAN[self.number]}/{self.year}"
        if f is Frequency.HALF_YEAR:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if f is Frequency.NINE_MONTHS:
            return f"9 tháng đầu năm {self.year}"
        if f is Frequency.PLAN_PERIOD:
            return f"Giai đoạn {self.year}–{self.year + 4}"
        if f is Frequency.POINT_IN_TIME:
            assert self.on is not None
            return f"Thời điểm {self.on:%d/%m/%Y}"
        return f"Năm {self.year}"

    @property
    def first_month(self) -> tuple[int, int]:
        f = self.frequency
        if f is Frequency.POINT_IN_TIME:
            assert self.on is not None
            return self.on.year, self.on.month
        size = f.months or 1
        if f is Frequency.PLAN_PERIOD:
            return self.year, 1
        return self.year, (self.number - 1) * size + 1

    @property
    def last_month(self) -> tuple[int, int]:
        """(year, month) of the period's last month; the anchor of calendar rules."""
        if self.frequency is Frequency.POINT_IN_TIME:
            return self.first_month
        y, m = self.first_month
        return add_months(y, m, (self.frequency.months or 1) - 1)

    @property
    def start(self) -> date:
        if self.on is not None:
            return self.on
        y, m = self.first_month
        return date(y, m, 1)

    @property
    def end(self) -> date:
        """Inclusive last day."""
        if self.on is not None:
            return self.on
        y, m = self.last_month
        return date(y, m, days_in_month(y, m))

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def same_period_last_year(self, years: int = 1) -> Period:
        """Cùng kỳ: the same period ``years`` years earlier (29/02 -> 28/02)."""
        if self.on is not None:
            y = self.on.year - years
            day = min(self.on.day, days_in_month(y, self.on.month))
            return Period.point_in_time(date(y, self.on.month, day))
        step = 5 if self.frequency is Frequency.PLAN_PERIOD else 1
        return Period(self.frequency, self.year - years * step, self.number)

    def __str__(self) -> str:
        return self.code
