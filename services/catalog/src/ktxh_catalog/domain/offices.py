"""The offices every commune-level People's Committee has since the 2025 reform (two-level
local government; the commune's specialised offices and its public-service centre). The same
in every province: indicator sets name the office responsible for a figure by these codes,
and the XLSX files name them by code or by name.

They are not a province's data: the seed of a province may not add to them, and an import for
any province reads the same list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    consolidating: bool = False  # consolidates the unit's report (Văn phòng)


COMMUNE_OFFICES: tuple[Office, ...] = (
    Office("PKT", "Phòng Kinh tế"),
    Office("PVHXH", "Phòng Văn hoá - Xã hội"),
    Office("TTHCC", "Trung tâm Phục vụ Hành chính công"),
    Office("VP", "Văn phòng HĐND và UBND", consolidating=True),
)


def office_names() -> dict[str, str]:
    """Office code -> name, in the order above."""
    return {o.code: o.name for o in COMMUNE_OFFICES}
