"""Issue 11, point 11: the submission service under load, through its real gRPC runtime on
PostgreSQL (tokens validated from a real issuer's JWKS, scope in SQL, outbox):

(a) bulk: N units × L figures (default 500 × 2,000 = 1,000,000) posted through the
    data-values path (ImportDataValues, requests of --batch rows), beside a raw asyncpg COPY of
    the same figure rows (and of the same history rows) into the same tables in the same run;
    then the same payload posted again (every row ignored: nothing written).
(b) deadline peak: U units (default 200) at once each saving its report's figures, delivering
    its section, consolidating, approving and sending it (5 gRPC calls per unit, all units
    concurrently): p50/p99 latency per call, throughput, errors, figures lost.

    uv run python bench/submission.py [--units 500] [--lines 2000] [--batch 20000]
                                      [--peak-units 200] [--peak-lines 40] [--database-url URL]

Without ``--database-url`` a throw-away PostgreSQL is started (ktxh_testing.servers).
Never asserted in tests; figures recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import grpc
import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.db import Database
from ktxh_platform.rpc import MAX_MESSAGE_BYTES
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_submission.adapters import tables
from ktxh_submission.adapters.calendar_replica import apply_calendar
from ktxh_submission.adapters.org_unit_replica import apply_unit
from ktxh_submission.bootstrap import definition
from ktxh_testing import servers
from ktxh_testing.tokens import TokenIssuer

K = catalog_pb2.OrgUnitKind
PERIOD = "2026-M10"
CALENDAR = "LICH.BENCH"
CHANNEL_OPTIONS = [("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                   ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]


def calendar() -> catalog_pb2.Calendar:
    return catalog_pb2.Calendar(
        id="cal-bench", code=CALENDAR, name="Lịch báo cáo tháng", province_code="31", version=1,
        rules=[catalog_pb2.DeadlineRule(period_kind=types_pb2.PERIOD_KIND_MONTH,
                                        due=catalog_pb2.RelativeDate(day=20), before=True)])


async def seed(db: Database, prefix: str, n: int) -> list[str]:
    codes = [f"{prefix}{i:04d}" for i in range(n)]
    async with db.sessions() as session, session.begin():
        await apply_unit(session, catalog_pb2.OrgUnit(id="u-31", code="31", kind=K.ORG_UNIT_KIND_PROVINCE,
                                                      province_code="31", version=1))
        await apply_calendar(session, calendar())
        for c in codes:
            await apply_unit(session, catalog_pb2.OrgUnit(id=f"u-{c}", code=c, kind=K.ORG_UNIT_KIND_COMMUNE,
                                                          parent_id="u-31", province_code="31", version=1))
            await apply_unit(session, catalog_pb2.OrgUnit(id=f"u-{c}.PKT", code=f"{c}.PKT",
                                                          kind=K.ORG_UNIT_KIND_OFFICE, parent_id=f"u-{c}",
                                                          province_code="31", version=1))
    return codes


def form(unit: str, n: int) -> list[pb.FormLine]:
    return [pb.FormLine(indicator_code=f"B.{i:04d}", name=f"Chỉ số {i}", office_code=f"{unit}.PKT",
                        value_type=pb.VALUE_TYPE_NUMBER, required=True) for i in range(n)]


async def open_reports(stub, issuer: TokenIssuer, units: list[str], lines: int) -> dict[str, str]:
    ids: dict[str, str] = {}
    sem = asyncio.Semaphore(8)

    async def one(u: str) -> None:
        async with sem:
            s = await stub.OpenSubmission(pb.OpenSubmissionRequest(
                org_unit_code=u, period_code=PERIOD, calendar_code=CALENDAR, lines=form(u, lines)),
                metadata=issuer.metadata("ke_hoach"), timeout=600)
            ids[u] = s.id

    await asyncio.gather(*(one(u) for u in units))
    return ids


def value(u: int, i: int) -> str:
    return f"{(u * 7919 + i * 104729) % 1000000}.{i % 100:02d}"


async def copy_baseline(url: str, ids: dict[str, str], units: list[str], lines: int) -> tuple[float, float]:
    """asyncpg COPY of the same figure rows and history rows into the same tables."""
    import asyncpg

    now = datetime.now(UTC)
    fig_cols = [c.name for c in tables.submission_figures.columns]
    chg_cols = [c.name for c in tables.submission_figure_changes.columns if c.name != "id"]
    figs, chgs = [], []
    for n, u in enumerate(units):
        sid = ids[u]
        for i in range(lines):
            key = f"B.{i:04d}/actual"
            row = {"submission_id": sid, "figure_key": key, "indicator_code": f"B.{i:04d}",
                   "office_code": f"{u}.PKT", "value": value(n, i), "text_value": "", "note": "",
                   "return_comment": "", "version": 1, "updated_by": "bench", "updated_at": now}
            figs.append(tuple(row[c] for c in fig_cols))
            chg = {"submission_id": sid, "figure_key": key, "office_code": f"{u}.PKT",
                   "before": "(trống)", "after": value(n, i), "before_note": "", "after_note": "",
                   "actor": "bench", "at": now, "figure_version": 1, "reason": "COPY"}
            chgs.append(tuple(chg[c] for c in chg_cols))
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("SET search_path TO submission")
        started = time.perf_counter()
        await conn.copy_records_to_table("submission_figures", records=figs, columns=fig_cols,
                                         schema_name="submission")
        copy_figs = time.perf_counter() - started
        started = time.perf_counter()
        await conn.copy_records_to_table("submission_figure_changes", records=chgs, columns=chg_cols,
                                         schema_name="submission")
        copy_chgs = time.perf_counter() - started
        await conn.execute("TRUNCATE submission_figures, submission_figure_changes")
        return copy_figs, copy_chgs
    finally:
        await conn.close()


async def bulk(url: str, port: int, issuer: TokenIssuer, units: list[str], lines: int, batch: int) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=CHANNEL_OPTIONS) as channel:
        stub = submission_pb2_grpc.SubmissionServiceStub(channel)
        started = time.perf_counter()
        ids = await open_reports(stub, issuer, units, lines)
        open_s = time.perf_counter() - started
        copy_figs, copy_chgs = await copy_baseline(url, ids, units, lines)
        writer = replace(issuer.users["tong_hop"], username="tong_hop_tinh", org_unit="31")
        rows = [pb.DataValue(org_unit_code=u, period_code=PERIOD, key=f"B.{i:04d}", value=value(n, i))
                for n, u in enumerate(units) for i in range(lines)]
        total = len(rows)
        size = sum(pb.ImportDataValuesRequest(data_values=rows[i:i + batch]).ByteSize()
                   for i in range(0, total, batch))
        print(f"(a) bulk figures: {len(units)} units × {lines:,} figures = {total:,} figures, "
              f"requests of {batch:,} rows ({size / 1e6:.0f} MB of protobuf), PostgreSQL")
        print(f"  opening {len(units)} reports of {lines:,} lines (setup)    {open_s:8.2f} s")
        print(f"  baseline: COPY of the same figure rows             {copy_figs:8.2f} s"
              f"  {total / copy_figs:>9,.0f} rows/s")
        print(f"  baseline: COPY of the same history rows            {copy_chgs:8.2f} s"
              f"  {total / copy_chgs:>9,.0f} rows/s", flush=True)
        for label in ("first post (all imported)", "same payload again (all ignored)"):
            counts = [0, 0, 0, 0]
            started = time.perf_counter()
            for i in range(0, total, batch):
                s = await stub.ImportDataValues(pb.ImportDataValuesRequest(data_values=rows[i:i + batch]),
                                                metadata=issuer.metadata(writer), timeout=3600)
                for j, v in enumerate((s.imported, s.updated, s.ignored, len(s.refused))):
                    counts[j] += v
                print(f"    … {i + batch:,} rows, {time.perf_counter() - started:.0f} s", file=sys.stderr,
                      flush=True)
            secs = time.perf_counter() - started
            imp, upd, ign, ref = counts
            print(f"  ImportDataValues, {label:32s} {secs:8.2f} s  {total / secs:>9,.0f} figures/s"
                  f"   imported {imp:,} updated {upd:,} ignored {ign:,} refused {ref:,}", flush=True)
    db = Database(url, schema="submission")
    async with db.engine.connect() as conn:
        stored = await conn.scalar(sa.select(sa.func.count()).select_from(tables.submission_figures))
        history = await conn.scalar(sa.select(sa.func.count()).select_from(tables.submission_figure_changes))
    await db.dispose()
    print(f"  stored afterwards: {stored:,} figures, {history:,} history rows", flush=True)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


async def peak(url: str, port: int, issuer: TokenIssuer, units: list[str], lines: int) -> None:
    calls: dict[str, list[float]] = {k: [] for k in ("SaveFigures", "DeliverSection", "ConsolidateSubmission",
                                                     "ApproveSubmission", "SendSubmission")}
    errors: list[str] = []
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=CHANNEL_OPTIONS) as channel:
        stub = submission_pb2_grpc.SubmissionServiceStub(channel)
        ids = await open_reports(stub, issuer, units, lines)
        people = {u: (replace(issuer.users["tong_hop"], username=f"th_{u}", org_unit=u),
                      replace(issuer.users["chu_tich"], username=f"ct_{u}", org_unit=u)) for u in units}
        tokens = {u: (issuer.metadata(a), issuer.metadata(b)) for u, (a, b) in people.items()}

        async def timed(name: str, coro) -> None:
            t = time.perf_counter()
            await coro
            calls[name].append(time.perf_counter() - t)

        async def unit(n: int, u: str) -> None:
            sid = ids[u]
            office, leader = tokens[u]  # minted just before the peak (tokens live 5 minutes)
            try:
                await timed("SaveFigures", stub.SaveFigures(pb.SaveFiguresRequest(submission_id=sid, figures=[
                    pb.FigureEntry(key=figure_pb2.FigureKey(indicator_code=f"B.{i:04d}"), value=value(n, i))
                    for i in range(lines)]), metadata=office, timeout=600))
                await timed("DeliverSection", stub.DeliverSection(pb.DeliverSectionRequest(
                    submission_id=sid, office_code=f"{u}.PKT"), metadata=office, timeout=600))
                await timed("ConsolidateSubmission", stub.ConsolidateSubmission(
                    pb.ConsolidateSubmissionRequest(submission_id=sid), metadata=office, timeout=600))
                await timed("ApproveSubmission", stub.ApproveSubmission(
                    pb.ApproveSubmissionRequest(submission_id=sid), metadata=leader, timeout=600))
                await timed("SendSubmission", stub.SendSubmission(
                    pb.SendSubmissionRequest(submission_id=sid), metadata=leader, timeout=600))
            except grpc.aio.AioRpcError as err:
                errors.append(f"{u}: {err.code().name} {err.details()}")

        started = time.perf_counter()
        await asyncio.gather(*(unit(n, u) for n, u in enumerate(units)))
        wall = time.perf_counter() - started
        sent = 0
        got = 0
        for n, u in enumerate(units):
            s = await stub.GetSubmission(pb.GetSubmissionRequest(id=ids[u]),
                                         metadata=issuer.metadata(people[u][0]), timeout=60)
            sent += s.status == pb.SUBMISSION_STATUS_SENT
            got += sum(1 for f in s.figures if f.value == _norm(value(n, int(f.key.indicator_code[2:]))))
    every = [x for xs in calls.values() for x in xs]
    print(f"(b) deadline peak: {len(units)} units at once, each saving {lines} figures then delivering, "
          f"consolidating, approving and sending (gRPC, PostgreSQL)")
    print(f"  wall time {wall:.2f} s, {len(every)} calls, {len(every) / wall:.1f} calls/s, "
          f"{len(units) / wall:.1f} reports sent/s, errors {len(errors)}, reports sent {sent}/{len(units)}, "
          f"figures stored {got}/{len(units) * lines} (lost {len(units) * lines - got})")
    for name, xs in calls.items():
        if xs:
            print(f"  {name:24s} p50 {statistics.median(xs) * 1000:8.0f} ms   p99 {pct(xs, 99) * 1000:8.0f} ms"
                  f"   max {max(xs) * 1000:8.0f} ms   n={len(xs)}")
    for e in errors[:5]:
        print("  error:", e)


def _norm(text: str) -> str:
    from decimal import Decimal

    return format(Decimal(text).normalize(), "f")


async def run(url: str, args: argparse.Namespace) -> None:
    db = Database(url, schema="submission")
    with TokenIssuer() as issuer, tempfile.TemporaryDirectory() as tmp:
        port = servers.free_port()
        runtime = ServiceRuntime(definition(), settings_for(
            "submission", grpc_port=port, data_dir=Path(tmp), oidc_issuer=issuer.issuer,
            database_url=url, database_schema="submission"))
        await runtime.start()
        runtime.ctx.relay.interval = 3600  # measure the requests, not the relay publishing after them
        try:
            if args.peak_units:
                units = await seed(db, "P", args.peak_units)
                await peak(url, port, issuer, units, args.peak_lines)
            if args.units:
                units = await seed(db, "B", args.units)
                await bulk(url, port, issuer, units, args.lines, args.batch)
        finally:
            await runtime.stop()
            await db.dispose()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=500, help="(a) units; 0 = skip (a)")
    parser.add_argument("--lines", type=int, default=2000, help="(a) figures per unit")
    parser.add_argument("--batch", type=int, default=20000, help="(a) rows per request")
    parser.add_argument("--peak-units", type=int, default=200, help="(b) units; 0 = skip (b)")
    parser.add_argument("--peak-lines", type=int, default=40, help="(b) figures per report")
    parser.add_argument("--database-url", default="", help="postgresql+asyncpg://... (default: a throw-away server)")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if not url:
            pg = stack.enter_context(servers.postgres("bench"))
            url = pg.create_database("submission_bench")
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
