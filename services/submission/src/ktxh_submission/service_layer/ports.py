"""What the use cases need from other services: the catalog (indicator sets, indicators, key
tasks) and the assignment service (targets and key tasks in force for a unit). Implemented in
``adapters/peers.py`` as gRPC calls carrying the caller's own token (the other service
authorizes the caller itself); in-memory fakes in the unit tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ktxh_platform.auth.principal import Principal

from ktxh_submission.domain.forms import (
    AssignedTarget,
    AssignedTask,
    CatalogIndicator,
    IndicatorSetInfo,
)


@dataclass(frozen=True)
class TaskRef:
    key_task_id: str
    deadline: date | None = None  # the assignment's own deadline, if any


class Catalog(Protocol):
    async def indicator_sets(
        self, unit_kind: str, as_of: date, principal: Principal
    ) -> list[IndicatorSetInfo]:
        """The indicator sets in force on `as_of` reported by this kind of unit."""
        ...

    async def indicators(
        self, codes: Iterable[str], as_of: date, principal: Principal
    ) -> dict[str, CatalogIndicator]:
        """The indicators among `codes` in force on `as_of` (absent = not in force)."""
        ...

    async def key_tasks(
        self, refs: Iterable[TaskRef], principal: Principal
    ) -> list[AssignedTask]:
        """The key tasks of `refs` (code, title, deadline); unknown ones are left out."""
        ...


class Assignments(Protocol):
    async def in_force(
        self, unit_id: str, on: date, principal: Principal
    ) -> tuple[list[AssignedTarget], list[TaskRef]]:
        """The targets and key tasks assigned to the unit in force on `on`."""
        ...


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    file_name: str  # of its latest version
    owner_unit_code: str


class Documents(Protocol):
    async def get(self, document_id: str, principal: Principal) -> DocumentInfo | None:
        """The document if it exists and the caller may see it (None otherwise)."""
        ...


@dataclass(frozen=True)
class Peers:
    catalog: Catalog
    assignments: Assignments
    documents: Documents | None = None
