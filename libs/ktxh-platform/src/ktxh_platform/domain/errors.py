"""Domain errors. Each kind maps once to a gRPC status (platform.grpc) and once to an HTTP
problem response (gateway). Messages are Vietnamese because users read them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldViolation:
    """One invalid field: `field` is the API field path (e.g. ``parent_id``)."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a domain or service layer raises on purpose."""

    kind = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    kind = "not_found"


class Conflict(DomainError):
    """The request clashes with stored state (duplicate code, cycle in a tree...)."""

    kind = "conflict"

    def __init__(self, message: str, violations: list[FieldViolation] | None = None) -> None:
        super().__init__(message)
        self.violations = list(violations or [])


class PreconditionFailed(DomainError):
    """Optimistic concurrency: the caller's version is stale."""

    kind = "precondition_failed"


class PermissionDenied(DomainError):
    kind = "permission_denied"


class Unauthenticated(DomainError):
    kind = "unauthenticated"


class InvalidArgument(DomainError):
    """One or more fields are invalid; every violation is reported, not just the first."""

    kind = "invalid_argument"

    def __init__(
        self, violations: list[FieldViolation], message: str = "Dữ liệu không hợp lệ"
    ) -> None:
        super().__init__(message)
        self.violations = list(violations)

    @classmethod
    def single(cls, field_name: str, message: str) -> "InvalidArgument":
        return cls([FieldViolation(field_name, message)], message)

    def __str__(self) -> str:
        return "; ".join(f"{v.field}: {v.message}" for v in self.violations) or self.message
