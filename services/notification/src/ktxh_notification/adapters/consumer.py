"""The inbox consumer: each event of a `Source` is mapped to notices and stored by the
`deliver` use case inside the platform consumer's transaction (with the inbox row), so a
redelivered event changes nothing. One consumer group (`notification.notices`) reads every
source's topic."""

from __future__ import annotations

from google.protobuf.message import Message
from ktxh.common.v1 import envelope_pb2
from ktxh_platform.messaging import EventHandler
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_notification.adapters.sources import Mapping, Source
from ktxh_notification.adapters.unit_of_work import ConsumerUnitOfWork
from ktxh_notification.service_layer.notifications import deliver

GROUP = "notices"


def _handler(mapping: Mapping, province_code: str) -> EventHandler:
    async def handle(session: AsyncSession, message: Message, envelope: envelope_pb2.EventEnvelope) -> None:
        uow = ConsumerUnitOfWork(session, province_code)
        await deliver(await mapping(message, envelope, uow.units), uow)

    return handle


def handlers(sources: list[Source], province_code: str) -> dict[type[Message], EventHandler]:
    return {
        cls: _handler(mapping, province_code)
        for source in sources for cls, mapping in source.mappings.items()
    }


def topics(sources: list[Source]) -> list[tuple[str, str]]:
    return [(s.service, s.aggregate) for s in sources]

