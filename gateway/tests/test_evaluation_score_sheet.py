"""The per-unit score sheet (appendix layout) built from an evaluation and its round."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh_gateway.evaluations.score_sheet import score_sheet_pdf, score_sheet_xlsx


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
