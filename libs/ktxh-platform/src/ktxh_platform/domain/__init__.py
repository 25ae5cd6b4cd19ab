"""Framework-free building blocks that every service's domain layer may import.

Nothing here imports a framework, an ORM or protobuf: import-linter checks it.
"""

from ktxh_platform.domain.errors import (
    Conflict,
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    Unauthenticated,
)
from ktxh_platform.domain.events import Aggregate, DomainEvent

__all__ = [
    "Aggregate",
    "Conflict",
    "DomainError",
    "DomainEvent",
    "FieldViolation",
    "InvalidArgument",
    "NotFound",
    "PermissionDenied",
    "PreconditionFailed",
    "Unauthenticated",
]
