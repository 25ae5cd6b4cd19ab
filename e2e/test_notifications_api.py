"""Notifications end to end in the distributed mode: an AssignmentIssued event published to
the Kafka-protocol broker (as the assignment service's relay would) reaches the notification
service's consumer, and the receiving commune's users see it through the gateway's REST; an
event for another commune stays out of their inbox; read state is per user."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ktxh.assignment.v1 import assignment_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2, figure_pb2
from ktxh_platform.bus.kafka import KafkaBus

pytestmark = [pytest.mark.e2e]

Target = "conftest.Target"
TOPIC = "e2e.ktxh.assignment.assignment.v1"  # the distributed stack's topic prefix is "e2e."


def _client(target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _issued(unit_id: str, decision_number: str, indicator: str) -> envelope_pb2.EventEnvelope:
    assignment = assignment_pb2.Assignment(
        id=str(uuid.uuid4()), decision_id=str(uuid.uuid4()),
        kind=assignment_pb2.AssignmentKind.ASSIGNMENT_KIND_INDICATOR_TARGET,
        assignee_unit_id=unit_id, year=2026, province_code="31", version=1,
        target=assignment_pb2.IndicatorTarget(key=figure_pb2.FigureKey(indicator_code=indicator),
                                              target_value="1250"),
    )
    env = envelope_pb2.EventEnvelope(
        event_id=str(uuid.uuid4()), type=events_pb2.AssignmentIssued.DESCRIPTOR.full_name,
        province_code="31", actor="ke_hoach", aggregate_type="assignment", aggregate_id=assignment.id,
        aggregate_version=1,
    )
    env.occurred_at.GetCurrentTime()
    env.payload.Pack(events_pb2.AssignmentIssued(assignment=assignment, decision_number=decision_number),
                     type_url_prefix="type.googleapis.com/")
    return env


async def _unit_id(client: httpx.AsyncClient, code: str) -> str:
    page = (await client.get("/api/v1/org-units", params={"q": code, "page_size": 50})).json()
    return next(u["id"] for u in page["items"] if u["code"] == code)


async def _inbox(client: httpx.AsyncClient, **params) -> dict:
    r = await client.get("/api/v1/notifications", params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def _until(check, timeout: float = 60.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result or asyncio.get_running_loop().time() > deadline:
            return result
        await asyncio.sleep(0.5)


async def test_an_assignment_event_on_kafka_reaches_the_commune_inbox(distributed_target, kafka_server):
    target = distributed_target
    async with _client(target, await target.sign_in("admin")) as admin:
        ha_tay = await _unit_id(admin, "10846")
        page = (await admin.get("/api/v1/org-units", params={"kind": "commune", "page_size": 50})).json()
        an_lao = next(u["id"] for u in page["items"] if u["code"] != "10846")
    ours = _issued(ha_tay, "125/QĐ-UBND", "HP2081.XIII.01")
    theirs = _issued(an_lao, "126/QĐ-UBND", "HP2081.XIII.02")

    bus = KafkaBus(kafka_server.bootstrap_servers, client_id="e2e-assignment")
    await bus.start()
    try:
        for env in (theirs, ours, ours):  # ours delivered twice: still one notice
            await bus.publish(TOPIC, env.aggregate_id.encode(), env.SerializeToString(), [])
    finally:
        await bus.stop()

    async with _client(target, await target.sign_in("chu_tich")) as leader, \
            _client(target, await target.sign_in("nhap_lieu")) as clerk, \
            _client(target, await target.sign_in("ke_hoach")) as planner:

        # the stack is shared with the other distributed tests, which notify Xã Hà Tây too:
        # everything below is about this test's own events
        def own(page: dict, event_id: str) -> list[dict]:
            return [n for n in page["items"] if n["source_event_id"] == event_id]

        async def arrived():
            page = await _inbox(leader, page_size=200)
            return page if own(page, ours.event_id) else None

        page = await _until(arrived)
        assert page, "the notice never reached Xã Hà Tây's inbox"
        (notice,) = own(page, ours.event_id)  # delivered twice, one notice
        assert notice["title"] == "Đơn vị được giao chỉ tiêu theo Quyết định 125/QĐ-UBND"
        assert notice["link"] == f"#/duoc-giao/{ours.aggregate_id}"
        assert notice["item_count"] == 1
        assert notice["unit_id"] == ha_tay and not notice["read"]
        assert not own(page, theirs.event_id)

        # the office's clerk sees the commune's notice; the other commune's notice reached
        # nobody here, and the province's planner sees neither
        clerk_page = await _inbox(clerk, page_size=200)
        assert [n["id"] for n in own(clerk_page, ours.event_id)] == [notice["id"]]
        assert not own(clerk_page, theirs.event_id)
        planner_page = await _inbox(planner, page_size=200)
        assert not own(planner_page, ours.event_id) and not own(planner_page, theirs.event_id)

        unread_before = page["unread_count"]
        r = await leader.post(f"/api/v1/notifications/{notice['id']}/read")
        assert r.status_code == 200 and r.json()["read"] is True
        page = await _inbox(leader, page_size=200)
        assert own(page, ours.event_id)[0]["read"] and page["unread_count"] == unread_before - 1
        clerk_page = await _inbox(clerk, page_size=200, unread_only="true")
        assert [n["id"] for n in own(clerk_page, ours.event_id)] == [notice["id"]]  # per user
        r = await clerk.post("/api/v1/notifications/read-all")
        assert r.status_code == 200 and r.json()["marked"] == clerk_page["unread_count"] >= 1
        assert (await _inbox(clerk))["unread_count"] == 0

        # the other commune's notice was stored for that commune (filtered, not lost)
        engine = create_async_engine(target.extra["database_url"])
        try:
            async with engine.connect() as conn:
                stored = (await conn.execute(sa.text(
                    "SELECT unit_id, title FROM notification.notices WHERE source_event_id = :e"),
                    {"e": theirs.event_id})).all()
        finally:
            await engine.dispose()
        assert [tuple(r) for r in stored] == [(an_lao, "Đơn vị được giao chỉ tiêu theo Quyết định 126/QĐ-UBND")]

        # someone else's notice: not found, with a problem in Vietnamese
        r = await planner.post(f"/api/v1/notifications/{notice['id']}/read")
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["detail"] == "Không tìm thấy thông báo"
        r = await leader.get("/api/v1/notifications", params={"page_size": 0})
        assert r.status_code == 422 and "page_size" in r.text
