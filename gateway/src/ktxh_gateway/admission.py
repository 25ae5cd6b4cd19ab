"""Admission control in front of each service: at most `limit` calls from this gateway in
flight to one service; the others wait their turn *before* their call starts, so the per-call
deadline (`KTXH_GATEWAY_GRPC_TIMEOUT_SECONDS`) measures the service's work, not the queue.

On a deadline day 200 units save at once: without a bound, every save reaches the one service
process together, each takes its turn there, and those still waiting after the deadline were
answered 504 although nothing was wrong (docs/performance.md, "Reports under load"). With the
bound, the service works through a few at a time and the rest wait in the gateway; a call that
waited longer than `queue_timeout` is answered UNAVAILABLE (503 "Hệ thống đang bận") instead of
queueing without end.
"""

from __future__ import annotations

import asyncio

import grpc

__all__ = ["AdmissionInterceptor"]

BUSY = "Hệ thống đang bận: quá nhiều yêu cầu cùng lúc, vui lòng thử lại sau ít phút"


class AdmissionInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """Bounds one channel's unary calls in flight (one interceptor per service channel)."""

    def __init__(self, limit: int, queue_timeout: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._queue_timeout = queue_timeout

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        try:
            await asyncio.wait_for(self._slots.acquire(), self._queue_timeout)
        except TimeoutError:
            raise grpc.aio.AioRpcError(
                grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), details=BUSY,
            ) from None
        try:
            # the call's deadline is computed from here: the time waited above is not in it
            call = await continuation(client_call_details, request)
            try:
                await call  # hold the slot until the service has answered
            except grpc.aio.AioRpcError:
                pass  # the caller's own await raises it
            return call
        finally:
            self._slots.release()
