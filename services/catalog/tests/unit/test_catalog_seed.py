"""The Hải Phòng 2081 seed loads and validates clean."""

from collections import Counter

from ktxh_catalog.adapters.json_io import dump_catalog, load_catalog
from ktxh_catalog.domain.indicators import Polarity, TimeAggregation, SpatialAggregation
from ktxh_catalog.domain.search import search
from ktxh_catalog.seed import demo_info, load_haiphong_2081, versioned_items


def test_seed_validates_clean_and_has_28_members():
    snap = load_haiphong_2081()
    assert snap.validate() == []
    s = snap.indicator_sets["HP2081"]
    assert len(s.items) == 28
    assert [m.ordinal for m in s.ordered_items()] == list(range(1, 29))
    assert s.legal_document.number == "2081/QĐ-UBND"
    assert s.legal_document.issued_on.isoformat() == "2026-06-03"
    assert s.legal_document.issuer == "UBND thành phố Hải Phòng"
    assert s.applies_to_kinds == ("commune",)
    assert s.consolidating_office == "VP"
    assert Counter(m.group_code for m in s.items) == {"XIII": 25, "D": 3}
    assert Counter(m.responsible_office for m in s.items) == {"PKT": 19, "PVHXH": 7, "TTHCC": 2}


def test_seed_follows_seed_001_rows():
    s = load_haiphong_2081()
    ind = s.indicators
    iset = s.indicator_sets["HP2081"]
    assert ind["HP2081.XIII.11"].name == "Tỷ lệ hộ nghèo theo chuẩn đa chiều"
    assert iset.member("HP2081.XIII.01").frequencies == ("half_year", "year")
    assert iset.member("HP2081.XIII.12").frequencies == ("month",)
    assert iset.member("HP2081.XIII.22").responsible_office == "TTHCC"
    assert iset.member("HP2081.D.01").frequencies == ("month", "quarter", "year")
    assert iset.member("HP2081.XIII.12").note == "Báo cáo trong phạm vi quản lý"


def test_aggregation_rules_a_planning_officer_agrees_with():
    ind = load_haiphong_2081().indicators
    poverty = ind["HP2081.XIII.11"]
    assert poverty.spatial_aggregation is SpatialAggregation.RATIO
    assert poverty.numerator_code == "HP2081.TP.HO_NGHEO" and poverty.denominator_code == "HP2081.TP.SO_HO"
    assert poverty.scale == 100 and poverty.polarity is Polarity.LOWER_IS_BETTER
    assert poverty.time_aggregation is TimeAggregation.RATE
    assert ind["HP2081.XIII.08"].time_aggregation is TimeAggregation.FLOW  # revenue: flow
    assert ind["HP2081.XIII.15"].time_aggregation is TimeAggregation.STOCK  # schools: stock
    assert ind["HP2081.XIII.06"].weight_indicator_code == "HP2081.TP.DAN_SO"
    assert [m.code for m in ind["HP2081.XIII.01"].dimensions[0].members] == [
        "comparative", "current"]
    coop = ind["HP2081.XIII.12"]
    assert [m.code for m in coop.dimensions[0].members] == [
        "active", "new", "charter_capital", "dissolved"]
    assert coop.time_aggregation_for({"status": "new"}) is TimeAggregation.FLOW
    assert ind["HP2081.XIII.03.TT"].formula == "growth(HP2081.XIII.03[price_basis=comparative])"


def test_demo_block_and_versioned_items():
    demo = demo_info()
    assert demo["unit_code"] == "10846"
    assert {o.code: o.name for o in demo["offices"]} == {
        "PKT": "Phòng Kinh tế", "PVHXH": "Phòng Văn hoá - Xã hội",
        "TTHCC": "Trung tâm Phục vụ Hành chính công", "VP": "Văn phòng HĐND và UBND"}
    items = versioned_items()
    assert all(i.version == 1 and len(i.events) == 1 for i in items)
    assert {i.kind for i in items} >= {"indicator", "indicator_set", "calendar", "criteria_set",
                                       "key_task", "thematic_plan", "report_template"}


def test_json_round_trip_is_lossless():
    snap = load_haiphong_2081()
    again = load_catalog(dump_catalog(snap))
    assert again.ok, again.errors
    assert again.snapshot == snap


def test_search_finds_seed_indicators_without_diacritics():
    inds = list(load_haiphong_2081().indicators.values())
    found = search(inds, "ho ngheo", key=lambda i: [i.code, i.name])
    assert found[0].code == "HP2081.XIII.11"


def test_the_seed_offices_are_the_commune_offices_every_province_has():
    """Imports and exports read the offices from the domain, not from this province's seed;
    the seed's demo block names the same ones."""
    from ktxh_catalog.domain.offices import COMMUNE_OFFICES, office_names

    demo = demo_info()
    assert office_names() == {o.code: o.name for o in demo["offices"]}
    assert [o.code for o in COMMUNE_OFFICES if o.consolidating] == [
        o.code for o in demo["offices"] if o.consolidating]
