"""Where notices come from: one module per publishing service, each with one mapping function
per event type (event → the `NoticeDraft`s it says to units). Adding another service's events
is adding its module's `SOURCE` to `SOURCES`; adding an event is one function in its map.

A mapping is ``async (message, envelope, units) -> list[NoticeDraft]``: pure apart from
looking a unit's name up in the service's replica (`units.name(id)`).
"""

from __future__ import annotations

from ktxh_notification.adapters.sources import assignment, evaluation, oversight, submission
from ktxh_notification.adapters.sources.base import Mapping, Source, occurred_at

__all__ = ["Mapping", "Source", "occurred_at", "sources"]


def sources() -> list[Source]:
    return [assignment.SOURCE, submission.SOURCE, oversight.COMMENT_SOURCE, oversight.REPORT_SOURCE,
            evaluation.SOURCE]
