"""What the evaluation use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy, with the outbox) and, for the fast tests, by an
in-memory fake (``tests/unit/evaluation_fakes.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self

from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate

from ktxh_evaluation.domain.evaluations import Evaluation, EvaluationStatus, Round
from ktxh_evaluation.domain.results import ResultEdition
from ktxh_evaluation.domain.scoring import ReportResult


@dataclass(frozen=True)
class EvaluationFilter:
    round_id: str = ""
    org_unit_id: str = ""
    status: EvaluationStatus | None = None
    year: int = 0
    page_size: int = 100
    page_token: str = ""


class RoundRepository(Protocol):
    async def get(self, round_id: str, province: str) -> Round | None: ...
    async def list(self, province: str, year: int) -> list[Round]: ...
    async def find(self, province: str, criteria_set_id: str, year: int, kind: str) -> Round | None: ...
    async def add(self, r: Round) -> None: ...
    async def save(self, r: Round, before_version: int) -> None: ...


class EvaluationRepository(Protocol):
    async def get(self, evaluation_id: str, scope: Scope) -> Evaluation | None:
        """The evaluation if its unit is in ``scope`` (filtered in SQL), else None."""
        ...
    async def list(self, scope: Scope, f: EvaluationFilter) -> tuple[list[Evaluation], str, int]: ...
    async def add(self, e: Evaluation) -> None: ...
    async def save(self, e: Evaluation, before_version: int) -> None: ...


class ReportRepository(Protocol):
    async def for_unit(self, org_unit_id: str, period_codes: tuple[str, ...]) -> list[ReportResult]:
        """Timeliness of the unit's reports for these periods (missing ones included),
        from the submission events."""
        ...


class EditionRepository(Protocol):
    async def next_revision(self, round_id: str) -> int: ...
    async def add(self, x: ResultEdition) -> None: ...
    async def list(self, round_id: str, province: str) -> list[ResultEdition]:
        """The round's editions without rows, newest first."""
        ...
    async def get(self, round_id: str, revision: int, province: str, scope: Scope) -> ResultEdition | None:
        """The edition with the rows of the units in ``scope`` (filtered in SQL)."""
        ...


class EvaluationUnitOfWork(Protocol):
    province_code: str
    seen: list[Aggregate]
    rounds: RoundRepository
    evaluations: EvaluationRepository
    reports: ReportRepository
    editions: EditionRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
