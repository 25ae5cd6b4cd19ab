"""Composition root of the oversight service: database, peers (assignment, reporting,
document), the org-unit replica consumer and the periodic recommendation reminder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import structlog
from ktxh.oversight.v1 import oversight_pb2
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition

from ktxh_oversight.adapters import org_unit_replica, tables
from ktxh_oversight.adapters.events import translate_event
from ktxh_oversight.adapters.peers import GrpcAssignments, GrpcDocuments, GrpcReporting
from ktxh_oversight.adapters.unit_of_work import SqlOversightUnitOfWork
from ktxh_oversight.entrypoints.grpc_api import OversightComponents, register
from ktxh_oversight.service_layer.oversight import OversightRules, remind_recommendations
from ktxh_oversight.settings import OversightSettings

log = structlog.get_logger(__name__)


def build_components(ctx: ServiceContext, settings: OversightSettings) -> OversightComponents:
    def uow(actor: str = "") -> SqlOversightUnitOfWork:
        return SqlOversightUnitOfWork(ctx.db, ctx.messaging, actor)

    return OversightComponents(
        uow=uow,
        assignments=GrpcAssignments(settings.assignment_addr),
        reporting=GrpcReporting(settings.reporting_addr),
        documents=GrpcDocuments(settings.document_addr),
        rules=OversightRules(remind_before_days=settings.remind_before_days),
    )


async def _reminders(components: OversightComponents, interval: float) -> None:
    while True:
        try:
            n = await remind_recommendations(datetime.now(UTC).date(), components.uow("system"), components.rules)
            if n:
                log.info("recommendation_reminders", count=n)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("recommendation_reminders_failed")
        await asyncio.sleep(interval)


def definition() -> ServiceDefinition:
    settings = OversightSettings()
    components: list[OversightComponents] = []
    tasks: list[asyncio.Task[None]] = []

    def _register(server, ctx: ServiceContext) -> None:
        components.append(build_components(ctx, settings))
        register(server, components[0])

    async def _on_start(ctx: ServiceContext) -> None:
        if settings.reminder_interval_seconds > 0:
            tasks.append(asyncio.create_task(_reminders(components[0], settings.reminder_interval_seconds)))

    return ServiceDefinition(
        name="oversight",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[oversight_pb2.DESCRIPTOR.services_by_name["OversightService"].full_name],
        register=_register,
        translate=translate_event,
        aggregates=["comment", "oversight_report"],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            )
        ],
        on_start=_on_start,
    )
