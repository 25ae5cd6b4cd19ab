"""REST for the notification inbox: ``/api/v1/notifications`` (the caller's own inbox; the
notification service keeps it to the caller's unit in SQL)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from ktxh.notification.v1 import notification_pb2, notification_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.notifications import schemas
from ktxh_gateway.problems import PROBLEM_RESPONSES

router = APIRouter(
    prefix="/api/v1/notifications", tags=["Thông báo (notifications)"], responses=PROBLEM_RESPONSES
)

InboxReader = Annotated[Principal, Depends(allowed(Resource.NOTIFICATION, Action.READ))]
InboxOwner = Annotated[Principal, Depends(allowed(Resource.NOTIFICATION, Action.WRITE))]
NotificationId = limits.path_text(36, description="Id của thông báo")


def _stub(request: Request) -> notification_pb2_grpc.NotificationServiceStub:
    return notification_pb2_grpc.NotificationServiceStub(request.app.state.clients.channels["notification"])


def _options(request: Request, principal: Principal) -> dict:
    return request.app.state.clients.call_options(principal)


def _time(message, name: str):
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def to_schema(n: notification_pb2.Notification) -> schemas.Notification:
    return schemas.Notification(
        id=n.id, unit_id=n.unit_id, title=n.title, body=n.body, link=n.link,
        source_event_type=n.source_event_type, source_event_id=n.source_event_id,
        item_count=n.item_count, created_at=_time(n, "created_at"),
        updated_at=_time(n, "updated_at"), read=n.read, read_at=_time(n, "read_at"),
    )


@router.get("", response_model=schemas.NotificationPage,
            summary="Thông báo gửi tới đơn vị của người dùng, mới nhất trước, kèm số chưa đọc")
async def list_notifications(
    request: Request,
    principal: InboxReader,
    unread_only: Annotated[bool, Query(description="Chỉ các thông báo chưa đọc")] = False,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    page_token: Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN)] = "",
) -> schemas.NotificationPage:
    r = await _stub(request).ListNotifications(
        notification_pb2.ListNotificationsRequest(
            unread_only=unread_only, page_size=page_size, page_token=page_token),
        **_options(request, principal),
    )
    return schemas.NotificationPage(
        items=[to_schema(n) for n in r.notifications], unread_count=r.unread_count,
        next_page_token=r.next_page_token,
    )


@router.post("/read-all", response_model=schemas.MarkAllReadResult,
             summary="Đánh dấu tất cả thông báo đã đọc")
async def mark_all_read(request: Request, principal: InboxOwner) -> schemas.MarkAllReadResult:
    r = await _stub(request).MarkAllRead(notification_pb2.MarkAllReadRequest(), **_options(request, principal))
    return schemas.MarkAllReadResult(marked=r.marked)


@router.post("/{notification_id}/read", response_model=schemas.Notification,
             summary="Đánh dấu một thông báo đã đọc")
async def mark_read(
    notification_id: NotificationId, request: Request, principal: InboxOwner
) -> schemas.Notification:
    r = await _stub(request).MarkRead(
        notification_pb2.MarkReadRequest(id=notification_id), **_options(request, principal))
    return to_schema(r)
