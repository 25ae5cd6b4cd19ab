from ktxh_catalog.adapters.json_io import from_data, load_catalog, to_data
from ktxh_catalog.domain.indicators import Indicator
from ktxh_catalog.seed import load_haiphong_2081


def test_decode_errors_name_every_path():
    res = load_catalog("""{"format": "ktxh-catalog", "format_version": 1,
      "indicators": [
        {"code": "A", "name": "A", "unit": "hộ", "value_type": "integer",
         "frequencies": ["year", "weekly"], "unit_aggregation": "sum",
         "time_aggregation": "sum", "scale": "abc", "colour": "red"},
        {"code": "B", "unit": "hộ"}
      ],
      "calendars": [{"code": "C", "name": "L", "deadline_rules": [],
                     "overrides": [{"period": "2026-M02", "deadline": "2026-02-31"}]}]}""")
    fields = {e.field for e in res.errors}
    assert {"indicators[0].frequencies[1]", "indicators[0].scale", "indicators[0].colour",
            "indicators[1].name", "indicators[1].value_type",
            "calendars[0].overrides[0].deadline"} <= fields
    msg = {e.field: e.message for e in res.errors}
    assert "2026-02-31" in msg["calendars[0].overrides[0].deadline"]
    assert "weekly" in msg["indicators[0].frequencies[1]"]


def test_rule_violations_after_decoding():
    res = load_catalog("""{"indicators": [{"code": "R", "name": "Tỷ lệ", "unit": "%",
        "value_type": "percent", "frequencies": ["year"], "unit_aggregation": "ratio_of_sums",
        "time_aggregation": "recompute"}]}""")
    assert {e.field for e in res.errors} == {"indicators[R].numerator",
                                             "indicators[R].denominator", "indicators[R].scale"}


def test_bad_json_and_duplicates():
    assert "JSON không hợp lệ" in load_catalog("{").errors[0].message
    ind = to_data(load_haiphong_2081().indicators["HP2081.XIII.08"])
    import json

    res = load_catalog(json.dumps({"indicators": [ind, ind]}))
    assert [e.field for e in res.errors] == ["indicators[1].code"]


def test_single_item_round_trip():
    ind = load_haiphong_2081().indicators["HP2081.XIII.12"]
    again, errors = from_data(Indicator, to_data(ind, omit_defaults=True))
    assert errors == [] and again == ind
