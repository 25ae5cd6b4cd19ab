"""Translation between the catalog domain (versioned items) and protobuf: gRPC messages
and events.

References are codes in the domain; the messages carry the codes and, for convenience, the
ids (resolved through ``RefMaps``). Domain fields have the message's names and shape, so a
violation's path (``items[3].frequencies``, ``rules[0].due.day``) is already the path of the
message field, and of the REST body's: the gateway names the form field without translation.
"""

from ktxh_catalog.adapters.item_wire.base import (
    STAGES,
    frequency_from_pb,
    span,
    unit_kind_from_pb,
)
from ktxh_catalog.adapters.item_wire.dispatch import KINDS, item_from_pb, item_to_pb
from ktxh_catalog.adapters.item_wire.periods import period_from_pb, period_to_pb
from ktxh_catalog.adapters.item_wire.requests import MessageDefinition

__all__ = [
    "KINDS", "STAGES", "MessageDefinition", "frequency_from_pb", "item_from_pb", "item_to_pb",
    "period_from_pb", "period_to_pb", "span", "unit_kind_from_pb",
]
