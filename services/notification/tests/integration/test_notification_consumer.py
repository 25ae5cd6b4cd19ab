"""The inbox consumer as the runtime builds it (platform `EventConsumer`, real envelopes as
records, SQLite and PostgreSQL): redelivery makes one notice, events arriving out of order,
and the org-unit replica consumer feeding the names acknowledgements show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from ktxh.assignment.v1 import assignment_pb2, events_pb2
from ktxh.catalog.v1 import events_pb2 as catalog_events
from ktxh.common.v1 import types_pb2
from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh.submission.v1 import submission_pb2
from ktxh_notification.adapters import consumer, org_unit_replica, tables
from ktxh_notification.adapters.sources import sources
from ktxh_notification.adapters.unit_of_work import SqlNotificationUnitOfWork
from ktxh_notification.service_layer import notifications as svc
from ktxh_platform.auth.principal import PLANNING_OFFICER, UNIT_LEADER, Principal
from ktxh_platform.bus.base import Record
from ktxh_platform.bus.inprocess import InProcessBus
from ktxh_platform.messaging import EventConsumer, MessagingContext, no_events
from notification_support import HA_TAY, STC, Unit, envelope, issued, org_unit, target

CHU_TICH = Principal("s-ct", "chu_tich", "Chủ tịch", frozenset({UNIT_LEADER}), "10846", "31")
KE_HOACH = Principal("s-kh", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "STC", "31")
TOPIC = "ktxh.assignment.assignment.v1"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def consumers(db, bus) -> tuple[EventConsumer, EventConsumer]:
    inbox = EventConsumer(db, tables.inbox, bus, service="notification", group="notification.notices",
                          handlers=consumer.handlers(sources(), "31"), retry_delay=0.01)
    units = EventConsumer(db, tables.inbox, bus, service="notification", group="notification.org_units",
                          handlers=org_unit_replica.HANDLERS, retry_delay=0.01)
    return inbox, units


def record(env, topic: str = TOPIC) -> Record:
    return Record(topic=topic, key=env.aggregate_id.encode(), value=env.SerializeToString())


async def inbox_of(db, who: Principal) -> svc.NotificationPage:
    messaging = MessagingContext("notification", "31", "", tables.outbox, no_events)
    return await svc.list_notifications(svc.ListNotifications(), SqlNotificationUnitOfWork(db, messaging), who)


async def test_redelivered_events_make_one_notice(notification_db, tmp_path):
    notices, _ = consumers(notification_db, InProcessBus(tmp_path / "bus.db"))
    first = envelope(issued(target(HA_TAY.id, indicator="A")), at=T0)
    second = envelope(issued(target(HA_TAY.id, indicator="B")), at=T0 + timedelta(seconds=1))
    for env in (first, first, second, first, second):
        await notices.handle(record(env))

    (notice,) = (await inbox_of(notification_db, CHU_TICH)).notices
    assert notice.item_count == 2 and notice.source_event_id == first.event_id
    async with notification_db.engine.connect() as conn:
        handled = await conn.scalar(sa.select(sa.func.count()).select_from(tables.inbox))
    assert handled == 2


async def test_out_of_order_acknowledgement_and_unit_events(notification_db, tmp_path):
    """An acknowledgement handled before the catalog's event about a new commune: the notice
    still reaches the assigning unit (with a generic name); once the replica knows the
    commune, the next acknowledgement names it."""
    notices, units = consumers(notification_db, InProcessBus(tmp_path / "bus.db"))
    new_commune = Unit("u-new", "20000", "Xã Mới Lập", "commune", "u-city")

    def ack(a: assignment_pb2.Assignment, at: datetime):
        a.acknowledgement.acknowledged_by = "chu_tich_moi"
        return envelope(events_pb2.AssignmentAcknowledged(assignment=a), at=at)

    await notices.handle(record(ack(target(new_commune.id, decision_id="qd-1"), T0)))
    await units.handle(record(envelope(catalog_events.OrgUnitCreated(unit=org_unit(new_commune)),
                                       aggregate="org_unit"), "ktxh.catalog.org_unit.v1"))
    await notices.handle(record(ack(target(new_commune.id, decision_id="qd-2"), T0 + timedelta(days=1))))

    page = await inbox_of(notification_db, KE_HOACH)
    assert [n.title for n in page.notices] == [
        "Xã Mới Lập đã xác nhận đã nhận chỉ tiêu được giao",
        "Đơn vị được giao đã xác nhận đã nhận chỉ tiêu được giao",
    ]
    assert page.notices[0].link == "#/quyet-dinh-giao/qd-2"
    assert page.notices[0].body == "Chỉ tiêu HP2081.XIII.01 năm 2026: 1.250 (người xác nhận: chu_tich_moi)."
    assert all(n.unit_id == STC.id for n in page.notices)
    assert (await inbox_of(notification_db, CHU_TICH)).notices == []


async def test_an_unknown_event_type_is_ignored(notification_db, tmp_path):
    notices, _ = consumers(notification_db, InProcessBus(tmp_path / "bus.db"))
    revoked = events_pb2.DecisionRevoked(decision=assignment_pb2.Decision(id="qd-1"), reason="Sai sót")
    await notices.handle(record(envelope(revoked)))
    assert (await inbox_of(notification_db, CHU_TICH)).notices == []


async def test_a_deadline_reminder_reaches_the_units_inbox_and_other_report_events_are_ignored(
        notification_db, tmp_path):
    notices, _ = consumers(notification_db, InProcessBus(tmp_path / "bus.db"))
    topic = "ktxh.submission.submission.v1"
    reminder = submission_events.SubmissionDeadlineApproaching(
        org_unit_id=HA_TAY.id, org_unit_code="10846", period=types_pb2.Period(code="2026-M10"),
        period_label="Tháng 10/2026", calendar_code="LICH.HP2081", step="official",
        step_name="Hạn gửi báo cáo lên cấp trên", due_date="2026-10-19", days_left=2,
        submission_id="s-1")
    sent = submission_events.SubmissionSent(submission=submission_pb2.Submission(id="s-1"))
    for env in (envelope(reminder, aggregate="submission", at=T0),
                envelope(sent, aggregate="submission", at=T0)):
        await notices.handle(record(env, topic))
    (notice,) = (await inbox_of(notification_db, CHU_TICH)).notices
    assert (notice.title, notice.link) == ("Sắp đến hạn báo cáo Tháng 10/2026 (còn 2 ngày)", "#/bao-cao/s-1")
    assert (await inbox_of(notification_db, KE_HOACH)).notices == []
