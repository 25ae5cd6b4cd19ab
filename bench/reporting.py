"""Reporting read model on PostgreSQL at the issue's scale: a synthetic province (units ×
indicators × months, some indicators broken down by sex, stocks, a rate from its numerator and
denominator) generated straight into the read model's `facts` with COPY, the stored
contributions built from them by the consumer's own code (`adapters.contributions`), then in
one run:

(a) the province's monthly report through the use case the gRPC `GetRollup` calls (scope in
    SQL, rules, targets, same month last year, year to date), p50 / p99, beside a hand-written
    SQL query computing the same sums from the facts on the same database (the lower bound);
(b) a year-to-date report and a 5-year report likewise;
(c) freshness through the Kafka-protocol broker: submission-accepted events published to the
    broker while others stream in, the reporting consumer (the real one, its inbox and
    transaction) applying them, and the time until the new figure shows in the province's
    monthly roll-up, p50 / p99;
(d) rebuilding the read model: replaying accepted-report events through the projection
    (facts + contributions), reports per second, and the projected time for the whole log.

    uv run python bench/reporting.py                       # the full scale (8 million figures)
    uv run python bench/reporting.py --units 60 --indicators 40 --first-year 2021 --runs 10

Without ``--database-url`` a throw-away PostgreSQL is started (ktxh_testing.servers), and for
(c) a throw-away broker (``--no-broker`` skips it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh.submission.v1 import submission_pb2
from ktxh_platform.auth.principal import PLANNING_OFFICER, Principal
from ktxh_platform.db import Database
from ktxh_reporting.adapters import contributions, projections, tables
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.bootstrap import definition
from ktxh_reporting.domain.rollups import FigureRef, Rule
from ktxh_reporting.service_layer.rollups import GetRollup, get_rollup
from ktxh_testing import servers

PLANNER = Principal("bench", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "STC", "31")
PROVINCE = "31"
SEXES = ("nam", "nu")


def indicator_rules(indicators: int) -> list[Rule]:
    """Flows, a stock every 4th, a breakdown by sex every 3rd, and every 10th a rate (per
    cent) of the two indicators before it."""
    out = []
    for k in range(indicators):
        code = f"B.{k:03d}"
        if k % 10 == 9:
            out.append(Rule(code, spatial="ratio", time="rate", numerator=f"B.{k - 2:03d}",
                            denominator=f"B.{k - 1:03d}", scale="100"))
        else:
            out.append(Rule(code, spatial="sum", time="stock" if k % 4 == 0 else "flow"))
    return out


def keys_of(rules: list[Rule]) -> list[FigureRef]:
    """The figure keys a unit reports each month (rates are computed, not reported)."""
    out = []
    for k, rule in enumerate(rules):
        if rule.spatial == "ratio":
            continue
        if k % 3 == 0 and k % 10 not in (7, 8):  # numerators/denominators stay whole
            out += [FigureRef.of(rule.code, {"gioi_tinh": s}) for s in SEXES]
        else:
            out.append(FigureRef(rule.code))
    return out


async def seed(db: Database, units: int, rules: list[Rule], years: list[int]) -> int:
    rng = random.Random(12)
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        await conn.execute(sa.insert(tables.org_units_rm), [
            {"id": "p", "code": PROVINCE, "name": "Tỉnh", "kind": "province", "parent_id": None,
             "province_code": PROVINCE, "valid_from": None, "valid_to": None, "version": 1,
             "successor_ids": []}] + [
            {"id": f"u{i}", "code": f"X{i:03d}", "name": f"Xã {i}", "kind": "commune", "parent_id": "p",
             "province_code": PROVINCE, "valid_from": None, "valid_to": None, "version": 1,
             "successor_ids": []} for i in range(units)])
        await conn.execute(sa.insert(tables.indicator_revisions), [
            {"indicator_id": f"i{k}", "revision": 1, "code": r.code, "province_code": PROVINCE,
             "valid_from": "2000-01-01", "retired": False, "rule": r.as_dict()} for k, r in enumerate(rules)])
    keys = [(k.text, k.indicator_code) for k in keys_of(rules)]
    count = 0
    async with db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        for y in years:
            for m in range(1, 13):
                period = f"{y}-M{m:02d}"
                records = [(f"s{i}-{period}", text, code, "actual", f"u{i}", period, PROVINCE,
                            str(rng.randint(1, 9999)), "", now)
                           for i in range(units) for text, code in keys]
                await raw.copy_records_to_table(
                    "facts", schema_name="reporting", records=records,
                    columns=["submission_id", "figure_key", "indicator_code", "kind", "org_unit_id",
                             "period_code", "province_code", "value", "text_value", "updated_at"])
                count += len(records)
        await conn.commit()
    return count


def accepted_event(unit_id: str, unit_code: str, period: str, keys: list[FigureRef], rng: random.Random,
                   province: str, version: int = 2):
    """A SubmissionAccepted event as the submission service publishes it."""
    year, _, month = period.partition("-M")
    sub = submission_pb2.Submission(
        id=f"s-{unit_id}-{period}", org_unit_id=unit_id, org_unit_code=unit_code,
        period=types_pb2.Period(kind=types_pb2.PERIOD_KIND_MONTH, year=int(year), number=int(month), code=period),
        calendar_code="CAL", deadline="2026-11-20", province_code=province, version=version,
        figures=[submission_pb2.Figure(key=figure_pb2.FigureKey(
            indicator_code=k.indicator_code, kind=figure_pb2.FIGURE_KIND_ACTUAL,
            members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m) for d, m in k.members]),
            value=str(rng.randint(1, 9999))) for k in keys])
    event = submission_events.SubmissionAccepted(submission=sub)
    env = envelope_pb2.EventEnvelope(
        event_id=str(uuid.uuid4()), type=event.DESCRIPTOR.full_name, aggregate_type="submission",
        aggregate_id=sub.id, aggregate_version=version, province_code=province, actor="bench")
    env.occurred_at.GetCurrentTime()
    env.payload.Pack(event, type_url_prefix="type.googleapis.com/")
    return event, env


def percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * q))]


async def timed(call, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), percentile(samples, 0.99)


def _sums_sql(months: list[str]) -> sa.Select:
    """Hand-written: the province's sum of every figure key over the months."""
    f = tables.facts.c
    return (sa.select(f.figure_key, sa.func.sum(sa.cast(f.value, sa.Numeric)))
            .where(f.province_code == PROVINCE, f.period_code.in_(months)).group_by(f.figure_key))


