"""What the use cases need from other services (implemented in ``adapters/peers.py`` as gRPC
calls carrying the caller's own token; in-memory fakes in the unit tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from ktxh_assignment.domain.cascade import IndicatorInfo
from ktxh_assignment.domain.decisions import AssignmentKind
from ktxh_platform.auth.principal import Principal


class Catalog(Protocol):
    async def indicators(
        self, codes: Iterable[str], as_of: date, principal: Principal
    ) -> dict[str, IndicatorInfo]:
        """The indicators among ``codes`` in force on ``as_of`` (absent = unknown)."""
        ...

    async def missing(self, kind: AssignmentKind, ids: Iterable[str], principal: Principal) -> set[str]:
        """Which key tasks / thematic plans / criteria sets among ``ids`` the catalog lacks."""
        ...


class Documents(Protocol):
    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        """Nothing if the document's latest version carries a valid signature; otherwise an
        error naming ``document_id`` (Vietnamese)."""
        ...
