"""The submission service's replica of the catalog's reporting calendars (current revision),
fed by the catalog's calendar events, and their mapping to the domain's `Calendar`.

Runs inside the consumer's transaction (with the inbox row), so each event is applied once;
an event older than the stored version is ignored. The service never reads the catalog's
database nor imports its code: the message of `ktxh.catalog.v1` is the contract.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2, types_pb2
from ktxh_platform.domain import InvalidArgument
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_submission.adapters.tables import calendars
from ktxh_submission.domain.calendars import (
    Calendar,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
    RelativeDay,
)
from ktxh_submission.domain.periods import Period, PeriodKind

GROUP = "calendars"  # consumer group (submission.calendars)


def period_kind(value: int, field: str = "kind") -> PeriodKind:
    try:
        return PeriodKind(types_pb2.PeriodKind.Name(value).removeprefix("PERIOD_KIND_").lower())
    except ValueError:
        raise InvalidArgument.single(field, f"Loại kỳ {value} không hợp lệ") from None


def period_kind_pb(kind: PeriodKind) -> int:
    return types_pb2.PeriodKind.Value(f"PERIOD_KIND_{kind.value.upper()}")


def calendar_from_pb(m: catalog_pb2.Calendar) -> Calendar:
    rules = []
    for r in m.rules:
        if r.period_kind == types_pb2.PERIOD_KIND_UNSPECIFIED or r.due.day == 0:
            continue  # a cut-off without a deadline
        try:
            kind = period_kind(r.period_kind, "rules.period_kind")
        except InvalidArgument:
            continue  # a kind of period this service does not know yet
        has_cutoff = r.HasField("cutoff_start") and r.HasField("cutoff_end")
        rules.append(DeadlineRule(
            kind, RelativeDay(r.due.month_offset, r.due.day), r.before,
            RelativeDay(r.cutoff_start.month_offset, r.cutoff_start.day) if has_cutoff else None,
            RelativeDay(r.cutoff_end.month_offset, r.cutoff_end.day) if has_cutoff else None,
            r.description,
        ))
    overrides = []
    for o in m.overrides:
        try:
            overrides.append(DeadlineOverride(Period.parse(o.period_code),
                                              date.fromisoformat(o.due_date), o.reason))
        except (ValueError, InvalidArgument):
            continue  # the catalog validated it; an unreadable one is ignored, not fatal
    return Calendar(
        id=m.id, code=m.code, name=m.name, province_code=m.province_code, rules=tuple(rules),
        lead_times=tuple(LeadTime(x.step, x.name, x.days_before, x.responsible)
                         for x in m.lead_times),
        overrides=tuple(overrides), version=m.version, retired=m.retired,
        legal_basis=m.legal_basis,
    )


async def apply_calendar(session: AsyncSession, cal: catalog_pb2.Calendar) -> None:
    t = calendars
    current = (await session.execute(sa.select(t.c.version).where(t.c.id == cal.id))).scalar()
    values = {
        "code": cal.code, "province_code": cal.province_code, "retired": cal.retired,
        "version": cal.version, "calendar": cal.SerializeToString(deterministic=True),
    }
    if current is None:
        await session.execute(sa.insert(t).values(id=cal.id, **values))
    elif cal.version > current:
        await session.execute(sa.update(t).where(t.c.id == cal.id).values(**values))


async def _on_calendar(
    session: AsyncSession,
    event: events_pb2.CalendarCreated | events_pb2.CalendarUpdated | events_pb2.CalendarRetired,
    _: envelope_pb2.EventEnvelope,
) -> None:
    await apply_calendar(session, event.calendar)


HANDLERS = {
    events_pb2.CalendarCreated: _on_calendar,
    events_pb2.CalendarUpdated: _on_calendar,
    events_pb2.CalendarRetired: _on_calendar,
}