async def run(args, url: str, broker: str | None) -> None:
    db = Database(url, schema="reporting")
    await db.migrate(definition().migrations, tables.metadata)
    rules = indicator_rules(args.indicators)
    years = list(range(args.first_year, args.last_year + 1))
    t0 = time.perf_counter()
    n = await seed(db, args.units, rules, years)
    seeded = time.perf_counter() - t0
    print(f"seeded {n:,} figures ({args.units} units × {len(keys_of(rules))} figure keys of "
          f"{args.indicators} indicators × {12 * len(years)} months) with COPY in {seeded:.1f} s")
    t0 = time.perf_counter()
    async with db.sessions() as session, session.begin():
        stored = await contributions.rebuild(session, PROVINCE)
    built = time.perf_counter() - t0
    print(f"stored contributions: {stored:,} rows built from the facts in {built:.1f} s "
          f"({n / built:,.0f} figures/s)")
    async with db.engine.connect() as conn:
        size = (await conn.execute(sa.text(
            "select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c join pg_namespace s "
            "on s.oid = c.relnamespace where s.nspname = 'reporting' and c.relkind = 'r'"))).scalar()
    print(f"database size (reporting schema, with indexes): {size}")

    async def rollup(code: str) -> None:
        async with db.sessions() as session:
            await get_rollup(GetRollup(code, org_unit_code=PROVINCE), ReadModel(session), PLANNER, date(2026, 12, 1))

    async def sql(months: list[str]) -> None:
        async with db.engine.connect() as conn:
            (await conn.execute(_sums_sql(months))).all()

    last = years[-1]
    month = f"{last}-M10"
    ytd_months = [f"{last}-M{m:02d}" for m in range(1, 11)]
    cases = [
        # the use case reads the month, last year's month and January to the month
        ("(a) province, monthly (10/%d)" % last, month,
         [month, f"{last - 1}-M10"] + ytd_months),
        ("(b) province, year to date (@31/10)", f"@{last}-10-31",
         ytd_months + [f"{last - 1}-M{m:02d}" for m in range(1, 11)]),
    ]
    if len(years) >= 5:
        plan = f"{last - 4}-{last}"
        cases.append((f"(b) province, 5 years ({plan})", plan,
                      [f"{y}-M{m:02d}" for y in range(last - 5, last + 1) for m in range(1, 13)]))
    print(f"{'report':40} {'use case p50 / p99 ms':>24} {'hand SQL p50 / p99 ms':>24}")
    for name, code, months in cases:
        await rollup(code)  # warm
        a50, a99 = await timed(lambda: rollup(code), args.runs)
        s50, s99 = await timed(lambda: sql(months), args.runs)
        print(f"{name:40} {a50:11.1f} / {a99:9.1f} {s50:13.1f} / {s99:8.1f}")
    await replay(db, rules, args)
    if broker:
        await freshness(db, rules, broker, args)
    await db.dispose()


