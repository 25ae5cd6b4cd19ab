"""Use cases of the submission service: one function per RPC, `(command, uow, principal, ...)`,
each opening one unit of work and committing at most once. They check access first
(`service_layer/policy.py`), pass the caller's `Scope` to the repositories (applied in SQL),
and leave every rule about the report to the aggregate (`domain/submissions.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ktxh_platform.access import PROVINCE_ROLES, Scope
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound

from ktxh_submission.domain.calendars import Schedule, WorkingDays
from ktxh_submission.domain.context import FigureContext, earlier_in_year, figure_context
from ktxh_submission.domain.figures import FigureChange, FigureKey, FormLine
from ktxh_submission.domain.forms import BuiltForm, build_form
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.domain.reminders import (
    OVERDUE,
    DeadlineApproaching,
    ReminderBatch,
    candidate_periods,
    due_reminders,
)
from ktxh_submission.domain.submissions import (
    Attachment,
    FigureInput,
    NoteChange,
    Status,
    Step,
    Submission,
    Timeliness,
)
from ktxh_submission.domain.tasks import TaskChange, TaskInput, TaskProgress
from ktxh_submission.domain.validation import Rules
from ktxh_submission.service_layer import policy
from ktxh_submission.service_layer.ports import Peers
from ktxh_submission.service_layer.unit_of_work import SubmissionFilter, SubmissionUnitOfWork

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """What the use cases obey (from `KTXH_SUBMISSION_*`)."""

    working_days: WorkingDays = field(default_factory=WorkingDays)
    rules: Rules = field(default_factory=Rules)
    clock: Clock = utc_now
    # kinds of unit expected to send periodic reports to their upper level (board, reminders)
    reporting_kinds: tuple[str, ...] = ("commune", "district")
    # reminders: days before a deadline; how many days after the official one an overdue
    # reminder is still sent; which calendars (empty = every calendar of the province)
    reminder_days: int = 3
    overdue_horizon: int = 30
    reminder_calendars: tuple[str, ...] = ()


# ---------------------------------------------------------------------- commands


@dataclass(frozen=True)
class OpenSubmission:
    """`lines` empty: the form is built from the unit's indicator sets and assignments in
    force (`domain/forms.py`); `calendar_code` empty: the indicator set's calendar."""

    org_unit_code: str
    period_code: str
    calendar_code: str
    lines: tuple[FormLine, ...] = ()


@dataclass(frozen=True)
class SaveFigures:
    submission_id: str
    figures: tuple[FigureInput, ...]
    reason: str = ""


@dataclass(frozen=True)
class DeliverSection:
    submission_id: str
    office_code: str


@dataclass(frozen=True)
class ReturnFigure:
    submission_id: str
    key: FigureKey
    comment: str


@dataclass(frozen=True)
class Transition:
    """Consolidate, approve, send, accept, return or reopen (`reason` for the last two);
    `expected_version` 0 = do not check."""

    submission_id: str
    expected_version: int = 0
    reason: str = ""


@dataclass(frozen=True)
class ListPeriods:
    calendar_code: str
    kind: PeriodKind
    year: int


@dataclass(frozen=True)
class History:
    steps: list[Step]
    changes: list[FigureChange]
    task_changes: list[TaskChange] = field(default_factory=list)
    note_changes: list[NoteChange] = field(default_factory=list)


@dataclass(frozen=True)
class SaveTaskProgress:
    submission_id: str
    tasks: tuple[TaskInput, ...]


@dataclass(frozen=True)
class SaveSubmissionNote:
    submission_id: str
    note: str
    expected_version: int


@dataclass(frozen=True)
class ChangeAttachment:
    submission_id: str
    document_id: str
    expected_version: int = 0


@dataclass(frozen=True)
class GetBoard:
    period_code: str
    calendar_code: str
    org_unit_code: str = ""  # empty: the caller's unit


@dataclass(frozen=True)
class BoardRow:
    org_unit_code: str
    org_unit_name: str
    submission_id: str
    status: Status | None
    timeliness: Timeliness
    sent_at: datetime | None


@dataclass(frozen=True)
class Board:
    schedule: Schedule
    org_unit_code: str
    units: list[BoardRow]


# ---------------------------------------------------------------------- helpers


def _parse_period(code: str) -> Period:
    return Period.parse(code, "period_code")


