"""What the use cases need from the read model (implemented by `adapters.read_model`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from ktxh_platform.access import Scope

from ktxh_reporting.domain.rollups import FigureRef, Parts, Rule, Unit


@dataclass(frozen=True)
class RuleRevision:
    code: str
    valid_from: str
    retired: bool
    rule: Rule


@dataclass(frozen=True)
class FactRow:
    unit_id: str
    key: FigureRef
    period_code: str
    value: Decimal | None
    text_value: str
    updated_at: datetime


@dataclass(frozen=True)
class TargetRow:
    unit_id: str
    figure_key: str
    period_code: str
    value: str
    value_max: str
    comparison: str
    status: str
    effective_from: str
    effective_to: str


class ReadModel(Protocol):
    async def unit(self, scope: Scope, *, unit_id: str = "", code: str = "") -> Unit | None: ...

    async def units(self, province: str) -> list[Unit]: ...

    async def opened_to_front(self, scope: Scope) -> set[tuple[str, str]] | None: ...

    async def rules(self, province: str, codes: Iterable[str] | None) -> list[RuleRevision]: ...

    async def facts(self, scope: Scope, *, codes: Iterable[str] | None, period_codes: Iterable[str],
                    kinds: tuple[str, ...] = ("actual",)) -> list[FactRow]: ...

    async def texts(self, scope: Scope, unit_ids: Iterable[str], period_code: str
                    ) -> dict[tuple[str, str, str], str]: ...

    async def contribution_parts(self, scope: Scope, root_id: str, contributors: list[str], expected: list[str],
                                 period_codes: Iterable[str], codes: Iterable[str] | None
                                 ) -> tuple[dict[tuple[str, str, str], Parts], dict[tuple[str, str, str], Parts]]: ...

    async def figures_page(self, scope: Scope, *, indicator_code: str = "", period_code: str = "",
                           unit_ids: Iterable[str] | None = None, updated_since: datetime | None = None,
                           limit: int = 1000, page_token: str = "") -> tuple[list[FactRow], str]: ...

    async def last_change(self, province: str) -> datetime | None: ...

    async def targets(self, province: str, unit_ids: Iterable[str], codes: Iterable[str]) -> list[TargetRow]: ...

    async def report_states(self, scope: Scope, period_code: str) -> list[Any]: ...
