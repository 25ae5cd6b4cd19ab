"""Socio-economic indicators (Chỉ tiêu / chỉ số KT-XH): definitions and their validation.

An ``Indicator`` is an immutable value (the payload of a versioned catalog item, see
``versioning``). Validation never raises: it returns every violation as a
``FieldViolation(field, message)`` with a Vietnamese message, so a form or an import can
show them all at once. ``raise_if_any`` (errors) turns a list into ``InvalidArgument``.

* ``Indicator.validate()``: rules about one definition alone.
* ``validate_indicators(indicators)``: also the rules across definitions (numerator_code,
  denominator_code, weight and formula references exist and allow the frequencies, selectors
  name real dimensions, no cycle between derived indicators). Field paths are
  ``indicators[<code>].<field>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ktxh_catalog.domain import formulas
from ktxh_catalog.domain.errors import FieldViolation, FormulaError, Violations

__all__ = [
    "CODE_PATTERN",
    "Dimension",
    "DimensionMember",
    "Frequency",
    "Indicator",
    "Polarity",
    "TimeAggregation",
    "SpatialAggregation",
    "ValueType",
    "canonical_frequencies",
    "dependencies",
    "find_cycles",
    "validate_code",
    "validate_indicators",
]


class ValueType(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    PERCENT = "percent"
    MONEY = "money"
    BOOLEAN = "boolean"
    TEXT = "text"

    @property
    def label(self) -> str:
        return _VALUE_TYPE_VI[self]

    @property
    def numeric(self) -> bool:
        return self not in (ValueType.BOOLEAN, ValueType.TEXT)


_VALUE_TYPE_VI = {
    ValueType.NUMBER: "Số",
    ValueType.INTEGER: "Số nguyên",
    ValueType.PERCENT: "Tỷ lệ (%)",
    ValueType.MONEY: "Tiền",
    ValueType.BOOLEAN: "Có/Không",
    ValueType.TEXT: "Văn bản",
}


class Frequency(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"  # the first nine months of a year (9 tháng)
    YEAR = "year"
    PLAN_PERIOD = "plan_period"
    POINT_IN_TIME = "point_in_time"

    @property
    def label(self) -> str:
        return _FREQUENCY_VI[self]

    @property
    def months(self) -> int | None:
        """Length in months, ``None`` for a point in time."""
        return _FREQUENCY_MONTHS[self]


_FREQUENCY_VI = {
    Frequency.MONTH: "Tháng",
    Frequency.QUARTER: "Quý",
    Frequency.HALF_YEAR: "6 tháng",
    Frequency.NINE_MONTHS: "9 tháng",
    Frequency.YEAR: "Năm",
    Frequency.PLAN_PERIOD: "5 năm",
    Frequency.POINT_IN_TIME: "Thời điểm",
}
_FREQUENCY_MONTHS = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.NINE_MONTHS: 9,
    Frequency.YEAR: 12,
    Frequency.PLAN_PERIOD: 60,
    Frequency.POINT_IN_TIME: None,
}
FREQUENCY_ORDER = tuple(Frequency)


def canonical_frequencies(freqs: Iterable[Frequency | str]) -> tuple[Frequency, ...]:
    """Frequencies in the fixed order month < quarter < ... (duplicates kept, so that
    validation can still report them)."""
    return tuple(sorted((Frequency(f) for f in freqs), key=FREQUENCY_ORDER.index))


def frequencies_label(freqs: Iterable[Frequency]) -> str:
    """``(half_year, year)`` -> ``"6 tháng / Năm"`` (the notation of seed 001)."""
    return " / ".join(f.label for f in sorted(set(freqs), key=FREQUENCY_ORDER.index))


class SpatialAggregation(StrEnum):
    """How figures of several units combine into the figure of their parent."""

    SUM = "sum"
    AVERAGE = "average"
    WEIGHTED_AVERAGE = "weighted_average"
    RATIO = "ratio"
    MIN = "min"
    MAX = "max"
    NONE = "none"
    RECOMPUTE = "recompute"  # derived indicators: apply the formula to aggregated inputs

    @property
    def label(self) -> str:
        return _SPATIAL_AGG_VI[self]


_SPATIAL_AGG_VI = {
    SpatialAggregation.SUM: "Tổng",
    SpatialAggregation.AVERAGE: "Trung bình",
    SpatialAggregation.WEIGHTED_AVERAGE: "Trung bình có trọng số",
    SpatialAggregation.RATIO: "Tỷ lệ của tổng",
    SpatialAggregation.MIN: "Nhỏ nhất",
    SpatialAggregation.MAX: "Lớn nhất",
    SpatialAggregation.NONE: "Không tổng hợp",
    SpatialAggregation.RECOMPUTE: "Tính lại theo công thức",
}


class TimeAggregation(StrEnum):
    """How figures of shorter periods combine into a longer period."""

    FLOW = "flow"  # flows add up: revenue, households supported
    STOCK = "stock"  # stocks take the last figure: schools meeting the national standard
    AVERAGE = "average"
    RATE = "rate"  # rates and derived: recompute from the parts

    @property
    def label(self) -> str:
        return _TIME_AGG_VI[self]


_TIME_AGG_VI = {
    TimeAggregation.FLOW: "Cộng dồn",
    TimeAggregation.STOCK: "Số cuối kỳ",
    TimeAggregation.AVERAGE: "Trung bình",
    TimeAggregation.RATE: "Tính lại từ thành phần",
}


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    WITHIN_RANGE = "within_range"
    NEUTRAL = "neutral"  # informational (e.g. disaster situation data): never scored

    @property
    def label(self) -> str:
        return _POLARITY_VI[self]


_POLARITY_VI = {
    Polarity.HIGHER_IS_BETTER: "Cao hơn là tốt",
    Polarity.LOWER_IS_BETTER: "Thấp hơn là tốt",
    Polarity.WITHIN_RANGE: "Trong khoảng là tốt",
    Polarity.NEUTRAL: "Không đánh giá",
}

CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,63}$")
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def validate_code(code: str, field_name: str = "code") -> list[FieldViolation]:
    if not code or not code.strip():
        return [FieldViolation(field_name, "Mã không được để trống")]
    if not CODE_PATTERN.match(code) or code.endswith(".") or ".." in code:
        return [
            FieldViolation(
                field_name,
                f"Mã '{code}' không hợp lệ: bắt đầu bằng chữ cái, chỉ gồm chữ cái không dấu, "
                "chữ số, '_' và '.', tối đa 64 ký tự",
            )
        ]
    return []


@dataclass(frozen=True)
class DimensionMember:
    """One value of a disaggregation dimension. A member may override the indicator's unit
    of measure, value type and time aggregation (co-operatives: the number active is a
    stock, the number founded is a flow, charter capital is money)."""

    code: str
    name: str
    unit_of_measure: str | None = None
    value_type: ValueType | None = None
    time_aggregation: TimeAggregation | None = None

    @property
    def has_overrides(self) -> bool:
        return any(x is not None for x in (self.unit_of_measure, self.value_type,
                                             self.time_aggregation))


@dataclass(frozen=True)
class Dimension:
    """A disaggregation dimension (phân tổ), e.g. ``price_basis: comparative, current``."""

    code: str
    name: str
    members: tuple[DimensionMember, ...]

    def member(self, code: str) -> DimensionMember | None:
        return next((m for m in self.members if m.code == code), None)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit_of_measure: str  # đơn vị tính, e.g. "%", "triệu đồng", "hộ"
    value_type: ValueType
    frequencies: tuple[Frequency, ...]
    spatial_aggregation: SpatialAggregation
    time_aggregation: TimeAggregation
    polarity: Polarity = Polarity.HIGHER_IS_BETTER
    weight_indicator_code: str | None = None  # weighted_average
    numerator_code: str | None = None  # ratio
    denominator_code: str | None = None  # ratio
    scale: Decimal | None = None  # ratio: 100 for percent, 1 for "per ha"
    lower_bound: Decimal | None = None  # within_range
    upper_bound: Decimal | None = None  # within_range
    dimensions: tuple[Dimension, ...] = ()
    formula: str | None = None  # derived indicators
    field: str = ""  # lĩnh vực, e.g. "Kinh tế"
    group_code: str = ""  # nhóm, e.g. "XIII"
    decimals: int | None = None  # display precision
    description: str = ""  # ghi chú / định nghĩa

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequencies", canonical_frequencies(self.frequencies))

    # ------------------------------------------------------------ derived facts

    @property
    def is_derived(self) -> bool:
        """Computed by the system (formula or ratio), not entered directly."""
        return self.formula is not None or self.spatial_aggregation is SpatialAggregation.RATIO

    def parsed_formula(self) -> formulas.Expr | None:
        return formulas.parse(self.formula) if self.formula else None

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def _override(self, selector: Mapping[str, str], attr: str) -> object | None:
        for dim in self.dimensions:
            m = dim.member(selector.get(dim.code, ""))
            if m is not None and getattr(m, attr) is not None:
                return getattr(m, attr)
        return None

    def unit_for(self, selector: Mapping[str, str] | None = None) -> str:
        return self._override(selector or {}, "unit_of_measure") or self.unit_of_measure  # type: ignore[return-value]

    def value_type_for(self, selector: Mapping[str, str] | None = None) -> ValueType:
        return self._override(selector or {}, "value_type") or self.value_type  # type: ignore[return-value]

    def time_aggregation_for(self, selector: Mapping[str, str] | None = None) -> TimeAggregation:
        return (
            self._override(selector or {}, "time_aggregation")  # type: ignore[return-value]
            or self.time_aggregation
        )

    def direct_dependencies(self) -> set[str]:
        """Codes this definition needs: numerator, denominator, weight, formula references.
        An unparsable formula contributes nothing (``validate`` reports it)."""
        deps = {c for c in (self.numerator_code, self.denominator_code,
                            self.weight_indicator_code) if c}
        if self.formula:
            try:
                deps |= formulas.references(formulas.parse(self.formula))
            except FormulaError:
                pass
        return deps

    # ------------------------------------------------------------ validation

    def validate(self) -> list[FieldViolation]:
        """Every rule that concerns this definition alone."""
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên chỉ số không được để trống")
        elif len(self.name) > 500:
            v.add("name", "Tên chỉ số dài quá 500 ký tự")
        if self.value_type.numeric and not self.unit_of_measure.strip():
            v.add("unit_of_measure", "Chỉ số dạng số phải có đơn vị tính")
        if self.value_type is ValueType.PERCENT and self.unit_of_measure.strip() not in ("%", ""):
            v.add("unit_of_measure", "Chỉ số kiểu tỷ lệ (%) phải có đơn vị tính là '%'")

        # frequencies
        if not self.frequencies:
            v.add("frequencies", "Phải chọn ít nhất một tần suất")
        elif len(set(self.frequencies)) != len(self.frequencies):
            v.add("frequencies", "Tần suất bị lặp")

        self._validate_spatial_aggregation(v)
        self._validate_time_aggregation(v)
        self._validate_polarity(v)
        self._validate_dimensions(v)

        if self.decimals is not None and not 0 <= self.decimals <= 6:
            v.add("decimals", "Số chữ số thập phân phải từ 0 đến 6")
        return list(v)

    def _validate_spatial_aggregation(self, v: Violations) -> None:
        ua = self.spatial_aggregation
        if ua is SpatialAggregation.RATIO:
            if not self.numerator_code:
                v.add("numerator_code", "Chỉ số tỷ lệ (Tỷ lệ của tổng) phải có chỉ số tử số")
            if not self.denominator_code:
                v.add("denominator_code", "Chỉ số tỷ lệ (Tỷ lệ của tổng) phải có chỉ số mẫu số")
            if self.numerator_code and self.numerator_code == self.denominator_code:
                v.add("denominator_code", "Chỉ số mẫu số phải khác chỉ số tử số")
            if self.scale is None:
                v.add("scale", "Chỉ số tỷ lệ phải có hệ số nhân (ví dụ 100 cho tỷ lệ %)")
            elif self.scale <= 0:
                v.add("scale", "Hệ số nhân phải lớn hơn 0")
        else:
            if self.numerator_code:
                v.add("numerator_code", "Chỉ số tử số chỉ dùng khi tổng hợp theo 'Tỷ lệ của tổng'")
            if self.denominator_code:
                v.add("denominator_code",
                      "Chỉ số mẫu số chỉ dùng khi tổng hợp theo 'Tỷ lệ của tổng'")
            if self.scale is not None:
                v.add("scale", "Hệ số nhân chỉ dùng khi tổng hợp theo 'Tỷ lệ của tổng'")

        if ua is SpatialAggregation.WEIGHTED_AVERAGE:
            if not self.weight_indicator_code:
                v.add(
                    "weight_indicator_code",
                    "Chỉ số trung bình có trọng số phải có chỉ số trọng số",
                )
            elif self.weight_indicator_code == self.code:
                v.add("weight_indicator_code", "Chỉ số trọng số không được là chính chỉ số này")
        elif self.weight_indicator_code:
            v.add(
                "weight_indicator_code",
                "Chỉ số trọng số chỉ dùng khi tổng hợp theo 'Trung bình có trọng số'",
            )

        if self.formula is not None:
            if not self.formula.strip():
                v.add("formula", "Công thức không được để trống")
            else:
                try:
                    expr = formulas.parse(self.formula)
                except FormulaError as e:
                    v.add("formula", f"Công thức không hợp lệ: {e.message}")
                else:
                    if self.code in formulas.references(expr):
                        v.add("formula", "Công thức không được tham chiếu chính chỉ số này")
            if ua not in (SpatialAggregation.RECOMPUTE, SpatialAggregation.NONE):
                v.add(
                    "spatial_aggregation",
                    "Chỉ số tính theo công thức phải tổng hợp theo đơn vị bằng "
                    "'Tính lại theo công thức' hoặc 'Không tổng hợp'",
                )
            if (ua is not SpatialAggregation.NONE
                    and self.time_aggregation is not TimeAggregation.RATE):
                v.add(
                    "time_aggregation",
                    "Chỉ số tính theo công thức phải tổng hợp theo thời gian bằng "
                    "'Tính lại từ thành phần'",
                )
        elif ua is SpatialAggregation.RECOMPUTE:
            v.add("formula", "Tổng hợp 'Tính lại theo công thức' cần có công thức")

        if ua is SpatialAggregation.SUM and self.value_type is ValueType.PERCENT:
            v.add(
                "spatial_aggregation",
                "Không được cộng các tỷ lệ (%) giữa các đơn vị: dùng 'Tỷ lệ của tổng' hoặc "
                "'Trung bình có trọng số'",
            )
        if self.value_type is ValueType.TEXT and ua is not SpatialAggregation.NONE:
            v.add("spatial_aggregation", "Chỉ số dạng văn bản chỉ có thể 'Không tổng hợp'")
        if self.value_type is ValueType.BOOLEAN and ua in (
            SpatialAggregation.AVERAGE,
            SpatialAggregation.WEIGHTED_AVERAGE,
            SpatialAggregation.RATIO,
        ):
            v.add("spatial_aggregation", "Chỉ số Có/Không chỉ có thể tổng hợp bằng Tổng (đếm), "
                  "Nhỏ nhất, Lớn nhất hoặc Không tổng hợp")

    def _validate_time_aggregation(self, v: Violations) -> None:
        ta = self.time_aggregation
        if ta is TimeAggregation.RATE and not self.is_derived:
            v.add(
                "time_aggregation",
                "'Tính lại từ thành phần' chỉ dùng cho chỉ số tỷ lệ của tổng hoặc chỉ số "
                "có công thức",
            )
        if self.spatial_aggregation is SpatialAggregation.RATIO and ta is TimeAggregation.FLOW:
            v.add("time_aggregation", "Không được cộng dồn tỷ lệ theo thời gian: dùng "
                  "'Tính lại từ thành phần'")
        if ta is TimeAggregation.FLOW and self.value_type is ValueType.PERCENT:
            v.add("time_aggregation", "Không được cộng dồn tỷ lệ (%) theo thời gian")
        if self.value_type is ValueType.TEXT and ta is not TimeAggregation.STOCK:
            v.add("time_aggregation", "Chỉ số dạng văn bản chỉ lấy 'Số cuối kỳ'")

    def _validate_polarity(self, v: Violations) -> None:
        lo, hi = self.lower_bound, self.upper_bound
        if self.polarity is Polarity.WITHIN_RANGE:
            if lo is None:
                v.add("lower_bound", "Chiều tốt 'Trong khoảng' phải có cận dưới")
            if hi is None:
                v.add("upper_bound", "Chiều tốt 'Trong khoảng' phải có cận trên")
            if lo is not None and hi is not None and lo > hi:
                v.add("upper_bound", "Cận trên phải lớn hơn hoặc bằng cận dưới")
        else:
            if lo is not None:
                v.add("lower_bound", "Cận dưới chỉ dùng với chiều tốt 'Trong khoảng'")
            if hi is not None:
                v.add("upper_bound", "Cận trên chỉ dùng với chiều tốt 'Trong khoảng'")
        if not self.value_type.numeric and self.polarity not in (Polarity.NEUTRAL,
                                                                   Polarity.HIGHER_IS_BETTER):
            v.add("polarity", "Chỉ số không phải dạng số chỉ có thể 'Không đánh giá' hoặc "
                  "'Cao hơn là tốt' (Có là tốt)")

    def _validate_dimensions(self, v: Violations) -> None:
        seen: set[str] = set()
        overriding = 0
        for i, dim in enumerate(self.dimensions):
            p = f"dimensions[{i}]"
            if not _KEY_PATTERN.match(dim.code):
                v.add(f"{p}.code", f"Mã chiều phân tổ '{dim.code}' không hợp lệ: chữ thường "
                      "không dấu, chữ số và '_'")
            if dim.code in seen:
                v.add(f"{p}.code", f"Chiều phân tổ '{dim.code}' bị lặp")
            seen.add(dim.code)
            if not dim.name.strip():
                v.add(f"{p}.name", "Tên chiều phân tổ không được để trống")
            if len(dim.members) < 2:
                v.add(f"{p}.members", "Chiều phân tổ phải có ít nhất 2 giá trị")
            member_codes: set[str] = set()
            for j, m in enumerate(dim.members):
                mp = f"{p}.members[{j}]"
                if not _KEY_PATTERN.match(m.code):
                    v.add(f"{mp}.code", f"Mã giá trị phân tổ '{m.code}' không hợp lệ")
                if m.code in member_codes:
                    v.add(f"{mp}.code", f"Giá trị phân tổ '{m.code}' bị lặp")
                member_codes.add(m.code)
                if not m.name.strip():
                    v.add(f"{mp}.name", "Tên giá trị phân tổ không được để trống")
                if (m.time_aggregation is TimeAggregation.RATE
                        and not self.is_derived):
                    v.add(f"{mp}.time_aggregation",
                          "'Tính lại từ thành phần' chỉ dùng cho chỉ số có thành phần")
            if any(m.has_overrides for m in dim.members):
                overriding += 1
        if overriding > 1:
            v.add("dimensions", "Chỉ một chiều phân tổ được ghi đè đơn vị tính, kiểu giá trị "
                  "hoặc cách tổng hợp theo thời gian")


# ---------------------------------------------------------------- across definitions


def dependencies(indicators: Mapping[str, Indicator]) -> dict[str, set[str]]:
    return {code: ind.direct_dependencies() for code, ind in indicators.items()}


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Elementary cycles found by depth-first search (each reported once, as the path
    ``a -> b -> ... -> a``). Unknown nodes are ignored."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {n: WHITE for n in graph}
    cycles: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()

    for start in sorted(graph):
        if colour[start] != WHITE:
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, pending = stack[-1]
            if not pending:
                stack.pop()
                path.pop()
                colour[node] = BLACK
                continue
            nxt = pending.pop(0)
            if nxt not in colour:
                continue
            if colour[nxt] == GREY:
                cyc = path[path.index(nxt):] + [nxt]
                key = frozenset(cyc)
                if key not in seen_sets:
                    seen_sets.add(key)
                    cycles.append(cyc)
            elif colour[nxt] == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append((nxt, sorted(graph[nxt])))
    return cycles


def validate_indicators(
    indicators: Iterable[Indicator],
    known: Mapping[str, Indicator] | None = None,
) -> list[FieldViolation]:
    """Validate a group of definitions together. ``known`` holds definitions already in the
    catalog that may be referred to (the group wins on a code clash).
    Field paths: ``indicators[<code>].<field>``."""
    items = list(indicators)
    v = Violations()
    by_code: dict[str, Indicator] = dict(known or {})
    seen: set[str] = set()
    for ind in items:
        p = f"indicators[{ind.code}]"
        if ind.code in seen:
            v.add(f"{p}.code", f"Mã chỉ số '{ind.code}' bị trùng")
        seen.add(ind.code)
        by_code[ind.code] = ind
        v.extend_prefixed(p, ind.validate())

    for ind in items:
        p = f"indicators[{ind.code}]"
        freqs = set(ind.frequencies)
        for attr, role in (
            ("numerator_code", "tử số"),
            ("denominator_code", "mẫu số"),
            ("weight_indicator_code", "trọng số"),
        ):
            ref = getattr(ind, attr)
            if not ref:
                continue
            target = by_code.get(ref)
            if target is None:
                v.add(f"{p}.{attr}", f"Chỉ số {role} '{ref}' không tồn tại trong danh mục")
                continue
            if not target.value_type.numeric:
                v.add(f"{p}.{attr}", f"Chỉ số {role} '{ref}' phải là chỉ số dạng số")
            missing = freqs - set(target.frequencies)
            if missing:
                v.add(
                    f"{p}.{attr}",
                    f"Chỉ số {role} '{ref}' không có tần suất "
                    f"{frequencies_label(missing)} mà chỉ số này cần",
                )
        if ind.formula:
            try:
                expr = formulas.parse(ind.formula)
            except FormulaError:
                continue  # already reported by validate()
            for ref in formulas.refs(expr):
                target = by_code.get(ref.code)
                if target is None:
                    v.add(f"{p}.formula",
                          f"Công thức tham chiếu mã chỉ số không tồn tại: '{ref.code}'")
                    continue
                for dim_code, member_code in ref.selector:
                    dim = target.dimension(dim_code)
                    if dim is None:
                        v.add(f"{p}.formula",
                              f"Chỉ số '{ref.code}' không có chiều phân tổ '{dim_code}'")
                    elif dim.member(member_code) is None:
                        v.add(f"{p}.formula",
                              f"Chiều phân tổ '{dim_code}' của chỉ số '{ref.code}' không có "
                              f"giá trị '{member_code}'")
                if not target.value_type.numeric:
                    v.add(f"{p}.formula", f"Công thức dùng chỉ số không phải dạng số: "
                          f"'{ref.code}'")
                missing = freqs - set(target.frequencies)
                if missing:
                    v.add(f"{p}.formula", f"Chỉ số '{ref.code}' trong công thức không có tần "
                          f"suất {frequencies_label(missing)}")

    graph = dependencies(by_code)
    group_codes = {i.code for i in items}
    for cyc in find_cycles(graph):
        if not group_codes.intersection(cyc):
            continue
        i = next(k for k, c in enumerate(cyc) if c in group_codes)
        first, nxt = cyc[i], cyc[i + 1]
        v.add(
            f"indicators[{first}].{_link_field(by_code[first], nxt)}",
            "Vòng lặp giữa các chỉ số phụ thuộc nhau: " + " → ".join(cyc),
        )
    return list(v)


def _link_field(ind: Indicator, target: str) -> str:
    for attr in ("numerator_code", "denominator_code", "weight_indicator_code"):
        if getattr(ind, attr) == target:
            return attr
    return "formula"
