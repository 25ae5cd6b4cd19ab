"""A province's whole decision in one request: 200 indicators × 170 units = 34,000 targets
created (CreateDecision) and issued (IssueDecision) through the assignment service's real gRPC
runtime on PostgreSQL (token validated, catalog and document checks over gRPC, bulk writes,
one outbox row per assignment), printed beside a plain bulk insert of the same rows into the
same database (asyncpg COPY, and executemany).

    uv run python bench/assignment.py [--indicators 200] [--units 170] [--database-url URL]

Without ``--database-url`` a throw-away PostgreSQL is started (ktxh_testing.servers).
The catalog and document services are stand-ins answering the same gRPC calls.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from pathlib import Path

import grpc
import sqlalchemy as sa

from ktxh.assignment.v1 import assignment_pb2 as pb
from ktxh.assignment.v1 import assignment_pb2_grpc
from ktxh.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from ktxh.common.v1 import figure_pb2
from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_assignment.adapters import tables
from ktxh_assignment.adapters.org_unit_replica import apply_unit
from ktxh_assignment.adapters.repository import assignment_row
from ktxh_assignment.adapters.wire import assignments_from_pb
from ktxh_assignment.bootstrap import definition
from ktxh_platform.db import Database
from ktxh_platform.rpc import MAX_MESSAGE_BYTES
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing import servers
from ktxh_testing.tokens import TokenIssuer


class Catalog(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, n: int) -> None:
        self.indicators = [
            catalog_pb2.Indicator(code=f"BENCH.{i:03d}", unit_of_measure="tỷ đồng",
                                  spatial_aggregation=catalog_pb2.SPATIAL_AGGREGATION_SUM,
                                  polarity=catalog_pb2.POLARITY_HIGHER_IS_BETTER)
            for i in range(n)
        ]

    async def ListIndicators(self, request, context):
        return catalog_pb2.ListIndicatorsResponse(indicators=self.indicators, total_size=len(self.indicators))


class Documents(document_pb2_grpc.DocumentServiceServicer):
    async def RequireValidSignature(self, request, context):
        return document_pb2.SignatureVerification(document_id=request.document_id, version_number=1)


async def _peers(n: int) -> tuple[grpc.aio.Server, int]:
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                                      ("grpc.max_send_message_length", MAX_MESSAGE_BYTES)])
    catalog_pb2_grpc.add_CatalogServiceServicer_to_server(Catalog(n), server)
    document_pb2_grpc.add_DocumentServiceServicer_to_server(Documents(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


async def _seed_units(db: Database, n: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(n)]
    async with db.sessions() as session, session.begin():
        await apply_unit(session, catalog_pb2.OrgUnit(id="u-31", code="31", kind=catalog_pb2.ORG_UNIT_KIND_PROVINCE,
                                                      province_code="31", version=1))
        await apply_unit(session, catalog_pb2.OrgUnit(id="u-stc", code="31.STC", kind=catalog_pb2.ORG_UNIT_KIND_AGENCY,
                                                      parent_id="u-31", province_code="31", version=1))
        for i, uid in enumerate(ids):
            await apply_unit(session, catalog_pb2.OrgUnit(id=uid, code=f"B{i:04d}", kind=catalog_pb2.ORG_UNIT_KIND_COMMUNE,
                                                          parent_id="u-31", province_code="31", version=1))
    return ids


def _decision(units: list[str], n: int) -> pb.Decision:
    return pb.Decision(
        number="1/QĐ-UBND", title="Giao chỉ tiêu năm 2026", issued_on="2026-01-05", year=2026,
        issuer_unit_id="u-stc",
        assignments=[
            pb.Assignment(assignee_unit_id=u, target=pb.IndicatorTarget(
                key=figure_pb2.FigureKey(indicator_code=f"BENCH.{i:03d}"), target_value=str(1000 + i)))
            for u in units for i in range(n)
        ],
    )


async def _baseline(url: str, rows: list[dict]) -> tuple[float, float]:
    """COPY and executemany of the same rows into a table shaped like `assignments`."""
    import asyncpg
    import json

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        cols = [c.name for c in tables.assignments.columns]
        await conn.execute("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE assignment.assignments)")
        records = [tuple(json.dumps(r[c]) if c in ("subject", "front_unit_ids") else r[c] for c in cols) for r in rows]
        started = time.perf_counter()
        await conn.copy_records_to_table("bench_copy", records=records, columns=cols)
        copy = time.perf_counter() - started
        await conn.execute("TRUNCATE bench_copy")
        placeholders = ", ".join(f"${i + 1}" for i in range(len(cols)))
        started = time.perf_counter()
        async with conn.transaction():
            await conn.executemany(f"INSERT INTO bench_copy ({', '.join(cols)}) VALUES ({placeholders})", records)
        many = time.perf_counter() - started
        await conn.execute("DROP TABLE bench_copy")
        return copy, many
    finally:
        await conn.close()


async def run(url: str, n_ind: int, n_units: int) -> None:
    db = Database(url, schema="assignment")
    runtime_db_url = url
    with TokenIssuer() as issuer, tempfile.TemporaryDirectory() as tmp:
        peers, peer_port = await _peers(n_ind)
        os.environ["KTXH_ASSIGNMENT_CATALOG_ADDR"] = f"127.0.0.1:{peer_port}"
        os.environ["KTXH_ASSIGNMENT_DOCUMENT_ADDR"] = f"127.0.0.1:{peer_port}"
        os.environ["KTXH_ASSIGNMENT_ACK_REMINDER_INTERVAL_SECONDS"] = "0"
        port = servers.free_port()
        runtime = ServiceRuntime(definition(), settings_for(
            "assignment", grpc_port=port, data_dir=Path(tmp), oidc_issuer=issuer.issuer,
            database_url=runtime_db_url, database_schema="assignment"))
        await runtime.start()
        runtime.ctx.relay.interval = 3600  # measure the request, not the relay publishing after it
        try:
            units = await _seed_units(db, n_units)
            decision = _decision(units, n_ind)
            md = issuer.metadata("ke_hoach")
            async with grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=[
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]) as channel:
                stub = assignment_pb2_grpc.AssignmentServiceStub(channel)
                size = decision.ByteSize()
                started = time.perf_counter()
                created = await stub.CreateDecision(pb.CreateDecisionRequest(decision=decision), metadata=md, timeout=600)
                create_s = time.perf_counter() - started
                started = time.perf_counter()
                issued = await stub.IssueDecision(pb.IssueDecisionRequest(
                    id=created.id, document_id="signed", expected_version=created.version), metadata=md, timeout=600)
                issue_s = time.perf_counter() - started
            assert len(issued.assignments) == n_ind * n_units
            async with db.engine.connect() as conn:
                outbox = await conn.scalar(sa.select(sa.func.count()).select_from(tables.outbox))
            rows = [assignment_row(a) for a in assignments_from_pb(list(decision.assignments))]
            for r in rows:
                r.update(decision_id=created.id, province_code="31", assigner_unit_id="u-stc",
                         subject_key=f"bench:{r['id']}", created_by="bench", updated_by="bench",
                         created_at=time_now(), updated_at=time_now())
            copy_s, many_s = await _baseline(url, rows)
        finally:
            await runtime.stop()
            await peers.stop(None)
            await db.dispose()
    n = n_ind * n_units
    print(f"assignment decision, {n_ind} indicators × {n_units} units = {n:,} targets, PostgreSQL")
    print(f"  request message                         {size / 1e6:8.1f} MB")
    print(f"  CreateDecision (one gRPC request)       {create_s:8.2f} s   {n / create_s:>8,.0f} targets/s")
    print(f"  IssueDecision  (one gRPC request)       {issue_s:8.2f} s   {outbox:,} outbox rows")
    print(f"  whole request path (create + issue)     {create_s + issue_s:8.2f} s")
    print(f"  baseline: COPY of the same rows         {copy_s:8.2f} s")
    print(f"  baseline: executemany of the same rows  {many_s:8.2f} s")


def time_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--units", type=int, default=170)
    parser.add_argument("--database-url", default="", help="postgresql+asyncpg://... (default: a throw-away server)")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if not url:
            pg = stack.enter_context(servers.postgres("bench"))
            url = pg.create_database("assignment_bench")
        asyncio.run(run(url, args.indicators, args.units))


if __name__ == "__main__":
    main()
