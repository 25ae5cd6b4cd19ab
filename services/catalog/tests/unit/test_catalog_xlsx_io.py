"""XLSX export/import of an indicator set: round trip and the dry run's row errors."""

import io
from datetime import datetime

import pytest
from ktxh_catalog.adapters.xlsx_io import (
    HEADER,
    SHEET_DIMENSIONS,
    SHEET_INDICATORS,
    SHEET_SET,
    export_indicator_set,
    import_indicator_set,
)
from ktxh_catalog.seed import demo_info, load_haiphong_2081
from openpyxl import Workbook, load_workbook


@pytest.fixture(scope="module")
def snap():
    return load_haiphong_2081()


@pytest.fixture(scope="module")
def offices():
    return {o.code: o.name for o in demo_info()["offices"]}


@pytest.fixture(scope="module")
def exported(snap, offices) -> bytes:
    return export_indicator_set(snap.indicator_sets["HP2081"], snap.indicators, offices=offices)


def test_round_trip_is_lossless(snap, offices, exported):
    r = import_indicator_set(exported, offices=offices, calendars=snap.calendars)
    assert r.ok, [str(e) for e in r.errors]
    assert r.indicator_set == snap.indicator_sets["HP2081"]
    assert len(r.indicator_set.items) == 28
    assert r.indicators == {c: snap.indicators[c] for c in r.indicators}
    assert len(r.indicators) == 50  # 28 members + 22 components
    assert r.plan(snap.indicators) == {"create": [], "revise": [], "unchanged": list(r.indicators)}


def test_round_trip_with_codes_instead_of_office_names(snap):
    data = export_indicator_set(snap.indicator_sets["HP2081"], snap.indicators,
                                include=["HP2081.XIII.03.TT"])
    r = import_indicator_set(data)
    assert r.ok, [str(e) for e in r.errors]
    assert r.indicator_set == snap.indicator_sets["HP2081"]
    assert r.indicators["HP2081.XIII.03.TT"] == snap.indicators["HP2081.XIII.03.TT"]


def test_sheet_layout_is_vietnamese_with_drop_downs(exported):
    wb = load_workbook(io.BytesIO(exported))
    assert wb.sheetnames[:4] == ["Chỉ số", "Phân tổ", "Nhóm", "Bộ chỉ số"]
    assert wb["Danh mục"].sheet_state == "hidden"
    ws = wb[SHEET_INDICATORS]
    headers = [c.value for c in ws[4]]
    for h in ("STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Kiểu giá trị", "Tần suất",
              "Tổng hợp theo đơn vị", "Tổng hợp theo thời gian", "Chỉ số tử số",
              "Chỉ số mẫu số", "Chiều tốt", "Nhóm", "Lĩnh vực", "Đơn vị thực hiện", "Ghi chú"):
        assert h in headers
    row = {h: c.value for h, c in zip(headers, ws[15])}  # STT 11: poverty rate
    assert row["Tên chỉ số"] == "Tỷ lệ hộ nghèo theo chuẩn đa chiều"
    assert row["Tổng hợp theo đơn vị"] == "Tỷ lệ của tổng"
    assert row["Chiều tốt"] == "Thấp hơn là tốt"
    assert row["Tần suất"] == "6 tháng / Năm"
    assert row["Đơn vị thực hiện"] == "Phòng Kinh tế"
    assert row["Chỉ số tử số"] == "HP2081.TP.HO_NGHEO"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("Danh mục" in f for f in lists.values())
    assert len(lists) >= 8


def _edit(data: bytes, edits) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    edits(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(ws, header: str, header_row: int = 4) -> int:
    for c in ws[header_row]:
        if c.value == header:
            return c.column
    raise KeyError(header)


def _row_of(ws, code: str) -> int:
    col = _col(ws, "Mã chỉ số")
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, col).value == code:
            return r
    raise KeyError(code)


