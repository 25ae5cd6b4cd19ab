"""One trace from the HTTP request through gRPC, the outbox, the bus and the consumer: the
gateway's server span, the catalog's gRPC span, the relay's "<topic> publish" span and the
reporting consumer's "<topic> process" span share a trace id (context carried in gRPC metadata,
the event envelope and the record headers)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn
from opentelemetry import trace
from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, GrpcAioInstrumentorServer
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ktxh_allinone.main import AllInOne
from ktxh_gateway.main import build
from ktxh_platform.settings import SERVICES
from ktxh_testing.servers import free_port, free_port_block


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    GrpcAioInstrumentorServer().instrument()
    GrpcAioInstrumentorClient().instrument()
    yield exporter
    GrpcAioInstrumentorServer().uninstrument()
    GrpcAioInstrumentorClient().uninstrument()


async def test_trace_spans_http_grpc_and_the_bus(spans: InMemorySpanExporter, tmp_path: Path):
    port = free_port()
    system = AllInOne(tmp_path, host="127.0.0.1", port=port, grpc_port_base=free_port_block(len(SERVICES)))
    await system.start()
    server = uvicorn.Server(uvicorn.Config(build(system.gateway_settings), host="127.0.0.1", port=port,
                                           log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, timeout=20) as client:
            token = (await client.post("/realms/ktxh/protocol/openid-connect/token", data={
                "grant_type": "password", "client_id": "ktxh-web", "username": "admin", "password": "demo",
            })).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
            root = (await client.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
            spans.clear()
            r = await client.post("/api/v1/org-units", json={
                "code": f"31.TR{uuid.uuid4().hex[:4].upper()}", "name": "Sở Theo dõi", "kind": "agency",
                "parent_id": root["id"]})
            assert r.status_code == 201

        def find(pred):
            return [s for s in spans.get_finished_spans() if pred(s)]

        http = find(lambda s: s.kind == trace.SpanKind.SERVER and s.name == "POST /api/v1/org-units")
        assert http, [s.name for s in spans.get_finished_spans()]
        trace_id = http[0].context.trace_id

        def in_trace(name: str):
            return find(lambda s: s.name == name and s.context.trace_id == trace_id)

        for _ in range(400):  # the demo province's events may still be in the queue ahead of ours
            if in_trace("ktxh.catalog.org_unit.v1 process"):
                break
            await asyncio.sleep(0.05)
        grpc_server = [s for s in in_trace("/ktxh.catalog.v1.CatalogService/CreateOrgUnit")
                       if s.kind == trace.SpanKind.SERVER]
        assert grpc_server, "gRPC server span is not in the HTTP request's trace"
        assert in_trace("ktxh.catalog.org_unit.v1 publish"), "relay publish span is not in the trace"
        process = in_trace("ktxh.catalog.org_unit.v1 process")
        assert process, "consumer span is not in the trace"
        assert process[0].kind == trace.SpanKind.CONSUMER
    finally:
        server.should_exit = True
        await serving
        await system.stop()
