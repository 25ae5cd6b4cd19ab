"""Benchmarks: each prints its figures next to a baseline measured in the same run.

    uv run python bench/run.py [--units 2000] [--events 2000] [--database-url URL]

1. Unit search ignoring diacritics: indexed folded column in SQL (ours) vs loading every unit
   and folding in Python (baseline).
2. Unit tree: one query + in-memory tree (ours) vs one query per parent (baseline, N+1).
3. Memory: peak bytes to build the tree (tracemalloc).
4. Outbox relay: batches of 200 (ours) vs one row per transaction (baseline), events/s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ktxh_catalog.adapters import tables
from ktxh_catalog.adapters.org_unit_repository import _from_row
from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.domain.org_units import OrgUnit, build_tree
from ktxh_catalog.service_layer import org_units as svc
from ktxh_catalog.adapters.unit_of_work import SqlCatalogUnitOfWork
from ktxh_platform.bus.inprocess import InProcessBus
from ktxh_platform.db import Database
from ktxh_platform.domain.text import fold
from ktxh_platform.messaging import MessagingContext, OutboxRelay

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


def timed(label: str, samples: list[float], baseline: list[float] | None = None) -> None:
    med = statistics.median(samples) * 1000
    line = f"  {label:<44} median {med:9.2f} ms  (n={len(samples)})"
    if baseline:
        base = statistics.median(baseline) * 1000
        line += f"   baseline {base:9.2f} ms   speed-up ×{base / med:5.1f}"
    print(line)


async def measure(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t)
    return out


async def seed_units(uow_factory, n: int) -> None:
    """A province with communes and ~5 offices each, created through the domain."""
    async with uow_factory() as uow:
        province = OrgUnit.create(code="31", name="Thành phố Hải Phòng", kind="province", parent=None,
                                  province_code="31", valid_from=date(2025, 7, 1))
        await uow.org_units.add(province)
        communes = max(1, n // 6)
        for i in range(communes):
            commune = OrgUnit.create(code=f"{10000 + i}", name=f"Xã Hà Tây Số {i}", kind="commune",
                                     parent=province, province_code="31", valid_from=date(2025, 7, 1))
            await uow.org_units.add(commune)
            for j, office in enumerate(["Phòng Kinh tế", "Phòng Văn hoá - Xã hội", "Văn phòng HĐND và UBND",
                                        "Trung tâm Phục vụ Hành chính công", "Phòng Tư pháp"]):
                await uow.org_units.add(OrgUnit.create(
                    code=f"{10000 + i}.P{j}", name=f"{office} xã {i}", kind="office", parent=commune,
                    province_code="31", valid_from=date(2025, 7, 1)))
        await uow.commit()


async def bench_units(db: Database, uow_factory, units: int) -> None:
    await seed_units(uow_factory, units)
    async with db.engine.connect() as conn:
        total = await conn.scalar(sa.select(sa.func.count()).select_from(tables.org_units))
    print(f"\n[1] search 'ha tay so 42' among {total} units")

    async def ours():
        found, _, _ = await svc.list_org_units(uow_factory(), query="ha tay so 42")
        assert found

    async def baseline():
        async with db.engine.connect() as conn:
            rows = (await conn.execute(sa.select(tables.org_units))).all()
        found = [r for r in rows if "ha tay so 42" in fold(r.name)]
        assert found

    timed("SQL on folded column", await measure(ours, 30), await measure(baseline, 30))

    print(f"\n[2] whole unit tree ({total} units)")

    async def tree():
        roots = await svc.org_unit_tree(uow_factory())
        assert roots

    async def n_plus_one():
        async with db.engine.connect() as conn:
            async def children(parent_id):
                rows = (await conn.execute(
                    sa.select(tables.org_units).where(tables.org_units.c.parent_id == parent_id))).all()
                return [(_from_row(r), await children(r.id)) for r in rows]
            root = (await conn.execute(sa.select(tables.org_units).where(tables.org_units.c.parent_id.is_(None)))).first()
            await children(root.id)

    timed("one query + build_tree", await measure(tree, 10), await measure(n_plus_one, 3))

    print("\n[3] memory to build the tree")
    async with uow_factory() as uow:
        all_units = await uow.org_units.all("31", None)
    tracemalloc.start()
    build_tree(all_units)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  build_tree over {len(all_units)} units: peak {peak / 1024:.0f} KiB "
          f"({peak / len(all_units):.0f} B per unit)")


async def bench_relay(db_url_factory, events: int) -> None:
    print(f"\n[4] outbox relay, {events} events, in-process bus")
    results = {}
    for label, batch in (("batches of 200", 200), ("baseline: one per transaction", 1)):
        db = Database(db_url_factory(label))
        await db.migrate(MIGRATIONS, tables.metadata)
        messaging = MessagingContext("catalog", "31", "", tables.outbox, translate_event)
        async with SqlCatalogUnitOfWork(db, messaging, "bench") as uow:
            parent = OrgUnit.create(code="31", name="HP", kind="province", parent=None, province_code="31")
            await uow.org_units.add(parent)
            for i in range(events - 1):
                await uow.org_units.add(OrgUnit.create(code=f"A{i}", name=f"Sở {i}", kind="agency",
                                                       parent=parent, province_code="31"))
            await uow.commit()
        bus = InProcessBus(None)
        relay = OutboxRelay(db, tables.outbox, bus, service="catalog")
        t = time.perf_counter()
        while await relay.publish_batch(limit=batch):
            pass
        elapsed = time.perf_counter() - t
        assert bus.end_offsets("ktxh.catalog.org_unit.v1") == events
        results[label] = events / elapsed
        await db.dispose()
    ours, base = results["batches of 200"], results["baseline: one per transaction"]
    print(f"  batches of 200                               {ours:9.0f} events/s")
    print(f"  baseline: one per transaction                {base:9.0f} events/s   speed-up ×{ours / base:5.1f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite files)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ktxh-bench-"))

    def url(name: str) -> str:
        return args.database_url or f"sqlite+aiosqlite:///{tmp / (fold(name).replace(' ', '_') + '.db')}"

    db = Database(url("units"))
    await db.migrate(MIGRATIONS, tables.metadata)
    messaging = MessagingContext("catalog", "31", "", tables.outbox, translate_event)
    print(f"KTXH benchmarks — database: {db.dialect}")
    await bench_units(db, lambda: SqlCatalogUnitOfWork(db, messaging, "bench"), args.units)
    await db.dispose()
    if not args.database_url:
        await bench_relay(url, args.events)


if __name__ == "__main__":
    asyncio.run(main())
