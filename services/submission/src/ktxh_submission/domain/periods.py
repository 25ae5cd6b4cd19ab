"""Reporting periods: the platform's one model (`ktxh_platform.domain.periods`)."""

from ktxh_platform.domain.periods import Period, PeriodKind, add_months

__all__ = ["Period", "PeriodKind", "add_months"]
