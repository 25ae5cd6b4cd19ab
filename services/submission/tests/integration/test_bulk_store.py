"""Bulk import of figures (`data-values`) on real databases (SQLite and PostgreSQL): valid rows
stored and bad ones refused with row, field and reason; a dry run writes nothing; posting the
same payload again changes nothing; an office writes only its own indicators; a unit outside
the caller's scope is refused like an unknown one; the history keeps who, when, before, after."""

from __future__ import annotations

import pytest
from ktxh_platform.domain import Conflict
from ktxh_submission.domain.bulk import DataValue, RefusedRow
from ktxh_submission.service_layer import bulk
from ktxh_submission.service_layer import submissions as svc
from ktxh_testing.submission_form import PKT, PVHXH, figure_keys, sample_value, seed_001_lines
from test_submissions_store import (  # the same world and actors
    CHU_TICH,
    LINES,
    NHAP,
    TONG_HOP,
    Clock,
    deliver_and_send,
)


@pytest.fixture
def settings():
    return svc.Settings(clock=Clock())


def text_key(k: dict) -> str:
    dims = ",".join(f"{m['dimension_code']}={m['member_code']}" for m in k["members"])
    return k["indicator_code"] + (f"[{dims}]" if dims else "") + "/actual"


def all_rows(period: str = "2026-M10", office: str | None = None) -> list[DataValue]:
    rows = []
    for n, d in enumerate(seed_001_lines(), start=1):
        if office is None or d["office_code"] == office:
            for k in figure_keys(d):
                rows.append(DataValue(len(rows) + 1, "10846", period, text_key(k), sample_value(d, n)))
    return rows


async def open_report(uow_factory, settings, period: str = "2026-M10"):
    return await svc.open_submission(svc.OpenSubmission("10846", period, "LICH.HP2081", LINES),
                                     uow_factory(), TONG_HOP, settings)


async def test_valid_rows_are_stored_bad_ones_refused_and_a_repost_changes_nothing(uow_factory, settings):
    sub = await open_report(uow_factory, settings)
    good = [r for r in all_rows() if r.key.split("[")[0].split("/")[0] not in (
        "HP2081.XIII.02", "HP2081.XIII.16")]  # the bad rows below name these
    good = [DataValue(i, r.org_unit_code, r.period_code, r.key, r.value)
            for i, r in enumerate(good, start=1)]
    n = len(good)
    bad = [
        DataValue(n + 1, "11311", "2026-M10", "HP2081.XIII.01/actual", "5"),  # another commune
        DataValue(n + 2, "99999", "2026-M10", "HP2081.XIII.01/actual", "5"),  # no such unit
        DataValue(n + 3, "10846", "2026-M13", "HP2081.XIII.01/actual", "5"),
        DataValue(n + 4, "10846", "2026-M10", "HP2081.XIII.16", "120"),  # a percent over 100
        DataValue(n + 5, "10846", "2026-M10", "HP2081.XX.99", "1"),  # not on the form
        DataValue(n + 6, "10846", "2026-M10", "HP2081.XIII.02", "mười"),
        DataValue(n + 7, "10846", "2026-M11", "HP2081.XIII.02", "1"),  # no report for 11/2026
        DataValue(n + 8, "10846", "2026-M10", "HP2081.XIII.03[", "1"),
    ]
    cmd = bulk.ImportDataValues(tuple(good + bad), dry_run=True)
    dry = await bulk.import_data_values(cmd, uow_factory(), TONG_HOP, settings)
    assert (dry.dry_run, dry.imported, dry.updated, dry.ignored) == (True, n, 0, 0)
    assert [(r.row, r.field) for r in dry.refused] == [
        (n + 1, "org_unit_code"), (n + 2, "org_unit_code"), (n + 3, "period_code"),
        (n + 4, "value"), (n + 5, "key"), (n + 6, "value"), (n + 7, "period_code"), (n + 8, "key")]
    reasons = {r.row: r.reason for r in dry.refused}
    # out of scope and unknown read the same: no leak of the other commune's existence
    assert reasons[n + 1] == "Không tìm thấy đơn vị 11311 trong phạm vi của bạn"
    assert reasons[n + 2] == "Không tìm thấy đơn vị 99999 trong phạm vi của bạn"
    assert "0 đến 100" in reasons[n + 4] and "HP2081.XIII.16" in reasons[n + 4]
    assert "không phải là số" in reasons[n + 6]
    assert reasons[n + 7] == "Đơn vị 10846 chưa mở báo cáo Tháng 11/2026"
    assert not (await svc.get_submission(sub.id, uow_factory(), TONG_HOP)).figures  # dry run

    done = await bulk.import_data_values(bulk.ImportDataValues(tuple(good + bad)), uow_factory(),
                                         TONG_HOP, settings)
    assert (done.dry_run, done.imported, done.updated, done.ignored) == (False, n, 0, 0)
    assert done.refused == dry.refused
    stored = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    assert len(stored.figures) == n
    assert {f.key.text: f.display for f in stored.figures.values()} == {r.key: r.value for r in good}

    again = await bulk.import_data_values(bulk.ImportDataValues(tuple(good + bad)), uow_factory(),
                                          TONG_HOP, settings)
    assert (again.imported, again.updated, again.ignored, len(again.refused)) == (0, 0, n, 8)
    same = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    assert (same.version, {f.version for f in same.figures.values()}) == (stored.version, {1})

    # a changed value is an update at the figure's current version, kept in the history
    changed = DataValue(1, "10846", "2026-M10", good[0].key, "777", "Số liệu điều chỉnh")
    upd = await bulk.import_data_values(bulk.ImportDataValues((changed,), reason="Theo Cục Thống kê"),
                                        uow_factory(), TONG_HOP, settings)
    assert (upd.imported, upd.updated, upd.ignored, upd.refused) == (0, 1, 0, [])
    h = await svc.history(sub.id, uow_factory(), TONG_HOP)
    last = h.changes[-1]
    assert (last.key.text, last.before, last.after, last.after_note, last.actor, last.figure_version,
            last.reason) == (good[0].key, good[0].value, "777", "Số liệu điều chỉnh", "tong_hop", 2,
                             "Theo Cục Thống kê")
    assert h.changes[0].reason == "Nhập hàng loạt"
    assert len(h.changes) == n + 1