async def _schedule(
    uow: SubmissionUnitOfWork, calendar_code: str, period: Period, settings: Settings
) -> Schedule:
    cal = await uow.calendars.get(calendar_code) if calendar_code else None
    if cal is None or cal.retired:
        raise InvalidArgument.single(
            "calendar_code", f"Không tìm thấy lịch báo cáo '{calendar_code}'"
        )
    return cal.schedule(period, settings.working_days)


async def _load(uow: SubmissionUnitOfWork, submission_id: str, scope: Scope) -> Submission:
    sub = await uow.submissions.get(submission_id, scope) if submission_id else None
    if sub is None:
        raise NotFound(f"Không tìm thấy báo cáo {submission_id}")
    return sub


def _check_version(sub: Submission, expected: int) -> None:
    if expected and expected != sub.version:
        raise Conflict(
            f"Báo cáo đã được người khác thay đổi (phiên bản {sub.version}, bạn đang xem "
            f"phiên bản {expected}); hãy tải lại"
        )


# ---------------------------------------------------------------------- periods


async def list_periods(
    cmd: ListPeriods, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> list[Schedule]:
    """The periods of one kind in one year (the year itself for yearly kinds) with their
    deadlines under a calendar."""
    policy.read_scope(principal)
    if cmd.kind is PeriodKind.POINT_IN_TIME:
        raise InvalidArgument.single(
            "kind", "Kỳ 'Thời điểm' không liệt kê được; dùng mã kỳ, ví dụ @2026-10-31"
        )
    first = {
        PeriodKind.MONTH: Period.month(cmd.year, 1), PeriodKind.QUARTER: Period.quarter(cmd.year, 1),
        PeriodKind.HALF_YEAR: Period.half_year(cmd.year, 1),
    }.get(cmd.kind) or Period(cmd.kind, cmd.year)
    count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2}.get(cmd.kind, 1)
    async with uow:
        return [
            await _schedule(uow, cmd.calendar_code, first.shifted(i), settings)
            for i in range(count)
        ]


async def resolve_period(
    calendar_code: str, period_code: str, uow: SubmissionUnitOfWork, principal: Principal,
    settings: Settings,
) -> Schedule:
    policy.read_scope(principal)
    period = _parse_period(period_code)
    async with uow:
        return await _schedule(uow, calendar_code, period, settings)


# ---------------------------------------------------------------------- reports


async def open_submission(
    cmd: OpenSubmission, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings,
    peers: Peers | None = None,
) -> Submission:
    """Open the report of a unit for a period (the consolidating office, or the upper level);
    opening it again returns the existing one. Without lines, the form is built from the
    catalog and the assignments in force (asked with the caller's token) and snapshotted."""
    scope = (
        policy.upper_level_scope(principal) if _province(principal)
        else policy.sender_scope(principal)
    )
    period = _parse_period(cmd.period_code)
    async with uow:
        unit = await uow.units.by_code(cmd.org_unit_code)
        if unit is None or not await uow.units.codes_in_scope(scope, [unit.code]):
            raise NotFound(f"Không tìm thấy đơn vị {cmd.org_unit_code} trong phạm vi của bạn")
        existing = await uow.submissions.find(unit.id, period)
        if existing is not None:
            return existing
        built = BuiltForm(list(cmd.lines))
        if not cmd.lines:
            if peers is None:
                raise InvalidArgument.single("lines", "Báo cáo phải có ít nhất một chỉ số")
            offices = {u.code for u in await uow.units.children(unit.id) if u.kind == "office"}
            built = await _build(unit.id, unit.code, unit.kind, period, offices, peers, principal)
            if not built.lines:
                raise InvalidArgument.single(
                    "period_code",
                    f"Đơn vị {unit.code} không có chỉ số nào phải báo cáo {period.label}: chưa có "
                    "bộ chỉ số hay chỉ tiêu được giao có hiệu lực trong kỳ",
                )
        calendar_code = cmd.calendar_code or built.calendar_code
        schedule = await _schedule(uow, calendar_code, period, settings)
        offices_used = sorted({ln.office_code for ln in built.lines})
        known = await uow.units.codes_in_scope(scope, offices_used)
        missing = [c for c in offices_used if c not in known]
        if missing:
            raise InvalidArgument.single(
                "lines", "Phòng phụ trách không thuộc đơn vị: " + ", ".join(missing)
            )
        sub = Submission.open(
            province_code=uow.province_code, org_unit_id=unit.id, org_unit_code=unit.code,
            schedule=schedule, lines=built.lines, actor=principal.username,
            actor_unit=principal.org_unit, at=settings.clock(), targets=built.targets,
            tasks=[TaskProgress(t.key_task_id, t.key_task_code, t.name, t.deadline,
                                office_code=t.office_code)
                   for t in built.tasks],
        )
        await uow.submissions.add(sub)
        await uow.commit()
        return sub


