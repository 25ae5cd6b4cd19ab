"""A unit's report as an Excel workbook and back (SQLite and PostgreSQL): the form exported
with Vietnamese headers, one row per figure key, locked key columns and number formats; filled
in offline and read back through the data-values path with a dry run first; a workbook of
another report or a file that is not one is refused naming the file."""

from __future__ import annotations

import io

import pytest
from ktxh_platform.domain import InvalidArgument, NotFound
from ktxh_submission.adapters.submission_xlsx import HEADER_ROW, export_workbook, read_workbook
from ktxh_submission.domain.bulk import form_keys
from ktxh_submission.service_layer import bulk
from ktxh_submission.service_layer import submissions as svc
from ktxh_testing.submission_form import PKT, seed_001_lines
from openpyxl import load_workbook
from test_bulk_store import open_report
from test_submissions_store import NHAP, OTHER, TONG_HOP, Clock


@pytest.fixture
def settings():
    return svc.Settings(clock=Clock())


def sheet(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return wb, wb["Báo cáo"]


async def _import(uow_factory, settings, sub_id, content, who=TONG_HOP, dry_run=False):
    return await bulk.import_submission_file(
        bulk.ImportSubmissionFile(sub_id, content, dry_run), uow_factory(), who, settings,
        read_workbook)


async def test_the_form_goes_out_to_excel_and_comes_back(uow_factory, settings):
    sub = await open_report(uow_factory, settings, "2026-M08")
    content = export_workbook(sub, Clock.now.date())
    wb, ws = sheet(content)
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:3] == ["STT", "Mã chỉ số", "Tên chỉ số"] and "Khoá số liệu" in header
    keys = form_keys(sub)
    assert ws.max_row == HEADER_ROW + len(keys)
    assert len(keys) > len(seed_001_lines())  # lines with dimensions have several keys
    col = {name: i for i, name in enumerate(header)}
    first = ws[HEADER_ROW + 1]
    assert first[col["Mã chỉ số"]].value == "HP2081.XIII.01"
    assert ws.protection.sheet
    assert first[col["Khoá số liệu"]].protection.locked
    assert not first[col["Giá trị"]].protection.locked and not first[col["Thuyết minh"]].protection.locked
    rows = {ws.cell(r, col["Khoá số liệu"] + 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    bhyt = rows["HP2081.XIII.16/actual"]
    assert ws.cell(bhyt, col["Giá trị"] + 1).number_format == "0.0##"  # a percent line

    # filled in offline: numbers, a decimal comma typed as text, a note, a bad percent
    for n, r in enumerate(sorted(rows.values())):
        ws.cell(r, col["Giá trị"] + 1).value = 1 + n  # within every range of the form
    ws.cell(bhyt, col["Giá trị"] + 1).value = 120
    ws.cell(rows["HP2081.XIII.17/actual"], col["Giá trị"] + 1).value = "95,5"
    ws.cell(rows["HP2081.XIII.17/actual"], col["Thuyết minh"] + 1).value = "Theo số liệu BHXH"
    out = io.BytesIO()
    wb.save(out)
    filled = out.getvalue()

    dry = await _import(uow_factory, settings, sub.id, filled, dry_run=True)
    assert (dry.imported, [(r.row, r.field) for r in dry.refused]) == (len(rows) - 1, [(bhyt, "value")]), dry.refused
    assert "0 đến 100" in dry.refused[0].reason
    assert not (await svc.get_submission(sub.id, uow_factory(), TONG_HOP)).figures
    done = await _import(uow_factory, settings, sub.id, filled)
    assert (done.imported, done.refused) == (dry.imported, dry.refused)
    again = await _import(uow_factory, settings, sub.id, filled)
    assert (again.imported, again.updated, again.ignored) == (0, 0, len(rows) - 1)

    # exported again, the stored figures are in it with their versions, and the whole
    # report's note above the header (read only: it is written on the screen, not imported)
    stored = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    stored = await svc.save_submission_note(
        svc.SaveSubmissionNote(sub.id, "Tháng 8 mưa lũ.\nThu ngân sách chậm.", stored.version),
        uow_factory(), TONG_HOP, settings)
    _, ws2 = sheet(export_workbook(stored, Clock.now.date()))
    assert ws2["A5"].value == "Thuyết minh chung của báo cáo: Tháng 8 mưa lũ.\nThu ngân sách chậm."
    assert ws2["A5"].protection.locked and ws2.max_row == ws.max_row
    r = rows["HP2081.XIII.17/actual"]
    assert (ws2.cell(r, col["Giá trị"] + 1).value, ws2.cell(r, col["Thuyết minh"] + 1).value,
            ws2.cell(r, col["Phiên bản"] + 1).value) == (95.5, "Theo số liệu BHXH", 1)

    # an office: its own rows go in, the others' are refused
    s = await _import(uow_factory, settings, sub.id, filled, who=NHAP[PKT], dry_run=True)
    assert s.ignored > 0 and all("phòng mình" in x.reason for x in s.refused if x.row != bhyt)


async def test_a_workbook_of_another_report_or_no_workbook_is_refused(uow_factory, settings):
    sub = await open_report(uow_factory, settings, "2026-M08")
    other = await open_report(uow_factory, settings, "2026-M09")
    with pytest.raises(InvalidArgument) as err:
        await _import(uow_factory, settings, sub.id, export_workbook(other, Clock.now.date()))
    assert err.value.violations[0].field == "file" and "báo cáo khác" in err.value.violations[0].message
    with pytest.raises(InvalidArgument) as err:
        await _import(uow_factory, settings, sub.id, b"PK\x03\x04 not a workbook")
    assert err.value.violations[0].message == "Không đọc được tệp Excel (.xlsx)"
    # a report outside the caller's scope is not found, before the file is read
    with pytest.raises(NotFound):
        await _import(uow_factory, settings, sub.id, b"garbage", who=OTHER)
