"""Composition root of the assignment service (foundation: database, topics, health; API to come)."""

from __future__ import annotations

from pathlib import Path

from ktxh_assignment.adapters import tables
from ktxh_platform.runtime import ServiceDefinition, foundation_definition


def definition() -> ServiceDefinition:
    return foundation_definition(
        "assignment",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        aggregates=["decision", "assignment"],
    )
