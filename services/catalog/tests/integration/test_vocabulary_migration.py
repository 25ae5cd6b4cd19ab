"""Migration ``catalog_0003`` (one vocabulary) on SQLite and PostgreSQL: revisions stored in
the old shape (``unit``, ``unit_aggregation: "ratio_of_sums"``, ``sector``...) read back under
the proto / REST names after the upgrade, their history keeps its changed fields under the new
names, and the downgrade restores the old shape."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ktxh_catalog.adapters import tables
from ktxh_catalog.adapters.unit_of_work import SqlCatalogUnitOfWork
from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.domain.indicators import Frequency, Polarity, SpatialAggregation, TimeAggregation
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

OLD_RATIO: dict[str, Any] = {
    "code": "HP.OLD.TL", "name": "Tỷ lệ hộ nghèo", "unit": "%", "value_type": "percent",
    "frequencies": ["year", "five_year"], "unit_aggregation": "ratio_of_sums",
    "time_aggregation": "recompute", "polarity": "lower_better", "weight_indicator": None,
    "numerator": "HP.OLD.NGHEO", "denominator": "HP.OLD.HO", "scale": "100",
    "lower_bound": None, "upper_bound": None, "dimensions": [], "formula": None,
    "sector": "Xã hội", "group": "XIII", "decimals": 2, "description": "",
}
OLD_COUNT: dict[str, Any] = {
    "code": "HP.OLD.HTX", "name": "Hợp tác xã", "unit": "HTX", "value_type": "integer",
    "frequencies": ["year"], "unit_aggregation": "sum", "time_aggregation": "last",
    "polarity": "higher_better", "weight_indicator": None, "numerator": None,
    "denominator": None, "scale": None, "lower_bound": None, "upper_bound": None,
    "dimensions": [{"code": "status", "name": "Tình trạng", "members": [
        {"code": "active", "name": "Đang hoạt động", "unit": None, "value_type": None,
         "time_aggregation": "last"},
        {"code": "capital", "name": "Vốn điều lệ", "unit": "triệu đồng", "value_type": "money",
         "time_aggregation": "sum"}]}],
    "formula": None, "sector": "", "group": "", "decimals": None, "description": "",
}


@pytest.fixture(params=["sqlite", "postgresql"])
async def old_db(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="catalog")
    await _alembic(db, command.upgrade, "catalog_0002")
    yield db
    await db.dispose()


async def _alembic(db: Database, step: Any, target: str) -> None:
    def run(conn: sa.Connection) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes.update(connection=conn, target_metadata=tables.metadata, schema=db.schema)
        step(cfg, target)

    async with db.engine.begin() as conn:
        if db.schema and not db.is_sqlite:
            await conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))
        await conn.run_sync(run)


async def _write_old(db: Database) -> None:
    """Two indicators as the catalog stored them before: the ratio with a revision that
    changed its aggregation, sector and unit."""
    first = dict(OLD_RATIO, unit_aggregation="sum", sector="", unit="hộ",
                 time_aggregation="sum", numerator=None, denominator=None, scale=None,
                 value_type="integer")
    async with db.engine.begin() as conn:
        for item_id, payload in (("id-ratio", OLD_RATIO), ("id-count", OLD_COUNT)):
            await conn.execute(tables.catalog_items.insert().values(
                id=item_id, kind="indicator", code=payload["code"], province_code="31",
                name=payload["name"], version=2 if item_id == "id-ratio" else 1, retired=False,
                search_text=payload["code"], created_at=NOW, updated_at=NOW))
        rows = [
            ("id-ratio", 1, "created", first, {}),
            ("id-ratio", 2, "revised", OLD_RATIO, {
                "unit_aggregation": ["sum", "ratio_of_sums"], "sector": ["", "Xã hội"],
                "unit": ["hộ", "%"], "time_aggregation": ["sum", "recompute"],
                "numerator": [None, "HP.OLD.NGHEO"]}),
            ("id-count", 1, "created", OLD_COUNT, {}),
        ]
        for item_id, number, action, payload, changes in rows:
            await conn.execute(tables.catalog_item_versions.insert().values(
                item_id=item_id, number=number, action=action,
                effective_from=date(2026, number, 1), effective_to=None, retired=False,
                author="ke_hoach", recorded_at=NOW, reason="", payload=payload,
                changes=changes, search_text=payload["code"]))


async def _stored(db: Database, item_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    v = tables.catalog_item_versions
    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(v.c.payload, v.c.changes)
                                   .where(v.c.item_id == item_id).order_by(v.c.number))).all()
    return [(r.payload, r.changes) for r in rows]


async def test_old_revisions_read_under_the_one_vocabulary(old_db: Database):
    await _write_old(old_db)
    await _alembic(old_db, command.upgrade, "head")

    messaging = MessagingContext("catalog", "31", "", tables.outbox, translate_event)
    async with SqlCatalogUnitOfWork(old_db, messaging, "tester") as uow:
        ratio = (await uow.items.get("id-ratio")).versions[-1].payload
        count = (await uow.items.get("id-count")).versions[-1].payload
    assert ratio.unit_of_measure == "%" and ratio.field == "Xã hội" and ratio.group_code == "XIII"
    assert ratio.spatial_aggregation is SpatialAggregation.RATIO
    assert ratio.time_aggregation is TimeAggregation.RATE
    assert ratio.polarity is Polarity.LOWER_IS_BETTER
    assert (ratio.numerator_code, ratio.denominator_code) == ("HP.OLD.NGHEO", "HP.OLD.HO")
    assert ratio.frequencies == (Frequency.YEAR, Frequency.PLAN_PERIOD)
    assert count.time_aggregation is TimeAggregation.STOCK
    active, capital = count.dimensions[0].members
    assert active.time_aggregation is TimeAggregation.STOCK
    assert capital.unit_of_measure == "triệu đồng" and capital.time_aggregation is TimeAggregation.FLOW

    (first, _), (second, changes) = await _stored(old_db, "id-ratio")
    assert first["spatial_aggregation"] == "sum" and first["time_aggregation"] == "flow"
    assert "unit" not in second and second["unit_of_measure"] == "%"
    assert changes == {
        "spatial_aggregation": ["sum", "ratio"], "field": ["", "Xã hội"],
        "unit_of_measure": ["hộ", "%"], "time_aggregation": ["flow", "rate"],
        "numerator_code": [None, "HP.OLD.NGHEO"]}


async def test_downgrade_restores_the_old_shape(old_db: Database):
    await _write_old(old_db)
    before = await _stored(old_db, "id-ratio"), await _stored(old_db, "id-count")
    await _alembic(old_db, command.upgrade, "head")
    await _alembic(old_db, command.downgrade, "catalog_0002")
    assert (await _stored(old_db, "id-ratio"), await _stored(old_db, "id-count")) == before
