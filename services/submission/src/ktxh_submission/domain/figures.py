"""Figures (số liệu) and the form lines they belong to.

A figure is named by its `FigureKey` (the one key of `ktxh.common.v1.FigureKey`: indicator
code, one member per chosen dimension, kind) — never by component codes — so a target of the
assignment service joins on the same key. A `FormLine` is what the report asks of one
indicator: who enters it (the office), its type and range, whether it is required, its
dimensions (which are additive: parts of a total) and the indicator it is a part of.

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property, lru_cache

from ktxh_platform.domain.figure_keys import figure_key_text, parse_figure_key_text

__all__ = [
    "Dimension",
    "Figure",
    "FigureChange",
    "FigureKey",
    "FigureKind",
    "FormLine",
    "ValueType",
    "parse_decimal",
]


class FigureKind(StrEnum):
    ACTUAL = "actual"  # thực hiện
    ESTIMATE = "estimate"  # ước thực hiện
    TARGET = "target"  # kế hoạch (joined from assignments; never entered in a report)

    @property
    def label(self) -> str:
        return {"actual": "thực hiện", "estimate": "ước thực hiện", "target": "kế hoạch"}[self]


@dataclass(frozen=True, order=True)
class FigureKey:
    indicator_code: str
    members: tuple[tuple[str, str], ...] = ()  # (dimension code, member code), by dimension
    kind: FigureKind = FigureKind.ACTUAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(sorted(self.members)))

    @cached_property
    def text(self) -> str:
        """Stable text form, used as a column value and in messages:
        ``HP2081.XIII.01[price_basis=comparative]/actual``. Computed once per key (keys are
        immutable; a bulk import writes hundreds of thousands of them)."""
        return figure_key_text(self.indicator_code, self.members, self.kind.value)

    @classmethod
    def from_text(cls, text: str) -> FigureKey:
        """The key of a stored `text`. Keys repeat across reports (every unit's form asks the
        same indicators), so parsed keys are shared (immutable)."""
        return _key_from_text(text) if cls is FigureKey else cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> FigureKey:
        code, members, kind = parse_figure_key_text(text)
        return cls(code, members, FigureKind(kind))  # type: ignore[arg-type]

    def without(self, dimension: str) -> FigureKey:
        return FigureKey(
            self.indicator_code, tuple(m for m in self.members if m[0] != dimension), self.kind
        )

    def member(self, dimension: str) -> str | None:
        return next((m for d, m in self.members if d == dimension), None)


@lru_cache(maxsize=65536)
def _key_from_text(text: str) -> FigureKey:
    return FigureKey._parse(text)


class ValueType(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    PERCENT = "percent"  # 0–100
    TEXT = "text"


@dataclass(frozen=True)
class Dimension:
    code: str
    members: tuple[str, ...]
    additive: bool = True  # members are parts of the total (by sex, by area); a price basis is not


@dataclass(frozen=True)
class FormLine:
    """One indicator of the report form, snapshotted when the report is opened."""

    indicator_code: str
    name: str  # Vietnamese, used in every message about the indicator
    office_code: str  # the office that enters it (its section)
    value_type: ValueType = ValueType.NUMBER
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    required: bool = True
    dimensions: tuple[Dimension, ...] = ()
    part_of: str = ""  # code of the indicator this one is a part of (a component)
    # How figures add up over time (catalog: flow, stock, rate, average, none; empty = not
    # known): decides the year-to-date figure beside the period's.
    time_aggregation: str = ""
    # Whether the full-year estimate (kind ESTIMATE) is asked in this report.
    estimate: bool = False

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def figure_keys(self) -> list[FigureKey]:
        """The figures the form asks of this line: one per member of each dimension, plus the
        total when the line has no dimension or an additive one (a total across price bases
        means nothing), and the same with kind ESTIMATE when the estimate is asked."""
        kinds = (FigureKind.ACTUAL, FigureKind.ESTIMATE) if self.estimate else (FigureKind.ACTUAL,)
        total = not self.dimensions or any(d.additive for d in self.dimensions)
        out = []
        for kind in kinds:
            if total:
                out.append(FigureKey(self.indicator_code, (), kind))
            out.extend(FigureKey(self.indicator_code, ((d.code, m),), kind)
                       for d in self.dimensions for m in d.members)
        return out


@dataclass
class Figure:
    key: FigureKey
    office_code: str
    value: Decimal | None = None
    text_value: str = ""
    note: str = ""  # explanatory note (thuyết minh) of this figure
    version: int = 0  # per-figure optimistic lock
    updated_by: str = ""
    updated_at: datetime | None = None
    return_comment: str = ""  # why the consolidating office returned it; cleared on change

    @property
    def display(self) -> str:
        if self.value is not None:
            return format_decimal(self.value)
        return self.text_value or "(trống)"

    @property
    def empty(self) -> bool:
        return self.value is None and not self.text_value.strip()


@dataclass(frozen=True)
class FigureChange:
    """One change of one figure: who, when, before, after (append-only history)."""

    key: FigureKey
    office_code: str
    before: str
    after: str
    before_note: str
    after_note: str
    actor: str
    at: datetime
    figure_version: int
    reason: str = ""


MAX_INTEGER_DIGITS = 18
MAX_DECIMALS = 10


def parse_decimal(text: str) -> Decimal:
    """``"12.5"``, ``"12,5"``, ``" 1200 "`` -> Decimal; raises ValueError (with the Vietnamese
    reason) for anything else, infinities, NaN, more than 18 digits before the point or more
    than 10 after it (so every figure fits the exact text column and sums never overflow)."""
    t = text.strip().replace(" ", "")
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ValueError("không phải là số") from None
    if not d.is_finite():
        raise ValueError("không phải là số")
    if d != 0 and d.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueError(f"quá lớn (tối đa {MAX_INTEGER_DIGITS} chữ số phần nguyên)")
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        rounded = d.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
        if rounded != d:
            raise ValueError(f"có quá {MAX_DECIMALS} chữ số thập phân")
        d = rounded  # trailing zeros only
    return d


def format_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text if text not in ("-0",) else "0"
