"""The use cases against the in-memory unit of work: the same scenarios as
``tests/integration/test_decisions_service.py`` (which runs them on SQLite and PostgreSQL),
in milliseconds."""

from __future__ import annotations

import pytest

from assignment_fakes import FakeUnitOfWork, Store
from integration.test_decisions_service import (  # noqa: F401 - collected here with the fakes
    test_a_commune_cascades_to_its_offices_with_a_shortfall_warning,
    test_a_repeated_idempotency_key_answers_the_first_decision,
    test_catalog_references_and_dimension_members_are_validated,
    test_the_province_assigns_a_commune_acknowledges_and_an_adjustment_supersedes,
    test_unacknowledged_assignments_are_reminded_once,
)


@pytest.fixture
def assignment_db() -> Store:
    return Store()


@pytest.fixture
def uow_factory(assignment_db: Store):
    def make(actor: str = "tester") -> FakeUnitOfWork:
        return FakeUnitOfWork(assignment_db)

    return make
