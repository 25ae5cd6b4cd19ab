"""The JSON body of `POST /api/v1/data-values`, fuzzed with hypothesis: any JSON document is
either a valid set of rows (each value a string or a number, never a boolean or null) or a
ValidationError naming where it is wrong — never another exception — and every valid row
travels as protobuf text exactly (numbers as their decimal text)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh_gateway.submissions.bulk import DataValueSet, _value
from pydantic import ValidationError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
row = st.fixed_dictionaries(
    {"org_unit_code": st.text(max_size=12), "period_code": st.sampled_from(["2026-M10", "", "x"]),
     "key": st.text(max_size=20)},
    optional={"value": json_values, "note": st.text(max_size=10), "extra": json_values},
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({"data_values": st.lists(row, max_size=4)})))
def test_any_json_is_rows_or_a_validation_error(doc) -> None:
    text = json.dumps(doc)
    try:
        parsed = DataValueSet.model_validate_json(text)
    except ValidationError as err:
        assert err.errors() and all(e["loc"] for e in err.errors() if e["type"] != "model_type")
        return
    for r, raw in zip(parsed.data_values, doc["data_values"], strict=True):
        assert not isinstance(raw.get("value", ""), bool | type(None))
        m = pb.DataValue(org_unit_code=r.org_unit_code, key=r.key, value=_value(r.value), note=r.note)
        if isinstance(raw.get("value"), int | float):
            assert Decimal(m.value) == Decimal(repr(raw["value"]) if isinstance(raw["value"], float)
                                               else raw["value"])
        else:
            assert m.value == raw.get("value", "")
