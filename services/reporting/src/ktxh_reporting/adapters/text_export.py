"""A `ReportTable` as CSV (UTF-8 with BOM, so Excel reads the diacritics) and as JSON.

Both are for machines as much as for people: every column, the machine key included, with
decimals as plain strings (`1234.5`, empty = no data) and the column keys as CSV headers.
"""

from __future__ import annotations

import csv
import json
from io import StringIO

from ktxh_reporting.domain.report_table import ReportTable, decimal_text

__all__ = ["render_csv", "render_json"]


def render_csv(table: ReportTable) -> bytes:
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([decimal_text(row.cells.get(c.key)) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(table: ReportTable) -> bytes:
    return json.dumps(table.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
