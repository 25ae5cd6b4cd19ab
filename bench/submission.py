"""Issue 11, point 11: reports under load, over HTTP through the real gateway, in distributed
mode: PostgreSQL, the submission service (``ktxh-submission migrate`` then ``serve``) and the
gateway (``ktxh-gateway``) each in its own process, configured by their ``KTXH_*`` variables;
every request carries a signed access token of a real issuer (the built-in development issuer,
served over HTTP: the gateway and the service fetch its JWKS and validate each token, scope in
SQL). The bus is the in-process one (a file per service): no event is measured here.

(a) bulk: N units × L figures (default 500 × 2,000 = 1,000,000) posted to
    ``POST /api/v1/data-values`` (JSON, requests of --batch rows), beside a raw asyncpg
    ``COPY`` of the same figure rows and of the same history rows into the same tables in the
    same run (then truncated); then the same payload posted again (all ignored, nothing written).
(b) deadline peak: U units (default 200) at once, each saving its report's figures, delivering
    its section, consolidating, approving and sending it (5 HTTP requests per unit, at most
    --peak-concurrency in flight, the whole peak bounded by --peak-timeout): p50/p99 per
    operation, errors (must be 0) and the figures the database holds afterwards (0 lost).

    nice uv run python bench/submission.py [--units 500] [--lines 2000] [--batch 20000]
        [--peak-units 200] [--peak-lines 40] [--peak-concurrency 200] [--peak-timeout 600]
        [--database-url URL]

Without ``--database-url`` a throw-away PostgreSQL is started (ktxh_testing.servers). The
reports are opened (setup, not measured) by gRPC straight to the service. Never asserted in
tests; figures recorded in docs/performance.md ("Reports under load").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Self

import grpc
import httpx
import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.db import Database
from ktxh_platform.rpc import MAX_MESSAGE_BYTES
from ktxh_submission.adapters import tables
from ktxh_submission.adapters.calendar_replica import apply_calendar
from ktxh_submission.adapters.org_unit_replica import apply_unit
from ktxh_testing import servers
from ktxh_testing.stack import console_script
from ktxh_testing.tokens import TokenIssuer

K = catalog_pb2.OrgUnitKind
PERIOD = "2026-M10"
CALENDAR = "LICH.BENCH"
CHANNEL_OPTIONS = [("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                   ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]
OPERATIONS = ("save figures", "deliver", "consolidate", "approve", "send")


# ------------------------------------------------------------------------------ the stack


class Stack:
    """PostgreSQL (given or throw-away), the issuer, the submission service and the gateway,
    each server in its own process; stopped in reverse order."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.exit = contextlib.ExitStack()
        self.procs: list[tuple[str, subprocess.Popen, servers.LogTail]] = []

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self.exit.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for _, proc, _ in reversed(self.procs):
            servers.stop_process(proc)
        self.exit.close()

    def _start(self) -> None:
        if not self.url:
            pg = self.exit.enter_context(servers.postgres("bench"))
            self.url = pg.create_database("submission_bench")
        self.issuer = self.exit.enter_context(TokenIssuer())
        tmp = Path(self.exit.enter_context(tempfile.TemporaryDirectory(prefix="ktxh-bench-")))
        self.grpc_port, self.http_port = servers.free_port(), servers.free_port()
        service = {
            "KTXH_SUBMISSION_DATABASE_URL": self.url, "KTXH_SUBMISSION_DATABASE_SCHEMA": "submission",
            "KTXH_SUBMISSION_GRPC_PORT": str(self.grpc_port), "KTXH_SUBMISSION_METRICS_PORT": "0",
            "KTXH_SUBMISSION_BUS": "inprocess", "KTXH_SUBMISSION_OIDC_ISSUER": self.issuer.issuer,
            "KTXH_SUBMISSION_OIDC_AUDIENCE": "ktxh-api", "KTXH_SUBMISSION_DATA_DIR": str(tmp / "submission"),
            "KTXH_SUBMISSION_PROVINCE_CODE": "31",
        }
        gateway = {
            "KTXH_GATEWAY_HOST": "127.0.0.1", "KTXH_GATEWAY_PORT": str(self.http_port),
            "KTXH_GATEWAY_OIDC_ISSUER": self.issuer.issuer, "KTXH_GATEWAY_OIDC_AUDIENCE": "ktxh-api",
            "KTXH_GATEWAY_SUBMISSION_ADDR": f"127.0.0.1:{self.grpc_port}",
            "KTXH_GATEWAY_DATA_DIR": str(tmp / "gateway"),
        }
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "OTEL_SDK_DISABLED": "true"}
        cmd = console_script("ktxh-submission")
        assert cmd is not None, "uv sync --all-packages"
        done = subprocess.run([*cmd, "migrate"], env={**env, **service}, capture_output=True, text=True,
                              check=False)
        if done.returncode:
            raise RuntimeError(f"ktxh-submission migrate failed:\n{done.stdout}{done.stderr}")
        self._spawn("submission", [*cmd, "serve"], {**env, **service}, self.grpc_port)
        gw = console_script("ktxh-gateway")
        assert gw is not None
        self._spawn("gateway", gw, {**env, **gateway}, self.http_port)

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str], port: int) -> None:
        proc = servers.popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log = servers.LogTail(proc.stdout, prefix=f"[{name}] ")  # type: ignore[arg-type]
        self.procs.append((name, proc, log))
        servers.wait_for_port("127.0.0.1", port, timeout=120, proc=proc, log=log, what=name)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def pids(self) -> str:
        return ", ".join(f"{n} pid {p.pid}" for n, p, _ in self.procs)


