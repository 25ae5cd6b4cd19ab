"""Reporting read model on PostgreSQL: a synthetic province (units × indicators × months of
accepted figures written straight into the read model's tables), then the province's roll-ups
through the real use case (`GetRollup`: scope in SQL, rules, targets, same period last year,
year to date), beside a hand-written SQL query computing the same sums on the same database —
the lower bound.

    uv run python bench/reporting.py [--units 170] [--indicators 50] [--years 3] [--runs 15]
                                      [--database-url URL]

Without ``--database-url`` a throw-away PostgreSQL is started (ktxh_testing.servers).
Prints (a) the province's monthly report, (b) year to date (@ the month's end) and a 5-year
report, each p50 / p99 over ``--runs``. Not measured here: freshness through Kafka (see
`e2e/test_reporting_api.py`, which prints it) and rebuilding from the event log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
from datetime import UTC, date, datetime

import sqlalchemy as sa

from ktxh_platform.auth.principal import PLANNING_OFFICER, Principal
from ktxh_platform.db import Database
from ktxh_reporting.adapters import tables
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.bootstrap import definition
from ktxh_reporting.domain.rollups import FigureRef, Rule
from ktxh_reporting.service_layer.rollups import GetRollup, get_rollup
from ktxh_testing import servers

PLANNER = Principal("bench", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "STC", "31")


async def seed(db: Database, units: int, indicators: int, years: list[int]) -> int:
    rng = random.Random(12)
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        await conn.execute(sa.insert(tables.org_units_rm), [
            {"id": "p", "code": "31", "name": "Tỉnh", "kind": "province", "parent_id": None,
             "province_code": "31", "valid_from": None, "valid_to": None, "version": 1,
             "successor_ids": []}] + [
            {"id": f"u{i}", "code": f"X{i:03d}", "name": f"Xã {i}", "kind": "commune", "parent_id": "p",
             "province_code": "31", "valid_from": None, "valid_to": None, "version": 1,
             "successor_ids": []} for i in range(units)])
        await conn.execute(sa.insert(tables.indicator_revisions), [
            {"indicator_id": f"i{k}", "revision": 1, "code": f"B.{k:03d}", "province_code": "31",
             "valid_from": "2000-01-01", "retired": False,
             "rule": Rule(f"B.{k:03d}", spatial="sum", time="stock" if k % 4 == 0 else "flow").as_dict()}
            for k in range(indicators)])
        count = 0
        for y in years:
            for m in range(1, 13):
                period = f"{y}-M{m:02d}"
                rows = [{"submission_id": f"s{i}-{period}", "figure_key": FigureRef(f"B.{k:03d}").text,
                         "indicator_code": f"B.{k:03d}", "kind": "actual", "org_unit_id": f"u{i}",
                         "period_code": period, "province_code": "31", "value": str(rng.randint(0, 9999)),
                         "text_value": "", "updated_at": now}
                        for i in range(units) for k in range(indicators)]
                for start in range(0, len(rows), 5000):
                    await conn.execute(sa.insert(tables.facts), rows[start:start + 5000])
                count += len(rows)
    return count


def _months_sql(codes: list[str]) -> sa.Select:
    f = tables.facts.c
    return (sa.select(f.indicator_code, sa.func.sum(sa.cast(f.value, sa.Numeric)))
            .where(f.province_code == "31", f.period_code.in_(codes)).group_by(f.indicator_code))


async def timed(call, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


async def run(url: str, units: int, indicators: int, years: int, runs: int) -> None:
    db = Database(url, schema="reporting")
    await db.migrate(definition().migrations, tables.metadata)
    last = 2025
    span = list(range(last - years + 1, last + 1))
    t0 = time.perf_counter()
    n = await seed(db, units, indicators, span)
    print(f"seeded {n:,} figures ({units} units × {indicators} indicators × {12 * len(span)} months) "
          f"in {time.perf_counter() - t0:.1f} s")

    async def rollup(code: str) -> None:
        async with db.sessions() as session:
            await get_rollup(GetRollup(code, org_unit_code="31"), ReadModel(session), PLANNER, date(2026, 1, 1))

    async def sql(codes: list[str]) -> None:
        async with db.engine.connect() as conn:
            (await conn.execute(_months_sql(codes))).all()

    month = f"{last}-M10"
    cases = [
        ("(a) monthly report, province", month, [month, f"{last - 1}-M10"]),
        ("(b) year to date (@31/10), province", f"@{last}-10-31", [f"{last}-M{m:02d}" for m in range(1, 11)]),
    ]
    if years >= 5:
        cases.append(("(b) 5-year period, province", f"{last - 4}-{last}",
                      [f"{y}-M{m:02d}" for y in range(last - 4, last + 1) for m in range(1, 13)]))
    print(f"{'report':40} {'API use case p50/p99 ms':>24} {'hand SQL p50/p99 ms':>22}")
    for name, code, months in cases:
        a50, a99 = await timed(lambda: rollup(code), runs)
        s50, s99 = await timed(lambda: sql(months), runs)
        print(f"{name:40} {a50:11.1f} / {a99:9.1f} {s50:11.1f} / {s99:8.1f}")
    await db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=170)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if not url:
            pg = stack.enter_context(servers.postgres("bench"))
            url = pg.url_asyncpg
        asyncio.run(run(url, args.units, args.indicators, args.years, args.runs))


if __name__ == "__main__":
    main()
