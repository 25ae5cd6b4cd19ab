"""Composition root of the notification service: its tables, its consumers (the org-unit
replica and the inbox fed by the sources' events), its gRPC servicer."""

from __future__ import annotations

from pathlib import Path

from ktxh.notification.v1 import notification_pb2
from ktxh_platform.messaging import no_events
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition

from ktxh_notification.adapters import consumer, org_unit_replica, tables
from ktxh_notification.adapters.sources import sources
from ktxh_notification.adapters.unit_of_work import SqlNotificationUnitOfWork
from ktxh_notification.entrypoints.grpc_api import register


def definition() -> ServiceDefinition:
    def _register(server, ctx: ServiceContext) -> None:
        register(server, lambda: SqlNotificationUnitOfWork(ctx.db, ctx.messaging))

    return ServiceDefinition(
        name="notification",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[notification_pb2.DESCRIPTOR.services_by_name["NotificationService"].full_name],
        register=_register,
        translate=no_events,  # publishes nothing (yet): e-mail or other channels would read notices
        aggregates=[],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            ),
            ConsumerSpec(
                group=consumer.GROUP, sources=consumer.topics(sources()),
                build=lambda ctx: consumer.handlers(sources(), ctx.settings.province_code),
            ),
        ],
    )
