"""Reporting calendars <-> protobuf (rules with due dates and cut-offs, lead times, overrides).

The domain has the message's shape: one ``DeadlineRule`` per kind of period, dates relative to
the period's last month."""

from __future__ import annotations

from ktxh.catalog.v1 import catalog_pb2 as pb

from ktxh_catalog.adapters.item_wire.base import FREQUENCIES, FREQUENCIES_IN, Ctx, Reader
from ktxh_catalog.domain.calendars import (
    Calendar,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
    RelativeDate,
)
from ktxh_catalog.domain.references import RefMaps


def _relative_to_pb(value: RelativeDate | None) -> pb.RelativeDate | None:
    return None if value is None else pb.RelativeDate(month_offset=value.month_offset,
                                                       day=value.day)


def _relative(rule: pb.DeadlineRule, name: str) -> RelativeDate | None:
    if not rule.HasField(name):
        return None
    value = getattr(rule, name)
    return RelativeDate(value.month_offset, value.day)


def calendar_to_pb(p: Calendar, c: Ctx) -> pb.Calendar:
    return pb.Calendar(
        code=p.code, name=p.name, legal_basis=p.legal_basis,
        rules=[pb.DeadlineRule(
            period_kind=FREQUENCIES[r.period_kind], due=_relative_to_pb(r.due),
            cutoff_start=_relative_to_pb(r.cutoff_start),
            cutoff_end=_relative_to_pb(r.cutoff_end), before=r.before,
            description=r.description, cutoff_description=r.cutoff_description,
        ) for r in p.rules],
        lead_times=[pb.CalendarLeadTime(step=x.step, name=x.name, days_before=x.days_before,
                                        responsible=x.responsible) for x in p.lead_times],
        overrides=[pb.DeadlineOverride(period_code=o.period_code, due_date=o.due_date.isoformat(),
                                       reason=o.reason) for o in p.overrides],
        description=p.description, **c.common(), **c.validity(),
    )


def calendar_from_pb(m: pb.Calendar, refs: RefMaps) -> Calendar:
    r = Reader()
    rules = []
    for i, rule in enumerate(m.rules):
        freq = FREQUENCIES_IN.get(rule.period_kind)
        if freq is None:
            r.add(f"rules[{i}].period_kind", "Loại kỳ báo cáo không hợp lệ")
            continue
        rules.append(DeadlineRule(
            freq, _relative(rule, "due"), _relative(rule, "cutoff_start"),
            _relative(rule, "cutoff_end"), rule.before, rule.description,
            rule.cutoff_description))
    overrides = []
    for i, o in enumerate(m.overrides):
        due = r.day(o.due_date, f"overrides[{i}].due_date")
        if not o.due_date:
            r.add(f"overrides[{i}].due_date", "Phải nhập hạn điều chỉnh")
        if due is not None:
            overrides.append(DeadlineOverride(o.period_code, due, o.reason))
    cal = Calendar(
        code=m.code.strip(), name=m.name, rules=tuple(rules),
        lead_times=tuple(LeadTime(x.step, x.name, x.days_before, x.responsible)
                         for x in m.lead_times),
        overrides=tuple(overrides), legal_basis=m.legal_basis, description=m.description,
    )
    r.done()
    return cal
