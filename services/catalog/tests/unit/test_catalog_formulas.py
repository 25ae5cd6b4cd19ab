"""The formula language: parsing, errors, evaluation. Never eval."""

from decimal import Decimal

import pytest
from ktxh_catalog.domain.errors import FormulaError, InvalidArgument
from ktxh_catalog.domain.formulas import (
    Call,
    Ref,
    evaluate_mapping,
    parse,
    references,
    refs,
)

D = Decimal


def test_precedence_and_canonical_text():
    e = parse("1 + 2 * 3 - (4 - 5) / -2")
    assert evaluate_mapping(e, {}) == D("6.5")
    assert str(e) == "1 + 2 * 3 - (4 - 5) / -2"
    assert str(parse("a - (b - c)")) == "a - (b - c)"
    assert str(parse("(a - b) - c")) == "a - b - c"


def test_codes_with_dots_and_selectors():
    e = parse("growth(HP2081.XIII.03[price_basis=comparative])")
    assert isinstance(e, Call) and e.name == "growth"
    assert refs(e) == [Ref("HP2081.XIII.03", (("price_basis", "comparative"),))]
    assert references(parse("share(A, B) + A")) == {"A", "B"}


def test_growth_share_prev():
    cur = {"X[price_basis=comparative]": D(110), "A": D(25), "T": D(200)}
    last = {"X[price_basis=comparative]": D(100)}
    assert evaluate_mapping(parse("growth(X[price_basis=comparative])"), cur, last) == D(10)
    assert evaluate_mapping(parse("share(A, T)"), cur) == D("12.5")
    assert evaluate_mapping(parse("prev(X[price_basis=comparative])"), cur, last) == D(100)


def test_missing_values_and_division_by_zero_give_none():
    assert evaluate_mapping(parse("A / B"), {"A": D(1), "B": D(0)}) is None
    assert evaluate_mapping(parse("A + B"), {"A": D(1)}) is None
    assert evaluate_mapping(parse("growth(A)"), {"A": D(1)}) is None  # no last year


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "rỗng"),
        ("A +", "kết thúc"),
        ("(A + B", "Thiếu ')'"),
        ("A B", "Thừa"),
        ("eval(A)", "không được hỗ trợ"),
        ("__import__('os')", "Ký tự không hợp lệ"),
        ("growth(A, B)", "cần 1 tham số"),
        ("share(A)", "cần 2 tham số"),
        ("A[dim]", "Thiếu '='"),
        ("A[d=x, d=y]", "bị lặp"),
        ("3X", "bắt đầu bằng chữ cái"),
        ("A.", "dấu chấm"),
        ("1.", "Số không hợp lệ"),
        ("A ** 2", "Không mong đợi"),
    ],
)
def test_syntax_errors_are_vietnamese_and_positioned(text, fragment):
    with pytest.raises(FormulaError) as exc:
        parse(text)
    assert fragment in exc.value.message
    assert isinstance(exc.value, InvalidArgument)
    assert exc.value.violations[0].field == "formula"


def test_deep_nesting_is_refused_not_crashing():
    with pytest.raises(FormulaError):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(FormulaError):
        parse("-" * 500 + "1")
