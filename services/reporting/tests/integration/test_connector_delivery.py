"""The upward connector against a receiver started by the test: it is down at first
(connection refused), then up but losing its first acknowledgement (it stores the figures
and answers 500), then fine. Accepted reports, a redelivered event, a corrected figure and a
resend must leave the receiver with each figure version exactly once by its own count, and the
delivery log must show the attempts and the errors. On SQLite and on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.submission.v1 import events_pb2, submission_pb2
from ktxh_platform.db import Database
from ktxh_platform.domain import Conflict, InvalidArgument
from ktxh_reporting.adapters import tables
from ktxh_reporting.adapters.connector_feed import on_accepted
from ktxh_reporting.adapters.connector_http import HttpSender
from ktxh_reporting.adapters.connector_store import (
    ConnectorStore,
    SqlDeliveryLog,
    TransmissionStore,
)
from ktxh_reporting.domain.connector import (
    Backoff,
    Connector,
    ConnectorKind,
    DeliveryStatus,
    IndicatorMapping,
)
from ktxh_reporting.service_layer.connector_delivery import deliver_due
from ktxh_testing.servers import free_port

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
FAST = Backoff(base=timedelta(milliseconds=50), cap=timedelta(milliseconds=400), jitter=0.1)


class Receiver:
    """A national endpoint: keeps figures by idempotency key, counts every arrival."""

    def __init__(self, port: int, lose_first_acks: int = 0, token: str = "") -> None:
        self.port = port
        self.stored: dict[str, dict] = {}
        self.arrivals: Counter[str] = Counter()
        self.requests = 0
        self.lose = lose_first_acks
        self.token = token
        self.headers: list[dict] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests += 1
                receiver.headers.append(dict(self.headers))
                expected = f"Bearer {receiver.token}"
                if receiver.token and self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                for rec in body["records"]:
                    receiver.arrivals[rec["idempotency_key"]] += 1
                    receiver.stored.setdefault(rec["idempotency_key"], rec)  # dedup by key
                if receiver.lose > 0:  # stored, but the acknowledgement is lost
                    receiver.lose -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = json.dumps({"reference": f"NR-{receiver.requests}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def reporting_db(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="reporting")
    await db.migrate(MIGRATIONS, tables.metadata)
    yield db
    await db.dispose()


def accepted(report_id: str, unit: str, period: str, figures: dict[str, tuple[str, int]],
             version: int = 1) -> events_pb2.SubmissionAccepted:
    sub = submission_pb2.Submission(
        id=report_id, org_unit_code=unit, province_code="31", version=version,
        period=types_pb2.Period(code=period),
    )
    for code, (value, fig_version) in figures.items():
        indicator, _, member = code.partition(":")
        key = figure_pb2.FigureKey(indicator_code=indicator, kind=figure_pb2.FIGURE_KIND_ACTUAL)
        if member:
            key.members.add(dimension_code="price_basis", member_code=member)
        sub.figures.add(key=key, value=value, version=fig_version)
    return events_pb2.SubmissionAccepted(submission=sub)


async def feed(db: Database, event: events_pb2.SubmissionAccepted) -> None:
    async with db.sessions() as session, session.begin():
        await on_accepted(session, event, envelope_pb2.EventEnvelope())


async def deliver_until_quiet(db: Database, rounds: int = 200) -> None:
    for _ in range(rounds):
        async with db.sessions() as session:
            pending, _ = await TransmissionStore(session, "31").list(
                status=DeliveryStatus.PENDING)
        if not pending:
            return
        await deliver_due(SqlDeliveryLog(db), HttpSender(timeout=2), backoff=FAST)
        await asyncio.sleep(0.05)
    raise AssertionError("transmissions still pending")


async def test_each_figure_version_reaches_the_receiver_exactly_once(reporting_db, monkeypatch):
    db = reporting_db
    port = free_port()
    monkeypatch.setenv("KTXH_TEST_NATIONAL_TOKEN", "s3cret")
    connector = Connector(
        id="c-1", code="HTTTBC", name="Hệ thống thông tin báo cáo Chính phủ",
        kind=ConnectorKind.NATIONAL_REPORTING, endpoint=f"http://127.0.0.1:{port}/figures",
        credentials_secret="KTXH_TEST_NATIONAL_TOKEN", external_unit_code="HN",
        mappings=(
            IndicatorMapping("HP.HONGHEO/actual", "CP-0301", "%"),
            IndicatorMapping("HP.GTSX[price_basis=comparative]/actual", "CP-0101", "triệu đồng",
                             Decimal(1000)),
        ),
        unit_mappings={"10846.PKT": "HN-HT-01", "10847": "HN-DT"},
    )
    async with db.sessions() as session, session.begin():
        await ConnectorStore(session, "31").add(connector, "admin", datetime.now(UTC))
        # a disabled connector receives nothing
        await ConnectorStore(session, "31").add(
            Connector(id="c-2", code="IOC", name="IOC thành phố", kind=ConnectorKind.IOC,
                      endpoint=f"http://127.0.0.1:{port}/ioc", enabled=False,
                      mappings=(IndicatorMapping("HP.HONGHEO/actual", "X"),),
                      unit_mappings={"10846.PKT": "X"}),
            "admin", datetime.now(UTC))

    october = accepted("r-1", "10846.PKT", "2026-M10", {
        "HP.HONGHEO": ("2.15", 3), "HP.GTSX:comparative": ("12.5", 1), "HP.DANSO": ("12480", 1),
    })
    await feed(db, october)
    await feed(db, october)  # redelivered event: still one transmission
    await feed(db, accepted("r-2", "10847", "2026-M10", {"HP.HONGHEO": ("3.1", 1)}))
    await feed(db, accepted("r-3", "99999", "2026-M10", {"HP.HONGHEO": ("9", 1)}))  # unmapped

    # receiver down: attempts fail and are retried later, the log says why
    await deliver_due(SqlDeliveryLog(db), HttpSender(timeout=2), backoff=FAST)
    async with db.sessions() as session:
        log, total = await TransmissionStore(session, "31").list()
    assert total == 2 and all(t.connector_id == "c-1" for t in log)
    assert all(t.status == DeliveryStatus.PENDING and t.attempts == 1 for t in log)
    assert all("Không kết nối được" in t.error and t.next_attempt_at > t.requested_at
               for t in log)
    await asyncio.sleep(0.3)
    await deliver_due(SqlDeliveryLog(db), HttpSender(timeout=2), backoff=FAST)

    receiver = Receiver(port, lose_first_acks=1, token="s3cret")
    receiver.start()
    try:
        await deliver_until_quiet(db)
        async with db.sessions() as session:
            log, _ = await TransmissionStore(session, "31").list()
        assert all(t.status == DeliveryStatus.SUCCEEDED and t.acknowledged_at for t in log)
        assert any(t.attempts >= 3 for t in log)  # down, down, lost ack, ...
        assert all(t.external_reference.startswith("NR-") for t in log)
        by_code = {(r["unit_code"], r["indicator_code"]): r for r in receiver.stored.values()}
        # unmapped indicator (HP.DANSO), unmapped unit (99999), disabled connector: not sent
        assert set(by_code) == {("HN-HT-01", "CP-0301"), ("HN-HT-01", "CP-0101"),
                                ("HN-DT", "CP-0301")}
        assert by_code[("HN-HT-01", "CP-0101")]["value"] == "12500"  # tỷ → triệu đồng
        assert by_code[("HN-HT-01", "CP-0101")]["unit_of_measure"] == "triệu đồng"
        assert by_code[("HN-HT-01", "CP-0301")]["value"] == "2.15"
        assert by_code[("HN-HT-01", "CP-0301")]["period"] == "2026-M10"
        assert len(receiver.stored) == 3  # exactly once by the receiver's count
        assert max(receiver.arrivals.values()) >= 2  # the lost ack made it arrive twice
        assert all(h.get("Idempotency-Key") for h in receiver.headers)

        # a corrected figure (new version) is a new figure version for the receiver
        await feed(db, accepted("r-1", "10846.PKT", "2026-M10", {
            "HP.HONGHEO": ("2.05", 4), "HP.GTSX:comparative": ("12.5", 1),
        }, version=2))
        await deliver_until_quiet(db)
        assert len(receiver.stored) == 4
        new = [r for r in receiver.stored.values() if r["value"] == "2.05"]
        assert len(new) == 1 and new[0]["indicator_code"] == "CP-0301"

        # a resend delivers again with the same keys: the receiver's count does not change
        async with db.sessions() as session, session.begin():
            store = TransmissionStore(session, "31")
            first = (await store.list())[0][-1]
            first.resend(datetime.now(UTC))
            await store.save(first)
        before = receiver.requests
        await deliver_until_quiet(db)
        assert receiver.requests == before + 1 and len(receiver.stored) == 4
    finally:
        receiver.stop()


async def test_connector_settings_are_checked_and_versioned(reporting_db):
    with pytest.raises(InvalidArgument) as bad:
        Connector(id="x", code=" ", name="", kind=ConnectorKind.GENERIC, endpoint="ftp://x",
                  mappings=(IndicatorMapping("A/actual", "1"), IndicatorMapping("A/actual", "2"),
                            IndicatorMapping("B/actual", "3", scale_factor=Decimal(0))))
    assert {v.field for v in bad.value.violations} == {
        "code", "name", "endpoint", "mappings[1].figure_key", "mappings[2].scale_factor"}
    now = datetime.now(UTC)
    c = Connector(id="c-9", code="IOC", name="IOC", kind=ConnectorKind.IOC,
                  endpoint="https://ioc.example.vn/api")
    async with reporting_db.sessions() as session, session.begin():
        store = ConnectorStore(session, "31")
        await store.add(c, "admin", now)
        with pytest.raises(Conflict):
            await store.add(Connector(id="c-10", code="IOC", name="khác",
                                      kind=ConnectorKind.IOC, endpoint="https://a"), "admin", now)
    async with reporting_db.sessions() as session, session.begin():
        store = ConnectorStore(session, "31")
        c.enabled = False
        assert (await store.update(c, 1, "admin", now)).version == 2
        with pytest.raises(Conflict):
            await store.update(c, 1, "admin", now)  # stale version
        assert (await ConnectorStore(session, "01").list())[1] == 0  # another province
        assert not (await store.get("c-9")).enabled
