"""What the submission use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy: SQLite or PostgreSQL, with the outbox) and, for the
fast tests, by an in-memory fake (``tests/unit/fakes.py``).

One use case opens one unit of work; nothing is written unless it calls ``commit()``, and the
events the aggregates recorded are written to the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol, Self

from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate
from ktxh_platform.domain.idempotency import IdempotencyStore

from ktxh_submission.domain.calendars import Calendar
from ktxh_submission.domain.figures import FigureChange, FigureKey
from ktxh_submission.domain.periods import Period
from ktxh_submission.domain.reminders import ReminderBatch, UnitReport
from ktxh_submission.domain.submissions import NoteChange, Status, Submission
from ktxh_submission.domain.tasks import TaskChange
from ktxh_submission.domain.validation import History


@dataclass(frozen=True)
class UnitRef:
    """An org unit of the replica of the catalog's tree."""

    id: str
    code: str
    kind: str
    parent_id: str | None


@dataclass(frozen=True)
class BoardEntry:
    """A child unit expected to report, with its report for the period if it has one."""

    org_unit_code: str
    org_unit_name: str
    submission_id: str = ""
    status: Status | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class SubmissionFilter:
    org_unit_code: str = ""
    period: Period | None = None
    statuses: tuple[Status, ...] = ()
    page_size: int = 100
    page_token: str = ""


class SubmissionRepository(Protocol):
    """Every read takes the caller's `Scope` and applies it in the query (the report's unit
    must be one the scope reaches): a report outside it is not found."""

    async def get(self, submission_id: str, scope: Scope) -> Submission | None: ...
    async def find(self, org_unit_id: str, period: Period) -> Submission | None: ...
    async def list(
        self, scope: Scope, flt: SubmissionFilter
    ) -> tuple[list[Submission], str, int]: ...
    async def add(self, sub: Submission) -> None: ...
    async def save(self, sub: Submission, expected_version: int) -> None:
        """Write a workflow change; Conflict if the report changed since it was read."""
        ...

    async def save_figures(self, sub: Submission) -> None:
        """Write changed figures, each only if still at the version read (Conflict otherwise),
        while the report is editable."""
        ...
    async def history(self, sub: Submission, depth: int = 12) -> History: ...
    async def changes(self, submission_id: str) -> list[FigureChange]: ...
    async def task_changes(self, submission_id: str) -> list[TaskChange]: ...
    async def note_changes(self, submission_id: str) -> list[NoteChange]: ...
    async def save_tasks(self, sub: Submission) -> None:
        """Write changed key-task rows, each only at the version read (Conflict otherwise)."""
        ...
    async def save_attachments(self, sub: Submission, expected_version: int) -> None: ...
    async def unit_reports(self, period: Period, units: list[UnitRef]) -> list[UnitReport]:
        """Each unit with its report for the period (id and status), if opened."""
        ...
    async def reminded(self, calendar_code: str, period: Period) -> set[tuple[str, str, str, str]]:
        """(unit id, period code, calendar code, step) of the reminders already sent."""
        ...
    async def record_reminders(self, batch: ReminderBatch, at: datetime) -> None:
        """Mark the batch's reminders sent (unique: a second run's insert fails) and queue
        its events."""
        ...
    async def board(
        self, parent_id: str, period: Period, scope: Scope, kinds: tuple[str, ...]
    ) -> list[BoardEntry]:
        """The active child units of `parent_id` of these kinds that the scope reaches (in
        SQL), each with its report for the period if any, by code."""
        ...
    async def accepted_figures(
        self, org_unit_id: str, periods: list[Period]
    ) -> dict[Period, dict[FigureKey, Decimal]]:
        """The figures of the unit's accepted reports for these periods (absent: none)."""
        ...


class BulkRepository(Protocol):
    """Bulk imports (`service_layer/bulk.py`)."""

    async def lock_reports(
        self, unit_codes: list[str], period_codes: list[str], scope: Scope
    ) -> list[Submission]:
        """The reports of these units and periods in the scope (applied in SQL), with their
        figures, locked until the unit of work ends."""
        ...

    async def write_import(self, sub: Submission, loaded_version: int) -> None:
        """Write the figures an import changed and their history (Conflict if the report
        changed since it was read)."""
        ...



class UnitRepository(Protocol):
    async def by_code(self, code: str) -> UnitRef | None: ...
    async def reporting(self, kinds: tuple[str, ...]) -> list[UnitRef]:
        """The units of these kinds still in existence (not merged away, no end date)."""
        ...
    async def children(self, unit_id: str) -> list[UnitRef]:
        """The units directly under a unit (its offices)."""
        ...
    async def codes_in_scope(self, scope: Scope, codes: list[str]) -> set[str]:
        """Which of `codes` the scope reaches (applied in SQL)."""
        ...


class CalendarRepository(Protocol):
    async def get(self, code_or_id: str) -> Calendar | None: ...
    async def list(self) -> list[Calendar]: ...


class SubmissionUnitOfWork(Protocol):
    province_code: str
    seen: list[Aggregate]
    submissions: SubmissionRepository
    units: UnitRepository
    calendars: CalendarRepository
    bulk: BulkRepository
    idempotency: IdempotencyStore  # Idempotency-Key of bulk imports

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
