"""Use cases of the notification service: one function per RPC (and one for the consumer),
each opening one unit of work and committing once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound
from ktxh_platform.domain.paging import decode_token, encode_token

from ktxh_notification.domain.notices import Notice, NoticeDraft, Reader
from ktxh_notification.service_layer.unit_of_work import NotificationUnitOfWork

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
NOT_FOUND = "Không tìm thấy thông báo"


def reader_of(principal: Principal | None, action: Action) -> Reader | None:
    """The policy's role check, then the reader: the caller's own unit, whatever the role
    (a province role's province-wide scope does not widen an inbox). None: no unit, no inbox."""
    scope = authorize(principal, Resource.NOTIFICATION, action)
    assert principal is not None
    if not principal.org_unit:
        return None
    return Reader(subject=principal.subject, unit_code=principal.org_unit, province=scope.province)


async def deliver(drafts: Sequence[NoticeDraft], uow: NotificationUnitOfWork) -> int:
    """Store what one event says to its units (the consumer's use case). An event already
    turned into a notice for a unit changes nothing (redelivery); returns how many notices
    were added or gathered into."""
    changed = 0
    async with uow:
        for draft in drafts:
            if await uow.notices.has_source(draft.event_id, draft.unit_id):
                continue
            existing = await uow.notices.by_group(draft.unit_id, draft.group_key)
            if existing is None:
                await uow.notices.add(Notice.from_draft(draft, uow.province_code), draft.event_id)
            else:
                existing.gather(draft)
                await uow.notices.gathered(existing, draft.event_id)
            changed += 1
        await uow.commit()
    return changed


@dataclass(frozen=True, slots=True)
class ListNotifications:
    unread_only: bool = False
    page_size: int = 0
    page_token: str = ""


@dataclass(frozen=True, slots=True)
class NotificationPage:
    notices: list[Notice]
    unread_count: int
    next_page_token: str


async def list_notifications(
    query: ListNotifications, uow: NotificationUnitOfWork, principal: Principal | None
) -> NotificationPage:
    reader = reader_of(principal, Action.READ)
    if query.page_size < 0 or query.page_size > MAX_PAGE_SIZE:
        raise InvalidArgument.single("page_size", f"Số dòng mỗi trang phải từ 1 đến {MAX_PAGE_SIZE}")
    size = query.page_size or DEFAULT_PAGE_SIZE
    offset = decode_token(query.page_token)
    if reader is None:
        return NotificationPage([], 0, "")
    async with uow:
        notices, unread = await uow.notices.list_for(
            reader, unread_only=query.unread_only, offset=offset, limit=size + 1
        )
    more = len(notices) > size
    return NotificationPage(notices[:size], unread, encode_token(offset + size) if more else "")


async def mark_read(
    notice_id: str, uow: NotificationUnitOfWork, principal: Principal | None
) -> Notice:
    reader = reader_of(principal, Action.WRITE)
    if reader is None or not notice_id:
        raise NotFound(NOT_FOUND)
    async with uow:
        notice = await uow.notices.get_for(reader, notice_id)
        if notice is None:
            raise NotFound(NOT_FOUND)
        if notice.read_at is None:
            notice.read_at = datetime.now(UTC)
            await uow.notices.mark_read(reader, notice, notice.read_at)
            await uow.commit()
    return notice


async def mark_all_read(uow: NotificationUnitOfWork, principal: Principal | None) -> int:
    reader = reader_of(principal, Action.WRITE)
    if reader is None:
        return 0
    async with uow:
        marked = await uow.notices.mark_all_read(reader, datetime.now(UTC))
        await uow.commit()
    return marked
