"""The per-unit score sheet (appendix layout) built from an evaluation and its round."""

from __future__ import annotations

import io

from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh_gateway.evaluations.score_sheet import score_sheet_pdf, score_sheet_xlsx
from openpyxl import load_workbook


def _sheet() -> tuple[pb.Evaluation, pb.EvaluationRound]:
    r = pb.EvaluationRound(id="r", name="Đánh giá cấp xã năm 2026", year=2026, max_total_score="100",
                           criteria_set_name="Tiêu chí đánh giá năm 2026 (cấp xã)")
    r.criteria.add(code="TC.XA.01", name="Kết quả thực hiện chỉ tiêu", max_score="50")
    r.criteria.add(code="TC.XA.04", name="Chỉ đạo, điều hành", max_score="10")
    e = pb.Evaluation(id="e", round_id="r", org_unit_id="u", org_unit_code="10846", org_unit_name="Xã Hà Tây",
                      self_total_score="54.50", total_score="52.50",
                      self_completion_level=types_pb2.COMPLETION_LEVEL_COMPLETED,
                      completion_level=types_pb2.COMPLETION_LEVEL_COMPLETED,
                      classification_reason="Tổng 52,5 điểm ≥ ngưỡng 50: Hoàn thành nhiệm vụ")
    s = e.scores.add(criterion_code="TC.XA.04", criterion_name="Chỉ đạo, điều hành", max_score="10",
                     self_score="9", score="7", comment="Phối hợp còn chậm",
                     scoring_method=catalog_pb2.SCORING_METHOD_MANUAL)
    s = e.scores.add(criterion_code="TC.XA.01", criterion_name="Kết quả thực hiện chỉ tiêu", max_score="50",
                     suggested_score="45.50", suggestion_basis="2/3 chỉ tiêu đạt; điểm = 50 × 91% = 45,5",
                     mandatory=True)
    s.evidence.add(kind="figure", ref="HP2081.XIII.11", label="Tỷ lệ hộ nghèo: thực hiện 2,5, chỉ tiêu ≤ 2 (đạt 80%)")
    return e, r


def test_the_xlsx_sheet_lists_criteria_in_the_set_order_with_totals_and_level():
    rows = list(load_workbook(io.BytesIO(score_sheet_xlsx(*_sheet()))).active.iter_rows(values_only=True))
    assert rows[0][0] == "PHIẾU CHẤM ĐIỂM ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ – XÃ HỘI NĂM 2026"
    assert rows[1][0] == "Phụ lục 2 (cấp xã): Tiêu chí đánh giá năm 2026 (cấp xã)"
    assert rows[6][:4] == ("TC.XA.01", "Kết quả thực hiện chỉ tiêu (bắt buộc)", 50, 45.5)
    assert "Tỷ lệ hộ nghèo" in rows[6][4] and rows[6][5] == 45.5 and rows[6][7] == 45.5
    assert rows[7][5:9] == (9, None, 7, "Phối hợp còn chậm")
    assert rows[8][1:8] == ("Tổng cộng", 100, None, None, 54.5, None, 52.5)
    assert rows[9][7] == "Hoàn thành nhiệm vụ"


def test_the_pdf_sheet_is_a_pdf_with_an_embedded_vietnamese_font():
    data = score_sheet_pdf(*_sheet())
    assert data.startswith(b"%PDF-") and b"/FontFile2" in data  # a TrueType font embedded


def _edition() -> pb.ResultEdition:
    from datetime import UTC, datetime

    x = pb.ResultEdition(id="x", round_id="r", revision=2, round_name="Đánh giá cấp xã năm 2026", year=2026,
                         criteria_set_code="TC.XA.2026", criteria_set_name="Tiêu chí đánh giá năm 2026 (cấp xã)",
                         max_total_score="100", published_by="lanh_dao", note="QĐ 12/QĐ-UBND", unit_count=3)
    x.published_at.FromDatetime(datetime(2027, 2, 3, 8, 0, tzinfo=UTC))
    x.groups.add(code="TC.XA.01", name="Kết quả thực hiện chỉ tiêu", max_score="60")
    x.groups.add(code="TC.XA.04", name="Chỉ đạo, điều hành", max_score="40")
    x.rows.add(rank=1, org_unit_code="11311", org_unit_name="Xã Hòa Bình", group_scores=["58.00", "35.00"],
               total_score="93.00", completion_level=types_pb2.COMPLETION_LEVEL_EXCELLENT)
    x.rows.add(rank=2, org_unit_code="10846", org_unit_name="Xã Hà Tây", group_scores=["45.50", "30.00"],
               total_score="75.50", completion_level=types_pb2.COMPLETION_LEVEL_GOOD)
    x.rows.add(org_unit_code="10900", org_unit_name="Xã Thạch Hà", group_scores=["", ""])
    x.count_by_level["COMPLETION_LEVEL_EXCELLENT"] = 1
    x.count_by_level["COMPLETION_LEVEL_GOOD"] = 1
    return x


def test_the_evaluation_report_of_an_edition_in_xlsx_and_pdf():
    from ktxh_gateway.evaluations.result_report import result_report_pdf, result_report_xlsx
    from pypdf import PdfReader

    rows = list(load_workbook(io.BytesIO(result_report_xlsx(_edition()))).active.iter_rows(values_only=True))
    assert rows[0][0] == ("BÁO CÁO ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ – XÃ HỘI NĂM 2026 "
                          "CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU")
    assert rows[2][0] == "Công bố lần 2 ngày 03/02/2027 (lanh_dao) · QĐ 12/QĐ-UBND"
    assert rows[4] == ("Xếp hạng", "Mã đơn vị", "Đơn vị", "TC.XA.01. Kết quả thực hiện chỉ tiêu (tối đa 60)",
                       "TC.XA.04. Chỉ đạo, điều hành (tối đa 40)", "Tổng điểm (tối đa 100)", "Xếp loại")
    assert rows[5] == (1, "11311", "Xã Hòa Bình", 58, 35, 93, "Hoàn thành xuất sắc nhiệm vụ")
    assert rows[6] == (2, "10846", "Xã Hà Tây", 45.5, 30, 75.5, "Hoàn thành tốt nhiệm vụ")
    assert rows[7] == (None, "10900", "Xã Thạch Hà", None, None, None, "Chưa có kết quả")
    assert rows[9][2] == "Hoàn thành xuất sắc nhiệm vụ: 1 đơn vị"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(result_report_pdf(_edition()))).pages)
    assert "Xã Hà Tây" in text and "Công bố lần 2" in text and "Hoàn thành tốt nhiệm vụ" in text
