"""Where notices come from: one module per publishing service, each with one mapping function
per event type (event → the `NoticeDraft`s it says to units). Adding another service's events
is adding its module's `SOURCE` to `SOURCES`; adding an event is one function in its map.

A mapping is ``async (message, envelope, units) -> list[NoticeDraft]``: pure apart from
looking a unit's name up in the service's replica (`units.name(id)`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import Message

from ktxh.common.v1 import envelope_pb2
from ktxh_notification.domain.notices import NoticeDraft
from ktxh_notification.service_layer.unit_of_work import UnitDirectory

Mapping = Callable[[Any, envelope_pb2.EventEnvelope, UnitDirectory], Awaitable[list[NoticeDraft]]]


@dataclass(frozen=True)
class Source:
    """The events of one publishing service's topic that become notices."""

    service: str
    aggregate: str  # names the topic: ktxh.<service>.<aggregate>.v1
    mappings: dict[type[Message], Mapping]


def occurred_at(envelope: envelope_pb2.EventEnvelope) -> datetime:
    if envelope.HasField("occurred_at"):
        return envelope.occurred_at.ToDatetime(tzinfo=UTC)
    return datetime.now(UTC)


def sources() -> list[Source]:
    from ktxh_notification.adapters.sources import assignment

    return [assignment.SOURCE]
