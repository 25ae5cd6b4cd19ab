"""What the oversight use cases need from other services (implemented in
``adapters/peers.py`` with gRPC calls carrying the caller's own token, so each service applies
its own access rules: the assignment service shows the Front only what was opened to it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ktxh_platform.auth.principal import Principal

from ktxh_oversight.domain.model import Period


@dataclass(frozen=True)
class AssignmentInfo:
    """An assignment as the caller sees it in the assignment service."""

    id: str
    assignee_unit_id: str
    kind: str  # "indicator_target", "key_task", ...
    status: str  # "ISSUED", "ACKNOWLEDGED", ...
    label: str = ""
    indicator_code: str = ""
    key_members: tuple[tuple[str, str], ...] = ()
    period: Period | None = None
    target_value: str = ""
    unit_of_measure: str = ""
    key_task_id: str = ""
    deadline: str = ""


class Assignments(Protocol):
    async def get(self, assignment_id: str, principal: Principal) -> AssignmentInfo | None:
        """The assignment if the caller may see it (for the Front: opened to its committee)."""
        ...

    async def opened(
        self, front_unit_id: str, assignee_unit_id: str, on: date | None, principal: Principal
    ) -> list[AssignmentInfo]:
        """Assignments of the unit naming the Front committee, in force on ``on``."""
        ...


@dataclass(frozen=True)
class Figure:
    value: str
    year_to_date: str = ""


@dataclass(frozen=True)
class TaskProgress:
    """A key task as the reporting read model summarises it for a unit at a date."""
    status: str  # not_started | in_progress | done | overdue | stopped | not_reported
    percent_done: int
    title: str = ""
    deadline: str = ""


class Reporting(Protocol):
    async def figures(
        self, unit_id: str, period: Period, indicator_codes: Iterable[str], principal: Principal
    ) -> dict[tuple[str, tuple[tuple[str, str], ...]], Figure]:
        """Rolled-up figures of the unit for the period, by (indicator code, key members)."""
        ...

    async def task_progress(self, unit_id: str, as_of: date | None, principal: Principal) -> dict[str, TaskProgress]:
        """The progress the unit last reported on its key tasks by `as_of` (None = today), by
        key-task id; empty when the reporting service does not answer."""
        ...


class Documents(Protocol):
    async def require_valid_signature(self, document_id: str, principal: Principal) -> None: ...
