"""Report checks (issue 11, point 4): messages name the indicator and the rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ktxh_submission.domain.figures import (
    Dimension,
    Figure,
    FigureKey,
    FormLine,
    ValueType,
    parse_decimal,
)
from ktxh_submission.domain.validation import History, Rules, check_report, robust_score

SCHOOLS = FormLine("HP2081.XIII.15", "Số trường đạt chuẩn quốc gia", "10846.PVHXH", ValueType.INTEGER,
                   dimensions=(Dimension("school_level", ("preschool", "primary", "lower_secondary")),))
REVENUE = FormLine("HP2081.XIII.08", "Thu ngân sách nhà nước trên địa bàn", "10846.PKT")
TAX = FormLine("X.TAX", "Thu thuế", "10846.PKT", part_of="HP2081.XIII.08", required=False)
POOR = FormLine("HP2081.XIII.11", "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "10846.PKT", ValueType.PERCENT)


def figs(*pairs: tuple[FigureKey, str], note: str = "") -> dict[FigureKey, Figure]:
    return {k: Figure(k, "x", value=Decimal(v), note=note) for k, v in pairs}


def by_field(problems):
    return {p.field: p.message for p in problems}


def test_required_indicators_before_sending():
    problems = by_field(check_report([REVENUE, POOR], figs((FigureKey("HP2081.XIII.08"), "10")),
                                     History.empty(), Rules()))
    assert problems == {"figures[HP2081.XIII.11/actual].value":
                        "Chỉ số HP2081.XIII.11 “Tỷ lệ hộ nghèo theo chuẩn đa chiều”: bắt buộc phải "
                        "báo cáo trước khi gửi (chưa nhập số liệu)"}


def test_parts_never_exceed_their_total():
    total = FigureKey("HP2081.XIII.15")
    parts = [FigureKey("HP2081.XIII.15", (("school_level", m),)) for m in ("preschool", "primary")]
    problems = by_field(check_report([SCHOOLS], figs((total, "3"), (parts[0], "2"), (parts[1], "2")),
                                     History.empty(), Rules()))
    assert "tổng các phần theo “school_level” (4) vượt quá tổng số (3)" in problems[
        "figures[HP2081.XIII.15/actual].value"]
    ok = check_report([SCHOOLS], figs((total, "4"), (parts[0], "2"), (parts[1], "2")), History.empty(),
                      Rules())
    assert ok == []
    comp = by_field(check_report([REVENUE, TAX], figs((FigureKey("HP2081.XIII.08"), "100"),
                                                      (FigureKey("X.TAX"), "120")),
                                 History.empty(), Rules()))
    assert "tổng các chỉ số thành phần (X.TAX: 120) vượt quá chỉ số tổng (100)" in comp[
        "figures[HP2081.XIII.08/actual].value"]


def test_a_big_change_from_the_previous_period_needs_a_note():
    k = FigureKey("HP2081.XIII.08")
    hist = History({k: Decimal(100)}, {})
    problems = by_field(check_report([REVENUE], figs((k, "180")), hist, Rules()))
    assert problems["figures[HP2081.XIII.08/actual].note"].endswith(
        "thay đổi 80% so với kỳ trước (100 → 180), vượt ngưỡng 50%; cần thuyết minh")
    assert check_report([REVENUE], figs((k, "180"), note="Thu tiền sử dụng đất một lần"), hist,
                        Rules()) == []
    assert check_report([REVENUE], figs((k, "180")), hist, Rules(max_change_share=Decimal(1))) == []


def test_a_figure_far_outside_the_units_history_needs_a_note():
    k = FigureKey("HP2081.XIII.08")
    past = tuple(Decimal(v) for v in (100, 104, 98, 101, 103, 99))
    problems = by_field(check_report([REVENUE], figs((k, "400")), History({}, {k: past}), Rules()))
    assert "khác thường so với số liệu các kỳ trước của đơn vị (trung vị 100.5" in problems[
        "figures[HP2081.XIII.08/actual].note"]
    assert check_report([REVENUE], figs((k, "105")), History({}, {k: past}), Rules()) == []
    # too little history: the rule does not apply
    assert check_report([REVENUE], figs((k, "400")), History({}, {k: past[:3]}), Rules()) == []


@given(st.lists(st.decimals(-1000, 1000, places=2), min_size=1, max_size=30),
       st.decimals(-1000, 1000, places=2), st.decimals(1, 100, places=2),
       st.decimals(-1000, 1000, places=2))
def test_the_robust_score_ignores_shift_and_scale(xs, x, scale, shift):
    a = robust_score(x, xs)
    b = robust_score(x * scale + shift, [v * scale + shift for v in xs])
    assert (a is None) == (b is None)
    if a is not None:
        assert abs(a - b) <= Decimal("1e-6") * max(Decimal(1), a)


@pytest.mark.parametrize("text, reason", [
    ("NaN", "không phải là số"), ("Infinity", "không phải là số"), ("1e999999999", "quá lớn"),
    ("1234567890123456789", "quá lớn"), ("0.00000000001", "chữ số thập phân"), ("1,2,3", "không phải"),
])
def test_values_the_store_cannot_hold_exactly_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_decimal(text)


def test_values_are_read_exactly():
    assert parse_decimal(" 12,5 ") == Decimal("12.5")
    assert parse_decimal("123456789012345678.0000000001") == Decimal("123456789012345678.0000000001")
    assert parse_decimal("1.500000000000") == Decimal("1.5")
