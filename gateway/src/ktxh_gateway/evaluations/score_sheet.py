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
    commune = "xã" in (e.org_unit_name.lower() + r.criteria_set_name.lower())
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


# ---------------------------------------------------------------------- PDF

FONTS = (  # Debian's fonts-noto-core or fonts-dejavu-core (scripts/ci-setup.sh, gateway image)
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


def _fonts() -> tuple[str, str]:
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KtxhSheet" in pdfmetrics.getRegisteredFontNames():
        return "KtxhSheet", "KtxhSheet-Bold"
    for regular, bold in FONTS:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("KtxhSheet", regular))
            pdfmetrics.registerFont(TTFont("KtxhSheet-Bold", bold))
            return "KtxhSheet", "KtxhSheet-Bold"
    raise RuntimeError("No Vietnamese font found (install fonts-noto-core or fonts-dejavu-core)")


def score_sheet_pdf(e: Any, r: Any) -> bytes:
    """The same sheet as ``score_sheet_xlsx``, as an A4 landscape PDF."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8, leading=10)
    strong = ParagraphStyle("strong", parent=body, fontName=bold)
    title = ParagraphStyle("title", fontName=bold, fontSize=12, leading=15, alignment=1)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)

    commune = "xã" in (e.org_unit_name.lower() + r.criteria_set_name.lower())
    appendix = "Phụ lục 2 (cấp xã)" if commune else "Phụ lục 1 (cấp phòng ban)"
    story: list[Any] = [
        p(f"PHIẾU CHẤM ĐIỂM ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ – XÃ HỘI NĂM {r.year}", title),
        p(f"{appendix}: {r.criteria_set_name}", strong),
        p(f"Đơn vị: {e.org_unit_name or e.org_unit_code} ({e.org_unit_code}) · Đợt đánh giá: {r.name}"),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [[p(h, strong) for h in HEADERS]]
    order = {c.code: i for i, c in enumerate(r.criteria)}
    for s in sorted(e.scores, key=lambda s: order.get(s.criterion_code, 999)):
        self_score = s.self_score or s.suggested_score
        rows.append([p(s.criterion_code), p(s.criterion_name + (" (bắt buộc)" if s.mandatory else "")),
                     p(s.max_score), p(s.suggested_score),
                     p(s.suggestion_basis + "".join("\n– " + x.label for x in s.evidence)),
                     p(self_score), p(s.self_comment), p(s.score or self_score), p(s.comment)])
    rows.append([p(""), p("Tổng cộng", strong), p(r.max_total_score, strong), p(""), p(""),
                 p(e.self_total_score, strong), p(""), p(e.total_score, strong), p("")])
    rows.append([p(""), p("Xếp loại", strong), p(""), p(""), p(""),
                 p(LEVEL_LABELS.get(e.self_completion_level, "")), p(""),
                 p(LEVEL_LABELS.get(e.completion_level, "Chưa xếp loại"), strong), p(e.classification_reason)])
    widths = [w * 2.9 * mm for w in (6, 40, 10, 10, 52, 11, 30, 11, 30)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
    ]))
    story.append(table)
    if e.summary:
        story += [Spacer(1, 3 * mm), p(f"Nhận xét chung: {e.summary}")]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                      topMargin=10 * mm, bottomMargin=10 * mm,
                      title=f"Phiếu chấm điểm {e.org_unit_code} năm {r.year}").build(story)
    return out.getvalue()
