import json

from ktxh_catalog.adapters.json_io import dump_catalog, from_data, load_catalog, to_data
from ktxh_catalog.domain.indicators import (
    Frequency,
    Indicator,
    Polarity,
    SpatialAggregation,
    TimeAggregation,
)
from ktxh_catalog.seed import load_haiphong_2081


def test_decode_errors_name_every_path():
    res = load_catalog("""{"format": "ktxh-catalog", "format_version": 1,
      "indicators": [
        {"code": "A", "name": "A", "unit_of_measure": "hộ", "value_type": "integer",
         "frequencies": ["year", "weekly"], "spatial_aggregation": "sum",
         "time_aggregation": "flow", "scale": "abc", "colour": "red"},
        {"code": "B", "unit_of_measure": "hộ"}
      ],
      "calendars": [{"code": "C", "name": "L", "rules": [],
                     "overrides": [{"period_code": "2026-M02", "due_date": "2026-02-31"}]}]}""")
    fields = {e.field for e in res.errors}
    assert {"indicators[0].frequencies[1]", "indicators[0].scale", "indicators[0].colour",
            "indicators[1].name", "indicators[1].value_type",
            "calendars[0].overrides[0].due_date"} <= fields
    msg = {e.field: e.message for e in res.errors}
    assert "2026-02-31" in msg["calendars[0].overrides[0].due_date"]
    assert "weekly" in msg["indicators[0].frequencies[1]"]


def test_rule_violations_after_decoding():
    res = load_catalog("""{"indicators": [{"code": "R", "name": "Tỷ lệ", "unit_of_measure": "%",
        "value_type": "percent", "frequencies": ["year"], "spatial_aggregation": "ratio",
        "time_aggregation": "rate"}]}""")
    assert {e.field for e in res.errors} == {"indicators[R].numerator_code",
                                             "indicators[R].denominator_code", "indicators[R].scale"}


def test_bad_json_and_duplicates():
    assert "JSON không hợp lệ" in load_catalog("{").errors[0].message
    ind = to_data(load_haiphong_2081().indicators["HP2081.XIII.08"])
    res = load_catalog(json.dumps({"indicators": [ind, ind]}))
    assert [e.field for e in res.errors] == ["indicators[1].code"]


def test_single_item_round_trip():
    ind = load_haiphong_2081().indicators["HP2081.XIII.12"]
    again, errors = from_data(Indicator, to_data(ind, omit_defaults=True))
    assert errors == [] and again == ind


def test_files_written_with_the_old_names_still_import():
    """A file exported before the catalog had one vocabulary: old field names and enum
    values are read as today's."""
    res = load_catalog("""{"indicators": [
        {"code": "N", "name": "Số hộ nghèo", "unit": "hộ", "value_type": "integer",
         "frequencies": ["year", "five_year"], "unit_aggregation": "sum",
         "time_aggregation": "sum", "sector": "Xã hội", "group": "XIII"},
        {"code": "H", "name": "Số hộ", "unit": "hộ", "value_type": "integer",
         "frequencies": ["year", "five_year"], "unit_aggregation": "sum",
         "time_aggregation": "last", "polarity": "neutral",
         "dimensions": [{"code": "area", "name": "Khu vực", "members": [
            {"code": "urban", "name": "Thành thị", "unit": "hộ"},
            {"code": "rural", "name": "Nông thôn", "time_aggregation": "sum"}]}]},
        {"code": "R", "name": "Tỷ lệ hộ nghèo", "unit": "%", "value_type": "percent",
         "frequencies": ["year"], "unit_aggregation": "ratio_of_sums",
         "time_aggregation": "recompute", "polarity": "lower_better",
         "numerator": "N", "denominator": "H", "scale": "100"}]}""")
    assert res.errors == []
    n, h, r = (res.snapshot.indicators[c] for c in "NHR")
    assert (n.unit_of_measure, n.field, n.group_code) == ("hộ", "Xã hội", "XIII")
    assert n.frequencies == (Frequency.YEAR, Frequency.PLAN_PERIOD)
    assert n.time_aggregation is TimeAggregation.FLOW and h.time_aggregation is TimeAggregation.STOCK
    urban, rural = h.dimensions[0].members
    assert urban.unit_of_measure == "hộ" and rural.time_aggregation is TimeAggregation.FLOW
    assert r.spatial_aggregation is SpatialAggregation.RATIO
    assert r.time_aggregation is TimeAggregation.RATE and r.polarity is Polarity.LOWER_IS_BETTER
    assert (r.numerator_code, r.denominator_code) == ("N", "H")
    # exported again, the file uses today's names only
    again = json.loads(dump_catalog(res.snapshot))["indicators"][2]
    assert again["spatial_aggregation"] == "ratio" and "unit_aggregation" not in again


def test_a_field_named_both_ways_is_refused():
    res = load_catalog("""{"indicators": [{"code": "N", "name": "Số hộ", "unit": "hộ",
        "unit_of_measure": "hộ", "value_type": "integer", "frequencies": ["year"],
        "spatial_aggregation": "sum", "time_aggregation": "flow"}]}""")
    assert [(e.field, e.message) for e in res.errors] == [
        ("indicators[0].unit", "Trường không được hỗ trợ")]