# ------------------------------------------------------------------------------ data


def calendar() -> catalog_pb2.Calendar:
    return catalog_pb2.Calendar(
        id="cal-bench", code=CALENDAR, name="Lịch báo cáo tháng", province_code="31", version=1,
        rules=[catalog_pb2.DeadlineRule(period_kind=types_pb2.PERIOD_KIND_MONTH,
                                        due=catalog_pb2.RelativeDate(day=20), before=True)])


async def seed(url: str, prefix: str, n: int) -> list[str]:
    """The service's replicas of the province, n communes with one office each, the calendar
    (what the catalog's events would have written)."""
    codes = [f"{prefix}{i:04d}" for i in range(n)]
    db = Database(url, schema="submission")
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
    await db.dispose()
    return codes


def form(unit: str, n: int) -> list[pb.FormLine]:
    return [pb.FormLine(indicator_code=f"B.{i:04d}", name=f"Chỉ số {i}", office_code=f"{unit}.PKT",
                        value_type=pb.VALUE_TYPE_NUMBER, required=True) for i in range(n)]


async def open_reports(stack: Stack, units: list[str], lines: int) -> dict[str, str]:
    ids: dict[str, str] = {}
    sem = asyncio.Semaphore(4)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{stack.grpc_port}", options=CHANNEL_OPTIONS) as ch:
        stub = submission_pb2_grpc.SubmissionServiceStub(ch)

        async def one(u: str) -> None:
            async with sem:
                s = await stub.OpenSubmission(pb.OpenSubmissionRequest(
                    org_unit_code=u, period_code=PERIOD, calendar_code=CALENDAR, lines=form(u, lines)),
                    metadata=stack.issuer.metadata("ke_hoach"), timeout=600)
                ids[u] = s.id

        await asyncio.gather(*(one(u) for u in units))
    return ids


def value(u: int, i: int) -> str:
    return f"{(u * 7919 + i * 104729) % 1000000}.{i % 100:02d}"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f})"


# ------------------------------------------------------------------------------ (a) bulk


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


