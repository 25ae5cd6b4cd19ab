"""Reporting periods: the platform's one model (`ktxh_platform.domain.periods`), which also
answers what roll-ups ask of a period (`months`, `parts`, `year_to_date`)."""

from ktxh_platform.domain.periods import Period, PeriodKind

__all__ = ["Period", "PeriodKind"]