async def replay(db: Database, rules: list[Rule], args) -> None:
    """(d): accepted-report events through the projection (facts + contributions, one
    transaction each, as the consumer applies them) into an empty schema; projected to the
    whole log (one report per unit and month)."""
    fresh = Database(db.url, schema="reporting_replay")
    await fresh.migrate(definition().migrations, tables.metadata)
    async with fresh.engine.begin() as conn:
        await conn.execute(sa.insert(tables.indicator_revisions), [
            {"indicator_id": f"i{k}", "revision": 1, "code": r.code, "province_code": PROVINCE,
             "valid_from": "2000-01-01", "retired": False, "rule": r.as_dict()} for k, r in enumerate(rules)])
    keys = keys_of(rules)
    rng = random.Random(5)
    reports = [(i, y, m) for y in range(args.last_year - 1, args.last_year + 1) for m in range(1, 13)
               for i in range(args.units)][:args.replay]
    t0 = time.perf_counter()
    for i, y, m in reports:
        event, env = accepted_event(f"u{i}", f"X{i:03d}", f"{y}-M{m:02d}", keys, rng, PROVINCE)
        async with fresh.sessions() as session, session.begin():
            await projections.on_accepted(session, event, env)
    took = time.perf_counter() - t0
    rate = len(reports) / took
    total = args.units * 12 * (args.last_year - args.first_year + 1)
    print(f"(d) rebuild from the event log: {len(reports)} reports ({len(reports) * len(keys):,} figures) "
          f"replayed through the projection in {took:.1f} s = {rate:.1f} reports/s; "
          f"the whole log ({total:,} reports) ≈ {total / rate / 60:.0f} min")
    async with fresh.engine.begin() as conn:
        await conn.execute(sa.text('DROP SCHEMA "reporting_replay" CASCADE'))
    await fresh.dispose()


async def freshness(db: Database, rules: list[Rule], broker: str, args) -> None:
    """(c): the real figures consumer (inbox, one transaction per event) on the broker; reports
    of the next January published one by one while others (February) stream in beside them;
    each timed from publishing to the province's January roll-up showing its figure."""
    from ktxh_platform.bus.kafka import KafkaBus  # noqa: PLC0415
    from ktxh_platform.messaging import EventConsumer, topic_name  # noqa: PLC0415

    topic = topic_name("", "submission", "submission")
    bus = KafkaBus(broker, client_id="bench-reporting", partitions=3)
    await bus.ensure_topics([topic, topic + ".dlq"])
    EventConsumer(db, tables.inbox, bus, service="reporting", group="reporting.figures",
                  handlers=projections.FIGURE_HANDLERS).subscribe([topic])
    await bus.start()
    keys = keys_of(rules)
    probe = next(k for k in keys if not k.members and rules[int(k.indicator_code[2:])].time == "flow")
    year = args.last_year + 1
    rng = random.Random(9)

    async def publish(unit: int, period: str, value: int | None = None) -> None:
        event, env = accepted_event(f"u{unit}", f"X{unit:03d}", period, keys, rng, PROVINCE)
        if value is not None:
            for f in event.submission.figures:
                if f.key.indicator_code == probe.indicator_code and not f.key.members:
                    f.value = str(value)
            env.payload.Pack(event, type_url_prefix="type.googleapis.com/")
        await bus.publish(topic, env.aggregate_id.encode(), env.SerializeToString(), [])

    async def province_value(period: str):
        async with db.sessions() as session:
            result = await get_rollup(GetRollup(period, org_unit_code=PROVINCE,
                                                indicator_codes=(probe.indicator_code,)),
                                      ReadModel(session), PLANNER, date(year, 12, 31))
        return next((ln.value for ln in result.lines if ln.key == probe), None)

    async def until(period: str, want, timeout: float = 60.0) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if await province_value(period) == want:
                return True
            await asyncio.sleep(0.02)
        return False

    # warm up: the consumer joined its group and reads
    await publish(0, f"{year}-M12", 1)
    if not await until(f"{year}-M12", 1, timeout=120):
        print("(c) the consumer did not start within 120 s")
        await bus.stop()
        return
    stop = asyncio.Event()

    async def background() -> None:
        unit = 0
        while not stop.is_set():
            await publish(unit % args.units, f"{year}-M02")
            unit += 1
            await asyncio.sleep(1 / args.background_rate)

    stream = asyncio.create_task(background())
    samples, total = [], 0
    for unit in range(min(args.stream, args.units)):
        value = rng.randint(1, 999)
        total += value
        t0 = time.perf_counter()
        await publish(unit, f"{year}-M01", value)
        if await until(f"{year}-M01", total):
            samples.append((time.perf_counter() - t0) * 1000)
    stop.set()
    await stream
    await bus.stop()
    if samples:
        print(f"(c) freshness through the broker, {len(samples)} reports of {len(keys)} figures while "
              f"others stream in at {args.background_rate}/s: acceptance → new figure in the province's "
              f"monthly roll-up p50 {statistics.median(samples):.0f} ms, p99 {percentile(samples, 0.99):.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--indicators", type=int, default=200)
    ap.add_argument("--first-year", type=int, default=2010)
    ap.add_argument("--last-year", type=int, default=2026)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--replay", type=int, default=200, help="reports replayed for (d)")
    ap.add_argument("--stream", type=int, default=40, help="reports streamed for (c)")
    ap.add_argument("--background-rate", type=float, default=2.0, help="reports/s streamed beside (c)")
    ap.add_argument("--no-broker", action="store_true")
    ap.add_argument("--database-url")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if not url:
            pg = stack.enter_context(servers.postgres("bench"))
            url = pg.url_asyncpg
        broker = None
        if not args.no_broker:
            broker = stack.enter_context(servers.kafka()).bootstrap_servers
        asyncio.run(run(args, url, broker))


if __name__ == "__main__":
    main()
