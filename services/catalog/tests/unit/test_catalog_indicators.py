"""Indicator definitions: every validation rule, including the ones across definitions."""

from dataclasses import replace
from decimal import Decimal

import pytest
from ktxh_catalog.domain.errors import InvalidArgument, raise_if_any
from ktxh_catalog.domain.indicators import (
    Dimension,
    DimensionMember,
    Frequency,
    Indicator,
    Polarity,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
    find_cycles,
    validate_indicators,
)

F, SA, TA, VT = Frequency, SpatialAggregation, TimeAggregation, ValueType


def count(code: str, **kw) -> Indicator:
    base = {"code": code, "name": f"Số {code}", "unit_of_measure": "hộ", "value_type": VT.INTEGER,
                "frequencies": (F.HALF_YEAR, F.YEAR), "spatial_aggregation": SA.SUM,
                "time_aggregation": TA.STOCK}
    base.update(kw)
    return Indicator(**base)


def rate(code: str, num: str | None = "POOR", den: str | None = "HH", **kw) -> Indicator:
    base = {"code": code, "name": "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "unit_of_measure": "%",
                "value_type": VT.PERCENT, "frequencies": (F.HALF_YEAR, F.YEAR),
                "spatial_aggregation": SA.RATIO, "time_aggregation": TA.RATE,
                "polarity": Polarity.LOWER_IS_BETTER, "numerator_code": num, "denominator_code": den,
                "scale": Decimal(100)}
    base.update(kw)
    return Indicator(**base)


def fields(violations) -> list[str]:
    return [v.field for v in violations]


def test_a_correct_ratio_indicator_is_valid():
    assert rate("RATE").validate() == []
    assert validate_indicators([rate("RATE"), count("POOR"), count("HH")]) == []


def test_ratio_without_numerator_and_denominator_names_both_fields():
    v = rate("RATE", num=None, den=None, scale=None).validate()
    assert set(fields(v)) == {"numerator_code", "denominator_code", "scale"}
    assert all(x.message for x in v)
    assert any("tử số" in x.message for x in v)
    with pytest.raises(InvalidArgument) as exc:
        raise_if_any(v)
    assert len(exc.value.violations) == 3


def test_ratio_parts_must_differ_and_be_summed_not_added_over_time():
    v = rate("RATE", num="HH", den="HH", time_aggregation=TA.FLOW).validate()
    assert "denominator_code" in fields(v)
    assert "time_aggregation" in fields(v)


def test_numerator_outside_ratio_is_refused():
    assert "numerator_code" in fields(count("X", numerator_code="Y").validate())


def test_weighted_average_needs_a_weight():
    ind = count("INCOME", unit_of_measure="triệu đồng", value_type=VT.MONEY,
                spatial_aggregation=SA.WEIGHTED_AVERAGE)
    assert fields(ind.validate()) == ["weight_indicator_code"]
    assert replace(ind, weight_indicator_code="POP").validate() == []


def test_within_range_needs_both_bounds_in_order():
    ind = count("X", polarity=Polarity.WITHIN_RANGE)
    assert set(fields(ind.validate())) == {"lower_bound", "upper_bound"}
    bad = replace(ind, lower_bound=Decimal(5), upper_bound=Decimal(1))
    assert fields(bad.validate()) == ["upper_bound"]
    assert replace(ind, lower_bound=Decimal(1), upper_bound=Decimal(5)).validate() == []
    assert "lower_bound" in fields(count("Y", lower_bound=Decimal(1)).validate())


def test_percentages_are_never_summed():
    ind = count("P", unit_of_measure="%", value_type=VT.PERCENT, time_aggregation=TA.AVERAGE)
    assert "spatial_aggregation" in fields(ind.validate())


def test_frequencies_and_code_and_name():
    v = count("1BAD", name=" ", frequencies=()).validate()
    assert set(fields(v)) == {"code", "name", "frequencies"}
    assert "frequencies" in fields(count("X", frequencies=(F.YEAR, F.YEAR)).validate())
    assert "code" in fields(count("HP-01").validate())  # '-' is minus in formulas


def test_frequencies_are_kept_in_canonical_order():
    assert count("X", frequencies=(F.YEAR, F.MONTH)).frequencies == (F.MONTH, F.YEAR)


def test_recompute_only_for_derived_indicators():
    assert "time_aggregation" in fields(count("X", time_aggregation=TA.RATE).validate())


def test_formula_syntax_errors_are_reported_on_the_formula_field():
    ind = count("G", unit_of_measure="%", value_type=VT.PERCENT, spatial_aggregation=SA.RECOMPUTE,
                time_aggregation=TA.RATE, formula="growth(A")
    v = ind.validate()
    assert fields(v) == ["formula"]
    assert "Thiếu ')'" in v[0].message


def test_formula_indicator_must_recompute():
    ind = count("G", unit_of_measure="%", value_type=VT.PERCENT, formula="growth(A)")
    assert {"spatial_aggregation", "time_aggregation"} <= set(fields(ind.validate()))


def test_formula_referring_to_unknown_code():
    g = count("G", unit_of_measure="%", value_type=VT.PERCENT, spatial_aggregation=SA.RECOMPUTE,
              time_aggregation=TA.RATE, formula="growth(GTSX) + NOPE")
    v = validate_indicators([g, count("GTSX")])
    assert fields(v) == ["indicators[G].formula"]
    assert "NOPE" in v[0].message


