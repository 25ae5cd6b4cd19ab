"""The gateway's admission control against a real gRPC server: a burst of calls larger than the
bound reaches the service a few at a time, every call succeeds within its own deadline although
the burst as a whole takes longer than that deadline, and a call that cannot get a slot in time
is refused with UNAVAILABLE and the Vietnamese reason."""

from __future__ import annotations

import asyncio

import grpc
from ktxh_gateway.admission import BUSY, AdmissionInterceptor
from ktxh_platform import peers

WORK = 0.2  # seconds the service spends on each call, one call at a time


class SerialService:
    """Serves one call at a time (like a single busy process) and records the calls in flight."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0
        self._one = asyncio.Lock()

    async def slow(self, request: bytes, context) -> bytes:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            async with self._one:
                await asyncio.sleep(WORK)
            return request
        finally:
            self.in_flight -= 1


async def _serve(service: SerialService) -> tuple[grpc.aio.Server, int]:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(
        "t.Slow", {"Call": grpc.unary_unary_rpc_method_handler(service.slow)})])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


async def _burst(port: int, calls: int, limit: int | None, timeout: float, queue: float = 60.0):
    interceptors = [AdmissionInterceptor(limit, queue)] if limit else []
    channel = peers.channel(f"127.0.0.1:{port}", interceptors=interceptors)
    call = channel.unary_unary("/t.Slow/Call")
    try:
        return await asyncio.gather(*(call(b"%d" % i, timeout=timeout) for i in range(calls)),
                                    return_exceptions=True)
    finally:
        await channel.close()


async def test_a_burst_waits_in_the_gateway_instead_of_timing_out() -> None:
    service = SerialService()
    server, port = await _serve(service)
    try:
        # 12 calls of 0.2 s served one at a time take 2.4 s; each call's deadline is 1.5 s
        unbounded = await _burst(port, 12, None, timeout=1.5)
        late = [r for r in unbounded if isinstance(r, grpc.aio.AioRpcError)]
        assert late and all(e.code() is grpc.StatusCode.DEADLINE_EXCEEDED for e in late)

        await asyncio.sleep(WORK * 13)  # the service finishes the abandoned calls of that burst
        service.most = 0
        bounded = await _burst(port, 12, 2, timeout=1.5)
        assert bounded == [b"%d" % i for i in range(12)]
        assert service.most <= 2
    finally:
        await server.stop(None)


async def test_a_call_that_cannot_get_a_slot_in_time_is_refused_as_busy() -> None:
    service = SerialService()
    server, port = await _serve(service)
    try:
        results = await _burst(port, 3, 1, timeout=5, queue=WORK / 2)
        answered = [r for r in results if isinstance(r, bytes)]
        refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
        assert len(answered) == 1 and len(refused) == 2
        assert all(e.code() is grpc.StatusCode.UNAVAILABLE and e.details() == BUSY for e in refused)
    finally:
        await server.stop(None)
