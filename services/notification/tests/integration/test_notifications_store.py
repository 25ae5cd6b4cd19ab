"""The notification use cases on the in-memory fake, SQLite and PostgreSQL: who sees which
notice, per-user read state, gathering, redelivery and events arriving out of order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from ktxh_notification.adapters.sources import assignment as source
from ktxh_notification.service_layer import notifications as svc
from ktxh_platform.auth.principal import (
    DATA_ENTRY,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    UNIT_LEADER,
    AuthenticationError,
    Principal,
)
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound
from notification_support import (
    HA_TAY,
    SIBLING,
    UNITS,
    MemoryState,
    MemoryUnits,
    envelope,
    issued,
    target,
)

CHU_TICH = Principal("s-ct", "chu_tich", "Chủ tịch", frozenset({UNIT_LEADER}), "10846", "31")
NHAP_LIEU = Principal("s-nl", "nhap_lieu", "Nhập liệu", frozenset({DATA_ENTRY}), "10846.PKT", "31")
AN_LAO = Principal("s-al", "an_lao", "Nhập liệu An Lão", frozenset({DATA_ENTRY}), "11311", "31")
KE_HOACH = Principal("s-kh", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "STC", "31")
ADMIN = Principal("s-ad", "admin", "Quản trị", frozenset({PROVINCE_ADMIN}), "31", "31")
HA_NOI = Principal("s-hn", "ha_noi", "Hà Nội", frozenset({UNIT_LEADER}), "10846", "01")
T0 = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
# Names matter only to acknowledgements (test_notification_consumer.py reads them from the replica).
NAMES = MemoryUnits(MemoryState({u.id: u for u in UNITS}))


async def deliver(uow_factory, message, **kw) -> int:
    env = envelope(message, **kw)
    mapping = source.SOURCE.mappings[type(message)]
    return await svc.deliver(await mapping(message, env, NAMES), uow_factory())


async def inbox(uow_factory, who: Principal, **kw) -> svc.NotificationPage:
    return await svc.list_notifications(svc.ListNotifications(**kw), uow_factory(), who)


async def test_a_unit_notice_reaches_its_users_only(uow_factory):
    a = target(HA_TAY.id)
    await deliver(uow_factory, issued(a), at=T0)

    page = await inbox(uow_factory, CHU_TICH)
    assert [n.title for n in page.notices] == ["Đơn vị được giao chỉ tiêu theo Quyết định 125/QĐ-UBND"]
    notice = page.notices[0]
    assert notice.link == f"#/duoc-giao/{a.id}"
    assert notice.body == "Chỉ tiêu HP2081.XIII.01 năm 2026: 1.250. Mở để xem và xác nhận đã nhận."
    assert notice.created_at == T0 and notice.unit_id == HA_TAY.id and page.unread_count == 1
    # the commune's office works for the commune: it sees the commune's notices
    assert [n.id for n in (await inbox(uow_factory, NHAP_LIEU)).notices] == [notice.id]
    # another commune, the province-wide roles, another province's unit with the same code
    for other in (AN_LAO, KE_HOACH, ADMIN, HA_NOI):
        page = await inbox(uow_factory, other)
        assert (page.notices, page.unread_count) == ([], 0), other.username
        with pytest.raises(NotFound):
            await svc.mark_read(notice.id, uow_factory(), other)


async def test_read_state_is_per_user(uow_factory):
    await deliver(uow_factory, issued(target(HA_TAY.id)), at=T0)
    await deliver(uow_factory, issued(target(HA_TAY.id, decision_id="qd-200"), "200/QĐ-UBND"), at=T0 + timedelta(days=1))
    newest, oldest = (await inbox(uow_factory, CHU_TICH)).notices
    assert newest.title.endswith("200/QĐ-UBND")

    read = await svc.mark_read(oldest.id, uow_factory(), CHU_TICH)
    assert read.read and read.read_at is not None
    again = await svc.mark_read(oldest.id, uow_factory(), CHU_TICH)  # idempotent
    assert again.read_at == read.read_at

    mine = await inbox(uow_factory, CHU_TICH)
    assert [(n.id, n.read) for n in mine.notices] == [(newest.id, False), (oldest.id, True)]
    assert mine.unread_count == 1
    assert [n.id for n in (await inbox(uow_factory, CHU_TICH, unread_only=True)).notices] == [newest.id]
    # the office's clerk has read nothing yet
    theirs = await inbox(uow_factory, NHAP_LIEU)
    assert theirs.unread_count == 2 and not any(n.read for n in theirs.notices)

    assert await svc.mark_all_read(uow_factory(), NHAP_LIEU) == 2
    assert await svc.mark_all_read(uow_factory(), NHAP_LIEU) == 0
    assert (await inbox(uow_factory, NHAP_LIEU)).unread_count == 0
    assert (await inbox(uow_factory, CHU_TICH)).unread_count == 1


async def test_a_decision_for_a_unit_is_one_notice_that_counts_its_items(uow_factory):
    for i, code in enumerate(("HP2081.XIII.01", "HP2081.XIII.02", "HP2081.XIII.03")):
        await deliver(uow_factory, issued(target(HA_TAY.id, indicator=code)), at=T0 + timedelta(seconds=i))
    await deliver(uow_factory, issued(target(SIBLING.id)), at=T0)

    (notice,) = (await inbox(uow_factory, CHU_TICH)).notices
    assert notice.item_count == 3
    assert notice.body == "3 chỉ tiêu năm 2026 được giao. Mở để xem và xác nhận đã nhận."
    assert notice.link == "#/duoc-giao"
    assert (await inbox(uow_factory, AN_LAO)).notices[0].item_count == 1

    await svc.mark_read(notice.id, uow_factory(), CHU_TICH)
    await deliver(uow_factory, issued(target(HA_TAY.id, indicator="HP2081.XIII.04")), at=T0 + timedelta(minutes=5))
    (notice,) = (await inbox(uow_factory, CHU_TICH)).notices
    assert notice.item_count == 4 and not notice.read  # something new: unread again
    assert notice.updated_at == T0 + timedelta(minutes=5)


async def test_the_same_event_twice_is_one_notice(uow_factory):
    message = issued(target(HA_TAY.id))
    assert await deliver(uow_factory, message, event_id="ev-1", at=T0) == 1
    assert await deliver(uow_factory, message, event_id="ev-1", at=T0) == 0
    (notice,) = (await inbox(uow_factory, CHU_TICH)).notices
    assert notice.item_count == 1 and notice.source_event_id == "ev-1"


async def test_events_out_of_order(uow_factory):
    """A later event handled first: the inbox still lists by when things happened, and a
    notice gathering both starts at the earlier one."""
    late = issued(target(HA_TAY.id, decision_id="qd-200"), "200/QĐ-UBND")
    await deliver(uow_factory, late, event_id="late", at=T0 + timedelta(days=30))
    await deliver(uow_factory, issued(target(HA_TAY.id, indicator="A")), event_id="early-2", at=T0 + timedelta(hours=1))
    await deliver(uow_factory, issued(target(HA_TAY.id, indicator="B")), event_id="early-1", at=T0)

    newest, oldest = (await inbox(uow_factory, CHU_TICH)).notices
    assert newest.source_event_id == "late"
    assert oldest.item_count == 2 and oldest.created_at == T0 and oldest.source_event_id == "early-1"
    assert oldest.updated_at == T0 + timedelta(hours=1)


async def test_adjusted_cancelled_and_overdue_notices(uow_factory):
    from ktxh.assignment.v1 import events_pb2

    a = target(HA_TAY.id, value="1300")
    before = target(HA_TAY.id, value="1250")
    await deliver(uow_factory, events_pb2.AssignmentAdjusted(assignment=a, before=before), at=T0)
    await deliver(uow_factory, events_pb2.AssignmentCancelled(assignment=a, reason="Quyết định bị thu hồi"), at=T0 + timedelta(days=1))
    await deliver(uow_factory, events_pb2.AssignmentAcknowledgementOverdue(
        assignment=a, decision_number="125/QĐ-UBND", days_waiting=7), at=T0 + timedelta(days=2))
    titles = [(n.title, n.body) for n in (await inbox(uow_factory, NHAP_LIEU)).notices]
    assert titles == [
        ("Chưa xác nhận chỉ tiêu theo Quyết định 125/QĐ-UBND",
         "Chỉ tiêu HP2081.XIII.01 năm 2026: 1.300: đã 7 ngày chưa xác nhận đã nhận."),
        ("Chỉ tiêu được giao đã bị hủy", "Chỉ tiêu HP2081.XIII.01 năm 2026: 1.300. Lý do: Quyết định bị thu hồi"),
        ("Chỉ tiêu được giao đã được điều chỉnh", "Chỉ tiêu HP2081.XIII.01 năm 2026: 1.300 (trước: 1.250)."),
    ]


async def test_paging_and_bad_input(uow_factory):
    for i in range(5):
        await deliver(uow_factory, issued(target(HA_TAY.id, decision_id=f"qd-{i}"), f"{i}/QĐ"), at=T0 + timedelta(days=i))
    first = await inbox(uow_factory, CHU_TICH, page_size=2)
    second = await inbox(uow_factory, CHU_TICH, page_size=2, page_token=first.next_page_token)
    third = await inbox(uow_factory, CHU_TICH, page_size=2, page_token=second.next_page_token)
    titles = [n.title.rsplit(" ", 1)[1] for p in (first, second, third) for n in p.notices]
    assert titles == ["4/QĐ", "3/QĐ", "2/QĐ", "1/QĐ", "0/QĐ"] and third.next_page_token == ""
    assert first.unread_count == 5

    with pytest.raises(InvalidArgument) as err:
        await inbox(uow_factory, CHU_TICH, page_size=501)
    assert err.value.violations[0].field == "page_size"
    with pytest.raises(InvalidArgument) as err:
        await inbox(uow_factory, CHU_TICH, page_token="!!")
    assert err.value.violations[0].field == "page_token"
    with pytest.raises(NotFound):
        await svc.mark_read("no-such-notice", uow_factory(), CHU_TICH)
    with pytest.raises(AuthenticationError):
        await inbox(uow_factory, Principal.anonymous())


async def test_concurrent_gathering_and_reading_lose_nothing(uow_factory):
    await deliver(uow_factory, issued(target(HA_TAY.id, indicator="A")), at=T0)
    events = [issued(target(HA_TAY.id, indicator=f"B{i}")) for i in range(4)]
    results = await asyncio.gather(*(deliver(uow_factory, e, event_id=f"b{i}", at=T0 + timedelta(seconds=i + 1))
                                     for i, e in enumerate(events)), return_exceptions=True)
    # a gather based on a stale read fails whole (SQLite has no row lock): the consumer retries it
    for i, result in enumerate(results):
        if isinstance(result, BaseException):
            assert isinstance(result, Conflict), result
            await deliver(uow_factory, events[i], event_id=f"b{i}", at=T0 + timedelta(seconds=i + 1))
    (notice,) = (await inbox(uow_factory, CHU_TICH)).notices
    assert notice.item_count == 5

    first, second = await asyncio.gather(
        svc.mark_read(notice.id, uow_factory(), CHU_TICH), svc.mark_read(notice.id, uow_factory(), CHU_TICH))
    assert first.read and second.read
    assert (await inbox(uow_factory, CHU_TICH)).unread_count == 0
