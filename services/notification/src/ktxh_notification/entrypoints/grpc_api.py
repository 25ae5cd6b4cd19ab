"""gRPC entrypoint: translate requests into commands, call one use case, translate back.
Domain errors become gRPC statuses in the platform interceptor."""

from __future__ import annotations

from collections.abc import Callable

import grpc
from ktxh.notification.v1 import notification_pb2, notification_pb2_grpc
from ktxh_platform.rpc import principal_from

from ktxh_notification.adapters.wire import notice_to_pb
from ktxh_notification.service_layer import notifications as svc
from ktxh_notification.service_layer.unit_of_work import NotificationUnitOfWork


class NotificationServicer(notification_pb2_grpc.NotificationServiceServicer):
    def __init__(self, uow: Callable[[], NotificationUnitOfWork]) -> None:
        self.uow = uow

    async def ListNotifications(self, request, context):
        page = await svc.list_notifications(
            svc.ListNotifications(request.unread_only, request.page_size, request.page_token),
            self.uow(), principal_from(context),
        )
        return notification_pb2.ListNotificationsResponse(
            notifications=[notice_to_pb(n) for n in page.notices],
            unread_count=page.unread_count, next_page_token=page.next_page_token,
        )

    async def MarkRead(self, request, context):
        return notice_to_pb(await svc.mark_read(request.id, self.uow(), principal_from(context)))

    async def MarkAllRead(self, request, context):
        marked = await svc.mark_all_read(self.uow(), principal_from(context))
        return notification_pb2.MarkAllReadResponse(marked=marked)


def register(server: grpc.aio.Server, uow: Callable[[], NotificationUnitOfWork]) -> None:
    notification_pb2_grpc.add_NotificationServiceServicer_to_server(NotificationServicer(uow), server)
