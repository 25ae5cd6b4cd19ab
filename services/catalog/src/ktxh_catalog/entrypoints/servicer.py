"""The catalog's gRPC service: the org-unit rpcs and the item rpcs, each half in its own
module, sharing nothing but the unit-of-work factory the composition root gives them."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from ktxh.catalog.v1 import catalog_pb2_grpc
from ktxh_catalog.entrypoints.items_grpc import ItemRpcs
from ktxh_catalog.entrypoints.org_units_grpc import OrgUnitRpcs
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork


class CatalogServicer(OrgUnitRpcs, ItemRpcs, catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, uow: Callable[..., CatalogUnitOfWork], province_code: str) -> None:
        self._uow = uow  # (actor="") -> a new unit of work
        self._province = province_code


def add_to_server(servicer: CatalogServicer, server: grpc.aio.Server) -> None:
    catalog_pb2_grpc.add_CatalogServiceServicer_to_server(servicer, server)
