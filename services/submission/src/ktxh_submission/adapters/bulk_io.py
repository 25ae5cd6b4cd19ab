"""Wire formats of bulk imports → `DataValue` rows: CSV (the `data-values` machine API) and
protobuf rows. The CSV header names the JSON fields (`DATA_VALUE_FIELDS`: org_unit_code,
period_code, key, value, note — note optional, in any order); UTF-8 with or without a BOM;
`,` separated, or `;` when the header has no comma (Excel in a Vietnamese locale). Row numbers
are the file's line numbers (the header is line 1). A broken header is refused as a whole
(InvalidArgument naming `csv`); a row with the wrong number of cells is a refused row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ktxh.submission.v1 import submission_pb2 as pb
from ktxh_platform.domain import InvalidArgument

from ktxh_submission.domain.bulk import DATA_VALUE_FIELDS, DataValue, ImportSummary, RefusedRow

REQUIRED = ("org_unit_code", "period_code", "key", "value")


def _bad(message: str) -> InvalidArgument:
    return InvalidArgument.single("csv", message)


def read_csv(content: bytes) -> tuple[list[DataValue], list[RefusedRow]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _bad(f"Tệp CSV phải mã hoá UTF-8 (byte lỗi ở vị trí {err.start})") from None
    if "\x00" in text:
        raise _bad("Tệp CSV chứa ký tự NUL")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as err:
        raise _bad(f"Dòng tiêu đề không đọc được: {err}") from None
    if header is None or not any(h.strip() for h in header):
        raise _bad("Tệp CSV trống: dòng đầu phải là tiêu đề " + ",".join(DATA_VALUE_FIELDS))
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in DATA_VALUE_FIELDS]
    if unknown:
        raise _bad(f"Cột “{unknown[0][:40]}” không có; các cột: " + ", ".join(DATA_VALUE_FIELDS))
    if len(set(names)) != len(names):
        raise _bad("Tiêu đề có cột bị lặp")
    missing = [f for f in REQUIRED if f not in names]
    if missing:
        raise _bad("Thiếu cột: " + ", ".join(missing))
    rows: list[DataValue] = []
    refused: list[RefusedRow] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise _bad(f"Dòng {start}: không đọc được ({err})") from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(names):
            refused.append(RefusedRow(start, "", (
                f"Dòng có {len(cells)} ô, tiêu đề có {len(names)} cột")))
            continue
        d = dict(zip(names, cells, strict=True))
        rows.append(DataValue(start, d["org_unit_code"], d["period_code"], d["key"],
                              d["value"], d.get("note", "")))
    return rows, refused


def rows_from_pb(messages: Iterable[pb.DataValue]) -> list[DataValue]:
    return [DataValue(i, m.org_unit_code, m.period_code, m.key, m.value, m.note)
            for i, m in enumerate(messages, start=1)]


def summary_pb(s: ImportSummary) -> pb.ImportSummary:
    return pb.ImportSummary(
        dry_run=s.dry_run, imported=s.imported, updated=s.updated, ignored=s.ignored,
        refused=[pb.RefusedRow(row=r.row, field=r.field, reason=r.reason) for r in s.refused],
    )
