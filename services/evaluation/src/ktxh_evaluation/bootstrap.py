"""Composition root of the evaluation service (foundation: database, topics, health; API to come)."""

from __future__ import annotations

from pathlib import Path

from ktxh_evaluation.adapters import tables
from ktxh_platform.runtime import ServiceDefinition, foundation_definition


def definition() -> ServiceDefinition:
    return foundation_definition(
        "evaluation",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        aggregates=["evaluation"],
    )
