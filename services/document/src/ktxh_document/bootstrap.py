"""Composition root of the document service (foundation: database, topics, health; API to come)."""

from __future__ import annotations

from pathlib import Path

from ktxh_document.adapters import tables
from ktxh_platform.runtime import ServiceDefinition, foundation_definition


def definition() -> ServiceDefinition:
    return foundation_definition(
        "document",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        aggregates=["document"],
        uses_object_store=True,
    )
