"""One spelling of a figure key's text for every service: written and read back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ktxh_platform.domain.figure_keys import figure_key_text, parse_figure_key_text

codes = st.from_regex(r"[A-Za-z][A-Za-z0-9_.]{0,20}", fullmatch=True)
names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


def test_the_spelling():
    key = figure_key_text("HP2081.XIII.01", [("zone", "urban"), ("price_basis", "comparative")])
    assert key == "HP2081.XIII.01[price_basis=comparative,zone=urban]/actual"
    assert figure_key_text("GRDP", (), "estimate") == "GRDP/estimate"
    assert parse_figure_key_text("GRDP") == ("GRDP", (), "actual")  # kind left out: actual


@given(codes, st.dictionaries(names, names, max_size=3), st.sampled_from(["actual", "estimate", "target"]))
def test_text_round_trips(code, members, kind):
    text = figure_key_text(code, members.items(), kind)
    assert parse_figure_key_text(text) == (code, tuple(sorted(members.items())), kind)
