"""The document service's replica of the catalog's org-unit tree (table `org_units`), fed by the
catalog's org-unit events in consumer group `document.org_units`: the shared consumer of
`ktxh_platform.org_units`."""

from __future__ import annotations

from ktxh_platform.org_units import GROUP, OrgUnitReplica

from ktxh_document.adapters.tables import org_units

REPLICA = OrgUnitReplica(org_units)
HANDLERS = REPLICA.handlers
apply_unit = REPLICA.apply_unit

__all__ = ["GROUP", "HANDLERS", "apply_unit"]
