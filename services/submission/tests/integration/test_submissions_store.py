"""Reports on real databases (SQLite and PostgreSQL): the October 2026 chain of Xã Hà Tây
through the use cases, history, events in the outbox, scope in SQL, per-figure locking, and
the notes the unit's own history requires."""

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
    FRONT_MEMBER,
    PLANNING_OFFICER,
    UNIT_LEADER,
    Principal,
)
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound, PermissionDenied
from ktxh_submission.adapters import tables
from ktxh_submission.domain.figures import Dimension, FigureKey, FormLine, ValueType
from ktxh_submission.domain.submissions import FigureInput, Status
from ktxh_submission.service_layer import submissions as svc
from ktxh_testing.submission_form import (
    PKT,
    PVHXH,
    TTHCC,
    figure_keys,
    sample_value,
    seed_001_lines,
)


def who(name: str, role: str, unit: str) -> Principal:
    return Principal(f"s-{name}", name, name, frozenset({role}), unit, "31")


NHAP = {PKT: who("nhap_pkt", DATA_ENTRY, PKT), PVHXH: who("nhap_vhxh", DATA_ENTRY, PVHXH),
        TTHCC: who("nhap_hcc", DATA_ENTRY, TTHCC)}
TONG_HOP = who("tong_hop", CONSOLIDATOR, "10846.VP")
CHU_TICH = who("chu_tich", UNIT_LEADER, "10846")
KE_HOACH = who("ke_hoach", PLANNING_OFFICER, "31")
OTHER = who("nhap_11311", DATA_ENTRY, "11311.PKT")
OTHER_CONSOLIDATOR = who("tong_hop_11311", CONSOLIDATOR, "11311")
FRONT = who("mttq", FRONT_MEMBER, "10846")

LINES = tuple(
    FormLine(d["indicator_code"], d["name"], d["office_code"], ValueType(d["value_type"]), d["unit"],
             required=d["required"],
             dimensions=tuple(Dimension(x["code"], tuple(x["members"]), x["additive"])
                              for x in d["dimensions"]))
    for d in seed_001_lines()
)


def key(k: dict) -> FigureKey:
    return FigureKey(k["indicator_code"], tuple((m["dimension_code"], m["member_code"]) for m in k["members"]))


class Clock:
    now = datetime(2026, 10, 12, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings():
    return svc.Settings(clock=Clock())


async def fill(uow_factory, settings, period: str, scale: Decimal = Decimal(1)) -> str:
    sub = await svc.open_submission(svc.OpenSubmission("10846", period, "LICH.HP2081", LINES),
                                    uow_factory(), TONG_HOP, settings)
    for office, p in NHAP.items():
        entries = []
        for row, d in enumerate(seed_001_lines(), start=1):
            if d["office_code"] == office:
                for k in figure_keys(d):
                    v = Decimal(sample_value(d, row))
                    if d["value_type"] != "percent" and office == PKT:
                        v = (v * scale).quantize(Decimal(1))
                    entries.append(FigureInput(key(k), str(v)))
        await svc.save_figures(svc.SaveFigures(sub.id, tuple(entries)), uow_factory(), p, settings)
    return sub.id


async def deliver_and_send(uow_factory, settings, sub_id: str) -> None:
    for office, p in NHAP.items():
        await svc.deliver_section(svc.DeliverSection(sub_id, office), uow_factory(), p, settings)
    t = svc.Transition(sub_id)
    await svc.consolidate_submission(t, uow_factory(), TONG_HOP, settings)
    await svc.approve_submission(t, uow_factory(), CHU_TICH, settings)
    await svc.send_submission(t, uow_factory(), CHU_TICH, settings)


async def outbox(db) -> list[envelope_pb2.EventEnvelope]:
    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(tables.outbox.c.topic, tables.outbox.c.payload)
                                   .order_by(tables.outbox.c.created_at))).all()
    assert {r.topic for r in rows} <= {"ktxh.submission.submission.v1"}
    return [envelope_pb2.EventEnvelope.FromString(r.payload) for r in rows]


