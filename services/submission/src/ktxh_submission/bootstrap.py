"""Composition root of the submission service: the unit of work, the settings the use cases
obey, the peers it calls with the caller's token (catalog, assignment, document), the replicas
it keeps of the catalog (org units for the access scope, calendars for the deadlines) and the
periodic deadline reminders."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import structlog
from ktxh.submission.v1 import submission_pb2
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition

from ktxh_submission.adapters import calendar_replica, org_unit_replica, tables
from ktxh_submission.adapters.events import translate_event
from ktxh_submission.adapters.peers import GrpcAssignments, GrpcCatalog, GrpcDocuments
from ktxh_submission.adapters.unit_of_work import SqlSubmissionUnitOfWork
from ktxh_submission.domain.calendars import WorkingDays
from ktxh_submission.domain.validation import Rules
from ktxh_submission.entrypoints.grpc_api import SubmissionComponents, register
from ktxh_submission.service_layer.ports import Peers
from ktxh_submission.service_layer.submissions import Settings, remind_deadlines
from ktxh_submission.settings import SubmissionSettings


def build_components(ctx: ServiceContext, s: SubmissionSettings) -> SubmissionComponents:
    settings = Settings(
        working_days=WorkingDays.parse(s.holidays, s.deadline_shift),
        rules=Rules(s.max_change_share, s.outlier_score, s.min_history),
        reporting_kinds=tuple(k.strip() for k in s.reporting_kinds.split(",") if k.strip()),
        reminder_days=s.reminder_days, overdue_horizon=s.overdue_horizon_days,
        reminder_calendars=tuple(c.strip() for c in s.reminder_calendars.split(",") if c.strip()),
    )

    def uow(actor: str = "") -> SqlSubmissionUnitOfWork:
        return SqlSubmissionUnitOfWork(ctx.db, ctx.messaging, actor)

    peers = Peers(GrpcCatalog(s.catalog_addr), GrpcAssignments(s.assignment_addr),
                  GrpcDocuments(s.document_addr))
    return SubmissionComponents(uow=uow, settings=settings, peers=peers)


log = structlog.get_logger(__name__)


async def _reminders(components: SubmissionComponents, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            n = await remind_deadlines(datetime.now(UTC), components.uow("system"),
                                       components.settings)
            if n:
                log.info("deadline_reminders", count=n)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("deadline_reminders_failed")


def definition() -> ServiceDefinition:
    settings = SubmissionSettings()
    components: list[SubmissionComponents] = []
    tasks: list[asyncio.Task[None]] = []

    def _register(server, ctx: ServiceContext) -> None:
        components.append(build_components(ctx, settings))
        register(server, components[0])

    async def _on_start(ctx: ServiceContext) -> None:
        if settings.reminder_interval_seconds > 0:
            tasks.append(asyncio.create_task(
                _reminders(components[0], settings.reminder_interval_seconds)))

    return ServiceDefinition(
        name="submission",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[submission_pb2.DESCRIPTOR.services_by_name["SubmissionService"].full_name],
        register=_register,
        translate=translate_event,
        aggregates=["submission"],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            ),
            ConsumerSpec(
                group=calendar_replica.GROUP, sources=[("catalog", "calendar")],
                build=lambda ctx: calendar_replica.HANDLERS,
            ),
        ],
        on_start=_on_start,
    )
