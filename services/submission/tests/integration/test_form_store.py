"""The built form and what stands beside each figure, on real databases (SQLite and
PostgreSQL): targets and key tasks snapshotted with the report, the same period last year and
the year-to-date figure read from the unit's accepted reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from ktxh.common.v1 import envelope_pb2
from ktxh.submission.v1 import events_pb2
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    PLANNING_OFFICER,
    UNIT_LEADER,
    Principal,
)
from ktxh_submission.adapters import tables
from ktxh_submission.domain.figures import FigureKey, ValueType
from ktxh_submission.domain.forms import (
    AssignedTarget,
    AssignedTask,
    CatalogIndicator,
    IndicatorSetInfo,
    SetItem,
)
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.domain.submissions import FigureInput, Status
from ktxh_submission.domain.tasks import TaskInput
from ktxh_submission.service_layer import submissions as svc
from ktxh_submission.service_layer.ports import DocumentInfo, Peers, TaskRef


def who(name: str, role: str, unit: str) -> Principal:
    return Principal(f"s-{name}", name, name, frozenset({role}), unit, "31")


NHAP = who("nhap_pkt", DATA_ENTRY, "10846.PKT")
TONG_HOP = who("tong_hop", CONSOLIDATOR, "10846.VP")
CHU_TICH = who("chu_tich", UNIT_LEADER, "10846")
KE_HOACH = who("ke_hoach", PLANNING_OFFICER, "31")

M = PeriodKind.MONTH
FLOW = CatalogIndicator("HP2081.D.03", "Thiệt hại do thiên tai", "triệu đồng", ValueType.NUMBER,
                        "flow", frozenset({M}))
STOCK = CatalogIndicator("HP2081.XIII.12", "Số nhà ở", "căn", ValueType.INTEGER, "stock",
                         frozenset({M}))
RATE = CatalogIndicator("HP2081.XIII.23", "Tỷ lệ hồ sơ trực tuyến", "%", ValueType.PERCENT, "rate",
                        frozenset({M}))


class Catalog:
    async def indicator_sets(self, unit_kind, as_of, principal):
        items = tuple(SetItem(i.code, "PKT") for i in (FLOW, STOCK, RATE))
        return [IndicatorSetInfo("HP2081", items, "VP", "LICH.HP2081")]

    async def indicators(self, codes, as_of, principal):
        return {i.code: i for i in (FLOW, STOCK, RATE) if i.code in codes}

    async def key_tasks(self, refs, principal):
        return [AssignedTask("kt-1", "NV.HATAY.2026.01", "Thu thập 28 chỉ số", date(2026, 12, 31))
                for r in refs if r.key_task_id == "kt-1"]


class Assignments:
    async def in_force(self, unit_id, on, principal):
        if unit_id != "c1":
            return [], []
        return ([AssignedTarget(FigureKey(RATE.code), Period.of_year(on.year), None, None, "at_least"),
                 AssignedTarget(FigureKey(STOCK.code), Period.of_year(on.year),
                                Decimal(100), Decimal(120), "range")],
                [TaskRef("kt-1")])


PEERS = Peers(Catalog(), Assignments())


class Clock:
    now = datetime(2026, 3, 12, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def report(uow_factory, settings, period: str, values: dict[str, str], accept: bool) -> str:
    sub = await svc.open_submission(svc.OpenSubmission("10846", period, ""), uow_factory(),
                                    TONG_HOP, settings, PEERS)
    await svc.save_figures(svc.SaveFigures(sub.id, tuple(
        FigureInput(FigureKey(code), v) for code, v in values.items())), uow_factory(), NHAP, settings)
    if accept:
        await svc.deliver_section(svc.DeliverSection(sub.id, "10846.PKT"), uow_factory(), NHAP, settings)
        t = svc.Transition(sub.id)
        await svc.consolidate_submission(t, uow_factory(), TONG_HOP, settings)
        await svc.approve_submission(t, uow_factory(), CHU_TICH, settings)
        await svc.send_submission(t, uow_factory(), CHU_TICH, settings)
        await svc.accept_submission(t, uow_factory(), KE_HOACH, settings)
    return sub.id


async def test_targets_tasks_last_year_and_year_to_date(uow_factory):
    settings = svc.Settings(clock=Clock())
    await report(uow_factory, settings, "2025-M03", {FLOW.code: "9", STOCK.code: "90", RATE.code: "40"}, True)
    await report(uow_factory, settings, "2026-M01", {FLOW.code: "10", STOCK.code: "100", RATE.code: "50"}, True)
    sub_id = await report(uow_factory, settings, "2026-M03",
                          {FLOW.code: "11", STOCK.code: "102", RATE.code: "52"}, False)
    # February has no accepted report yet: the year-to-date of a flow is not shown
    sub, context = await svc.get_submission_with_context(sub_id, uow_factory(), NHAP)
    by_key = {c.key: c for c in context}
    assert by_key[FigureKey(FLOW.code)].year_to_date_value == ""
    await report(uow_factory, settings, "2026-M02", {FLOW.code: "12", STOCK.code: "101", RATE.code: "51"}, True)

    sub, context = await svc.get_submission_with_context(sub_id, uow_factory(), NHAP)
    by_key = {c.key: c for c in context}
    assert [ln.indicator_code for ln in sub.lines] == [FLOW.code, STOCK.code, RATE.code]
    assert [ln.time_aggregation for ln in sub.lines] == ["flow", "stock", "rate"]
    assert sub.calendar_code == "LICH.HP2081" and sub.deadline == date(2026, 3, 19)
    assert [(t.key_task_code, t.deadline, t.version) for t in sub.tasks] == [
        ("NV.HATAY.2026.01", date(2026, 12, 31), 0)]
    flow, stock, rate = (by_key[FigureKey(c)] for c in (FLOW.code, STOCK.code, RATE.code))
    assert (flow.previous_year_value, flow.year_to_date_value) == ("9", "33")  # 10 + 12 + 11
    assert (stock.previous_year_value, stock.year_to_date_value) == ("90", "102")  # the latest
    assert (stock.target_low, stock.target_high, stock.target_value) == ("100", "120", "")
    assert (rate.previous_year_value, rate.year_to_date_value) == ("40", "")  # a rate: none
    assert set(by_key) == {FigureKey(c) for c in (FLOW.code, STOCK.code, RATE.code)}  # no estimate in March
    # a commune never reads another's report, and context does not open a way around it
    with pytest.raises(Exception, match="Không tìm thấy"):
        await svc.get_submission_with_context(sub_id, uow_factory(), who("x", DATA_ENTRY, "11311.PKT"))


class Documents:
    async def get(self, document_id, principal):
        return {"d-1": DocumentInfo("d-1", "Thuyết minh", "tm.pdf", "10846.VP")}.get(document_id)


async def test_task_progress_attachments_and_the_board_in_sql(uow_factory):
    settings = svc.Settings(clock=Clock())
    peers = Peers(Catalog(), Assignments(), Documents())
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M04", ""), uow_factory(),
                                    TONG_HOP, settings, peers)
    assert [(t.key_task_code, t.office_code) for t in sub.tasks] == [("NV.HATAY.2026.01", "10846.VP")]
    save = svc.SaveTaskProgress(sub.id, (TaskInput("NV.HATAY.2026.01", "in_progress", 30, "Đã thu 8/28"),))
    await svc.save_task_progress(save, uow_factory(), TONG_HOP, settings)
    with pytest.raises(Exception, match="vừa được tong_hop sửa"):  # stale: version 0 was read
        await svc.save_task_progress(save, uow_factory(), TONG_HOP, settings)
    await svc.add_attachment(svc.ChangeAttachment(sub.id, "d-1"), uow_factory(), TONG_HOP, settings, peers)
    cur = await svc.get_submission(sub.id, uow_factory(), CHU_TICH)
    assert [(t.status.value, t.percent_done, t.results, t.version) for t in cur.tasks] == [
        ("in_progress", 30, "Đã thu 8/28", 1)]
    assert [(a.document_id, a.file_name, a.added_by) for a in cur.attachments] == [("d-1", "tm.pdf", "tong_hop")]
    h = await svc.history(sub.id, uow_factory(), CHU_TICH)
    assert [(c.before["status"], c.after["status"], c.actor) for c in h.task_changes] == [
        ("not_started", "in_progress", "tong_hop")]
    await svc.remove_attachment(svc.ChangeAttachment(sub.id, "d-1"), uow_factory(), TONG_HOP, settings)
    assert (await svc.get_submission(sub.id, uow_factory(), CHU_TICH)).attachments == []

    Clock.now = datetime(2026, 4, 22, 8, tzinfo=UTC)
    try:
        board = await svc.submission_board(svc.GetBoard("2026-M04", "LICH.HP2081", "31"), uow_factory(),
                                           KE_HOACH, settings)
    finally:
        Clock.now = datetime(2026, 3, 12, 8, tzinfo=UTC)
    assert [(u.org_unit_code, u.submission_id, u.status, u.timeliness.state) for u in board.units] == [
        ("10846", sub.id, Status.DRAFT, "missing"), ("11311", "", None, "missing")]
    # a commune officer asking for the province's board is refused; for its own commune, the
    # commune's children are offices (not reporting units): an empty board
    with pytest.raises(Exception, match="Không tìm thấy đơn vị 31"):
        await svc.submission_board(svc.GetBoard("2026-M04", "LICH.HP2081", "31"), uow_factory(),
                                   CHU_TICH, settings)
    own = await svc.submission_board(svc.GetBoard("2026-M04", "LICH.HP2081", ""), uow_factory(),
                                     CHU_TICH, settings)
    assert own.org_unit_code == "10846" and own.units == []


async def test_reminders_go_to_the_outbox_once(uow_factory, submission_db):
    settings = svc.Settings(clock=Clock(), overdue_horizon=5)
    n = await svc.remind_deadlines(datetime(2026, 10, 17, 7, tzinfo=UTC), uow_factory(), settings)
    assert n == 2  # the official deadline of October (19/10) for both communes
    assert await svc.remind_deadlines(datetime(2026, 10, 18, 7, tzinfo=UTC), uow_factory(), settings) == 0
    assert await svc.remind_deadlines(datetime(2026, 10, 21, 7, tzinfo=UTC), uow_factory(), settings) == 2
    async with submission_db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(tables.outbox.c.topic, tables.outbox.c.payload)
                                   .order_by(tables.outbox.c.created_at))).all()
    assert {r.topic for r in rows} == {"ktxh.submission.submission.v1"}
    seen = []
    for r in rows:
        env = envelope_pb2.EventEnvelope.FromString(r.payload)
        name = env.type.rsplit(".", 1)[1]
        m = getattr(events_pb2, name)()
        env.payload.Unpack(m)
        seen.append((name, m.org_unit_code, m.period.code, m.due_date))
    assert sorted(seen) == [
        ("SubmissionDeadlineApproaching", "10846", "2026-M10", "2026-10-19"),
        ("SubmissionDeadlineApproaching", "11311", "2026-M10", "2026-10-19"),
        ("SubmissionOverdue", "10846", "2026-M10", "2026-10-19"),
        ("SubmissionOverdue", "11311", "2026-M10", "2026-10-19")]


async def test_the_whole_reports_note_is_written_by_the_consolidating_office_or_the_leader(
    uow_factory,
):
    from ktxh_platform.auth.principal import AuthorizationError
    from ktxh_platform.domain import Conflict, InvalidArgument, NotFound

    settings = svc.Settings(clock=Clock())
    peers = Peers(Catalog(), Assignments(), Documents())
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M05", ""), uow_factory(),
                                    TONG_HOP, settings, peers)
    read = sub.version
    saved = await svc.save_submission_note(
        svc.SaveSubmissionNote(sub.id, "  Tháng 5 mưa lớn kéo dài.  ", read), uow_factory(),
        CHU_TICH, settings)
    assert (saved.note, saved.version) == ("Tháng 5 mưa lớn kéo dài.", read + 1)
    # the consolidating office still holding the version it read: a conflict naming both texts
    with pytest.raises(Conflict) as clash:
        await svc.save_submission_note(
            svc.SaveSubmissionNote(sub.id, "Thu ngân sách đạt 40%.", read), uow_factory(),
            TONG_HOP, settings)
    assert "Tháng 5 mưa lớn kéo dài." in str(clash.value)
    assert "Thu ngân sách đạt 40%." in str(clash.value)
    # the same text again changes nothing (no version, no history line)
    same = await svc.save_submission_note(
        svc.SaveSubmissionNote(sub.id, "Tháng 5 mưa lớn kéo dài.", read + 1), uow_factory(),
        TONG_HOP, settings)
    assert same.version == read + 1
    await svc.save_submission_note(
        svc.SaveSubmissionNote(sub.id, "Thu ngân sách đạt 40%.", read + 1), uow_factory(),
        TONG_HOP, settings)
    with pytest.raises(InvalidArgument) as long:
        await svc.save_submission_note(
            svc.SaveSubmissionNote(sub.id, "x" * 4001, read + 2), uow_factory(), TONG_HOP,
            settings)
    assert [v.field for v in long.value.violations] == ["note"]
    # a data-entry officer only reads it; another commune's leader does not find the report
    with pytest.raises(AuthorizationError):
        await svc.save_submission_note(
            svc.SaveSubmissionNote(sub.id, "Của phòng", read + 2), uow_factory(), NHAP, settings)
    with pytest.raises(NotFound):
        await svc.save_submission_note(
            svc.SaveSubmissionNote(sub.id, "Xã khác", read + 2), uow_factory(),
            who("chu_tich_khac", UNIT_LEADER, "11311"), settings)

    cur = await svc.get_submission(sub.id, uow_factory(), NHAP)
    assert (cur.note, cur.version) == ("Thu ngân sách đạt 40%.", read + 2)
    h = await svc.history(sub.id, uow_factory(), NHAP)
    assert [(c.before, c.after, c.actor, c.version) for c in h.note_changes] == [
        ("", "Tháng 5 mưa lớn kéo dài.", "chu_tich", read + 1),
        ("Tháng 5 mưa lớn kéo dài.", "Thu ngân sách đạt 40%.", "tong_hop", read + 2),
    ]
    assert all(c.at == Clock.now for c in h.note_changes)