async def test_the_october_chain_is_stored_with_its_history_and_events(uow_factory, submission_db, settings):
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "LICH.HP2081", LINES),
                                    uow_factory(), TONG_HOP, settings)
    assert sub.deadline == date(2026, 10, 19)
    again = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "LICH.HP2081", LINES),
                                      uow_factory(), TONG_HOP, settings)
    assert again.id == sub.id  # opening twice returns the same report
    for office, p in NHAP.items():
        cur = await svc.get_submission(sub.id, uow_factory(), p)
        entries = tuple(
            FigureInput(key(k), sample_value(d, row))
            for row, d in enumerate(seed_001_lines(), start=1) if d["office_code"] == office
            for k in figure_keys(d)
        )
        await svc.save_figures(svc.SaveFigures(cur.id, entries), uow_factory(), p, settings)
        await svc.deliver_section(svc.DeliverSection(cur.id, office), uow_factory(), p, settings)
    bhyt = FigureKey("HP2081.XIII.16")
    await svc.return_figure(svc.ReturnFigure(sub.id, bhyt, "Chưa khớp số BHXH"), uow_factory(),
                            TONG_HOP, settings)
    cur = await svc.get_submission(sub.id, uow_factory(), NHAP[PVHXH])
    assert cur.figures[bhyt].return_comment == "Chưa khớp số BHXH"
    settings.clock.now = datetime(2026, 10, 13, 9, tzinfo=UTC)
    await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(bhyt, "91.5", "Đã đối chiếu",
                                                                cur.figures[bhyt].version),),
                                           "Theo yêu cầu của Văn phòng"),
                           uow_factory(), NHAP[PVHXH], settings)
    await svc.deliver_section(svc.DeliverSection(sub.id, PVHXH), uow_factory(), NHAP[PVHXH], settings)
    t = svc.Transition(sub.id)
    await svc.consolidate_submission(t, uow_factory(), TONG_HOP, settings)
    await svc.approve_submission(t, uow_factory(), CHU_TICH, settings)
    settings.clock.now = datetime(2026, 10, 21, 9, tzinfo=UTC)
    await svc.send_submission(t, uow_factory(), CHU_TICH, settings)
    done = await svc.accept_submission(t, uow_factory(), KE_HOACH, settings)
    assert done.status is Status.ACCEPTED and done.timeliness(date(2026, 10, 22)).label == "Trễ 2 ngày"

    h = await svc.history(sub.id, uow_factory(), CHU_TICH)
    assert [(s.action.value, s.actor) for s in h.steps][-5:] == [
        ("section_delivered", "nhap_vhxh"), ("consolidated", "tong_hop"), ("approved", "chu_tich"),
        ("sent", "chu_tich"), ("accepted", "ke_hoach")]
    assert h.steps[4].comment == "Chưa khớp số BHXH" and h.steps[4].figure_key == bhyt
    fix = [c for c in h.changes if c.key == bhyt]
    assert [(c.actor, c.before, c.after, c.after_note, c.reason, c.at) for c in fix] == [
        ("nhap_vhxh", "(trống)", "66", "", "", datetime(2026, 10, 12, 8, tzinfo=UTC)),
        ("nhap_vhxh", "66", "91.5", "Đã đối chiếu", "Theo yêu cầu của Văn phòng",
         datetime(2026, 10, 13, 9, tzinfo=UTC)),
    ]
    envs = await outbox(submission_db)
    assert [e.type for e in envs] == ["ktxh.submission.v1.SubmissionSent",
                                      "ktxh.submission.v1.SubmissionAccepted"]
    accepted = events_pb2.SubmissionAccepted()
    envs[1].payload.Unpack(accepted)
    s = accepted.submission
    assert (s.org_unit_code, s.period.code, envs[1].aggregate_id) == ("10846", "2026-M10", sub.id)
    figures = {(f.key.indicator_code, tuple((m.dimension_code, m.member_code) for m in f.key.members)):
               f.value for f in s.figures}
    assert figures[("HP2081.XIII.16", ())] == "91.5"
    assert figures[("HP2081.XIII.01", (("price_basis", "comparative"),))] == "1010.5"


