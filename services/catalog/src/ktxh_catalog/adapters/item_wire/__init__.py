"""Translation between the catalog domain (versioned items) and protobuf: gRPC messages,
events, and field paths of violations.

References are codes in the domain; the messages carry the codes and, for convenience, the
ids (resolved through ``RefMaps``). Domain field names differ from proto names here and
there (``unit`` -> ``unit_of_measure``, ``members`` -> ``items``...): ``remap_path`` turns
a domain violation path into the path of the message field, so the gateway can name the
form field.
"""

from ktxh_catalog.adapters.item_wire.base import (
    STAGES,
    frequency_from_pb,
    span,
    unit_kind_from_pb,
)
from ktxh_catalog.adapters.item_wire.dispatch import KINDS, item_from_pb, item_to_pb
from ktxh_catalog.adapters.item_wire.paths import message_paths, remap_path
from ktxh_catalog.adapters.item_wire.periods import period_from_pb, period_to_pb
from ktxh_catalog.adapters.item_wire.requests import MessageDefinition

__all__ = [
    "KINDS", "STAGES", "MessageDefinition", "frequency_from_pb", "item_from_pb", "item_to_pb",
    "message_paths", "period_from_pb", "period_to_pb", "remap_path", "span", "unit_kind_from_pb",
]
