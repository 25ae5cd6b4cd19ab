"""Domain ↔ protobuf messages of `ktxh.submission.v1` (the gRPC API and the events)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from google.protobuf import timestamp_pb2
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh_platform.domain import InvalidArgument

from ktxh_submission.adapters.calendar_replica import period_kind_pb
from ktxh_submission.domain.calendars import Schedule
from ktxh_submission.domain.context import FigureContext
from ktxh_submission.domain.figures import (
    Dimension,
    Figure,
    FigureChange,
    FigureKey,
    FigureKind,
    FormLine,
    ValueType,
    format_decimal,
    parse_decimal,
)
from ktxh_submission.domain.periods import Period
from ktxh_submission.domain.submissions import (
    Attachment,
    FigureInput,
    NoteChange,
    Status,
    Step,
    Submission,
)
from ktxh_submission.domain.tasks import TaskChange, TaskInput, TaskProgress, TaskStatus


def ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(value)
    return out


def status_pb(s: Status) -> int:
    return pb.SubmissionStatus.Value(f"SUBMISSION_STATUS_{s.value.upper()}")


def status_from_pb(value: int, field: str = "statuses") -> Status:
    name = pb.SubmissionStatus.Name(value) if value in pb.SubmissionStatus.values() else ""
    if not name or value == 0:
        raise InvalidArgument.single(field, f"Trạng thái báo cáo {value} không hợp lệ")
    return Status(name.removeprefix("SUBMISSION_STATUS_").lower())


def period_pb(p: Period) -> types_pb2.Period:
    return types_pb2.Period(
        kind=period_kind_pb(p.kind), year=p.year, number=p.number,
        end_year=p.end_year if p.kind.value == "plan_period" else 0,
        as_of=p.as_of.isoformat() if p.as_of else "", code=p.code,
    )


def key_pb(k: FigureKey) -> figure_pb2.FigureKey:
    return figure_pb2.FigureKey(
        indicator_code=k.indicator_code,
        members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m) for d, m in k.members],
        kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{k.kind.value.upper()}"),
    )


def key_from_pb(m: figure_pb2.FigureKey, field: str) -> FigureKey:
    if not m.indicator_code.strip():
        raise InvalidArgument.single(f"{field}.indicator_code", "Thiếu mã chỉ số")
    try:
        kind = (
            FigureKind.ACTUAL if m.kind == figure_pb2.FIGURE_KIND_UNSPECIFIED
            else FigureKind(figure_pb2.FigureKind.Name(m.kind).removeprefix("FIGURE_KIND_").lower())
        )
    except ValueError:
        raise InvalidArgument.single(f"{field}.kind", f"Loại số liệu {m.kind} không hợp lệ") from None
    dims = [c.dimension_code for c in m.members]
    if len(set(dims)) != len(dims):
        raise InvalidArgument.single(f"{field}.members", "Mỗi chiều chỉ được chọn một giá trị")
    return FigureKey(m.indicator_code.strip(),
                     tuple((c.dimension_code, c.member_code) for c in m.members), kind)


def _decimal(text: str, field: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_decimal(text)
    except ValueError as err:
        raise InvalidArgument.single(field, f"“{text[:40]}” {err}") from None


def line_from_pb(m: pb.FormLine, i: int) -> FormLine:
    at = f"lines[{i}]"
    if not m.indicator_code.strip():
        raise InvalidArgument.single(f"{at}.indicator_code", "Thiếu mã chỉ số")
    if not m.name.strip():
        raise InvalidArgument.single(f"{at}.name", "Thiếu tên chỉ số")
    try:
        vt = (ValueType.NUMBER if m.value_type == pb.VALUE_TYPE_UNSPECIFIED
              else ValueType(pb.ValueType.Name(m.value_type).removeprefix("VALUE_TYPE_").lower()))
    except ValueError:
        raise InvalidArgument.single(f"{at}.value_type", "Kiểu giá trị không hợp lệ") from None
    return FormLine(
        m.indicator_code.strip(), m.name.strip(), m.office_code.strip(), vt, m.unit,
        _decimal(m.minimum, f"{at}.minimum"), _decimal(m.maximum, f"{at}.maximum"), m.required,
        tuple(Dimension(d.code, tuple(d.members), d.additive) for d in m.dimensions), m.part_of,
        m.time_aggregation.strip().lower(), m.estimate,
    )


def line_pb(ln: FormLine) -> pb.FormLine:
    return pb.FormLine(
        indicator_code=ln.indicator_code, name=ln.name, office_code=ln.office_code,
        value_type=pb.ValueType.Value(f"VALUE_TYPE_{ln.value_type.value.upper()}"), unit=ln.unit,
        minimum=format_decimal(ln.minimum) if ln.minimum is not None else "",
        maximum=format_decimal(ln.maximum) if ln.maximum is not None else "",
        required=ln.required,
        dimensions=[pb.FormDimension(code=d.code, members=d.members, additive=d.additive)
                    for d in ln.dimensions],
        part_of=ln.part_of, time_aggregation=ln.time_aggregation, estimate=ln.estimate,
    )


def context_pb(c: FigureContext) -> pb.FigureContext:
    return pb.FigureContext(
        key=key_pb(c.key), target_value=c.target_value, target_low=c.target_low,
        target_high=c.target_high, target_text=c.target_text,
        previous_year_value=c.previous_year_value, year_to_date_value=c.year_to_date_value,
    )


def task_status_pb(status: TaskStatus) -> int:
    return pb.TaskStatus.Value(f"TASK_STATUS_{status.value.upper()}")


def task_entry_from_pb(m: pb.TaskProgressEntry) -> TaskInput:
    status = ("" if m.status == pb.TASK_STATUS_UNSPECIFIED
              else pb.TaskStatus.Name(m.status).removeprefix("TASK_STATUS_").lower())
    return TaskInput(m.key_task_code.strip(), status, m.percent_done, m.results, m.difficulties,
                     m.proposals, m.expected_version)


def _task_values(d: dict) -> pb.TaskProgressValues:
    return pb.TaskProgressValues(
        status=task_status_pb(TaskStatus(d["status"])), percent_done=int(d["percent_done"]),
        results=str(d["results"]), difficulties=str(d["difficulties"]),
        proposals=str(d["proposals"]),
    )


def task_change_pb(c: TaskChange) -> pb.TaskProgressChange:
    return pb.TaskProgressChange(
        key_task_code=c.key_task_code, before=_task_values(c.before), after=_task_values(c.after),
        actor=c.actor, occurred_at=ts(c.at), version=c.version,
    )


def attachment_pb(a: Attachment) -> pb.Attachment:
    return pb.Attachment(document_id=a.document_id, file_name=a.file_name, title=a.title,
                         added_by=a.added_by, added_at=ts(a.added_at))


def board_pb(b) -> pb.SubmissionBoard:
    return pb.SubmissionBoard(
        period=period_pb(b.schedule.period), period_label=b.schedule.period.label,
        deadline=b.schedule.deadline.isoformat(), org_unit_code=b.org_unit_code,
        units=[pb.BoardUnit(
            org_unit_code=u.org_unit_code, org_unit_name=u.org_unit_name,
            submission_id=u.submission_id,
            status=status_pb(u.status) if u.status else pb.SUBMISSION_STATUS_UNSPECIFIED,
            timeliness=pb.Timeliness(state=u.timeliness.state, days_late=u.timeliness.days_late,
                                     label=u.timeliness.label),
            sent_at=ts(u.sent_at),
        ) for u in b.units],
    )


def task_pb(t: TaskProgress) -> pb.TaskProgress:
    return pb.TaskProgress(
        key_task_id=t.key_task_id, key_task_code=t.key_task_code, name=t.name,
        deadline=t.deadline.isoformat() if t.deadline else "",
        status=task_status_pb(t.status),
        percent_done=t.percent_done, results=t.results, difficulties=t.difficulties,
        proposals=t.proposals, version=t.version, updated_by=t.updated_by,
        updated_at=ts(t.updated_at), office_code=t.office_code,
    )


def figure_pb(f: Figure) -> pb.Figure:
    return pb.Figure(
        key=key_pb(f.key), value=format_decimal(f.value) if f.value is not None else "",
        text_value=f.text_value, note=f.note, version=f.version, office_code=f.office_code,
        updated_by=f.updated_by, updated_at=ts(f.updated_at), return_comment=f.return_comment,
    )


def entry_from_pb(m: pb.FigureEntry, i: int) -> FigureInput:
    return FigureInput(key_from_pb(m.key, f"figures[{i}].key"), m.value, m.note, m.expected_version)


def submission_pb(
    s: Submission, today: date, full: bool = True, context: list[FigureContext] | None = None
) -> pb.Submission:
    t = s.timeliness(today)
    return pb.Submission(
        id=s.id, org_unit_id=s.org_unit_id, org_unit_code=s.org_unit_code, period=period_pb(s.period),
        period_label=s.period.label, calendar_code=s.calendar_code,
        deadline=s.deadline.isoformat(), status=status_pb(s.status),
        sections=[
            pb.Section(
                office_code=c,
                status=pb.SectionStatus.Value(f"SECTION_STATUS_{x.status.value.upper()}"),
                delivered_at=ts(x.delivered_at), return_comment=x.return_comment,
            )
            for c, x in s.sections.items()
        ],
        lines=[line_pb(ln) for ln in s.lines] if full else [],
        figures=[figure_pb(f) for _, f in sorted(s.figures.items())] if full else [],
        sent_at=ts(s.sent_at), accepted_at=ts(s.accepted_at), return_count=s.return_count,
        timeliness=pb.Timeliness(state=t.state, days_late=t.days_late, label=t.label),
        province_code=s.province_code, version=s.version, created_by=s.created_by,
        created_at=ts(s.created_at), context=[context_pb(c) for c in context or []],
        task_progress=[task_pb(t) for t in s.tasks] if full else [],
        attachments=[attachment_pb(a) for a in s.attachments] if full else [],
        note=s.note,
    )


def note_change_pb(c: NoteChange) -> pb.SubmissionNoteChange:
    return pb.SubmissionNoteChange(before=c.before, after=c.after, actor=c.actor,
                                   occurred_at=ts(c.at), version=c.version)


def step_pb(x: Step) -> pb.WorkflowStep:
    return pb.WorkflowStep(
        id=x.id, action=pb.StepAction.Value(f"STEP_ACTION_{x.action.value.upper()}"),
        from_status=status_pb(x.from_status), to_status=status_pb(x.to_status), actor=x.actor,
        actor_unit=x.actor_unit, occurred_at=ts(x.at), comment=x.comment,
        office_code=x.office_code, figure_key=key_pb(x.figure_key) if x.figure_key else None,
        submission_version=x.submission_version,
    )


def change_pb(c: FigureChange) -> pb.FigureChange:
    return pb.FigureChange(
        key=key_pb(c.key), office_code=c.office_code, before=c.before, after=c.after,
        before_note=c.before_note, after_note=c.after_note, actor=c.actor,
        occurred_at=ts(c.at), figure_version=c.figure_version, reason=c.reason,
    )


def schedule_pb(s: Schedule, today: date) -> pb.PeriodSchedule:
    return pb.PeriodSchedule(
        period=period_pb(s.period), label=s.period.label, calendar_code=s.calendar_code,
        deadline=s.deadline.isoformat(), rule_deadline=s.rule_deadline.isoformat(),
        cutoff_start=s.cutoff.start.isoformat() if s.cutoff else "",
        cutoff_end=s.cutoff.end.isoformat() if s.cutoff else "",
        internal_deadlines=[
            pb.InternalDeadline(step=i.step, name=i.name, responsible=i.responsible,
                                due_date=i.due.isoformat())
            for i in s.internal
        ],
        start_date=s.period.start.isoformat(), end_date=s.period.end.isoformat(),
        state=s.status(today),
    )

