"""What the oversight use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy: SQLite or PostgreSQL, with the outbox).

One use case opens one unit of work; nothing is written unless it calls ``commit()``, and the
events the aggregates recorded are written to the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, Self

from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate
from ktxh_platform.domain.idempotency import IdempotencyStore

from ktxh_oversight.domain.model import (
    Comment,
    CommentStatus,
    OversightReport,
    RecommendationStatus,
    ReportStatus,
    SubjectKind,
)


@dataclass(frozen=True)
class Reader:
    """What the caller may read. ``front_unit_id`` set: a Front member, who reads its own
    committee's comments and reports (drafts included) only. Otherwise ``scope``: comments
    addressed to a unit in it; filed reports filed to or addressing a unit in it."""

    scope: Scope
    front_unit_id: str = ""


@dataclass(frozen=True)
class CommentFilter:
    front_unit_id: str = ""
    addressee_unit_id: str = ""
    subject_kind: SubjectKind | None = None
    subject_id: str = ""
    status: CommentStatus | None = None
    page_size: int = 100
    page_token: str = ""


@dataclass(frozen=True)
class ReportFilter:
    front_unit_id: str = ""
    overseen_unit_id: str = ""
    status: ReportStatus | None = None
    year: int = 0
    page_size: int = 50
    page_token: str = ""


@dataclass(frozen=True)
class RecommendationFilter:
    front_unit_id: str = ""
    addressee_unit_id: str = ""
    status: RecommendationStatus | None = None
    overdue_on: date | None = None  # only open ones due before this day
    oversight_report_id: str = ""
    page_size: int = 100
    page_token: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    code: str
    kind: str
    parent_id: str | None


class CommentRepository(Protocol):
    async def get(self, comment_id: str, reader: Reader) -> Comment | None: ...
    async def list(self, reader: Reader, f: CommentFilter) -> tuple[list[Comment], str, int]: ...
    async def add(self, c: Comment) -> None: ...
    async def save(self, c: Comment, before_version: int) -> None: ...


class ReportRepository(Protocol):
    async def get(self, report_id: str, reader: Reader) -> OversightReport | None: ...
    async def get_by_recommendation(self, recommendation_id: str, reader: Reader) -> OversightReport | None: ...
    async def list(self, reader: Reader, f: ReportFilter) -> tuple[list[OversightReport], str, int]: ...
    async def recommendations(
        self, reader: Reader, f: RecommendationFilter
    ) -> tuple[list[tuple[OversightReport, str]], str, int]:
        """(report, recommendation id) pairs, soonest due first."""
        ...
    async def board(self, reader: Reader, front_unit_id: str, today: date) -> list[tuple[str, int, int, int, int]]:
        """(addressee unit id, open not overdue, answered, overdue, resolved) by unit id."""
        ...
    async def to_remind(self, province: str, until: date, limit: int) -> list[OversightReport]:
        """Filed reports with an open recommendation due on or before ``until``."""
        ...
    async def add(self, r: OversightReport) -> None: ...
    async def save(self, r: OversightReport, before_version: int) -> None: ...


class UnitRepository(Protocol):
    async def by_code(self, province: str, code: str) -> Unit | None: ...
    async def by_id(self, province: str, unit_id: str) -> Unit | None: ...
    async def existing(self, province: str, ids: Iterable[str]) -> set[str]: ...
    async def in_scope(self, scope: Scope, unit_id: str) -> bool: ...


class OversightUnitOfWork(Protocol):
    province_code: str
    seen: list[Aggregate]
    comments: CommentRepository
    reports: ReportRepository
    units: UnitRepository
    idempotency: IdempotencyStore

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
