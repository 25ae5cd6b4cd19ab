"""The per-unit score sheet (phiếu chấm điểm) as XLSX, in the layout of seed 000's appendices 1
(agencies) and 2 (communes): one row per criterion with its maximum, the suggested score and
its basis, the unit's own score, the managing unit's score and the reasons; the total and the
classification at the foot."""

from io import BytesIO
from typing import Any

from ktxh.common.v1 import types_pb2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

LEVEL_LABELS = {
    types_pb2.COMPLETION_LEVEL_EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_GOOD: "Hoàn thành tốt nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_COMPLETED: "Hoàn thành nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
HEADERS = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm gợi ý", "Căn cứ điểm gợi ý", "Điểm tự chấm",
           "Lý do tự chấm", "Điểm đánh giá", "Lý do điều chỉnh"]
WIDTHS = [6, 48, 10, 10, 60, 11, 36, 11, 36]


def _num(value: str) -> Any:
    return float(value) if value else None


def score_sheet_xlsx(e: Any, r: Any) -> bytes:
    """``e``: ``ktxh.evaluation.v1.Evaluation`` (with scores); ``r``: its ``EvaluationRound``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phiếu chấm điểm"
    commune = any(u.org_unit_id == e.org_unit_id for u in r.units) and "xã" in (
        e.org_unit_name.lower() + r.criteria_set_name.lower())
    appendix = "Phụ lục 2 (cấp xã)" if commune else "Phụ lục 1 (cấp phòng ban)"
    bold = Font(bold=True)
    ws.append([f"PHIẾU CHẤM ĐIỂM ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ – XÃ HỘI NĂM {r.year}"])
    ws.append([f"{appendix}: {r.criteria_set_name}"])
    ws.append([f"Đơn vị: {e.org_unit_name or e.org_unit_code} ({e.org_unit_code})"])
    ws.append([f"Đợt đánh giá: {r.name}"])
    ws.append([])
    for row in range(1, 5):
        ws.cell(row=row, column=1).font = bold
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
    ws.append(HEADERS)
    header_row = ws.max_row
    thin = Side(style="thin")
    for i, cell in enumerate(ws[header_row], start=1):
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = WIDTHS[i - 1]
    order = {c.code: i for i, c in enumerate(r.criteria)}
    for n, s in enumerate(sorted(e.scores, key=lambda s: order.get(s.criterion_code, 999)), start=1):
        self_score = s.self_score or s.suggested_score
        final = s.score or self_score
        name = s.criterion_name + (" (bắt buộc)" if s.mandatory else "")
        ws.append([s.criterion_code or n, name, _num(s.max_score), _num(s.suggested_score),
                   s.suggestion_basis + "".join("\n– " + x.label for x in s.evidence),
                   _num(self_score), s.self_comment, _num(final), s.comment])
    ws.append(["", "Tổng cộng", _num(r.max_total_score), None, "", _num(e.self_total_score), "",
               _num(e.total_score), ""])
    total_row = ws.max_row
    for cell in ws[total_row]:
        cell.font = bold
    ws.append(["", "Xếp loại", None, None, "", LEVEL_LABELS.get(e.self_completion_level, ""), "",
               LEVEL_LABELS.get(e.completion_level, "Chưa xếp loại"), e.classification_reason])
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.column in (2, 5, 7, 9):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if e.summary:
        ws.append([])
        ws.append(["", f"Nhận xét chung: {e.summary}"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
