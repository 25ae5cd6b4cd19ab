"""Translation between the org-unit domain and protobuf messages."""

from __future__ import annotations

from google.protobuf import timestamp_pb2

from ktxh.catalog.v1 import catalog_pb2
from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitKind, OrgUnitNode

KIND_TO_PB = {k: catalog_pb2.OrgUnitKind.Value(f"ORG_UNIT_KIND_{k.name}") for k in OrgUnitKind}
PB_TO_KIND = {v: k for k, v in KIND_TO_PB.items()}


def kind_from_pb(value: int) -> str:
    kind = PB_TO_KIND.get(value)  # type: ignore[call-overload]
    return kind.value if kind else ""


def org_unit_to_pb(u: OrgUnit) -> catalog_pb2.OrgUnit:
    updated = timestamp_pb2.Timestamp()
    updated.FromDatetime(u.updated_at)
    return catalog_pb2.OrgUnit(
        id=u.id, code=u.code, name=u.name, kind=KIND_TO_PB[u.kind], parent_id=u.parent_id or "",
        province_code=u.province_code, valid_from=u.valid_from.isoformat(),
        valid_to=u.valid_to.isoformat() if u.valid_to else "", version=u.version,
        successor_ids=u.successor_ids, short_name=u.short_name, updated_at=updated,
    )


def node_to_pb(node: OrgUnitNode) -> catalog_pb2.OrgUnitNode:
    return catalog_pb2.OrgUnitNode(
        unit=org_unit_to_pb(node.unit), children=[node_to_pb(c) for c in node.children]
    )