async def test_scope_is_applied_in_sql(uow_factory, settings):
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "LICH.HP2081", LINES),
                                    uow_factory(), TONG_HOP, settings)
    for p in (OTHER, OTHER_CONSOLIDATOR, FRONT):
        with pytest.raises(NotFound):
            await svc.get_submission(sub.id, uow_factory(), p)
        listed, _, total = await svc.list_submissions(svc.SubmissionFilter(), uow_factory(), p)
        assert (listed, total) == ([], 0)
    for p in (*NHAP.values(), TONG_HOP, CHU_TICH, KE_HOACH):
        listed, _, total = await svc.list_submissions(svc.SubmissionFilter(), uow_factory(), p)
        assert [s.id for s in listed] == [sub.id] and total == 1
    with pytest.raises(PermissionDenied):
        await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(FigureKey("HP2081.XIII.16"), "90"),)),
                               uow_factory(), NHAP[PKT], settings)
    with pytest.raises(NotFound):  # another commune's consolidator cannot open Hà Tây's report
        await svc.open_submission(svc.OpenSubmission("10846", "2026-M11", "LICH.HP2081", LINES),
                                  uow_factory(), OTHER_CONSOLIDATOR, settings)


async def test_two_people_saving_different_figures_both_win_the_same_figure_conflicts(uow_factory, settings):
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "LICH.HP2081", LINES),
                                    uow_factory(), TONG_HOP, settings)
    a, b = FigureKey("HP2081.XIII.09"), FigureKey("HP2081.XIII.11")
    # both read version 0 of the report; each saves a different figure
    await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(a, "40"),)), uow_factory(), NHAP[PKT], settings)
    await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(b, "3.1"),)), uow_factory(), TONG_HOP, settings)
    cur = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    assert (cur.figures[a].value, cur.figures[b].value) == (Decimal(40), Decimal("3.1"))
    with pytest.raises(Conflict) as err:
        await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(a, "45"),)), uow_factory(), TONG_HOP, settings)
    assert "nhap_pkt sửa thành 40 trong khi bạn nhập 45" in err.value.message
    # a crash mid-save leaves the report as it was: a bad value among good ones stores nothing
    with pytest.raises(InvalidArgument):
        await svc.save_figures(svc.SaveFigures(sub.id, (
            FigureInput(a, "41", expected_version=1), FigureInput(b, "101", expected_version=1))),
            uow_factory(), TONG_HOP, settings)
    cur = await svc.get_submission(sub.id, uow_factory(), TONG_HOP)
    assert (cur.figures[a].value, cur.figures[a].version) == (Decimal(40), 1)


async def test_a_big_change_from_the_accepted_previous_month_needs_a_note(uow_factory, settings):
    sep = await fill(uow_factory, settings, "2026-M09")
    await deliver_and_send(uow_factory, settings, sep)
    await svc.accept_submission(svc.Transition(sep), uow_factory(), KE_HOACH, settings)
    # October: every count of Phòng Kinh tế doubles, without a note → its delivery is refused
    # naming each indicator
    oct_id = await fill(uow_factory, settings, "2026-M10", scale=Decimal(2))
    with pytest.raises(InvalidArgument) as err:
        await deliver_and_send(uow_factory, settings, oct_id)
    notes = [v for v in err.value.violations if v.field.endswith(".note")]
    assert notes and all("so với kỳ trước" in v.message and "cần thuyết minh" in v.message
                         for v in notes)
    assert "HP2081.XIII.08" in " ".join(v.message for v in notes)  # Thu ngân sách
    # the office explains the flagged figures; then the report goes through
    cur = await svc.get_submission(oct_id, uow_factory(), TONG_HOP)
    flagged = [FigureKey.from_text(v.field.removeprefix("figures[").removesuffix("].note"))
               for v in notes]
    await svc.save_figures(svc.SaveFigures(oct_id, tuple(
        FigureInput(k, str(cur.figures[k].value), "Tăng do sáp nhập thôn", cur.figures[k].version)
        for k in flagged)), uow_factory(), NHAP[PKT], settings)
    await deliver_and_send(uow_factory, settings, oct_id)
    assert (await svc.get_submission(oct_id, uow_factory(), KE_HOACH)).status is Status.SENT
