"""Checks of a report's figures (issue 11, point 4). Every message is Vietnamese and names the
indicator and the rule.

- type and range: a number, a whole number, a percent in 0–100, or the line's own bounds;
- parts not exceeding their total: along an additive dimension (the members of "by sex" add
  up to no more than the figure without that dimension) and along components (`part_of`);
- required indicators before a section is delivered or the report is sent;
- a change from the previous period beyond a configurable share, or a figure far outside the
  unit's own history (robust z-score: |x − median| / (1.4826 · MAD) over its past periods),
  needs an explanatory note on the figure.

`check_value` runs on every save (a bad value is never stored); `check_report` runs on
delivery (one section) and before consolidation and sending (the whole report).

Pure: standard library only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from ktxh_platform.domain import FieldViolation

from ktxh_submission.domain.figures import Figure, FigureKey, FormLine, ValueType, format_decimal

__all__ = ["History", "Rules", "check_report", "check_value", "robust_score"]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rules:
    """Configuration (`KTXH_SUBMISSION_*`)."""

    max_change_share: Decimal = Decimal("0.5")  # |new − previous| / |previous| beyond → note
    outlier_score: Decimal = Decimal("3.5")  # robust z-score beyond → note
    min_history: int = 4  # past periods needed before the outlier rule applies


@dataclass(frozen=True)
class History:
    """What the unit reported before, per figure key: the previous period's accepted value
    and the accepted values of its past periods of the same kind (oldest first)."""

    previous: Mapping[FigureKey, Decimal]
    past: Mapping[FigureKey, tuple[Decimal, ...]]

    @classmethod
    def empty(cls) -> History:
        return cls({}, {})


def _name(line: FormLine, key: FigureKey) -> str:
    dims = ", ".join(f"{d}: {m}" for d, m in key.members)
    return f"Chỉ số {line.indicator_code} “{line.name}”" + (f" ({dims})" if dims else "")


def check_value(line: FormLine, key: FigureKey, figure: Figure) -> list[str]:
    """The type and range problems of one figure's value."""
    if figure.empty:
        return []
    if line.value_type is ValueType.TEXT:
        return [] if figure.value is None else [f"{_name(line, key)}: phải nhập nội dung, không phải số"]
    if figure.value is None:
        return [f"{_name(line, key)}: phải là số (nhận được “{figure.text_value}”)"]
    v = figure.value
    if (line.value_type is ValueType.NUMBER and line.minimum is None
            and line.maximum is None):
        return []  # any number (the common case: no name built for a figure without problem)
    name = _name(line, key)
    problems = []
    if line.value_type is ValueType.INTEGER and v != v.to_integral_value():
        problems.append(f"{name}: phải là số nguyên (nhận được {format_decimal(v)})")
    low, high = line.minimum, line.maximum
    if line.value_type is ValueType.PERCENT:
        low = Decimal(0) if low is None else max(low, Decimal(0))
        high = HUNDRED if high is None else min(high, HUNDRED)
    if low is not None and v < low:
        problems.append(
            f"{name}: {format_decimal(v)} nhỏ hơn giá trị tối thiểu {format_decimal(low)}"
            + (" (tỷ lệ phần trăm từ 0 đến 100)" if line.value_type is ValueType.PERCENT else "")
        )
    if high is not None and v > high:
        problems.append(
            f"{name}: {format_decimal(v)} lớn hơn giá trị tối đa {format_decimal(high)}"
            + (" (tỷ lệ phần trăm từ 0 đến 100)" if line.value_type is ValueType.PERCENT else "")
        )
    return problems


def robust_score(value: Decimal, past: Iterable[Decimal]) -> Decimal | None:
    """|value − median| / (1.4826 · MAD); None when the history is flat (MAD 0) or empty."""
    xs = list(past)
    if not xs:
        return None
    med = median(xs)
    mad = median([abs(x - med) for x in xs])
    if mad == 0:
        return None
    return abs(value - med) / (Decimal("1.4826") * mad)


