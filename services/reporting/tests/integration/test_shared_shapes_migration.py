"""Migrations ``reporting_0102`` and ``reporting_0103`` on SQLite and PostgreSQL: a read model
written before them keeps its units and facts in the platform's shapes (an open validity is
NULL, figure keys spelt ``/kind`` as the code writes them), the unit is still in scope, and the
downgrade restores what was there."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from ktxh_platform.access import Scope
from ktxh_platform.db import Database
from ktxh_reporting.adapters import tables
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.domain.rollups import FigureRef

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


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


@pytest.fixture(params=["sqlite", "postgresql"])
async def old_db(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="reporting")
    await _alembic(db, command.upgrade, "reporting_0101")
    async with db.engine.begin() as conn:
        await conn.execute(sa.text(
            "INSERT INTO org_units_rm (id, code, name, kind, parent_id, province_code, valid_from,"
            " valid_to, version, events_applied, successor_ids) VALUES"
            " ('u1', '10846', 'Xã Hà Tây', 'commune', NULL, '31', '', '', 2, 2, '[]')"))
        await conn.execute(sa.text(
            "INSERT INTO facts (submission_id, figure_key, indicator_code, kind, org_unit_id,"
            " period_code, province_code, value, text_value, updated_at) VALUES"
            " ('s1', 'GRDP[price_basis=comparative]#actual', 'GRDP', 'actual', 'u1', '2026-M10',"
            " '31', '12.5', '', :now)"), {"now": NOW})
    yield db
    await db.dispose()


async def test_units_and_facts_keep_their_rows_in_the_shared_shapes(old_db: Database):
    await _alembic(old_db, command.upgrade, "head")
    async with old_db.sessions() as s:
        unit = await ReadModel(s).unit(Scope(province="31", unit_code="10846"), unit_id="u1")
        row = (await s.execute(sa.select(tables.org_units_rm.c.valid_from,
                                         tables.org_units_rm.c.valid_to))).one()
        key = await s.scalar(sa.select(tables.facts.c.figure_key))
    assert unit is not None and (unit.code, unit.name) == ("10846", "Xã Hà Tây")
    assert tuple(row) == (None, None) and unit.valid_on("2026-11-30")  # '' was open: still open
    assert key == FigureRef("GRDP", (("price_basis", "comparative"),)).text
    assert key == "GRDP[price_basis=comparative]/actual"

    await _alembic(old_db, command.downgrade, "reporting_0101")
    async with old_db.engine.connect() as conn:
        unit_row = (await conn.execute(sa.text(
            "SELECT valid_from, valid_to, name, events_applied FROM org_units_rm"))).one()
        key = (await conn.execute(sa.text("SELECT figure_key FROM facts"))).scalar()
    assert tuple(unit_row)[:3] == ("", "", "Xã Hà Tây")
    assert key == "GRDP[price_basis=comparative]#actual"
