"""The report table and its four renderings, read back the way a user's tool would read them:
the XLSX with openpyxl (merged headers, number formats, values), the PDF with pypdf (text with
diacritics, embedded fonts), the CSV with the csv module, the JSON with json."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ktxh_reporting.adapters.pdf_export import render_pdf, vn_number
from ktxh_reporting.adapters.text_export import render_csv, render_json
from ktxh_reporting.adapters.xlsx_export import NUMBER_FORMAT, PERCENT_FORMAT, render_xlsx
from ktxh_reporting.domain.report_table import (
    IndicatorLine,
    MatrixLine,
    ReportTable,
    UnitColumn,
    appendix_matrix,
    indicator_report,
)

D = Decimal


def october_report() -> ReportTable:
    return indicator_report(
        org_unit_code="10846",
        org_unit_name="Xã Hà Tây",
        period_code="2026-M10",
        period_label="Tháng 10/2026",
        as_of=datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        lines=[
            IndicatorLine("HP.GTSX", "Tổng giá trị sản xuất", "tỷ đồng", D("1234.5"),
                          D("1500"), D("82.3"), D("1100.25"), D("12.2"),
                          "HP.GTSX/actual"),
            IndicatorLine("HP.GTSX", "Giá so sánh", "tỷ đồng", D("1000"), None, None, None,
                          None, "HP.GTSX[price_basis=comparative]/actual", level=1),
            IndicatorLine("HP.HONGHEO", "Tỷ lệ hộ nghèo", "%", D("2.15"), D("2.5"),
                          D("116.3"), D("3.4"), D("-36.8"), "HP.HONGHEO/actual"),
            IndicatorLine("HP.DANSO", "Dân số trung bình", "người", D("12480"), None, None,
                          D("12301"), D("1.5"), "HP.DANSO/actual"),
        ],
    )


def matrix() -> ReportTable:
    return appendix_matrix(
        org_unit_code="10846",
        org_unit_name="huyện Hà Tây",
        period_code="2026",
        period_label="Năm 2026",
        units=[UnitColumn("10846.01", "Xã Hà Tây"), UnitColumn("10846.02", "Xã Đồng Tâm")],
        lines=[
            MatrixLine("HP.HONGHEO", "Tỷ lệ hộ nghèo", "%", D("2.5"), D("2.31"),
                       {"10846.01": D("2.15"), "10846.02": D("2.6")}, "HP.HONGHEO/actual"),
            MatrixLine("HP.DANSO", "Dân số trung bình", "người", None, D("25000"),
                       {"10846.01": D("12480")}, "HP.DANSO/actual"),
        ],
    )


def test_xlsx_has_the_official_header_merged_and_numbers_formatted():
    ws = load_workbook(io.BytesIO(render_xlsx(october_report()))).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    headers = {ws.cell(6, c).value: c for c in range(1, ws.max_column + 1)}
    sub = {ws.cell(7, c).value: c for c in range(1, ws.max_column + 1)}
    # group heading merged over its two columns, the others over both header rows
    first, last = sub["So với kế hoạch"], sub["So với cùng kỳ"]
    assert ws.cell(6, first).value == "So sánh (%)" and last == first + 1
    assert f"{ws.cell(6, first).coordinate}:{ws.cell(6, last).coordinate}" in merged
    name_col = headers["Chỉ tiêu"]
    assert f"{ws.cell(6, name_col).coordinate}:{ws.cell(7, name_col).coordinate}" in merged
    assert {"Đơn vị tính", "Kế hoạch năm 2026", "Thực hiện Tháng 10/2026",
            "Cùng kỳ năm 2025", "STT", "Mã chỉ tiêu"} <= set(headers)
    assert "Khóa số liệu" not in headers  # the machine key is for CSV/JSON only
    rows = {ws.cell(r, name_col).value: r for r in range(8, 8 + 4)}
    poor = rows["Tỷ lệ hộ nghèo"]
    value = ws.cell(poor, headers["Thực hiện Tháng 10/2026"])
    assert value.value == pytest.approx(2.15) and value.number_format == NUMBER_FORMAT
    assert ws.cell(poor, headers["Đơn vị tính"]).value == "%"
    plan = ws.cell(poor, first)
    assert plan.value == pytest.approx(116.3) and plan.number_format == PERCENT_FORMAT
    assert ws.cell(rows["Dân số trung bình"], headers["Thực hiện Tháng 10/2026"]).value == 12480
    assert ws.cell(rows["Dân số trung bình"], headers["STT"]).value == "3"
    component = ws.cell(rows["Giá so sánh"], name_col)
    assert component.alignment.indent > 0 and not component.font.bold
    assert ws.cell(poor, name_col).font.bold
    assert ws["A1"].value == "XÃ HÀ TÂY"


def test_xlsx_matrix_has_one_column_per_commune_under_the_period_heading():
    ws = load_workbook(io.BytesIO(render_xlsx(matrix()))).active
    sub = {ws.cell(7, c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(6, sub["Xã Hà Tây"]).value == "Thực hiện Năm 2026"
    assert sub["Xã Đồng Tâm"] == sub["Xã Hà Tây"] + 1
    assert sub["Toàn huyện Hà Tây"] == sub["Xã Đồng Tâm"] + 1
    assert ws.cell(8, sub["Xã Đồng Tâm"]).value == pytest.approx(2.6)
    assert ws.cell(9, sub["Xã Đồng Tâm"]).value is None  # no figure: an empty cell, not 0
    assert ws.cell(9, sub["Toàn huyện Hà Tây"]).value == 25000


def test_pdf_text_keeps_vietnamese_diacritics_and_embeds_its_fonts():
    pdf = render_pdf(october_report())
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Tỷ lệ hộ nghèo", "Dân số trung bình", "Đơn vị tính", "So sánh (%)",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tháng 10/2026",
                     "1.234,5", "12.480", "116,3", "-36,8"):
        assert expected in text, expected
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor.get_object()))
    assert fonts and all(embedded for _, embedded in fonts), fonts


def test_pdf_of_the_matrix_lists_every_commune():
    reader = PdfReader(io.BytesIO(render_pdf(matrix())))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())  # cells wrap
    assert "Xã Đồng Tâm" in text and "Toàn huyện Hà Tây" in text and "25.000" in text


def test_csv_is_utf8_with_bom_every_column_and_plain_decimals():
    raw = render_csv(october_report())
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    poor = next(r for r in rows if r["indicator_name"] == "Tỷ lệ hộ nghèo")
    assert poor == {
        "stt": "2", "indicator_code": "HP.HONGHEO", "indicator_name": "Tỷ lệ hộ nghèo",
        "unit": "%", "target_value": "2.5", "value": "2.15", "previous_year_value": "3.4",
        "plan_percent": "116.3", "growth_percent": "-36.8",
        "figure_key": "HP.HONGHEO/actual",
    }
    assert next(r for r in rows if r["indicator_code"] == "HP.DANSO")["target_value"] == ""


def test_json_round_trips_to_the_same_table():
    table = october_report()
    data = json.loads(render_json(table))
    assert data["rows"][2]["cells"]["value"] == "2.15"
    assert data["columns"][7]["group"] == "So sánh (%)"
    assert ReportTable.from_dict(data) == table
    assert ReportTable.from_dict(json.loads(render_json(matrix()))) == matrix()


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [("1234567.891", 2, "1.234.567,89"), ("12480", 2, "12.480"), ("-36.84", 1, "-36,8"),
     ("0.5", 2, "0,5"), ("999", 2, "999"), ("1000", 1, "1.000")],
)
def test_vietnamese_number_format(value, places, text):
    assert vn_number(Decimal(value), places) == text
