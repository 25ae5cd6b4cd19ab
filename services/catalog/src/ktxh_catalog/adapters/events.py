"""The catalog's one event translator: what an aggregate recorded, as the protobuf event
published for it (``proto/ktxh/catalog/v1/events.proto``).

Called at commit by the unit of work for every event the aggregates of the transaction
recorded, with the ``References`` of that transaction (item events show the ids of the items
they refer to by code, including items created in the same transaction).
"""

from __future__ import annotations

from typing import Any

from ktxh.catalog.v1 import events_pb2
from ktxh_catalog.adapters.item_wire import KINDS, item_to_pb
from ktxh_catalog.adapters.org_unit_wire import org_unit_to_pb
from ktxh_catalog.domain.org_units import OrgUnitCreated, OrgUnitMoved, OrgUnitUpdated
from ktxh_catalog.domain.references import References
from ktxh_catalog.domain.versioning import ItemCreated, ItemEvent, ItemRetired, ItemRevised
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent


def translate_event(
    event: DomainEvent, refs: References | None = None, province: str = ""
) -> OutgoingEvent:
    """``refs`` and ``province`` are bound by the unit of work at commit; item events need
    them (org-unit events carry everything they show)."""
    match event:
        case OrgUnitCreated(unit=u):
            message: Any = events_pb2.OrgUnitCreated(unit=org_unit_to_pb(u))
        case OrgUnitUpdated(unit=u, before=b):
            message = events_pb2.OrgUnitUpdated(unit=org_unit_to_pb(u), before=org_unit_to_pb(b))
        case OrgUnitMoved(unit=u, old_parent_id=old):
            message = events_pb2.OrgUnitMoved(unit=org_unit_to_pb(u), old_parent_id=old or "")
        case ItemEvent():
            if refs is None:
                raise TypeError("catalog item events are translated with the transaction's "
                                "references (CatalogUnitOfWork.event_translator)")
            return _item_event(event, refs, province)
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("org_unit", u.id, u.version, message)


def _item_event(event: ItemEvent, refs: References, province: str) -> OutgoingEvent:
    item = event.item
    assert item is not None, "item events are recorded by VersionedItem"
    prefix, name = KINDS[event.kind]
    now = item_to_pb(event.kind, item, item.versions[event.version - 1], refs, province,
                     event.version)
    if isinstance(event, ItemCreated):
        message = getattr(events_pb2, f"{prefix}Created")(**{name: now})
    elif isinstance(event, ItemRevised):
        before = item_to_pb(event.kind, item, item.versions[event.version - 2], refs, province,
                            event.version - 1)
        message = getattr(events_pb2, f"{prefix}Updated")(**{
            name: now, "before": before, "effective_from": event.effective_from.isoformat(),
            "reason": event.reason, "changed_fields": list(event.changed_fields),
        })
    elif isinstance(event, ItemRetired):
        message = getattr(events_pb2, f"{prefix}Retired")(**{
            name: now, "reason": event.reason,
            "effective_from": event.effective_from.isoformat(),
        })
    else:
        raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent(event.kind, item.id, event.version, message)
