"""gRPC channels to the services (the gateway has no database)."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from ktxh.catalog.v1 import catalog_pb2_grpc
from ktxh_platform import peers
from ktxh_platform.auth.principal import Principal

from ktxh_gateway.admission import AdmissionInterceptor


class ServiceClients:
    def __init__(self, addrs: dict[str, str], timeout: float, *, max_calls: int = 32,
                 queue_timeout: float = 120.0) -> None:
        self.timeout = timeout
        # the services' own peer channel (dns:/// + round_robin over every replica), each with
        # its own bound on calls in flight (admission.py)
        self.channels = {
            name: peers.channel(addr, interceptors=[AdmissionInterceptor(max_calls, queue_timeout)])
            for name, addr in addrs.items()
        }
        self.catalog = catalog_pb2_grpc.CatalogServiceStub(self.channels["catalog"])

    def call_options(self, principal: Principal) -> dict:
        """Token relay: the caller's own access token goes to the service, which validates it."""
        return {"metadata": principal.to_metadata(), "timeout": self.timeout}

    async def health(self) -> dict[str, str]:
        """Each service's gRPC health status (SERVING, NOT_SERVING, UNAVAILABLE...)."""

        result: dict[str, str] = {}
        for name, channel in self.channels.items():
            try:
                response = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=2.0
                )
                result[name] = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
            except grpc.aio.AioRpcError as err:
                result[name] = err.code().name
        return result

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
