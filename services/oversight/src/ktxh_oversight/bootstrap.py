"""Composition root of the oversight service (foundation: database, topics, health; API to come)."""

from __future__ import annotations

from pathlib import Path

from ktxh_oversight.adapters import tables
from ktxh_platform.runtime import ServiceDefinition, foundation_definition


def definition() -> ServiceDefinition:
    return foundation_definition(
        "oversight",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        aggregates=["comment", "oversight_report"],
    )
