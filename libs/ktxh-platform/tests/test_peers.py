"""A peer call relays the caller's token, maps the peer's status once (absent → None, refused →
the caller's domain error, anything else propagates) and walks paged listings."""

from __future__ import annotations

from types import SimpleNamespace

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.peers import MISSING, Peer

CALLER = Principal(subject="u-1", username="nhap_lieu", display_name="Nhập liệu", token="the-callers-token")


class _Health(health.HealthServicer):
    """The standard health service, remembering the authorization each call carried."""

    def __init__(self) -> None:
        super().__init__()
        self.authorizations: list[str] = []

    def Check(self, request, context):  # noqa: N802 (gRPC method name)
        self.authorizations.append(dict(context.invocation_metadata()).get("authorization", ""))
        return super().Check(request, context)


@pytest.fixture
async def health_peer(free_port):
    servicer = _Health()
    servicer.set("ktxh.known", health_pb2.HealthCheckResponse.SERVING)
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = free_port()
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    yield Peer(f"127.0.0.1:{port}", health_pb2_grpc.HealthStub), servicer
    await server.stop(None)


async def test_a_call_relays_the_token_and_maps_the_peers_status(health_peer):
    peer, servicer = health_peer
    known = await peer.call("Check", health_pb2.HealthCheckRequest(service="ktxh.known"), CALLER)
    assert known.status == health_pb2.HealthCheckResponse.SERVING
    assert servicer.authorizations == ["Bearer the-callers-token"]

    unknown = health_pb2.HealthCheckRequest(service="ktxh.unknown")  # the peer answers NOT_FOUND
    assert await peer.call("Check", unknown, CALLER, absent=MISSING) is None
    with pytest.raises(InvalidArgument) as refused:
        await peer.call("Check", unknown, CALLER, refuse={
            grpc.StatusCode.NOT_FOUND: lambda why: InvalidArgument.single("service", f"Không có: {why}"),
        })
    assert [v.field for v in refused.value.violations] == ["service"]
    with pytest.raises(grpc.aio.AioRpcError) as failed:
        await peer.call("Check", unknown, CALLER)
    assert failed.value.code() == grpc.StatusCode.NOT_FOUND


async def test_pages_walks_every_page_of_a_listing():
    asked: list[str] = []

    class _Stub:
        async def ListThings(self, request, metadata, timeout):  # noqa: N802
            asked.append(request)
            following = {"": "p2", "p2": "p3", "p3": ""}[request]
            return SimpleNamespace(things=[f"{request or 'p1'}-a", f"{request or 'p1'}-b"],
                                   next_page_token=following)

    peer = Peer("127.0.0.1:1", lambda channel: _Stub())
    peer._stub = _Stub()  # no channel: the stub answers in-process
    things = [t async for t in peer.pages("ListThings", lambda token: token, CALLER, "things")]
    assert things == ["p1-a", "p1-b", "p2-a", "p2-b", "p3-a", "p3-b"]
    assert asked == ["", "p2", "p3"]
