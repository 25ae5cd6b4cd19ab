"""The tables every service shares the shape of: the org-unit replica fed by catalog events (and
the questions services ask it), the Idempotency-Key table, with the migration that moves an older key table to the shared shape
without losing a row. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2

from ktxh_platform import migration_ops
from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository, idempotency_table
from ktxh_platform.access import Scope
from ktxh_platform.org_units import OrgUnitQueries, OrgUnitReplica, ReplicaUnit, org_unit_table


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request, tmp_path: Path):
    url = (f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_database"))
    database = Database(url)
    yield database
    await database.dispose()


async def _migrate(db: Database, step) -> None:
    def run(conn: sa.Connection) -> None:
        with Operations.context(MigrationContext.configure(conn)):
            step()

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


def _unit(version: int, name: str, **kw) -> catalog_pb2.OrgUnit:
    return catalog_pb2.OrgUnit(
        id="u1", code="10846", name=name, kind=catalog_pb2.ORG_UNIT_KIND_COMMUNE,
        parent_id="p", province_code="31", version=version, **kw,
    )


async def test_replica_applies_each_unit_event_once_and_never_rolls_back(db: Database):
    units = org_unit_table(sa.MetaData(), "units_replica")
    await _migrate(db, lambda: migration_ops.create_org_unit_table("units_replica"))
    replica = OrgUnitReplica(units)
    envelope = envelope_pb2.EventEnvelope()
    async with db.sessions() as s, s.begin():
        created = events_pb2.OrgUnitCreated(unit=_unit(1, "Xã Hà Tây"))
        await replica.handlers[events_pb2.OrgUnitCreated](s, created, envelope)
        merged = events_pb2.OrgUnitUpdated(unit=_unit(
            3, "Xã Hà Tây", successor_ids=["u2"], valid_from="2025-07-01", valid_to="2026-06-30"))
        await replica.handlers[events_pb2.OrgUnitUpdated](s, merged, envelope)
        stale = events_pb2.OrgUnitMoved(unit=_unit(2, "Tên cũ"))
        await replica.handlers[events_pb2.OrgUnitMoved](s, stale, envelope)
    async with db.sessions() as s:
        row = (await s.execute(sa.select(units))).one()
    assert (row.code, row.name, row.kind, row.parent_id, row.province_code) == (
        "10846", "Xã Hà Tây", "commune", "p", "31")
    assert (row.version, row.successor_ids) == (3, ["u2"])
    assert (row.valid_from, row.valid_to) == ("2025-07-01", "2026-06-30")


def _tree() -> list[catalog_pb2.OrgUnit]:
    """Province 31 > communes A and B (C merged into A) > A's office; province 01 > D, also coded A."""
    def u(id_, code, kind, parent="", province="31", successors=()):
        return catalog_pb2.OrgUnit(id=id_, code=code, name=code, kind=kind, parent_id=parent,
                                   province_code=province, version=1, successor_ids=successors)
    return [
        u("p", "31", catalog_pb2.ORG_UNIT_KIND_PROVINCE),
        u("a", "A", catalog_pb2.ORG_UNIT_KIND_COMMUNE, "p"),
        u("b", "B", catalog_pb2.ORG_UNIT_KIND_COMMUNE, "p"),
        u("c", "C", catalog_pb2.ORG_UNIT_KIND_COMMUNE, "p", successors=["a"]),
        u("o", "A.PKT", catalog_pb2.ORG_UNIT_KIND_OFFICE, "a"),
        u("d", "A", catalog_pb2.ORG_UNIT_KIND_COMMUNE, "", "01"),
    ]


async def test_scope_questions_are_answered_in_sql(db: Database):
    units = org_unit_table(sa.MetaData(), "units_replica")
    await _migrate(db, lambda: migration_ops.create_org_unit_table("units_replica"))
    async with db.sessions() as s, s.begin():
        for unit in _tree():
            await OrgUnitReplica(units).apply_unit(s, unit)
    office = Scope(province="31", unit_code="A.PKT")  # an office's users see their commune
    async with db.sessions() as s:
        q = OrgUnitQueries(s, units)
        assert await q.by_code("31", "A") == ReplicaUnit("a", "A", "commune", "p", "A")
        assert await q.by_code("01", "A") == ReplicaUnit("d", "A", "commune", None, "A")
        assert await q.by_id("01", "a") is None
        assert await q.kinds("31", ["a", "o", "d", "zz"]) == {"a": "commune", "o": "office"}
        assert [await q.in_scope(office, i) for i in ("a", "c", "o", "b", "p", "d")] == [
            True, True, True, False, False, False]
        assert await q.in_scope(Scope(province="31"), "b") and not await q.in_scope(Scope(province="31"), "d")
        assert await q.codes_in_scope(office, ["A", "C", "B", "31", "A.PKT"]) == {"A", "C", "A.PKT"}
        assert await q.codes_in_scope(Scope(province="31", unit_code="A", opened_only=True), ["A"]) == set()


async def test_an_old_key_table_keeps_every_row_in_the_shared_shape(db: Database):
    created = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    async with db.engine.begin() as conn:  # the shape document/assignment/oversight had
        old = sa.Table(
            "idempotency_keys", sa.MetaData(),
            sa.Column("key", sa.String(200), primary_key=True),
            sa.Column("actor", sa.String(200), primary_key=True),
            sa.Column("request_hash", sa.String(64), nullable=False),
            sa.Column("resource_id", sa.String(36), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        await conn.run_sync(old.metadata.create_all)
        await conn.execute(sa.insert(old), [
            {"key": "k1", "actor": "alice", "request_hash": "h1", "resource_id": "doc-1",
             "created_at": created},
            {"key": "k1", "actor": "bob", "request_hash": "h2", "resource_id": "doc-2",
             "created_at": created},
        ])
    await _migrate(db, migration_ops.adopt_idempotency_table)

    keys = idempotency_table(sa.MetaData())
    async with db.sessions() as s, s.begin():
        repo = IdempotencyRepository(s, keys)
        assert await repo.result("k1", "alice") == ("h1", "doc-1")
        assert await repo.result("k1", "bob") == ("h2", "doc-2")
        assert await repo.result("k1", "alice", operation="xlsx") is None
        await repo.remember("k1", "alice", "h3", {"created": 4}, operation="xlsx")
    async with db.sessions() as s:
        repo = IdempotencyRepository(s, keys)
        assert await repo.result("k1", "alice", operation="xlsx") == ("h3", {"created": 4})
        assert await repo.result("k2", "alice") is None

    await _migrate(db, lambda: migration_ops.restore_idempotency_table(with_operation=False))
    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.text(
            "SELECT key, actor, request_hash, resource_id FROM idempotency_keys ORDER BY actor"
        ))).all()
    assert [tuple(r) for r in rows] == [("k1", "alice", "h1", "doc-1"), ("k1", "bob", "h2", "doc-2")]
