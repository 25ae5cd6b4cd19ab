"""Reading bulk payloads: the CSV of the data-values API and the text form of a figure key;
hypothesis checks that no input makes the readers fail other than with a Vietnamese
InvalidArgument (CSV) or ValueError (key), and that what is written is read back."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ktxh_platform.domain import InvalidArgument
from ktxh_submission.adapters.bulk_io import read_csv
from ktxh_submission.domain.bulk import DataValue, RefusedRow, parse_key, unreadable
from ktxh_submission.domain.figures import FigureKey, FigureKind


def test_a_csv_is_read_with_line_numbers_bom_and_quoted_notes() -> None:
    content = (
        "\ufefforg_unit_code,period_code,key,value,note\r\n"
        "10846,2026-M10,HP2081.XIII.01[price_basis=comparative]/actual,\"1234,5\",\"Ghi chú\n2 dòng\"\r\n"
        "\r\n"
        "10846,2026-M10,HP2081.XIII.16,91.5,\r\n"
        "10846,2026-M10,HP2081.XIII.17\r\n"
    ).encode()
    rows, refused = read_csv(content)
    assert rows == [
        DataValue(2, "10846", "2026-M10", "HP2081.XIII.01[price_basis=comparative]/actual",
                  "1234,5", "Ghi chú\n2 dòng"),
        DataValue(5, "10846", "2026-M10", "HP2081.XIII.16", "91.5", ""),
    ]
    assert refused == [RefusedRow(6, "", "Dòng có 3 ô, tiêu đề có 5 cột")]


def test_semicolons_any_column_order_and_no_note_column() -> None:
    rows, refused = read_csv(b"value;key;period_code;org_unit_code\n12,5;X.01;2026;10846\n")
    assert (rows, refused) == ([DataValue(2, "10846", "2026", "X.01", "12,5", "")], [])


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Tệp CSV trống"),
    (b"org_unit_code,period_code,key\n", "Thiếu cột: value"),
    (b"org_unit_code,period_code,key,value,gia_tri\n", "Cột “gia_tri” không có"),
    (b"org_unit_code,period_code,key,value,value\n", "cột bị lặp"),
    ("org_unit_code,period_code,key,value\n1,2,3,4".encode("utf-16"), "UTF-8"),
    (b"org_unit_code,period_code,key,value\n1,2,\"3,4\n", "Dòng 2"),
])
def test_a_broken_csv_is_refused_as_a_whole_naming_the_field(content: bytes, message: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        read_csv(content)
    assert err.value.violations[0].field == "csv"
    assert message in err.value.violations[0].message


def test_figure_keys_in_text_form() -> None:
    assert parse_key("HP2081.XIII.01[price_basis=comparative]/actual") == FigureKey(
        "HP2081.XIII.01", (("price_basis", "comparative"),))
    assert parse_key(" HP2081.D.01 ") == FigureKey("HP2081.D.01")
    assert parse_key("X[b=2,a=1]/estimate") == FigureKey("X", (("a", "1"), ("b", "2")), FigureKind.ESTIMATE)
    for bad, message in [("", "Thiếu khoá"), ("X[a=1", "không đúng dạng"), ("X/plan", "Loại số liệu"),
                         ("X[a=1,a=2]", "một giá trị"), ("X Y", "không đúng dạng")]:
        with pytest.raises(ValueError, match=message):
            parse_key(bad)


def test_control_characters_and_overlong_fields_are_refused() -> None:
    assert unreadable(DataValue(3, "10846", "2026", "X", "1\x00")) == RefusedRow(
        3, "value", "Có ký tự điều khiển không hợp lệ")
    assert unreadable(DataValue(4, "1" * 41, "2026", "X", "1")).field == "org_unit_code"
    assert unreadable(DataValue(5, "10846", "2026", "X", "1", "dòng 1\ndòng 2\tcột")) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_no_bytes_break_the_csv_reader(content: bytes) -> None:
    try:
        rows, refused = read_csv(content)
    except InvalidArgument as err:
        assert err.violations[0].field == "csv" and err.violations[0].message
        return
    assert all(r.row >= 2 for r in rows) and all(r.row >= 2 for r in refused)


cell = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell, cell, cell), max_size=20))
def test_what_a_csv_writer_writes_is_read_back(table) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["org_unit_code", "period_code", "key", "value", "note"])
    w.writerows(table)
    rows, refused = read_csv(buf.getvalue().encode())
    kept = [t for t in table if any(c.strip() for c in t)]
    assert refused == []
    # a lone \r inside an unquoted cell is a line break to csv; compare what csv reads back
    expected = [tuple(r) for r in csv.reader(io.StringIO(buf.getvalue(), newline=""))][1:]
    expected = [t for t in expected if any(c.strip() for c in t)]
    assert [(r.org_unit_code, r.period_code, r.key, r.value, r.note) for r in rows] == expected
    assert len(rows) == len(kept)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_key_text_parses_or_says_why(text: str) -> None:
    try:
        key = parse_key(text)
    except ValueError as err:
        assert str(err)
        return
    assert parse_key(key.text) == key  # the text form round-trips
