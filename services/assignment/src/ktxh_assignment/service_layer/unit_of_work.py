"""What the assignment use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy: SQLite or PostgreSQL, with the outbox) and, for the
fast tests, by an in-memory fake (``tests/unit/fakes.py``).

One use case opens one unit of work; nothing is written unless it calls ``commit()``, and the
events the aggregates recorded are written to the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, Self

from ktxh_assignment.domain.decisions import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Decision,
    DecisionStatus,
)
from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate
from ktxh_platform.domain.idempotency import IdempotencyStore


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: ``read`` (published assignments of units in it; for the Front,
    those naming its committee) and ``write`` (drafts of the issuers in it), None without the
    write grant."""

    read: Scope
    write: Scope | None = None


@dataclass(frozen=True)
class DecisionFilter:
    issuer_unit_id: str = ""
    year: int = 0
    status: DecisionStatus | None = None
    query: str = ""
    page_size: int = 50
    page_token: str = ""


@dataclass(frozen=True)
class AssignmentFilter:
    assignee_unit_id: str = ""
    include_descendants: bool = False
    decision_id: str = ""
    year: int = 0
    kind: AssignmentKind | None = None
    status: AssignmentStatus | None = None
    indicator_code: str = ""
    key_task_id: str = ""
    front_unit_id: str = ""
    in_force_on: date | None = None
    page_size: int = 100
    page_token: str = ""


class DecisionRepository(Protocol):
    async def get(
        self, decision_id: str, v: Visibility, *, all_assignments: bool = False, header_only: bool = False
    ) -> Decision | None: ...
    async def list(self, v: Visibility, f: DecisionFilter) -> tuple[list[Decision], str, int]: ...
    async def add(self, d: Decision) -> None: ...
    async def save_header(self, d: Decision, before_version: int) -> None: ...
    async def replace_assignments(self, d: Decision, before_version: int) -> None: ...
    async def save_issued(self, d: Decision, before_version: int) -> None: ...
    async def save_revoked(self, d: Decision, before_version: int) -> None: ...


class AssignmentRepository(Protocol):
    async def get(self, assignment_id: str, v: Visibility) -> Assignment | None: ...
    async def list(self, v: Visibility, f: AssignmentFilter) -> tuple[list[Assignment], str, int]: ...
    async def history(self, a: Assignment, v: Visibility) -> list[Assignment]: ...
    async def in_force(
        self, province: str, pairs: Iterable[tuple[str, str]], on: date, exclude_decision_id: str
    ) -> dict[tuple[str, str], Assignment]: ...
    async def superseded_by(self, decision_id: str) -> list[Assignment]: ...
    async def unacknowledged(self, province: str, issued_before: date, limit: int) -> list[Assignment]: ...
    async def save(self, a: Assignment, before_version: int) -> None: ...


class UnitRepository(Protocol):
    async def own_unit_ids(self, province: str, unit_code: str) -> set[str]: ...
    async def existing(self, province: str, ids: Iterable[str]) -> dict[str, str]: ...
    async def in_scope(self, scope: Scope, unit_id: str) -> bool: ...


class AssignmentUnitOfWork(Protocol):
    province_code: str
    seen: list[Aggregate]
    decisions: DecisionRepository
    assignments: AssignmentRepository
    units: UnitRepository
    idempotency: IdempotencyStore

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