def test_ratio_referring_to_unknown_parts():
    v = validate_indicators([rate("RATE")])
    assert set(fields(v)) == {"indicators[RATE].numerator_code", "indicators[RATE].denominator_code"}


def test_known_catalog_indicators_can_be_referred_to():
    v = validate_indicators([rate("RATE")], known={"POOR": count("POOR"), "HH": count("HH")})
    assert v == []


def test_parts_must_allow_the_frequencies_of_the_ratio():
    v = validate_indicators([rate("RATE"), count("POOR", frequencies=(F.YEAR,)), count("HH")])
    assert fields(v) == ["indicators[RATE].numerator_code"]
    assert "6 tháng" in v[0].message


def test_formula_selectors_must_name_real_dimensions():
    gtsx = count("GTSX", unit_of_measure="triệu đồng", value_type=VT.MONEY, time_aggregation=TA.FLOW,
                 dimensions=(Dimension("price_basis", "Loại giá", (
                     DimensionMember("comparative", "Giá so sánh"),
                     DimensionMember("current", "Giá hiện hành"))),))
    ok = count("G", unit_of_measure="%", value_type=VT.PERCENT, spatial_aggregation=SA.RECOMPUTE,
               time_aggregation=TA.RATE, formula="growth(GTSX[price_basis=comparative])")
    assert validate_indicators([gtsx, ok]) == []
    bad = replace(ok, formula="growth(GTSX[price_basis=nominal]) + GTSX[region=north]")
    v = validate_indicators([gtsx, bad])
    assert len(v) == 2 and all(x.field == "indicators[G].formula" for x in v)


def test_cycle_between_derived_indicators():
    a = count("A", unit_of_measure="%", value_type=VT.NUMBER, spatial_aggregation=SA.RECOMPUTE,
              time_aggregation=TA.RATE, formula="B * 2")
    b = replace(a, code="B", formula="C + 1")
    c = replace(a, code="C", formula="A / 3")
    v = validate_indicators([a, b, c])
    assert len(v) == 1
    assert v[0].field == "indicators[A].formula"
    assert "A → B → C → A" in v[0].message


def test_cycle_through_a_ratio_part_names_the_link_field():
    r = rate("RATE", num="X", den="HH")
    x = count("X", unit_of_measure="hộ", value_type=VT.NUMBER, spatial_aggregation=SA.RECOMPUTE,
              time_aggregation=TA.RATE, formula="RATE * HH")
    v = validate_indicators([r, x, count("HH")])
    assert [f for f in fields(v) if "Vòng lặp" in v[fields(v).index(f)].message] == [
        "indicators[RATE].numerator_code"]


def test_self_reference_in_formula():
    a = count("A", unit_of_measure="hộ", value_type=VT.NUMBER, spatial_aggregation=SA.RECOMPUTE,
              time_aggregation=TA.RATE, formula="prev(A) + 1")
    assert "formula" in fields(a.validate())


def test_duplicate_codes_in_a_group():
    v = validate_indicators([count("A"), count("A")])
    assert "indicators[A].code" in fields(v)


def test_find_cycles_reports_each_cycle_once():
    cycles = find_cycles({"A": {"B"}, "B": {"A"}, "C": {"C"}, "D": {"A"}})
    assert sorted(map(tuple, cycles)) == [("A", "B", "A"), ("C", "C")]


def test_dimension_rules_and_member_overrides():
    coop = count("HTX", unit_of_measure="HTX", time_aggregation=TA.STOCK, frequencies=(F.MONTH,),
                 dimensions=(Dimension("status", "Tình trạng", (
                     DimensionMember("active", "Đang hoạt động"),
                     DimensionMember("new", "Thành lập mới", time_aggregation=TA.FLOW),
                     DimensionMember("charter_capital", "Vốn điều lệ", unit_of_measure="triệu đồng",
                                     value_type=VT.MONEY))),))
    assert coop.validate() == []
    assert coop.time_aggregation_for({"status": "new"}) is TA.FLOW
    assert coop.time_aggregation_for({"status": "active"}) is TA.STOCK
    assert coop.unit_for({"status": "charter_capital"}) == "triệu đồng"
    assert coop.value_type_for({"status": "charter_capital"}) is VT.MONEY
    bad = replace(coop, dimensions=(Dimension("Status", "", (DimensionMember("a", "A"),
                                                             DimensionMember("a", "B"))),))
    assert set(fields(bad.validate())) == {"dimensions[0].code", "dimensions[0].name",
                                           "dimensions[0].members[1].code"}


def test_text_and_boolean_indicators():
    t = count("T", unit_of_measure="", value_type=VT.TEXT, spatial_aggregation=SA.SUM)
    assert "spatial_aggregation" in fields(t.validate())
    b = count("B", unit_of_measure="", value_type=VT.BOOLEAN, spatial_aggregation=SA.SUM,
              polarity=Polarity.HIGHER_IS_BETTER)
    assert b.validate() == []


def test_labels_are_vietnamese():
    assert SA.RATIO.label == "Tỷ lệ của tổng"
    assert SA.SUM.label == "Tổng"
    assert Polarity.HIGHER_IS_BETTER.label == "Cao hơn là tốt"
    assert F.MONTH.label == "Tháng"
