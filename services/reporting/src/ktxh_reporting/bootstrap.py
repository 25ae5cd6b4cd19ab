"""Composition root of the reporting service: a read model fed by every other service's events."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from ktxh.reporting.v1 import reporting_pb2
from ktxh_reporting.adapters import connector_feed, edition_store, projections, tables, task_projections
from ktxh_reporting.adapters.connector_http import HttpSender
from ktxh_reporting.adapters.connector_store import SqlDeliveryLog
from ktxh_reporting.adapters.org_unit_projection import HANDLERS
from ktxh_reporting.entrypoints.grpc_api import ORG_UNITS_GROUP, register
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition
from ktxh_reporting.domain.connector import Backoff
from ktxh_reporting.service_layer.connector_delivery import run_delivery


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="reporting",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].full_name],
        register=register,
        translate=edition_store.translate_event,
        aggregates=["report"],
        consumers=[
            ConsumerSpec(
                group=ORG_UNITS_GROUP.removeprefix("reporting."),
                sources=[("catalog", "org_unit")],
                build=lambda ctx: HANDLERS,
            ),
            ConsumerSpec(
                group=projections.FIGURES_GROUP, sources=[("submission", "submission")],
                build=lambda ctx: projections.FIGURE_HANDLERS,
            ),
            ConsumerSpec(
                group=projections.RULES_GROUP, sources=[("catalog", "indicator")],
                build=lambda ctx: projections.RULE_HANDLERS,
            ),
            ConsumerSpec(
                group=projections.TARGETS_GROUP, sources=[("assignment", "assignment")],
                build=lambda ctx: projections.TARGET_HANDLERS,
            ),
            ConsumerSpec(
                group=task_projections.KEY_TASKS_GROUP, sources=[("catalog", "key_task")],
                build=lambda ctx: task_projections.KEY_TASK_HANDLERS,
            ),
            ConsumerSpec(
                group=task_projections.TASK_ASSIGNMENTS_GROUP, sources=[("assignment", "assignment")],
                build=lambda ctx: task_projections.TASK_ASSIGNMENT_HANDLERS,
            ),
            ConsumerSpec(
                group=task_projections.TASK_PROGRESS_GROUP, sources=[("submission", "submission")],
                build=lambda ctx: task_projections.TASK_PROGRESS_HANDLERS,
            ),
            ConsumerSpec(
                group=CONNECTORS_GROUP, sources=[("submission", "submission")],
                build=lambda ctx: connector_feed.HANDLERS,
            ),
        ],
        background=[deliver_transmissions],
        commands={"rebuild-contributions": (
            "rebuild the stored contributions of roll-ups from the facts (after upgrading)", _rebuild)},
    )


async def _rebuild(ctx: ServiceContext) -> str:
    """Every province's stored contributions from its facts, one transaction each
    (docs/reporting.md "Roll-ups at scale"); run with the consumers stopped."""
    import sqlalchemy as sa  # noqa: PLC0415

    from ktxh_reporting.adapters import contributions  # noqa: PLC0415

    out = []
    async with ctx.db.sessions() as session:
        provinces = (await session.scalars(sa.select(tables.facts.c.province_code).distinct())).all()
    for province in sorted(provinces):
        async with ctx.db.sessions() as session, session.begin():
            rows = await contributions.rebuild(session, province)
        out.append(f"{province}: {rows} contributions")
    return "\n".join(out) or "no facts"


CONNECTORS_GROUP = "connectors"


async def deliver_transmissions(ctx: ServiceContext) -> None:
    """The upward connectors' delivery worker (docs/operations.md, "Upward connectors")."""
    env = os.environ
    backoff = Backoff(
        base=timedelta(seconds=float(env.get("KTXH_REPORTING_CONNECTOR_RETRY_BASE_SECONDS", "2"))),
        cap=timedelta(seconds=float(env.get("KTXH_REPORTING_CONNECTOR_RETRY_CAP_SECONDS", "1800"))),
        max_attempts=int(env.get("KTXH_REPORTING_CONNECTOR_MAX_ATTEMPTS", "20")),
    )
    sender = HttpSender(timeout=float(env.get("KTXH_REPORTING_CONNECTOR_TIMEOUT_SECONDS", "10")))
    await run_delivery(SqlDeliveryLog(ctx.db), sender, backoff=backoff,
                       poll=float(env.get("KTXH_REPORTING_CONNECTOR_POLL_SECONDS", "1")))
