"""Composition root of the catalog service: which adapters, which handlers, which topics."""

from __future__ import annotations

from pathlib import Path

import grpc

from ktxh.catalog.v1 import catalog_pb2
from ktxh_catalog.adapters import tables
from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.adapters.unit_of_work import SqlCatalogUnitOfWork
from ktxh_catalog.entrypoints.servicer import CatalogServicer, add_to_server
from ktxh_catalog.service_layer.items import load_demo_catalog
from ktxh_catalog.service_layer.official_units import (
    REFORM_DATE,
    load_demo_province,
    load_units,
    official_units,
)
from ktxh_platform.runtime import ServiceContext, ServiceDefinition

CATALOG_AGGREGATES = [
    "org_unit", "indicator", "indicator_set", "key_task", "thematic_plan", "criteria_set",
    "period_target", "report_template", "calendar",
]


def _uow_factory(ctx: ServiceContext):  # noqa: ANN202
    def make(actor: str = "") -> SqlCatalogUnitOfWork:
        return SqlCatalogUnitOfWork(ctx.db, ctx.messaging, actor)

    return make


def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
    add_to_server(CatalogServicer(_uow_factory(ctx), ctx.messaging.province_code), server)


async def _on_start(ctx: ServiceContext) -> None:
    if ctx.settings.demo_data:
        await load_demo_province(
            lambda: SqlCatalogUnitOfWork(ctx.db, ctx.messaging, "system"), ctx.settings.province_code
        )
        # the Decision 2081 catalogs (indicators, set, calendar, criteria, tasks, plan,
        # targets, report frame); items that already exist are left as they are
        await load_demo_catalog(SqlCatalogUnitOfWork(ctx.db, ctx.messaging, "system"))


async def _import_units(ctx: ServiceContext) -> str:
    """``ktxh-catalog import-units``: the deployment's province and all its communes, from the
    official list (PyPI vietnam-provinces); existing codes are left as they are."""

    specs = official_units(ctx.settings.province_code)
    created = await load_units(SqlCatalogUnitOfWork(ctx.db, ctx.messaging, "import"), specs, REFORM_DATE)
    return f"{specs[0].name}: {created} đơn vị mới, {len(specs) - created} đã có"


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="catalog",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"].full_name],
        register=register,
        translate=translate_event,
        aggregates=CATALOG_AGGREGATES,
        on_start=_on_start,
        commands={"import-units": ("import the province's official units", _import_units)},
    )