async def _build(
    unit_id: str, unit_code: str, unit_kind: str, period: Period, offices: set[str],
    peers: Peers, principal: Principal,
) -> BuiltForm:
    """Ask the catalog and the assignment service (reads only, with the caller's token) what
    the unit reports for the period, as in force on the period's last day."""
    on = period.end
    sets = await peers.catalog.indicator_sets(unit_kind, on, principal)
    targets, task_refs = await peers.assignments.in_force(unit_id, on, principal)
    codes = {i.indicator_code for s in sets for i in s.items} | {
        t.key.indicator_code for t in targets}
    indicators = await peers.catalog.indicators(codes, on, principal) if codes else {}
    tasks = await peers.catalog.key_tasks(task_refs, principal) if task_refs else []
    return build_form(
        unit_code=unit_code, period=period, sets=sets, indicators=indicators, targets=targets,
        tasks=tasks, offices=offices,
    )


def _province(principal: Principal) -> bool:
    return principal.has_any_role(*PROVINCE_ROLES)


async def get_submission(
    submission_id: str, uow: SubmissionUnitOfWork, principal: Principal
) -> Submission:
    scope = policy.read_scope(principal)
    async with uow:
        return await _load(uow, submission_id, scope)


async def get_submission_with_context(
    submission_id: str, uow: SubmissionUnitOfWork, principal: Principal
) -> tuple[Submission, list[FigureContext]]:
    """The report and, beside each figure of its form, the target, the same period last year
    and the year-to-date figure (`domain/context.py`)."""
    scope = policy.read_scope(principal)
    async with uow:
        sub = await _load(uow, submission_id, scope)
        earlier = earlier_in_year(sub.period)
        last_year = sub.period.same_period_last_year()
        accepted = await uow.submissions.accepted_figures(sub.org_unit_id, [last_year, *earlier])
        return sub, figure_context(sub, accepted.get(last_year, {}), [accepted.get(p) for p in earlier])


async def list_submissions(
    flt: SubmissionFilter, uow: SubmissionUnitOfWork, principal: Principal
) -> tuple[list[Submission], str, int]:
    scope = policy.read_scope(principal)
    async with uow:
        return await uow.submissions.list(scope, flt)


async def history(
    submission_id: str, uow: SubmissionUnitOfWork, principal: Principal
) -> History:
    scope = policy.read_scope(principal)
    async with uow:
        sub = await _load(uow, submission_id, scope)
        return History(list(sub.steps), await uow.submissions.changes(sub.id),
                       await uow.submissions.task_changes(sub.id),
                       await uow.submissions.note_changes(sub.id))