async def test_an_import_that_dies_before_its_commit_leaves_nothing_written(uow_factory, settings):
    """On PostgreSQL the figure and history rows go in with COPY: inside the import's
    transaction, so they roll back with it like the INSERTs on SQLite."""
    sub = await open_report(uow_factory, settings)
    uow = uow_factory()

    async def crash() -> None:
        raise ConnectionError("the service stops between writing and committing")

    uow.commit = crash  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await bulk.import_data_values(bulk.ImportDataValues(tuple(all_rows())), uow, TONG_HOP, settings)
    assert not (await svc.get_submission(sub.id, uow_factory(), TONG_HOP)).figures
    assert not (await svc.history(sub.id, uow_factory(), TONG_HOP)).changes
    done = await bulk.import_data_values(bulk.ImportDataValues(tuple(all_rows())), uow_factory(),
                                         TONG_HOP, settings)
    assert done.imported == len(all_rows()) and not done.refused


async def test_an_office_imports_only_its_own_indicators_while_its_section_is_open(uow_factory, settings):
    sub = await open_report(uow_factory, settings)
    own = all_rows(office=PKT)
    other = [DataValue(len(own) + 1, "10846", "2026-M10", "HP2081.XIII.16", "90")]  # PVHXH's
    s = await bulk.import_data_values(bulk.ImportDataValues(tuple(own + other)), uow_factory(),
                                      NHAP[PKT], settings)
    assert (s.imported, [(r.row, r.field) for r in s.refused]) == (len(own), [(len(own) + 1, "key")])
    assert "chỉ được nhập số liệu của phòng mình" in s.refused[0].reason
    stored = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    assert {f.office_code for f in stored.figures.values()} == {PKT}
    # once delivered, the office's rows are refused; the consolidating office still writes
    await svc.deliver_section(svc.DeliverSection(sub.id, PKT), uow_factory(), NHAP[PKT], settings)
    row = DataValue(1, "10846", "2026-M10", own[0].key, "1")
    s = await bulk.import_data_values(bulk.ImportDataValues((row,)), uow_factory(), NHAP[PKT], settings)
    assert s.imported + s.updated == 0 and "đã chuyển Văn phòng tổng hợp" in s.refused[0].reason
    s = await bulk.import_data_values(bulk.ImportDataValues((row,)), uow_factory(), TONG_HOP, settings)
    assert s.updated == 1
    # a data-entry officer of another commune: the unit is outside its scope
    other_office = NHAP[PVHXH].__class__("s-x", "x", "x", NHAP[PVHXH].roles, "11311.PKT", "31")
    s = await bulk.import_data_values(bulk.ImportDataValues((row,)), uow_factory(), other_office,
                                      settings)
    assert s.refused == [RefusedRow(1, "org_unit_code", "Không tìm thấy đơn vị 10846 trong phạm vi của bạn")]


async def test_a_sent_report_refuses_rows_and_an_idempotency_key_replays(uow_factory, settings):
    sub = await open_report(uow_factory, settings)
    rows = tuple(all_rows())
    cmd = bulk.ImportDataValues(rows, idempotency_key="k-1")
    first = await bulk.import_data_values(cmd, uow_factory(), TONG_HOP, settings)
    replay = await bulk.import_data_values(cmd, uow_factory(), TONG_HOP, settings)
    assert replay == first and first.imported == len(rows)  # the first answer, nothing redone
    with pytest.raises(Conflict) as err:
        await bulk.import_data_values(bulk.ImportDataValues(rows[:1], idempotency_key="k-1"),
                                      uow_factory(), TONG_HOP, settings)
    assert err.value.violations[0].field == "idempotency_key"
    await deliver_and_send(uow_factory, settings, sub.id)
    s = await bulk.import_data_values(bulk.ImportDataValues(rows[:2]), uow_factory(), CHU_TICH.__class__(
        "s-t", "tong_hop", "t", TONG_HOP.roles, TONG_HOP.org_unit, "31"), settings)
    assert [(r.row, r.field) for r in s.refused] == [(1, "period_code"), (2, "period_code")]
    assert "đã gửi cấp trên" in s.refused[0].reason
