"""Translation between the assignment domain and protobuf messages (gRPC and event payloads)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from google.protobuf import timestamp_pb2

from ktxh.assignment.v1 import assignment_pb2 as pb
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh_assignment.domain.cascade import CascadeRow
from ktxh_assignment.domain.decisions import (
    AssigneeRole,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Comparison,
    CriteriaSubject,
    Decision,
    DecisionStatus,
    DimensionChoice,
    Header,
    Milestone,
    PlanSubject,
    Subject,
    Target,
    TaskSubject,
)
from ktxh_platform.domain import FieldViolation, InvalidArgument

DECISION_STATUS = {s: pb.DecisionStatus.Value(f"DECISION_STATUS_{s.name}") for s in DecisionStatus}
ASSIGNMENT_STATUS = {s: pb.AssignmentStatus.Value(f"ASSIGNMENT_STATUS_{s.name}") for s in AssignmentStatus}
KIND = {k: pb.AssignmentKind.Value(f"ASSIGNMENT_KIND_{k.name}") for k in AssignmentKind}
ROLE = {r: pb.AssigneeRole.Value(f"ASSIGNEE_ROLE_{r.name}") for r in AssigneeRole}
COMPARISON = {c: types_pb2.TargetComparison.Value(f"TARGET_COMPARISON_{c.name}") for c in Comparison}


def _reverse(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


PB_DECISION_STATUS = _reverse(DECISION_STATUS)
PB_ASSIGNMENT_STATUS = _reverse(ASSIGNMENT_STATUS)
PB_KIND = _reverse(KIND)
PB_COMPARISON = _reverse(COMPARISON)


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def parse_day(value: str, field_name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument.single(field_name, f"Ngày “{value}” không hợp lệ (YYYY-MM-DD)") from None


# ------------------------------------------------------------------------- period


def period_code(p: types_pb2.Period, field_name: str) -> str:
    kinds = types_pb2.PeriodKind
    if p.kind == kinds.PERIOD_KIND_YEAR and p.year:
        return str(p.year)
    if p.kind == kinds.PERIOD_KIND_PLAN_PERIOD and p.year:
        return f"{p.year}-{p.end_year or p.year + 4}"
    if p.kind == kinds.PERIOD_KIND_QUARTER and p.year:
        return f"{p.year}-Q{p.number}"
    if p.kind == kinds.PERIOD_KIND_HALF_YEAR and p.year:
        return f"{p.year}-H{p.number}"
    if p.kind == kinds.PERIOD_KIND_MONTH and p.year:
        return f"{p.year}-M{p.number:02d}"
    if p.kind == kinds.PERIOD_KIND_NINE_MONTHS and p.year:
        return f"{p.year}-9M"
    if p.kind == kinds.PERIOD_KIND_UNSPECIFIED and not p.year:
        return p.code  # "" = the decision's year or plan period
    raise InvalidArgument.single(field_name, "Kỳ chỉ tiêu phải là năm, giai đoạn, quý, 6 tháng, 9 tháng hoặc tháng")


def period_to_pb(code: str) -> types_pb2.Period:
    kinds = types_pb2.PeriodKind
    p = types_pb2.Period(code=code)
    if not code:
        return p
    year = int(code[:4])
    rest = code[5:]
    if not rest:
        p.kind, p.year = kinds.PERIOD_KIND_YEAR, year
    elif rest.isdigit():
        p.kind, p.year, p.end_year = kinds.PERIOD_KIND_PLAN_PERIOD, year, int(rest)
    elif rest == "9M":
        p.kind, p.year = kinds.PERIOD_KIND_NINE_MONTHS, year
    else:
        kind = {"Q": kinds.PERIOD_KIND_QUARTER, "H": kinds.PERIOD_KIND_HALF_YEAR, "M": kinds.PERIOD_KIND_MONTH}[rest[0]]
        p.kind, p.year, p.number = kind, year, int(rest[1:])
    return p


# ------------------------------------------------------------------------- pb -> domain


def header_from_pb(m: pb.Decision) -> Header:
    return Header(
        number=m.number.strip(), title=m.title.strip(), issued_on=parse_day(m.issued_on, "issued_on"),
        signer=m.signer.strip(), year=m.year, plan_period=m.plan_period.strip(),
        legal_basis=m.legal_basis.strip(), effective_from=parse_day(m.effective_from, "effective_from"),
        adjusts_decision_id=m.adjusts_decision_id, document_id=m.document_id,
        front_unit_ids=tuple(dict.fromkeys(m.front_unit_ids)),
    )


def _subject_from_pb(m: pb.Assignment, path: str) -> Subject:
    which = m.WhichOneof("subject")
    if which == "target":
        t = m.target
        return Target(
            indicator_code=t.key.indicator_code.strip(),
            period=period_code(t.period, f"{path}.target.period") if t.HasField("period") else "",
            members=tuple(DimensionChoice(c.dimension_code, c.member_code) for c in t.key.members),
            target_value=t.target_value.strip(), target_value_max=t.target_value_max.strip(),
            comparison=PB_COMPARISON.get(t.comparison), target_text=t.target_text.strip(),
        )
    if which == "task":
        k = m.task
        milestones = tuple(
            Milestone(x.name.strip(), parse_day(x.due_date, f"{path}.task.milestones[{i}].due_date") or date.min)
            for i, x in enumerate(k.milestones)
        )
        for i, x in enumerate(milestones):
            if x.due_date == date.min:
                raise InvalidArgument.single(f"{path}.task.milestones[{i}].due_date", "Cần ngày đến hạn của mốc")
        return TaskSubject(
            key_task_id=k.key_task_id, deadline=parse_day(k.deadline, f"{path}.task.deadline"),
            expected_output=k.expected_output.strip(), coordinating_unit_ids=tuple(k.coordinating_unit_ids),
            requirements=k.requirements.strip(), milestones=tuple(sorted(milestones, key=lambda x: x.due_date)),
        )
    if which == "plan":
        return PlanSubject(
            m.plan.thematic_plan_id, m.plan.responsibilities.strip(),
            parse_day(m.plan.deadline, f"{path}.plan.deadline"),
        )
    if which == "criteria":
        return CriteriaSubject(m.criteria.criteria_set_id, m.criteria.note.strip())
    raise InvalidArgument.single(path, "Cần nội dung giao: chỉ tiêu (target), nhiệm vụ (task), kế hoạch (plan) hoặc bộ tiêu chí (criteria)")


def assignments_from_pb(items: list[pb.Assignment]) -> list[Assignment]:
    out: list[Assignment] = []
    errors: list[FieldViolation] = []
    for i, m in enumerate(items):
        path = f"assignments[{i}]"
        try:
            subject = _subject_from_pb(m, path)
        except InvalidArgument as err:
            errors.extend(err.violations)
            if len(errors) > 50:
                break
            continue
        if m.kind and PB_KIND.get(m.kind) != {Target: AssignmentKind.INDICATOR_TARGET, TaskSubject: AssignmentKind.KEY_TASK,
                                             PlanSubject: AssignmentKind.THEMATIC_PLAN,
                                             CriteriaSubject: AssignmentKind.CRITERIA_SET}[type(subject)]:
            errors.append(FieldViolation(f"{path}.kind", "Loại nội dung giao không khớp với nội dung"))
            continue
        out.append(Assignment(
            id=str(uuid.uuid4()), decision_id="", assignee_unit_id=m.assignee_unit_id.strip(),
            subject=subject,
            role=AssigneeRole.COORDINATING if m.role == pb.ASSIGNEE_ROLE_COORDINATING else AssigneeRole.LEAD,
            front_unit_ids=tuple(dict.fromkeys(m.front_unit_ids)),
        ))
    if errors:
        raise InvalidArgument(errors[:51], "Danh sách giao chưa hợp lệ")
    return out


# ------------------------------------------------------------------------- domain -> pb


def _subject_to_pb(a: Assignment, m: pb.Assignment) -> None:
    s = a.subject
    match s:
        case Target():
            t = m.target
            t.key.CopyFrom(figure_pb2.FigureKey(
                indicator_code=s.indicator_code, kind=figure_pb2.FIGURE_KIND_TARGET,
                members=[figure_pb2.DimensionChoice(dimension_code=c.dimension_code, member_code=c.member_code)
                         for c in s.members],
            ))
            t.period.CopyFrom(period_to_pb(s.period))
            t.target_value = s.target_value
            t.target_value_max = s.target_value_max
            t.comparison = COMPARISON[s.comparison] if s.comparison else 0
            t.target_text = s.target_text
            t.unit_of_measure = s.unit_of_measure
        case TaskSubject():
            m.task.CopyFrom(pb.TaskAssignment(
                key_task_id=s.key_task_id, deadline=_iso(s.deadline), expected_output=s.expected_output,
                coordinating_unit_ids=list(s.coordinating_unit_ids), requirements=s.requirements,
                milestones=[pb.Milestone(name=x.name, due_date=x.due_date.isoformat()) for x in s.milestones],
            ))
        case PlanSubject():
            m.plan.CopyFrom(pb.ThematicPlanAssignment(
                thematic_plan_id=s.thematic_plan_id, responsibilities=s.responsibilities, deadline=_iso(s.deadline)
            ))
        case CriteriaSubject():
            m.criteria.CopyFrom(pb.CriteriaSetAssignment(criteria_set_id=s.criteria_set_id, note=s.note))


def assignment_to_pb(a: Assignment) -> pb.Assignment:
    m = pb.Assignment(
        id=a.id, decision_id=a.decision_id, kind=KIND[a.kind], assignee_unit_id=a.assignee_unit_id,
        role=ROLE[a.role], assigner_unit_id=a.assigner_unit_id, year=a.year,
        front_unit_ids=list(a.front_unit_ids), status=ASSIGNMENT_STATUS[a.status],
        province_code=a.province_code, version=a.version, effective_from=_iso(a.effective_from),
        effective_to=_iso(a.effective_to), superseded_by_id=a.superseded_by_id,
        decision_number=a.decision_number, issued_on=_iso(a.issued_on), plan_period=a.plan_period,
    )
    _subject_to_pb(a, m)
    if a.acknowledged_at:
        m.acknowledgement.CopyFrom(pb.Acknowledgement(
            acknowledged_by=a.acknowledged_by, acknowledged_at=_ts(a.acknowledged_at),
            note=a.acknowledgement_note,
        ))
    if a.created_at:
        m.audit.created_at.CopyFrom(_ts(a.created_at))
        m.audit.created_by = a.created_by
    if a.updated_at:
        m.audit.updated_at.CopyFrom(_ts(a.updated_at))
        m.audit.updated_by = a.updated_by
    return m


def decision_to_pb(d: Decision, *, with_assignments: bool = True) -> pb.Decision:
    h = d.header
    m = pb.Decision(
        id=d.id, number=h.number, title=h.title, issued_on=_iso(h.issued_on),
        issuer_unit_id=d.issuer_unit_id, signer=h.signer, year=h.year,
        adjusts_decision_id=h.adjusts_decision_id, document_id=h.document_id,
        status=DECISION_STATUS[d.status], revoke_reason=d.revoke_reason,
        province_code=d.province_code, version=d.version, legal_basis=h.legal_basis,
        effective_from=_iso(h.effective_from), plan_period=h.plan_period,
        front_unit_ids=list(h.front_unit_ids),
    )
    if d.issued_at:
        m.issued_at.CopyFrom(_ts(d.issued_at))
    if d.created_at:
        m.audit.created_at.CopyFrom(_ts(d.created_at))
        m.audit.created_by = d.created_by
    if d.updated_at:
        m.audit.updated_at.CopyFrom(_ts(d.updated_at))
        m.audit.updated_by = d.updated_by
    if with_assignments:
        m.assignments.extend(assignment_to_pb(a) for a in d.assignments)
    return m


def cascade_row_to_pb(r: CascadeRow) -> pb.CascadeRow:
    key = figure_pb2.FigureKey(
        indicator_code=r.target.indicator_code, kind=figure_pb2.FIGURE_KIND_TARGET,
        members=[figure_pb2.DimensionChoice(dimension_code=c.dimension_code, member_code=c.member_code)
                 for c in r.target.members],
    )
    return pb.CascadeRow(
        key=key, unit_of_measure=r.unit_of_measure,
        aggregation=pb.CASCADE_AGGREGATION_SUM if r.aggregation == "sum" else pb.CASCADE_AGGREGATION_COMPARED,
        own_target=r.own_target, sub_total=r.sub_total,
        sub_targets=[pb.SubTarget(assignee_unit_id=s.assignee_unit_id, target_value=s.target_value)
                     for s in r.sub_targets],
        shortfall=r.shortfall, warning=r.warning,
    )