async def save_figures(
    cmd: SaveFigures, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    scope = policy.write_scope(principal)  # a data-entry officer's: their own office
    async with uow:
        sub = await _load(uow, cmd.submission_id, policy.read_scope(principal))
        offices = await _writable_offices(uow, sub, scope, principal)
        changes = sub.save_figures(
            list(cmd.figures), offices=offices, actor=principal.username, at=settings.clock(),
            reason=cmd.reason,
        )
        if changes:
            await uow.submissions.save_figures(sub)
            await uow.commit()
        return sub


async def _writable_offices(
    uow: SubmissionUnitOfWork, sub: Submission, scope: Scope, principal: Principal
) -> frozenset[str] | None:
    if policy.acts_for_whole_unit(principal):
        return None
    offices = set(sub.sections) | {t.office_code for t in sub.tasks if t.office_code}
    return frozenset(await uow.units.codes_in_scope(scope, sorted(offices)))


async def save_task_progress(
    cmd: SaveTaskProgress, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    """Report progress on key tasks: the task's office (or the consolidating office), each
    row at the version read, all or nothing, every change kept."""
    scope = policy.write_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, policy.read_scope(principal))
        offices = await _writable_offices(uow, sub, scope, principal)
        changes = sub.save_tasks(list(cmd.tasks), offices=offices, actor=principal.username,
                                 at=settings.clock())
        if changes:
            await uow.submissions.save_tasks(sub)
            await uow.commit()
        return sub


async def save_submission_note(
    cmd: SaveSubmissionNote, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    """Write the whole report's explanatory note: the consolidating office or the leader of
    the report's unit (scope in SQL), at the report's version the caller read; the change is
    kept (who, when, before, after). No event: like figures and key tasks, the note travels
    with the report when it is sent."""
    scope = policy.note_writer_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, scope)
        before = sub.version
        change = sub.save_note(cmd.note, expected_version=cmd.expected_version,
                               actor=principal.username, at=settings.clock())
        if change is not None:
            await uow.submissions.save(sub, before)
            await uow.commit()
        return sub


async def add_attachment(
    cmd: ChangeAttachment, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings,
    peers: Peers | None,
) -> Submission:
    """Attach a document: it must exist and be visible to the caller (asked of the document
    service with the caller's token) and belong to the report's unit or one of its offices."""
    scope = policy.write_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, policy.read_scope(principal))
        if not await uow.units.codes_in_scope(scope, [sub.org_unit_code, *sorted(sub.sections)]):
            raise NotFound(f"Không tìm thấy báo cáo {cmd.submission_id}")
        if not cmd.document_id.strip():
            raise InvalidArgument.single("document_id", "Cần chọn tài liệu đính kèm")
        _check_version(sub, cmd.expected_version)
        if peers is None or peers.documents is None:
            raise InvalidArgument.single("document_id", "Chưa cấu hình dịch vụ tài liệu")
        doc = await peers.documents.get(cmd.document_id.strip(), principal)
        if doc is None:
            raise InvalidArgument.single(
                "document_id",
                f"Không tìm thấy tài liệu {cmd.document_id} (hoặc bạn không được xem tài liệu này)")
        own = {sub.org_unit_code} | {u.code for u in await uow.units.children(sub.org_unit_id)}
        if doc.owner_unit_code not in own:
            raise InvalidArgument.single(
                "document_id",
                f"Tài liệu “{doc.title}” thuộc đơn vị {doc.owner_unit_code or '(không rõ)'}, "
                f"không phải của {sub.org_unit_code}; chỉ đính kèm tài liệu của đơn vị mình")
        before = sub.version
        sub.attach(Attachment(doc.id, doc.file_name, doc.title, principal.username,
                              settings.clock()))
        if sub.version != before:
            await uow.submissions.save_attachments(sub, before)
            await uow.commit()
        return sub


async def remove_attachment(
    cmd: ChangeAttachment, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    scope = policy.write_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, policy.read_scope(principal))
        if not await uow.units.codes_in_scope(scope, [sub.org_unit_code, *sorted(sub.sections)]):
            raise NotFound(f"Không tìm thấy báo cáo {cmd.submission_id}")
        _check_version(sub, cmd.expected_version)
        before = sub.version
        sub.detach(cmd.document_id)
        await uow.submissions.save_attachments(sub, before)
        await uow.commit()
        return sub


