"""What stands beside each figure of a report (issue 11, point 2): the target, the same
period last year (accepted) and the year-to-date figure where the indicator's time
aggregation allows it.

Year to date, by the line's `time_aggregation` (catalog):
- ``flow`` (added up over time): the accepted figures of the earlier periods of the same kind
  in the year plus this one — only when every earlier period was accepted with the figure
  (a partial sum is never shown as the year's);
- ``stock`` (a level at a date): the latest value, i.e. this period's;
- ``rate``, ``average``, ``none`` or unknown: none (the form carries no numerator and
  denominator to recompute it).

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ktxh_submission.domain.figures import FigureKey, FigureKind, format_decimal
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.domain.submissions import Submission

__all__ = ["FigureContext", "earlier_in_year", "figure_context"]


@dataclass(frozen=True)
class FigureContext:
    key: FigureKey
    target_value: str = ""
    target_low: str = ""
    target_high: str = ""
    target_text: str = ""
    previous_year_value: str = ""
    year_to_date_value: str = ""


def earlier_in_year(period: Period) -> list[Period]:
    """The periods of the same kind before this one in its year (none for kinds that start
    in January and are already cumulative: nine months, year)."""
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR):
        return []
    return [period.shifted(-i) for i in range(period.number - 1, 0, -1)]


def _text(d: Decimal | None) -> str:
    return "" if d is None else format_decimal(d)


def figure_context(
    sub: Submission,
    last_year: dict[FigureKey, Decimal],
    earlier: list[dict[FigureKey, Decimal] | None],
) -> list[FigureContext]:
    """One entry per figure key of the form. `last_year`: the accepted figures of the same
    period last year; `earlier`: per earlier period of the year (`earlier_in_year`), its
    accepted figures, or None when it has no accepted report."""
    out = []
    for line in sub.lines:
        for key in line.figure_keys():
            target = sub.targets.get(key)
            current = sub.figures.get(key)
            value = current.value if current is not None else None
            ytd: Decimal | None = None
            if key.kind is FigureKind.ACTUAL and value is not None:
                if line.time_aggregation == "stock":
                    ytd = value
                elif line.time_aggregation == "flow":
                    parts = [e.get(key) if e is not None else None for e in earlier]
                    if all(p is not None for p in parts):
                        ytd = value + sum((p for p in parts if p is not None), Decimal(0))
            out.append(FigureContext(
                key,
                target.value if target else "", target.low if target else "",
                target.high if target else "", target.text if target else "",
                _text(last_year.get(key)) if key.kind is FigureKind.ACTUAL else "",
                _text(ytd),
            ))
    return out
