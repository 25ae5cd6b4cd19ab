"""What a source of notices is: its topic and one mapping function per event type."""

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