def check_report(
    lines: Iterable[FormLine],
    figures: Mapping[FigureKey, Figure],
    history: History,
    rules: Rules,
    offices: frozenset[str] | None = None,
) -> list[FieldViolation]:
    """Every problem of the report (or of the sections of `offices`), each on the figure's
    field (`figures[<key text>]`)."""
    by_code = {line.indicator_code: line for line in lines}
    mine = {c: line for c, line in by_code.items() if offices is None or line.office_code in offices}
    out: list[FieldViolation] = []

    def add(key: FigureKey, message: str, part: str = "value") -> None:
        out.append(FieldViolation(f"figures[{key.text}].{part}", message))

    present = {k.indicator_code for k, f in figures.items() if not f.empty}
    for code, line in mine.items():
        if line.required and code not in present:
            add(FigureKey(code), f"{_name(line, FigureKey(code))}: bắt buộc phải báo cáo "
                "trước khi gửi (chưa nhập số liệu)")
    for key, fig in figures.items():
        line = mine.get(key.indicator_code)
        if line is None or fig.empty:
            continue
        for problem in check_value(line, key, fig):
            add(key, problem)
        if fig.value is None or fig.note.strip():
            continue
        name = _name(line, key)
        prev = history.previous.get(key)
        if prev is not None and prev != 0:
            share = abs(fig.value - prev) / abs(prev)
            if share > rules.max_change_share:
                add(key, f"{name}: thay đổi {share * HUNDRED:.0f}% so với kỳ trước "
                    f"({format_decimal(prev)} → {format_decimal(fig.value)}), vượt ngưỡng "
                    f"{rules.max_change_share * HUNDRED:.0f}%; cần thuyết minh", "note")
                continue
        past = history.past.get(key, ())
        if len(past) >= rules.min_history:
            score = robust_score(fig.value, past)
            if score is not None and score > rules.outlier_score:
                add(key, f"{name}: {format_decimal(fig.value)} khác thường so với số liệu các "
                    f"kỳ trước của đơn vị (trung vị {format_decimal(Decimal(median(past)))}, "
                    f"độ lệch {score:.1f} > {rules.outlier_score}); cần thuyết minh", "note")
    out.extend(_parts(by_code, mine, figures))
    return out


def _parts(
    by_code: Mapping[str, FormLine],
    mine: Mapping[str, FormLine],
    figures: Mapping[FigureKey, Figure],
) -> list[FieldViolation]:
    out: list[FieldViolation] = []
    values = {k: f.value for k, f in figures.items() if f.value is not None}
    # along additive dimensions: sum of members (other choices equal) ≤ the total without it
    sums: dict[tuple[FigureKey, str], Decimal] = defaultdict(Decimal)
    for key, v in values.items():
        line = mine.get(key.indicator_code)
        if line is None:
            continue
        for dim, _member in key.members:
            d = line.dimension(dim)
            if d is not None and d.additive:
                sums[(key.without(dim), dim)] += v
    for (total_key, dim), parts in sums.items():
        total = values.get(total_key)
        if total is not None and parts > total:
            line = mine[total_key.indicator_code]
            out.append(FieldViolation(
                f"figures[{total_key.text}].value",
                f"{_name(line, total_key)}: tổng các phần theo “{dim}” "
                f"({format_decimal(parts)}) vượt quá tổng số ({format_decimal(total)})",
            ))
    # components: sum of the indicators that are part of another ≤ that indicator (same key)
    comp: dict[FigureKey, Decimal] = defaultdict(Decimal)
    for key, v in values.items():
        line = by_code.get(key.indicator_code)
        if line is not None and line.part_of:
            comp[FigureKey(line.part_of, key.members, key.kind)] += v
    for total_key, parts in comp.items():
        total = values.get(total_key)
        line = by_code.get(total_key.indicator_code)
        if total is not None and line is not None and parts > total:
            children = sorted(c for c, ln in by_code.items() if ln.part_of == total_key.indicator_code)
            if offices_touch(mine, children, total_key.indicator_code):
                out.append(FieldViolation(
                    f"figures[{total_key.text}].value",
                    f"{_name(line, total_key)}: tổng các chỉ số thành phần "
                    f"({', '.join(children)}: {format_decimal(parts)}) vượt quá chỉ số tổng "
                    f"({format_decimal(total)})",
                ))
    return out


def offices_touch(mine: Mapping[str, FormLine], children: list[str], total: str) -> bool:
    """Whether the checked sections own the total or one of its parts."""
    return total in mine or any(c in mine for c in children)
