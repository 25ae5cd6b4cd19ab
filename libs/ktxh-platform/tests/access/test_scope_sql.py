"""Scope predicates in SQL on SQLite and PostgreSQL: a unit tree with a 2025 merge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter

metadata = sa.MetaData()
units = sa.Table(
    "units", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(40)),
    sa.Column("kind", sa.String(20)),
    sa.Column("parent_id", sa.String(36)),
    sa.Column("province_code", sa.String(10)),
    sa.Column("successor_ids", sa.JSON),
)
figures = sa.Table(
    "figures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.String(36)),
    sa.Column("province_code", sa.String(10)),
)

# code, kind, parent code, province, successor codes
TREE = [
    ("31", "province", None, "31", []),
    ("31.STC", "agency", "31", "31", []),
    ("31.MTTQ", "front", "31", "31", []),
    ("D01", "district", "31", "31", []),
    ("OLD1", "commune", "D01", "31", ["10846"]),  # merged into Xã Hà Tây in 2025
    ("OLD1.PKT", "office", "OLD1", "31", []),
    ("10846", "commune", "31", "31", []),
    ("10846.PKT", "office", "10846", "31", []),
    ("10846.VP", "office", "10846", "31", []),
    ("10847", "commune", "31", "31", []),  # a sibling commune
    ("10847.PKT", "office", "10847", "31", []),
    ("01", "province", None, "01", []),  # another province
    ("01.X", "commune", "01", "01", []),
]


def _id(code: str) -> str:
    return f"id-{code}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[sa.ext.asyncio.AsyncEngine]:
    url = (f"sqlite+aiosqlite:///{tmp_path / 'scope.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_database"))
    eng = create_async_engine(url)
    async with eng.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.execute(sa.insert(units), [
            {"id": _id(c), "code": c, "kind": k, "parent_id": _id(p) if p else None,
             "province_code": pv, "successor_ids": [_id(s) for s in succ]}
            for c, k, p, pv, succ in TREE
        ])
        await conn.execute(sa.insert(figures), [
            {"id": i, "unit_id": _id(c), "province_code": pv} for i, (c, _, _, pv, _) in enumerate(TREE)
        ])
    yield eng
    await eng.dispose()


async def _codes(engine, scope: Scope, table: sa.Table = units) -> set[str]:
    if table is units:
        where = scope_filter(scope, province=units.c.province_code, unit_id=units.c.id, units=units)
        query = sa.select(units.c.code).where(where)
    else:
        where = scope_filter(scope, province=figures.c.province_code, unit_id=figures.c.unit_id,
                             units=units)
        query = sa.select(figures.c.unit_id).where(where)
    async with engine.connect() as conn:
        return {r.removeprefix("id-") for r in (await conn.execute(query)).scalars()}


async def test_province_scope_is_the_province(engine):
    assert await _codes(engine, Scope("31")) == {c for c, *_, pv, _ in TREE if pv == "31"}
    assert await _codes(engine, Scope("01")) == {"01", "01.X"}


async def test_an_office_user_reaches_their_commune_its_offices_and_merged_history(engine):
    scope = Scope("31", "10846.PKT")
    assert await _codes(engine, scope, figures) == {
        "10846", "10846.PKT", "10846.VP", "OLD1", "OLD1.PKT"}
    with_chain = Scope("31", "10846.PKT", ancestors=True)
    assert await _codes(engine, with_chain) == {
        "31", "10846", "10846.PKT", "10846.VP", "OLD1", "OLD1.PKT"}  # no sibling, no D01


async def test_own_office_only(engine):
    assert await _codes(engine, Scope("31", "10846.PKT", home=False), figures) == {"10846.PKT"}


async def test_the_province_front_reaches_its_level(engine):
    reach = await _codes(engine, Scope("31", "31.MTTQ"), figures)
    assert "10847" in reach and "01.X" not in reach


async def test_a_unit_code_of_another_province_reaches_nothing(engine):
    assert await _codes(engine, Scope("31", "01.X"), figures) == set()
    assert await _codes(engine, Scope("01", "10846"), figures) == set()
