"""The document service's one event translator: what a document recorded, as the protobuf
event published for it (``proto/ktxh/document/v1/events.proto``). Called at commit by the unit
of work for every event the aggregates of the transaction recorded."""

from __future__ import annotations

from ktxh.document.v1 import events_pb2
from ktxh_document.adapters.wire import document_to_pb, verification_to_pb
from ktxh_document.domain.documents import DocumentStored, DocumentVerified
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent


def translate_event(event: DomainEvent) -> OutgoingEvent:
    match event:
        case DocumentStored(document=d, version_number=n):
            message = events_pb2.DocumentStored(document=document_to_pb(d), version_number=n)
        case DocumentVerified(document=d, version_number=n):
            v = d.version_no(n).verification
            assert v is not None
            message = events_pb2.DocumentVerified(
                document=document_to_pb(d), verification=verification_to_pb(d.id, n, v)
            )
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("document", d.id, d.version, message)