def test_dry_run_reports_every_row_error(snap, offices, exported):
    def edits(wb):
        ws = wb[SHEET_INDICATORS]
        r11 = _row_of(ws, "HP2081.XIII.11")
        ws.cell(r11, _col(ws, "Chỉ số tử số")).value = None  # ratio without numerator_code
        r6 = _row_of(ws, "HP2081.XIII.06")
        ws.cell(r6, _col(ws, "Chỉ số trọng số")).value = None  # weighted avg without weight
        r8 = _row_of(ws, "HP2081.XIII.08")
        ws.cell(r8, _col(ws, "Tần suất")).value = "Hằng tuần"  # unknown frequency
        r10 = _row_of(ws, "HP2081.XIII.10")
        ws.cell(r10, _col(ws, "Mã chỉ số")).value = "HP2081.XIII.09"  # duplicate code
        r13 = _row_of(ws, "HP2081.XIII.13")
        ws.cell(r13, _col(ws, "Đơn vị thực hiện")).value = "Phòng Tư pháp"  # unknown office
        r12 = _row_of(ws, "HP2081.XIII.12")
        ws.cell(r12, _col(ws, "Tần suất")).value = "6 tháng"  # not allowed (indicator: month)
        ws.cell(r12, _col(ws, "Tần suất cho phép")).value = "Tháng"
        last = ws.max_row + 1
        values = {"Mã chỉ số": "HP2081.XIII.99", "Tên chỉ số": "Chỉ số thử",
                  "Đơn vị tính": "%", "Kiểu giá trị": "Tỷ lệ (%)", "Tần suất": "Năm",
                  "Tổng hợp theo đơn vị": "Tính lại theo công thức",
                  "Tổng hợp theo thời gian": "Tính lại từ thành phần",
                  "Công thức": "share(HP2081.XIII.08, KHONG_CO)"}  # unknown code in formula
        for h, v in values.items():
            ws.cell(last, _col(ws, h)).value = v
        ws_set = wb[SHEET_SET]
        ws_set["B7"] = "31/02/2026"  # Ngày ban hành: does not exist
        ws_dim = wb[SHEET_DIMENSIONS]
        ws_dim.cell(ws_dim.max_row + 1, 1).value = "KHONG_CO"
        ws_dim.cell(ws_dim.max_row, 2).value = "x"
        ws_dim.cell(ws_dim.max_row, 4).value = "y"
        ws_dim.cell(ws_dim.max_row, 5).value = "Y"

    data = _edit(exported, edits)
    r = import_indicator_set(data, offices=offices, calendars=snap.calendars)
    assert not r.ok
    got = {(e.sheet, e.row, e.column) for e in r.errors}
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET_INDICATORS]
    row = lambda code: _row_of(ws, code)
    expected = {
        (SHEET_SET, 7, "Ngày ban hành"),
        (SHEET_INDICATORS, row("HP2081.XIII.11"), HEADER["numerator_code"]),
        (SHEET_INDICATORS, row("HP2081.XIII.06"), HEADER["weight_indicator_code"]),
        (SHEET_INDICATORS, row("HP2081.XIII.08"), HEADER["member_frequencies"]),
        (SHEET_INDICATORS, 5 + 9, HEADER["code"]),  # the duplicate (STT 10 is row 14)
        (SHEET_INDICATORS, row("HP2081.XIII.13"), HEADER["responsible_office"]),
        (SHEET_INDICATORS, row("HP2081.XIII.12"), HEADER["member_frequencies"]),
        (SHEET_INDICATORS, row("HP2081.XIII.99"), HEADER["formula"]),
        (SHEET_DIMENSIONS, wb[SHEET_DIMENSIONS].max_row, "Mã chỉ số"),
    }
    assert expected <= got, sorted(got - expected)
    msgs = {(e.sheet, e.row, e.column): e.message for e in r.errors}
    assert "không tồn tại" in msgs[(SHEET_SET, 7, "Ngày ban hành")]
    assert "31/02/2026" in msgs[(SHEET_SET, 7, "Ngày ban hành")]
    assert "tử số" in msgs[(SHEET_INDICATORS, row("HP2081.XIII.11"), HEADER["numerator_code"])]
    assert "KHONG_CO" in msgs[(SHEET_INDICATORS, row("HP2081.XIII.99"), HEADER["formula"])]
    assert "bị trùng" in msgs[(SHEET_INDICATORS, 14, HEADER["code"])]
    assert "không được phép" in msgs[(SHEET_INDICATORS, row("HP2081.XIII.12"),
                                       HEADER["member_frequencies"])]
    assert "Hằng tuần" in msgs[(SHEET_INDICATORS, row("HP2081.XIII.08"), HEADER["member_frequencies"])]
    assert all(str(e).startswith("Sheet '") for e in r.errors)


