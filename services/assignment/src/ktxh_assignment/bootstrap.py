"""Composition root of the assignment service: database, peers (catalog, document), rules,
the org-unit replica consumer and the periodic acknowledgement reminder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import structlog

from ktxh.assignment.v1 import assignment_pb2
from ktxh_assignment.adapters import org_unit_replica, tables
from ktxh_assignment.adapters.events import translate_event
from ktxh_assignment.adapters.peers import GrpcCatalog, GrpcDocuments
from ktxh_assignment.adapters.unit_of_work import SqlAssignmentUnitOfWork
from ktxh_assignment.entrypoints.grpc_api import AssignmentComponents, register
from ktxh_assignment.service_layer.decisions import AssignmentRules, remind_unacknowledged
from ktxh_assignment.settings import AssignmentSettings
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition

log = structlog.get_logger(__name__)


def build_components(ctx: ServiceContext, settings: AssignmentSettings) -> AssignmentComponents:
    def uow(actor: str = "") -> SqlAssignmentUnitOfWork:
        return SqlAssignmentUnitOfWork(ctx.db, ctx.messaging, actor)

    return AssignmentComponents(
        uow=uow,
        catalog=GrpcCatalog(settings.catalog_addr),
        documents=GrpcDocuments(settings.document_addr),
        rules=AssignmentRules(
            require_signed_decision=settings.require_signed_decision,
            ack_reminder_days=settings.ack_reminder_days,
        ),
    )


async def _reminders(components: AssignmentComponents, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            n = await remind_unacknowledged(datetime.now(UTC), components.uow("system"), components.rules)
            if n:
                log.info("acknowledgement_reminders", count=n)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - retried at the next interval
            log.exception("acknowledgement_reminders_failed")


def definition() -> ServiceDefinition:
    settings = AssignmentSettings()
    components: list[AssignmentComponents] = []
    tasks: list[asyncio.Task[None]] = []

    def _register(server, ctx: ServiceContext) -> None:
        components.append(build_components(ctx, settings))
        register(server, components[0])

    async def _on_start(ctx: ServiceContext) -> None:
        if settings.ack_reminder_interval_seconds > 0:
            tasks.append(asyncio.create_task(_reminders(components[0], settings.ack_reminder_interval_seconds)))

    return ServiceDefinition(
        name="assignment",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[assignment_pb2.DESCRIPTOR.services_by_name["AssignmentService"].full_name],
        register=_register,
        translate=translate_event,
        aggregates=["decision", "assignment"],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            )
        ],
        on_start=_on_start,
    )