async def submission_board(
    cmd: GetBoard, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Board:
    """Every child unit of an upper-level unit expected to report (active units of the
    reporting kinds, from the replica of the unit tree), with its report's status and
    timeliness; a child outside the caller's scope is never listed (SQL)."""
    scope = policy.read_scope(principal)
    period = _parse_period(cmd.period_code)
    code = cmd.org_unit_code or principal.org_unit
    async with uow:
        unit = await uow.units.by_code(code)
        if unit is None or not await uow.units.codes_in_scope(scope, [unit.code]):
            raise NotFound(f"Không tìm thấy đơn vị {code} trong phạm vi của bạn")
        schedule = await _schedule(uow, cmd.calendar_code, period, settings)
        rows = await uow.submissions.board(unit.id, period, scope, settings.reporting_kinds)
    today = settings.clock().date()
    return Board(schedule, unit.code, [
        BoardRow(r.org_unit_code, r.org_unit_name, r.submission_id, r.status,
                 Timeliness.of(schedule.deadline, r.sent_at.date() if r.sent_at else None, today),
                 r.sent_at)
        for r in rows
    ])


async def deliver_section(
    cmd: DeliverSection, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    scope = policy.write_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, policy.read_scope(principal))
        if not cmd.office_code:
            raise InvalidArgument.single("office_code", "Cần cho biết phòng chuyển số liệu")
        offices = await _writable_offices(uow, sub, scope, principal)
        if offices is not None and cmd.office_code not in offices:
            raise NotFound(f"Báo cáo không có phần số liệu của {cmd.office_code} trong phạm vi của bạn")
        before = sub.version
        hist = await uow.submissions.history(sub)
        sub.deliver_section(
            cmd.office_code, history=hist, rules=settings.rules, actor=principal.username,
            actor_unit=principal.org_unit, at=settings.clock(),
        )
        await uow.submissions.save(sub, before)
        await uow.commit()
        return sub


async def return_figure(
    cmd: ReturnFigure, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    scope = policy.consolidator_scope(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, scope)
        before = sub.version
        sub.return_figure(
            cmd.key, cmd.comment, actor=principal.username, actor_unit=principal.org_unit,
            at=settings.clock(),
        )
        await uow.submissions.save(sub, before)
        await uow.commit()
        return sub


async def _transition(
    cmd: Transition,
    uow: SubmissionUnitOfWork,
    principal: Principal,
    settings: Settings,
    scope_of: Callable[[Principal], Scope],
    step: str,
) -> Submission:
    scope = scope_of(principal)
    async with uow:
        sub = await _load(uow, cmd.submission_id, scope)
        _check_version(sub, cmd.expected_version)
        before = sub.version
        who = {"actor": principal.username, "actor_unit": principal.org_unit, "at": settings.clock()}
        if step in ("consolidate", "send"):
            hist = await uow.submissions.history(sub)
            getattr(sub, step)(history=hist, rules=settings.rules, **who)
        elif step in ("return_to_unit", "reopen"):
            getattr(sub, step)(cmd.reason, **who)
        else:
            getattr(sub, step)(**who)
        await uow.submissions.save(sub, before)
        await uow.commit()
        return sub


async def consolidate_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(cmd, uow, principal, settings, policy.consolidator_scope, "consolidate")


async def approve_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(cmd, uow, principal, settings, policy.leader_scope, "approve")


async def send_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(cmd, uow, principal, settings, policy.sender_scope, "send")


async def accept_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(cmd, uow, principal, settings, policy.upper_level_scope, "accept")


async def return_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(
        cmd, uow, principal, settings, policy.upper_level_scope, "return_to_unit"
    )


async def reopen_submission(
    cmd: Transition, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> Submission:
    return await _transition(cmd, uow, principal, settings, policy.upper_level_scope, "reopen")



# ---------------------------------------------------------------------- reminders


async def remind_deadlines(now: datetime, uow: SubmissionUnitOfWork, settings: Settings) -> int:
    """Publish, once each, SubmissionDeadlineApproaching before the internal and official
    deadlines of the periods the reporting units still owe, and SubmissionOverdue after the
    official one (`domain/reminders.py`). Run periodically by the service (system task: no
    caller); the reminders and the rows marking them sent are written in one transaction, so
    with several replicas a lost race rolls back and nothing is sent twice."""
    today = now.date()
    async with uow:
        units = await uow.units.reporting(settings.reporting_kinds)
        if not units:
            return 0
        batch = ReminderBatch()
        for cal in await uow.calendars.list():
            if cal.retired or (settings.reminder_calendars
                               and cal.code not in settings.reminder_calendars):
                continue
            for period in candidate_periods(today, cal.kinds):
                schedule = cal.schedule(period, settings.working_days)
                dates = [schedule.deadline, *(d.due for d in schedule.internal)]
                near = any(0 <= (d - today).days <= settings.reminder_days for d in dates)
                late = 0 < (today - schedule.deadline).days <= settings.overdue_horizon
                if not (near or late):
                    continue
                reports = await uow.submissions.unit_reports(period, units)
                already = await uow.submissions.reminded(cal.code, period)
                for event in due_reminders(today, schedule, reports, already,
                                           days_before=settings.reminder_days,
                                           overdue_horizon=settings.overdue_horizon):
                    step = event.step if isinstance(event, DeadlineApproaching) else OVERDUE
                    batch.record(event)
                    batch.keys.append((event.unit_id, period.code, cal.code, step))
        if not batch.keys:
            return 0
        await uow.submissions.record_reminders(batch, now)
        await uow.commit()
        return len(batch.keys)