def test_dry_run_reports_a_cycle_and_missing_columns(snap, offices, exported):
    def edits(wb):
        ws = wb[SHEET_INDICATORS]
        r = _row_of(ws, "HP2081.TP.HO_NGHEO")
        ws.cell(r, _col(ws, "Tổng hợp theo đơn vị")).value = "Tính lại theo công thức"
        ws.cell(r, _col(ws, "Tổng hợp theo thời gian")).value = "Tính lại từ thành phần"
        ws.cell(r, _col(ws, "Công thức")).value = "HP2081.XIII.11 * HP2081.TP.SO_HO / 100"

    r = import_indicator_set(_edit(exported, edits), offices=offices, calendars=snap.calendars)
    cycle = [e for e in r.errors if "Vòng lặp" in e.message]
    assert len(cycle) == 1 and cycle[0].sheet == SHEET_INDICATORS

    def drop(wb):
        ws = wb[SHEET_INDICATORS]
        ws.delete_cols(_col(ws, "Kiểu giá trị"))

    r = import_indicator_set(_edit(exported, drop))
    assert (SHEET_INDICATORS, 4, "Kiểu giá trị") in {(e.sheet, e.row, e.column) for e in r.errors}


def test_member_may_refer_to_a_known_indicator(snap):
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số"
    ws.append(["STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Kiểu giá trị", "Tần suất",
               "Tổng hợp theo đơn vị", "Tổng hợp theo thời gian", "Đơn vị thực hiện"])
    ws.append([1, "HP2081.XIII.11", None, None, None, "Năm", None, None, "PKT"])
    ws.append([2, "HP2081.XIII.08", None, None, None, "Tháng", None, None, "PKT"])
    s = wb.create_sheet("Bộ chỉ số")
    for label, value in [("Mã bộ chỉ số", "THU"), ("Tên bộ chỉ số", "Bộ thử"),
                         ("Áp dụng cho loại đơn vị", "Xã, phường, đặc khu"),
                         ("Lịch báo cáo mặc định", "LICH.HP2081"),
                         ("Số văn bản", "1/QĐ-UBND"), ("Ngày ban hành", datetime(2026, 1, 2)),
                         ("Cơ quan ban hành", "UBND xã")]:
        s.append([label, value])
    buf = io.BytesIO()
    wb.save(buf)
    r = import_indicator_set(buf.getvalue(), known=snap.indicators, calendars=snap.calendars)
    assert [(e.row, e.column) for e in r.errors] == [(3, "Tần suất")]
    assert "Tháng" in r.errors[0].message
    assert r.indicators == {}
    assert [m.indicator_code for m in r.indicator_set.items] == ["HP2081.XIII.11",
                                                                    "HP2081.XIII.08"]


def test_not_a_workbook():
    r = import_indicator_set(b"not an xlsx")
    assert not r.ok and "Không đọc được" in r.errors[0].message


def test_cells_with_the_old_codes_still_import(snap, offices, exported):
    """A workbook filled in with the codes the catalog used before it had one vocabulary
    (``ratio_of_sums``, ``recompute``, ``lower_better``) reads as today's values."""
    def edits(wb):
        ws = wb[SHEET_INDICATORS]
        r11 = _row_of(ws, "HP2081.XIII.11")
        ws.cell(r11, _col(ws, "Tổng hợp theo đơn vị")).value = "ratio_of_sums"
        ws.cell(r11, _col(ws, "Tổng hợp theo thời gian")).value = "recompute"
        ws.cell(r11, _col(ws, "Chiều tốt")).value = "lower_better"

    r = import_indicator_set(_edit(exported, edits), offices=offices, calendars=snap.calendars)
    assert r.ok, [str(e) for e in r.errors]
    assert r.indicators["HP2081.XIII.11"] == snap.indicators["HP2081.XIII.11"]