async def bulk(stack: Stack, units: list[str], lines: int, batch: int) -> None:
    started = time.perf_counter()
    ids = await open_reports(stack, units, lines)
    open_s = time.perf_counter() - started
    copy_figs, copy_chgs = await copy_baseline(stack.url, ids, units, lines)
    writer = replace(stack.issuer.users["tong_hop"], username="tong_hop_tinh", org_unit="31")
    rows = [{"org_unit_code": u, "period_code": PERIOD, "key": f"B.{i:04d}", "value": value(n, i)}
            for n, u in enumerate(units) for i in range(lines)]
    total = len(rows)
    bodies = [json.dumps({"data_values": rows[i:i + batch]}, ensure_ascii=False).encode()
              for i in range(0, total, batch)]
    del rows
    size = sum(len(b) for b in bodies)
    print(f"(a) bulk figures: {len(units)} units × {lines:,} figures = {total:,} figures, "
          f"POST /api/v1/data-values in {len(bodies)} requests of {batch:,} rows "
          f"({size / 1e6:.0f} MB of JSON), gateway → submission service → PostgreSQL")
    print(f"  opening {len(units)} reports of {lines:,} lines (setup, gRPC)  {open_s:8.2f} s")
    print(f"  baseline: COPY of the same figure rows             {copy_figs:8.2f} s"
          f"  {total / copy_figs:>9,.0f} rows/s")
    print(f"  baseline: COPY of the same history rows            {copy_chgs:8.2f} s"
          f"  {total / copy_chgs:>9,.0f} rows/s   ({load()})", flush=True)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=3600) as client:
        for label in ("first post (all imported)", "same payload again (all ignored)"):
            counts = [0, 0, 0, 0]
            started = time.perf_counter()
            for n, body in enumerate(bodies):
                token = stack.issuer.token(writer)  # tokens live 5 minutes: one per request
                r = await client.post("/api/v1/data-values", content=body, headers={
                    "authorization": f"Bearer {token}", "content-type": "application/json"})
                if r.status_code != 200:
                    raise RuntimeError(f"data-values: HTTP {r.status_code} {r.text[:500]}")
                s = r.json()
                for j, v in enumerate((s["imported"], s["updated"], s["ignored"], len(s["refused"]))):
                    counts[j] += v
                print(f"    … {(n + 1) * batch:,} rows, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
            secs = time.perf_counter() - started
            imp, upd, ign, ref = counts
            print(f"  data-values, {label:37s} {secs:8.2f} s  {total / secs:>9,.0f} figures/s"
                  f"   imported {imp:,} updated {upd:,} ignored {ign:,} refused {ref:,}   ({load()})",
                  flush=True)
    db = Database(stack.url, schema="submission")
    async with db.engine.connect() as conn:
        f, c = tables.submission_figures.c, tables.submission_figure_changes.c
        mine = list(ids.values())
        stored = await conn.scalar(sa.select(sa.func.count()).where(f.submission_id.in_(mine)))
        history = await conn.scalar(sa.select(sa.func.count()).where(c.submission_id.in_(mine)))
    await db.dispose()
    print(f"  stored afterwards: {stored:,} figures, {history:,} history rows", flush=True)


# ------------------------------------------------------------------------------ (b) peak


async def peak(stack: Stack, units: list[str], lines: int, concurrency: int, timeout: float) -> None:
    ids = await open_reports(stack, units, lines)
    issuer = stack.issuer
    calls: dict[str, list[float]] = {k: [] for k in OPERATIONS}
    errors: list[str] = []
    finished = 0
    saved: set[str] = set()  # units whose save was answered 200: their figures must all be held
    # Each unit's data-entry officer and chairman, tokens minted just before the peak.
    tokens = {u: ({"authorization": f"Bearer {issuer.token(replace(issuer.users['tong_hop'], username=f'th_{u}', org_unit=u))}"},
                  {"authorization": f"Bearer {issuer.token(replace(issuer.users['chu_tich'], username=f'ct_{u}', org_unit=u))}"})
              for u in units}
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=stack.base_url, timeout=timeout, limits=limits) as client:

        async def call(name: str, path: str, body: dict, headers: dict) -> None:
            async with sem:
                t = time.perf_counter()
                r = await client.post(path, json=body, headers=headers)
                calls[name].append(time.perf_counter() - t)
            if r.status_code != 200:
                raise RuntimeError(f"{name}: HTTP {r.status_code} {r.text[:300]}")

        async def unit(n: int, u: str) -> None:
            nonlocal finished
            base = f"/api/v1/submissions/{ids[u]}"
            office, leader = tokens[u]
            try:
                await call("save figures", f"{base}/figures", {"figures": [
                    {"key": {"indicator_code": f"B.{i:04d}"}, "value": value(n, i)} for i in range(lines)]},
                    office)
                saved.add(u)
                await call("deliver", f"{base}/deliver", {"office_code": f"{u}.PKT"}, office)
                await call("consolidate", f"{base}/consolidate", {}, office)
                await call("approve", f"{base}/approve", {}, leader)
                await call("send", f"{base}/send", {}, leader)
                finished += 1
            except (RuntimeError, httpx.HTTPError) as err:
                errors.append(f"{u}: {type(err).__name__} {err}")

        started = time.perf_counter()
        tasks = [asyncio.create_task(unit(n, u)) for n, u in enumerate(units)]
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for t in pending:
            t.cancel()
        wall = time.perf_counter() - started
    unfinished = len(pending)

    # What the database holds afterwards: each report's status and every figure's value.
    db = Database(stack.url, schema="submission")
    async with db.engine.connect() as conn:
        s, f = tables.submissions.c, tables.submission_figures.c
        sent = await conn.scalar(sa.select(sa.func.count()).where(
            s.id.in_(list(ids.values())), s.status == "sent"))
        stored = {(r.submission_id, r.figure_key): r.value for r in await conn.execute(
            sa.select(f.submission_id, f.figure_key, f.value).where(f.submission_id.in_(list(ids.values()))))}
    await db.dispose()
    expected = {(ids[u], f"B.{i:04d}/actual"): value(n, i) for n, u in enumerate(units) for i in range(lines)}
    held = sum(1 for k, v in expected.items() if stored.get(k) is not None and Decimal(stored[k]) == Decimal(v))
    acked = {(ids[u], f"B.{i:04d}/actual"): value(n, i) for n, u in enumerate(units) if u in saved
             for i in range(lines)}
    lost = sum(1 for k, v in acked.items() if stored.get(k) is None or Decimal(stored[k]) != Decimal(v))
    every = [x for xs in calls.values() for x in xs]
    print(f"(b) deadline peak: {len(units)} units at once, each saving {lines} figures then delivering, "
          f"consolidating, approving and sending its report: HTTP to the gateway on loopback "
          f"(at most {concurrency} requests in flight, bounded by {timeout:.0f} s)")
    print(f"  wall time {wall:.2f} s, {len(every)} requests, {len(every) / wall:.1f} requests/s, "
          f"{finished / wall:.1f} reports sent/s; errors {len(errors)}, unfinished {unfinished}; "
          f"database: {sent}/{len(units)} reports sent, {held:,}/{len(expected):,} figures held, "
          f"lost {lost:,} (of the {len(acked):,} figures whose save was answered 200)   ({load()})")
    for name, xs in calls.items():
        if xs:
            print(f"  {name:12s} p50 {statistics.median(xs) * 1000:8.0f} ms   p99 {pct(xs, 99) * 1000:8.0f} ms"
                  f"   max {max(xs) * 1000:8.0f} ms   n={len(xs)}")
    for e in errors[:5]:
        print("  error:", e)


