"""Catalog domain errors.

The kinds come from ``ktxh_platform.domain`` (each maps once to a gRPC status and once to an
HTTP problem response). This module adds the helpers the catalog needs to collect *every*
violation before refusing, and the field-path conventions used throughout the catalog:

* a field of the object being validated: ``numerator_code``, ``frequencies``
* a nested element: ``members[3].frequencies`` (0-based index), ``rules[1].due.day``
* an item inside a bundle of items: ``indicators[HP2081.XIII.11].numerator_code``

Messages are Vietnamese: users read them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ktxh_platform.domain import (
    Conflict,
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PreconditionFailed,
)

__all__ = [
    "Conflict",
    "DomainError",
    "FieldViolation",
    "FormulaError",
    "InvalidArgument",
    "NotFound",
    "PreconditionFailed",
    "Violations",
    "prefixed",
    "raise_if_any",
]


class FormulaError(InvalidArgument):
    """A formula could not be parsed. ``position`` is the 0-based character offset."""

    def __init__(self, message: str, position: int, field_name: str = "formula") -> None:
        self.position = position
        super().__init__([FieldViolation(field_name, message)], message)


class Violations(list[FieldViolation]):
    """A list of violations with a couple of conveniences for validators."""

    def add(self, field_name: str, message: str) -> None:
        self.append(FieldViolation(field_name, message))

    def extend_prefixed(self, prefix: str, items: Iterable[FieldViolation]) -> None:
        self.extend(prefixed(prefix, items))


def prefixed(prefix: str, items: Iterable[FieldViolation]) -> list[FieldViolation]:
    """Re-root violations under ``prefix`` (``members[2]`` + ``day`` -> ``members[2].day``)."""
    out = []
    for v in items:
        out.append(FieldViolation(f"{prefix}.{v.field}" if v.field else prefix, v.message))
    return out


def raise_if_any(violations: Iterable[FieldViolation], message: str = "Dữ liệu không hợp lệ") -> None:
    """Refuse with ``InvalidArgument`` listing every violation, if there is any."""
    items = list(violations)
    if items:
        raise InvalidArgument(items, message)
