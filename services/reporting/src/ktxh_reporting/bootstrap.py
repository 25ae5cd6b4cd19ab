"""Composition root of the reporting service: a read model fed by every other service's events."""

from __future__ import annotations

from pathlib import Path

from ktxh.reporting.v1 import reporting_pb2
from ktxh_reporting.adapters import projections, tables
from ktxh_reporting.adapters.org_unit_projection import HANDLERS
from ktxh_reporting.entrypoints.grpc_api import ORG_UNITS_GROUP, register
from ktxh_platform.messaging import no_events
from ktxh_platform.runtime import ConsumerSpec, ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="reporting",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].full_name],
        register=register,
        translate=no_events,
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
        ],
    )
