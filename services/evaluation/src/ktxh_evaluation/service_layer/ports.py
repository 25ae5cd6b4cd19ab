"""What the evaluation use cases need from other services (implemented in ``adapters/peers.py``
as gRPC calls carrying the caller's own token; in-memory fakes in the unit tests)."""

from __future__ import annotations

from typing import Protocol

from ktxh_platform.auth.principal import Principal

from ktxh_evaluation.domain.evaluations import Round, UnitRef
from ktxh_evaluation.domain.scoring import IndicatorResult, ScoringRules, TaskResult


class EvidenceSource(Protocol):
    async def scoring_rules(self, criteria_set: str, year: int, principal: Principal) -> tuple[str, ScoringRules]:
        """The criteria set (id or code) in force in ``year``: its id and its rules (catalog).
        Raises InvalidArgument naming ``criteria_set_id`` when it does not exist."""
        ...

    async def units_given(self, rules: ScoringRules, criteria_set_id: str, year: int,
                          principal: Principal) -> list[UnitRef]:
        """The units that received the criteria set (by id or code) in an issued assignment
        decision of ``year`` (assignment service)."""
        ...

    async def indicator_results(
        self, rnd: Round, unit: UnitRef, indicator_codes: list[str], principal: Principal
    ) -> list[IndicatorResult]:
        """Accepted actuals beside their targets for the round's period (reporting GetRollup)."""
        ...

    async def task_results(self, rnd: Round, unit: UnitRef, principal: Principal) -> list[TaskResult]:
        """The unit's key tasks with deadline and completion (reporting GetKeyTaskSummary)."""
        ...