# ------------------------------------------------------------------------------ main


async def run(stack: Stack, args: argparse.Namespace) -> None:
    print(f"machine: {os.cpu_count()} CPUs, {load()} at the start; {stack.pids()}", flush=True)
    if args.peak_units:
        units = await seed(stack.url, "P", args.peak_units)
        await peak(stack, units, args.peak_lines, args.peak_concurrency, args.peak_timeout)
    if args.units:
        units = await seed(stack.url, "B", args.units)
        await bulk(stack, units, args.lines, args.batch)
    print(f"machine: {os.cpu_count()} CPUs, {load()} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=500, help="(a) units; 0 = skip (a)")
    parser.add_argument("--lines", type=int, default=2000, help="(a) figures per unit")
    parser.add_argument("--batch", type=int, default=20000, help="(a) rows per request")
    parser.add_argument("--peak-units", type=int, default=200, help="(b) units; 0 = skip (b)")
    parser.add_argument("--peak-lines", type=int, default=40, help="(b) figures per report")
    parser.add_argument("--peak-concurrency", type=int, default=200, help="(b) requests in flight at most")
    parser.add_argument("--peak-timeout", type=float, default=600, help="(b) seconds for the whole peak")
    parser.add_argument("--database-url", default="", help="postgresql+asyncpg://... (default: a throw-away server)")
    args = parser.parse_args()
    with Stack(args.database_url) as stack:
        asyncio.run(run(stack, args))


if __name__ == "__main__":
    main()
