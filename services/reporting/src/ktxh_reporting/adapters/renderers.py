"""One place that picks the renderer of a report table for a file format."""

from __future__ import annotations

from ktxh_reporting.adapters.pdf_export import render_pdf
from ktxh_reporting.adapters.text_export import render_csv, render_json
from ktxh_reporting.adapters.xlsx_export import render_xlsx
from ktxh_reporting.domain.report_table import ReportTable

__all__ = ["FORMATS", "render"]

# format → (renderer, media type, file extension)
FORMATS = {
    "xlsx": (render_xlsx,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": (render_pdf, "application/pdf", "pdf"),
    "csv": (render_csv, "text/csv; charset=utf-8", "csv"),
    "json": (render_json, "application/json", "json"),
}


def render(table: ReportTable, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name)."""
    renderer, media_type, ext = FORMATS[fmt]
    name = f"bao-cao-{table.kind.value}-{table.org_unit_code}-{table.period_code}".replace("@", "")
    return renderer(table), media_type, f"{name}.{ext}"
