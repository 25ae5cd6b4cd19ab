"""Composition root of the evaluation service: database, the evidence peers (catalog,
assignment, reporting), rules, and the consumers of the catalog's unit tree and the
submission events (report timeliness)."""

from __future__ import annotations

from pathlib import Path

from ktxh.evaluation.v1 import evaluation_pb2
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition

from ktxh_evaluation.adapters import org_unit_replica, report_replica, tables
from ktxh_evaluation.adapters.events import translate_event
from ktxh_evaluation.adapters.peers import GrpcEvidence
from ktxh_evaluation.adapters.unit_of_work import SqlEvaluationUnitOfWork
from ktxh_evaluation.entrypoints.grpc_api import EvaluationComponents, register
from ktxh_evaluation.service_layer.evaluations import EvaluationRules
from ktxh_evaluation.settings import EvaluationSettings


def build_components(ctx: ServiceContext, settings: EvaluationSettings) -> EvaluationComponents:
    def uow(actor: str = "") -> SqlEvaluationUnitOfWork:
        return SqlEvaluationUnitOfWork(ctx.db, ctx.messaging, actor)

    return EvaluationComponents(
        uow=uow,
        evidence=GrpcEvidence(settings.catalog_addr, settings.assignment_addr, settings.reporting_addr),
        rules=EvaluationRules(review_days=settings.review_days),
    )


def definition() -> ServiceDefinition:
    settings = EvaluationSettings()

    def _register(server, ctx: ServiceContext) -> None:
        register(server, build_components(ctx, settings))

    return ServiceDefinition(
        name="evaluation",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[evaluation_pb2.DESCRIPTOR.services_by_name["EvaluationService"].full_name],
        register=_register,
        translate=translate_event,
        aggregates=["evaluation"],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            ),
            ConsumerSpec(
                group=report_replica.GROUP, sources=[("submission", "submission")],
                build=lambda ctx: report_replica.HANDLERS,
            ),
        ],
    )
