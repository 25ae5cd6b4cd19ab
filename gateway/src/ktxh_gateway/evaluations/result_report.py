"""The evaluation report of a round (báo cáo đánh giá kết quả thực hiện nhiệm vụ của các cơ
quan / các xã), rendered from a published edition (``ktxh.evaluation.v1.ResultEdition``):
one row per unit with its score per criteria group, total, classification and rank; the count
per level at the foot. XLSX (openpyxl) and PDF (reportlab, the score sheet's fonts). The
numbers are the edition's, frozen: nothing is computed here."""

from io import BytesIO
from typing import Any

from ktxh.common.v1 import types_pb2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ktxh_gateway.evaluations.score_sheet import LEVEL_LABELS, _fonts

LEVEL_ORDER = (types_pb2.COMPLETION_LEVEL_EXCELLENT, types_pb2.COMPLETION_LEVEL_GOOD,
               types_pb2.COMPLETION_LEVEL_COMPLETED, types_pb2.COMPLETION_LEVEL_NOT_COMPLETED)


def _title(x: Any) -> list[str]:
    who = "CÁC XÃ, PHƯỜNG, ĐẶC KHU" if "xã" in x.criteria_set_name.lower() else "CÁC CƠ QUAN, ĐƠN VỊ"
    published = x.published_at.ToDatetime().strftime("%d/%m/%Y")
    return [
        f"BÁO CÁO ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ – XÃ HỘI NĂM {x.year} CỦA {who}",
        f"{x.round_name} · Bộ tiêu chí: {x.criteria_set_name}",
        f"Công bố lần {x.revision} ngày {published} ({x.published_by})" + (f" · {x.note}" if x.note else ""),
    ]


def _headers(x: Any) -> list[str]:
    return (["Xếp hạng", "Mã đơn vị", "Đơn vị"]
            + [f"{g.code}. {g.name} (tối đa {g.max_score})" for g in x.groups]
            + [f"Tổng điểm (tối đa {x.max_total_score})", "Xếp loại"])


def _row(r: Any) -> list[Any]:
    level = LEVEL_LABELS.get(r.completion_level, "Chưa có kết quả")
    return ([r.rank or "", r.org_unit_code, r.org_unit_name]
            + [float(v) if v else None for v in r.group_scores]
            + [float(r.total_score) if r.total_score else None, level])


def _counts(x: Any) -> list[str]:
    names = {types_pb2.CompletionLevel.Name(lv): LEVEL_LABELS[lv] for lv in LEVEL_ORDER}
    return [f"{names[k]}: {x.count_by_level.get(k, 0)} đơn vị" for k in names]


def result_report_xlsx(x: Any) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Kết quả lần {x.revision}"
    headers = _headers(x)
    bold = Font(bold=True)
    for i, line in enumerate(_title(x), start=1):
        ws.append([line])
        ws.cell(row=i, column=1).font = bold if i == 1 else Font()
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(headers))
    ws.append([])
    ws.append(headers)
    header_row = ws.max_row
    thin = Side(style="thin")
    for cell in ws[header_row]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in x.rows:
        ws.append(_row(r))
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > header_row and 4 <= cell.column <= len(headers) - 1:
                cell.number_format = "0.00"
    widths = [9, 12, 32] + [16] * len(x.groups) + [14, 28]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=i).column_letter].width = w
    ws.append([])
    for line in _counts(x):
        ws.append(["", "", line])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def result_report_pdf(x: Any) -> bytes:
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
        return Paragraph(escape("" if text is None else str(text)), style)

    lines = _title(x)
    story: list[Any] = [p(lines[0], title), p(lines[1], strong), p(lines[2]), Spacer(1, 4 * mm)]
    rows: list[list[Any]] = [[p(h, strong) for h in _headers(x)]]
    for r in x.rows:
        rows.append([p(r.rank or ""), p(r.org_unit_code), p(r.org_unit_name)]
                    + [p(v) for v in r.group_scores]
                    + [p(r.total_score, strong), p(LEVEL_LABELS.get(r.completion_level, "Chưa có kết quả"))])
    free = 277 - 18 - 22 - 55 - 22 - 40  # A4 landscape minus margins and the fixed columns (mm)
    group_width = max(14.0, free / max(1, len(x.groups)))
    widths = [w * mm for w in [18, 22, 55] + [group_width] * len(x.groups) + [22, 40]]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
    ]))
    story += [table, Spacer(1, 3 * mm)] + [p(line) for line in _counts(x)]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                      topMargin=10 * mm, bottomMargin=10 * mm,
                      title=f"Kết quả đánh giá năm {x.year}, công bố lần {x.revision}").build(story)
    return out.getvalue()
