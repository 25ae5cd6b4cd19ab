"""Create/Update requests as the service layer's ``Definition``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from ktxh_platform.domain import InvalidArgument

from ktxh_catalog.adapters.item_wire.dispatch import item_from_pb, item_to_pb
from ktxh_catalog.domain.references import RefMaps

# Fields that only echo what the server resolves from codes; ignored on update (send codes).
_ECHO_FIELDS: dict[str, tuple[str, ...]] = {
    "indicator": ("numerator_indicator_id", "denominator_indicator_id", "weight_indicator_id"),
    "indicator_set": ("calendar_id",),
    "key_task": ("indicator_ids",),
    "thematic_plan": ("key_task_ids", "indicator_ids", "indicator_set_id"),
    "period_target": ("indicator_id", "org_unit_id"),
    "report_template": ("indicator_set_id", "columns"),
}


def _strip_echoes(kind: str, message: Message) -> None:
    for name in _ECHO_FIELDS.get(kind, ()):
        message.ClearField(name)
    if kind == "indicator_set":
        for item in message.items:  # type: ignore[attr-defined]
            item.ClearField("indicator_id")
    elif kind == "criteria_set":
        for c in message.criteria:  # type: ignore[attr-defined]
            c.ClearField("indicator_id")
    elif kind == "report_template":
        for s in message.sections:  # type: ignore[attr-defined]
            s.ClearField("indicator_ids")
            for row in s.rows:
                row.ClearField("indicator_id")


@dataclass
class MessageDefinition:
    """An item's definition as a Create/Update request carries it (``service_layer.items.
    Definition``). For an update, the fields named by ``update_mask`` replace those of the
    latest revision (all fields when it is empty); ids that only echo codes are ignored."""

    kind: str
    message: Message
    update_mask: field_mask_pb2.FieldMask | None = None

    def decode(self, refs: RefMaps, current: Any) -> Any:
        merged = type(self.message)()
        if current is not None and self.update_mask is not None and self.update_mask.paths:
            if not self.update_mask.IsValidForDescriptor(self.message.DESCRIPTOR):
                raise InvalidArgument.single("update_mask", "Danh sách trường cần sửa không hợp lệ")
            merged.CopyFrom(item_to_pb(self.kind, current.item, current.ver, refs, ""))
            _strip_echoes(self.kind, merged)
            self.update_mask.MergeMessage(self.message, merged, replace_message_field=True,
                                          replace_repeated_field=True)
        else:
            merged.CopyFrom(self.message)
            if current is not None:
                _strip_echoes(self.kind, merged)
        if current is not None and not merged.code:  # type: ignore[attr-defined]
            merged.code = current.item.code  # type: ignore[attr-defined]
        return item_from_pb(self.kind, merged, refs)
