"""gRPC helpers: server with health and reflection, one interceptor mapping domain errors to
status codes (with field violations), request metrics, and the caller's principal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import grpc
import structlog
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from prometheus_client import Histogram

from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain.errors import (
    Conflict,
    DomainError,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    Unauthenticated,
)

log = structlog.get_logger(__name__)

RPC_SECONDS = Histogram(
    "ktxh_grpc_server_handling_seconds", "gRPC handling time", ["method", "code"]
)

_CODES: dict[type[DomainError], grpc.StatusCode] = {
    InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    NotFound: grpc.StatusCode.NOT_FOUND,
    Conflict: grpc.StatusCode.ALREADY_EXISTS,
    PreconditionFailed: grpc.StatusCode.ABORTED,
    PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
}


def grpc_code_for(error: DomainError) -> grpc.StatusCode:
    return next(
        (c for cls, c in _CODES.items() if isinstance(error, cls)), grpc.StatusCode.INTERNAL
    )


def status_for(error: DomainError) -> status_pb2.Status:
    """The rich gRPC status of a domain error: code, Vietnamese message, field violations."""

    code = grpc_code_for(error).value[0]
    status = status_pb2.Status(code=code, message=error.message)
    violations = getattr(error, "violations", None)
    if violations:
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.message)
                    for v in violations
                ]
            )
        )
        status.details.append(detail)
    return status


def principal_from(context: grpc.aio.ServicerContext) -> Principal:
    """The caller as forwarded by the gateway (or a service account) in metadata."""

    principal = Principal.from_metadata(context.invocation_metadata() or ())
    if not principal.authenticated:
        raise Unauthenticated("Thiếu thông tin người gọi (x-principal-*)")
    return principal


class DomainErrorInterceptor(grpc.aio.ServerInterceptor):
    """Maps ``DomainError`` to a gRPC status once, for every unary method, and times calls."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Any],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        method = handler_call_details.method
        inner = handler.unary_unary

        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            started = time.perf_counter()
            code = "OK"
            try:
                return await inner(request, context)
            except DomainError as err:
                code = grpc_code_for(err).name
                await context.abort_with_status(rpc_status.to_status(status_for(err)))
            except Exception:
                code = "INTERNAL"
                log.exception("rpc_failed", method=method)
                await context.abort(grpc.StatusCode.INTERNAL, "Lỗi hệ thống, vui lòng thử lại sau")
            finally:
                RPC_SECONDS.labels(method, code).observe(time.perf_counter() - started)

        return grpc.unary_unary_rpc_method_handler(
            wrapper,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


class GrpcServer:
    """A gRPC aio server with health (NOT_SERVING until ``set_serving``) and reflection."""

    def __init__(self, host: str, port: int, service_names: Iterable[str]) -> None:
        self.server = grpc.aio.server(interceptors=[DomainErrorInterceptor()])
        self.health = health_aio.HealthServicer()
        self.service_names = list(service_names)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection(
            [*self.service_names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
             reflection.SERVICE_NAME],
            self.server,
        )
        self.port = self.server.add_insecure_port(f"{host}:{port}")

    async def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if serving
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ["", *self.service_names]:
            await self.health.set(name, status)

    async def start(self) -> None:
        await self.set_serving(False)
        await self.server.start()

    async def stop(self, grace: float = 2.0) -> None:
        await self.server.stop(grace)


def client_metadata(principal: Principal | None) -> list[tuple[str, str]]:
    return principal.to_metadata() if principal else []
