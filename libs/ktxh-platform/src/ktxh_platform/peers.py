"""Calls from one service to another over gRPC with the caller's own access token (token relay:
the called service authorizes the caller itself). A service's `adapters/peers.py` keeps only
its typed calls: it subclasses `Peer` with the contract's stub and calls through `call` and
`pages`, so the channel, the relayed token, the deadline and the error mapping are the same
everywhere.

Error mapping: a peer's status in `absent` (e.g. `MISSING`: not found, or an id it cannot read)
answers None; one in `refuse` raises the domain error made from the peer's message (e.g. a
field violation naming the caller's field); any other status propagates as the gRPC error,
which the server's interceptor reports as the internal error it is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import grpc

from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import DomainError
from ktxh_platform.rpc import MAX_MESSAGE_BYTES

__all__ = ["MISSING", "TIMEOUT", "UNSERVED", "Peer", "channel"]

TIMEOUT = 30.0  # seconds a peer call may take
# the peer does not have what was asked (or cannot read its id)
MISSING = (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT)
# the peer cannot answer now: not served yet, down, failing or too slow
UNSERVED = (
    grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL,
    grpc.StatusCode.DEADLINE_EXCEEDED,
)

StubT = TypeVar("StubT")


def channel(addr: str, interceptors: Iterable[grpc.aio.ClientInterceptor] = ()) -> grpc.aio.Channel:
    """A client channel balancing over every address the name resolves to (one per replica of a
    headless Service); the gateway's channels to the services are these too (with its
    admission interceptor)."""
    return grpc.aio.insecure_channel(
        addr if "://" in addr or addr.startswith("dns:") else f"dns:///{addr}",
        options=[
            ("grpc.lb_policy_name", "round_robin"),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            # field violations travel in trailers; long ones must not be cut off
            ("grpc.max_metadata_size", 1024 * 1024),
        ],
        interceptors=list(interceptors) or None,
    )


class Peer(Generic[StubT]):
    """One peer service at `addr`, reached through the contract's `stub_class`."""

    def __init__(self, addr: str, stub_class: Callable[[grpc.aio.Channel], StubT]) -> None:
        self._addr = addr
        self._stub_class = stub_class
        self._stub: StubT | None = None

    @property
    def stub(self) -> StubT:
        if self._stub is None:  # created lazily, inside the running event loop
            self._stub = self._stub_class(channel(self._addr))
        return self._stub

    async def call(
        self,
        method: str,
        request: Any,
        principal: Principal,
        *,
        absent: Iterable[grpc.StatusCode] = (),
        refuse: Mapping[grpc.StatusCode, Callable[[str], DomainError]] | None = None,
    ) -> Any:
        """`method` of the stub with the caller's token; None for a status in `absent`."""
        try:
            return await getattr(self.stub, method)(
                request, metadata=principal.to_metadata(), timeout=TIMEOUT
            )
        except grpc.aio.AioRpcError as err:
            if err.code() in tuple(absent):
                return None
            if refuse and err.code() in refuse:
                raise refuse[err.code()](err.details() or "") from None
            raise

    async def pages(
        self, method: str, request: Callable[[str], Any], principal: Principal, items: str
    ) -> AsyncIterator[Any]:
        """Every item of a paged listing: `request(page_token)` asks for one page; `items` names
        the repeated field of the response."""
        token = ""
        while True:
            page = await self.call(method, request(token), principal)
            for item in getattr(page, items):
                yield item
            token = page.next_page_token
            if not token:
                return
