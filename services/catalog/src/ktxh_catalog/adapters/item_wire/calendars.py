"""Reporting calendars <-> protobuf (rules, cut-offs, lead times, overrides)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ktxh.catalog.v1 import catalog_pb2 as pb

from ktxh_catalog.adapters.item_wire.base import FREQUENCIES, FREQUENCIES_IN, Ctx, Reader
from ktxh_catalog.domain.calendars import (
    Calendar,
    CutoffRule,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
)
from ktxh_catalog.domain.references import RefMaps


@dataclass
class CalendarPaths:
    """Which proto rule each domain deadline / cut-off rule came from."""

    deadline_rule: dict[int, int] = field(default_factory=dict)
    cutoff_rule: dict[int, int] = field(default_factory=dict)


def calendar_to_pb(p: Calendar, c: Ctx) -> pb.Calendar:
    rules = []
    cutoffs = {x.frequency: x for x in p.cutoff_rules}
    used = set()
    for d in p.deadline_rules:
        rule = pb.DeadlineRule(
            period_kind=FREQUENCIES[d.frequency],
            due=pb.RelativeDate(month_offset=d.month_offset, day=d.day), before=d.before,
            description=d.description,
        )
        cut = cutoffs.get(d.frequency)
        if cut is not None:
            used.add(d.frequency)
            _cutoff_to_pb(cut, rule)
        rules.append(rule)
    for cut in p.cutoff_rules:
        if cut.frequency not in used:
            rule = pb.DeadlineRule(period_kind=FREQUENCIES[cut.frequency])
            _cutoff_to_pb(cut, rule)
            rules.append(rule)
    return pb.Calendar(
        code=p.code, name=p.name, rules=rules, legal_basis=p.legal_basis,
        lead_times=[pb.CalendarLeadTime(step=x.step, name=x.name, days_before=x.days_before,
                                        responsible=x.responsible) for x in p.lead_times],
        overrides=[pb.DeadlineOverride(period_code=o.period, due_date=o.deadline.isoformat(),
                                       reason=o.reason) for o in p.overrides],
        description=p.description, **c.common(), **c.validity(),
    )


def _cutoff_to_pb(cut: CutoffRule, rule: pb.DeadlineRule) -> None:
    rule.cutoff_start.CopyFrom(pb.RelativeDate(month_offset=cut.start_month_offset,
                                               day=cut.start_day))
    rule.cutoff_end.CopyFrom(pb.RelativeDate(month_offset=cut.end_month_offset, day=cut.end_day))
    rule.cutoff_description = cut.description


def calendar_from_pb(m: pb.Calendar, refs: RefMaps, paths: CalendarPaths | None = None) -> Calendar:
    r = Reader()
    paths = paths if paths is not None else CalendarPaths()
    deadlines: list[DeadlineRule] = []
    cutoffs: list[CutoffRule] = []
    for i, rule in enumerate(m.rules):
        p = f"rules[{i}]"
        freq = FREQUENCIES_IN.get(rule.period_kind)
        if freq is None:
            r.add(f"{p}.period_kind", "Loại kỳ báo cáo không hợp lệ")
            continue
        if rule.HasField("due"):
            paths.deadline_rule[len(deadlines)] = i
            deadlines.append(DeadlineRule(freq, rule.due.day, rule.due.month_offset, rule.before,
                                          rule.description))
        has_start, has_end = rule.HasField("cutoff_start"), rule.HasField("cutoff_end")
        if has_start != has_end:
            r.add(f"{p}.cutoff_end" if has_start else f"{p}.cutoff_start",
                  "Thời gian chốt số liệu phải có cả ngày bắt đầu và ngày kết thúc")
        elif has_start:
            paths.cutoff_rule[len(cutoffs)] = i
            cutoffs.append(CutoffRule(freq, rule.cutoff_start.day, rule.cutoff_start.month_offset,
                                      rule.cutoff_end.day, rule.cutoff_end.month_offset,
                                      rule.cutoff_description))
        if not rule.HasField("due") and not has_start:
            r.add(f"{p}.due", "Phải nhập hạn báo cáo")
    overrides = []
    for i, o in enumerate(m.overrides):
        due = r.day(o.due_date, f"overrides[{i}].due_date")
        if not o.due_date:
            r.add(f"overrides[{i}].due_date", "Phải nhập hạn điều chỉnh")
        if due is not None:
            overrides.append(DeadlineOverride(o.period_code, due, o.reason))
    cal = Calendar(
        code=m.code.strip(), name=m.name, deadline_rules=tuple(deadlines),
        cutoff_rules=tuple(cutoffs),
        lead_times=tuple(LeadTime(x.step, x.name, x.days_before, x.responsible)
                         for x in m.lead_times),
        overrides=tuple(overrides), legal_basis=m.legal_basis, description=m.description,
    )
    r.done()
    return cal
