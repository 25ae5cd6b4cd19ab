"""Composition root of the document service.

Foundation only: the service owns its database (outbox, inbox), serves gRPC health and
reflection, and creates its topics; its API arrives with its own issue.
"""

from __future__ import annotations

from pathlib import Path

import grpc

from ktxh_document.adapters import tables
from ktxh_platform.messaging import no_events
from ktxh_platform.runtime import ServiceContext, ServiceDefinition


def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
    """No API servicer yet: only health and reflection are served."""


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="document",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[],
        register=register,
        translate=no_events,
        aggregates=["document"],
        uses_object_store=True,
    )
