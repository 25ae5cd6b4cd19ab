"""gRPC helpers: server with health and reflection, one interceptor mapping domain errors to
status codes (with field violations), request metrics, and the caller's principal.

Every call except health and reflection must carry `authorization: Bearer <access token>`;
`TokenAuthInterceptor` validates it (signature via the cached JWKS, issuer, audience,
expiry, province) and the handler reads the principal with `principal_from(context)`.
Refused calls are logged as `security_event` (who, peer, method, trace id)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
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

from ktxh_platform.auth.principal import MD_AUTHORIZATION, AuthenticationError, Principal
from ktxh_platform.auth.validator import IdentityProviderUnavailable, TokenValidator, bearer_token
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

# 20 MB imports (docs/conventions.md) travel as one message, plus protobuf framing.
MAX_MESSAGE_BYTES = 32 * 1024 * 1024

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


# Methods anyone may call: health checks (probes) and reflection (tooling).
OPEN_METHOD_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")

_current_principal: ContextVar[Principal | None] = ContextVar("ktxh_principal", default=None)

# The security log event's name: refused credentials and denied access, one line each.
SECURITY_EVENT = "security_event"


def principal_from(context: grpc.aio.ServicerContext) -> Principal:
    """The caller, as validated from its access token by `TokenAuthInterceptor`."""

    principal = _current_principal.get()
    if principal is None or not principal.authenticated:
        raise AuthenticationError("missing")
    return principal


def _metadata_value(metadata: Any, key: str) -> str | None:
    for k, v in metadata or ():
        if k.lower() == key:
            return v.decode("ascii", "replace") if isinstance(v, bytes) else v
    return None


def _trace_id(metadata: Any) -> str:
    from opentelemetry import trace

    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        return format(ctx.trace_id, "032x")
    parent = _metadata_value(metadata, "traceparent") or ""
    parts = parent.split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else ""


def _unverified_subject(token: str | None) -> str:
    """Who the refused token claims to be, for the security log only (never trusted)."""

    import base64
    import json

    try:
        payload = (token or "").split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        who = claims.get("preferred_username") or claims.get("sub") or ""
        return str(who)[:120]
    except Exception:  # noqa: BLE001 - a garbage token has no claimed subject
        return ""


class TokenAuthInterceptor(grpc.aio.ServerInterceptor):
    """Authenticates every call from its relayed access token (token relay).

    Missing, forged, expired, other-issuer or other-audience tokens get UNAUTHENTICATED; a
    valid token of another province gets PERMISSION_DENIED; an unreachable identity provider
    (no cached keys) gets UNAVAILABLE. Plain `x-principal-*` metadata is ignored.
    """

    def __init__(self, validator: TokenValidator, *, service: str, province: str) -> None:
        self.validator = validator
        self.service = service
        self.province = province

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Any],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        method = handler_call_details.method
        if method.startswith(OPEN_METHOD_PREFIXES):
            return await continuation(handler_call_details)
        metadata = handler_call_details.invocation_metadata
        token: str | None = None
        try:
            token = bearer_token(_metadata_value(metadata, MD_AUTHORIZATION))
            principal = await self.validator.validate(token)
            if principal.province != self.province:
                return self._refuse(
                    grpc.StatusCode.PERMISSION_DENIED, "other_province",
                    AuthenticationError.MESSAGES["other_province"], method, metadata,
                    principal.username,
                )
        except AuthenticationError as err:
            return self._refuse(
                grpc.StatusCode.UNAUTHENTICATED, err.reason, err.message, method, metadata,
                _unverified_subject(token),
            )
        except IdentityProviderUnavailable as err:
            log.warning("identity_provider_unavailable", service=self.service, error=str(err))
            return _abort_handler(
                grpc.StatusCode.UNAVAILABLE,
                "Máy chủ đăng nhập tạm thời không truy cập được, vui lòng thử lại sau.",
            )
        handler = await continuation(handler_call_details)
        return _with_principal(handler, principal) if handler is not None else None

    def _refuse(
        self, code: grpc.StatusCode, reason: str, message: str, method: str, metadata: Any,
        who: str,
    ) -> grpc.RpcMethodHandler:
        trace_id = _trace_id(metadata)
        service = self.service

        async def refuse(request: Any, context: grpc.aio.ServicerContext) -> Any:
            log.warning(
                SECURITY_EVENT, event_kind="grpc_call_refused", service=service, method=method,
                reason=reason, claimed_subject=who, peer=context.peer(), trace_id=trace_id,
                status=code.name,
            )
            await context.abort(code, message)

        return grpc.unary_unary_rpc_method_handler(refuse)


def _abort_handler(code: grpc.StatusCode, message: str) -> grpc.RpcMethodHandler:
    async def abort(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(code, message)

    return grpc.unary_unary_rpc_method_handler(abort)


def _with_principal(handler: grpc.RpcMethodHandler, principal: Principal) -> grpc.RpcMethodHandler:
    """The same handler, run with `principal` as the caller (a context variable)."""

    def unary(inner: Callable[..., Any]) -> Callable[..., Any]:
        async def run(request: Any, context: grpc.aio.ServicerContext) -> Any:
            reset = _current_principal.set(principal)
            try:
                return await inner(request, context)
            finally:
                _current_principal.reset(reset)

        return run

    def streaming(inner: Callable[..., Any]) -> Callable[..., Any]:
        async def run(request: Any, context: grpc.aio.ServicerContext) -> Any:
            reset = _current_principal.set(principal)
            try:
                async for item in inner(request, context):
                    yield item
            finally:
                _current_principal.reset(reset)

        return run

    ser = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_unary is not None:
        return grpc.unary_unary_rpc_method_handler(unary(handler.unary_unary), **ser)
    if handler.stream_unary is not None:
        return grpc.stream_unary_rpc_method_handler(unary(handler.stream_unary), **ser)
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(streaming(handler.unary_stream), **ser)
    return grpc.stream_stream_rpc_method_handler(streaming(handler.stream_stream), **ser)


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
            except grpc.aio.AbortError:
                code = "ABORTED_BY_HANDLER"
                raise
            except DomainError as err:
                code = grpc_code_for(err).name
                await context.abort_with_status(rpc_status.to_status(status_for(err)))
            except NotImplementedError:  # a method the generated base still serves
                code = "UNIMPLEMENTED"
                await context.abort(grpc.StatusCode.UNIMPLEMENTED, "Chức năng này chưa có")
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

    def __init__(
        self,
        host: str,
        port: int,
        service_names: Iterable[str],
        *,
        auth: TokenAuthInterceptor,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        self.server = grpc.aio.server(
            interceptors=[DomainErrorInterceptor(), auth],
            options=[
                ("grpc.max_receive_message_length", max_message_bytes),
                ("grpc.max_send_message_length", max_message_bytes),
            ],
        )
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
    """Metadata relaying `principal`'s access token to another service."""
    return principal.to_metadata() if principal else []
