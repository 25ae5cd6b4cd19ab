"""The report (báo cáo) of one unit for one period, and its workflow (issue 11, point 3).

Inside the unit: each office enters the figures of its own indicators (its *section*) and
delivers the section → the consolidating office (Văn phòng HĐND và UBND) reviews, returns a
figure to its office with a comment or consolidates → the leader (chủ tịch) approves → the
report is sent to the upper level → accepted, or returned with a reason → corrected and sent
again. Only the upper level reopens an accepted report, with a reason. A returned report
goes back to the consolidating office, which corrects it or returns figures to their offices.

Statuses: ``draft`` → ``consolidated`` → ``approved`` → ``sent`` → ``accepted``; ``returned``
(by the upper level or reopened) is edited like a draft and goes through consolidation and
approval again.

Every step (`Step`) and every changed figure (`FigureChange`: who, when, before, after) is
kept. Figures carry their own version: a save names the version it read and a figure changed
meanwhile is a conflict showing both values, so two people editing different figures of one
report never block each other.

The aggregate decides *what* may happen in which status; *who* may do it (roles and unit
scope) is the service layer's policy, which passes the offices a caller may write for.

Pure: standard library only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)

from ktxh_submission.domain.calendars import Schedule
from ktxh_submission.domain.figures import (
    Figure,
    FigureChange,
    FigureKey,
    FigureKind,
    FormLine,
    ValueType,
    parse_decimal,
)
from ktxh_submission.domain.forms import FormTarget
from ktxh_submission.domain.periods import Period
from ktxh_submission.domain.tasks import MAX_TEXT, TaskChange, TaskInput, TaskProgress, TaskStatus
from ktxh_submission.domain.validation import History, Rules, check_report, check_value

__all__ = [
    "Attachment",
    "FigureInput",
    "NoteChange",
    "Section",
    "SectionStatus",
    "Status",
    "Step",
    "StepAction",
    "Submission",
    "SubmissionAccepted",
    "SubmissionReopened",
    "SubmissionReturned",
    "SubmissionSent",
    "Timeliness",
]


class Status(StrEnum):
    DRAFT = "draft"
    CONSOLIDATED = "consolidated"
    APPROVED = "approved"
    SENT = "sent"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.DRAFT: "đang nhập liệu",
    Status.CONSOLIDATED: "đã tổng hợp, chờ lãnh đạo duyệt",
    Status.APPROVED: "đã duyệt, chưa gửi",
    Status.SENT: "đã gửi cấp trên",
    Status.ACCEPTED: "đã được cấp trên tiếp nhận",
    Status.RETURNED: "bị trả lại để sửa",
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
MAX_KEY_LENGTH = 300  # the figure key's text column


class SectionStatus(StrEnum):
    OPEN = "open"
    DELIVERED = "delivered"
    RETURNED = "returned"


class StepAction(StrEnum):
    OPENED = "opened"
    SECTION_DELIVERED = "section_delivered"
    FIGURE_RETURNED = "figure_returned"  # to its office, by the consolidating office
    CONSOLIDATED = "consolidated"
    APPROVED = "approved"
    SENT = "sent"
    ACCEPTED = "accepted"
    RETURNED = "returned"  # by the upper level
    REOPENED = "reopened"  # an accepted report, by the upper level


@dataclass
class Section:
    office_code: str
    status: SectionStatus = SectionStatus.OPEN
    delivered_at: datetime | None = None
    return_comment: str = ""


MAX_NOTE = 4000  # the whole report's note: as long as a figure's


@dataclass(frozen=True)
class NoteChange:
    """One change of the whole report's explanatory note: who, when, before, after, and the
    report's version it produced."""

    before: str
    after: str
    actor: str
    at: datetime
    version: int


@dataclass(frozen=True)
class Step:
    id: str
    action: StepAction
    from_status: Status
    to_status: Status
    actor: str
    actor_unit: str
    at: datetime
    comment: str = ""
    office_code: str = ""
    figure_key: FigureKey | None = None
    submission_version: int = 0


@dataclass(frozen=True)
class FigureInput:
    """One figure as a caller saves it: the value text (empty = clear it), the explanatory
    note, and the figure version the caller read (0 = it had none)."""

    key: FigureKey
    value: str = ""
    note: str = ""
    expected_version: int = 0


@dataclass(frozen=True)
class Timeliness:
    """When the report was sent against its deadline (issue 11, point 5)."""

    state: str  # on_time | late | missing | pending
    days_late: int = 0

    @property
    def label(self) -> str:
        if self.state == "on_time":
            return "Đúng hạn"
        if self.state == "late":
            return f"Trễ {self.days_late} ngày"
        if self.state == "missing":
            return f"Chưa gửi, quá hạn {self.days_late} ngày"
        return "Chưa đến hạn"

    @classmethod
    def of(cls, deadline: date, sent_on: date | None, today: date) -> Timeliness:
        if sent_on is not None:
            late = (sent_on - deadline).days
            return cls("late", late) if late > 0 else cls("on_time")
        if today > deadline:
            return cls("missing", (today - deadline).days)
        return cls("pending")


@dataclass(frozen=True)
class Attachment:
    """A document of the document service attached to the report (by id)."""

    document_id: str
    file_name: str
    title: str = ""
    added_by: str = ""
    added_at: datetime | None = None


MAX_ATTACHMENTS = 50


# ---------------------------------------------------------------------- events


@dataclass(frozen=True)
class SubmissionSent(DomainEvent):
    submission: Submission


@dataclass(frozen=True)
class SubmissionReturned(DomainEvent):
    submission: Submission
    reason: str


@dataclass(frozen=True)
class SubmissionAccepted(DomainEvent):
    submission: Submission  # with its figures: they now count in roll-ups


@dataclass(frozen=True)
class SubmissionReopened(DomainEvent):
    submission: Submission
    reason: str


# ---------------------------------------------------------------------- aggregate


def _reason(text: str, field_name: str = "reason") -> str:
    text = text.strip()
    if not text:
        raise InvalidArgument.single(field_name, "Phải nêu lý do")
    if len(text) > 2000:
        raise InvalidArgument.single(field_name, "Lý do dài quá 2000 ký tự")
    return text


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class Submission(Aggregate):
    id: str
    province_code: str
    org_unit_id: str
    org_unit_code: str
    period: Period
    calendar_code: str
    deadline: date
    lines: tuple[FormLine, ...]
    status: Status = Status.DRAFT
    sections: dict[str, Section] = field(default_factory=dict)
    figures: dict[FigureKey, Figure] = field(default_factory=dict)
    note: str = ""  # explanatory note of the whole report
    # The targets in force when the report was opened, beside each figure (kind ACTUAL or
    # ESTIMATE): snapshotted with the form.
    targets: dict[FigureKey, FormTarget] = field(default_factory=dict)
    tasks: list[TaskProgress] = field(default_factory=list)  # key-task progress rows
    task_changes: list[TaskChange] = field(default_factory=list)  # only this transaction's
    note_changes: list[NoteChange] = field(default_factory=list)  # only this transaction's
    attachments: list[Attachment] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    new_steps: list[Step] = field(default_factory=list)  # only those of this transaction
    changes: list[FigureChange] = field(default_factory=list)  # only those of this transaction
    sent_at: datetime | None = None
    accepted_at: datetime | None = None
    return_count: int = 0
    created_by: str = ""
    created_at: datetime | None = None

    # ------------------------------------------------------------------ creation

    @classmethod
    def open(
        cls,
        *,
        province_code: str,
        org_unit_id: str,
        org_unit_code: str,
        schedule: Schedule,
        lines: list[FormLine],
        actor: str,
        actor_unit: str,
        at: datetime,
        targets: dict[FigureKey, FormTarget] | None = None,
        tasks: list[TaskProgress] | None = None,
    ) -> Submission:
        if not lines:
            raise InvalidArgument.single("lines", "Báo cáo phải có ít nhất một chỉ số")
        seen: set[str] = set()
        bad = []
        for i, line in enumerate(lines):
            for name, value, limit in (("indicator_code", line.indicator_code, 60),
                                       ("office_code", line.office_code, 40),
                                       ("name", line.name, 500)):
                if len(value) > limit:
                    bad.append(FieldViolation(f"lines[{i}].{name}", f"Dài quá {limit} ký tự"))
            if any(len(FigureKey(line.indicator_code, ((d.code, m),)).text) > MAX_KEY_LENGTH
                   for d in line.dimensions for m in d.members):
                bad.append(FieldViolation(f"lines[{i}].dimensions", "Mã chiều hoặc giá trị quá dài"))
            if line.indicator_code in seen:
                bad.append(FieldViolation(f"lines[{i}].indicator_code",
                                          f"Chỉ số {line.indicator_code} bị lặp"))
            seen.add(line.indicator_code)
            if not line.office_code.strip():
                bad.append(FieldViolation(f"lines[{i}].office_code",
                                          f"Chỉ số {line.indicator_code}: chưa có phòng phụ trách"))
        if bad:
            raise InvalidArgument(bad, bad[0].message)
        sub = cls(
            id=str(uuid.uuid4()), province_code=province_code, org_unit_id=org_unit_id,
            org_unit_code=org_unit_code, period=schedule.period,
            calendar_code=schedule.calendar_code, deadline=schedule.deadline,
            lines=tuple(lines),
            sections={c: Section(c) for c in dict.fromkeys(line.office_code for line in lines)},
            created_by=actor, created_at=at, targets=dict(targets or {}), tasks=list(tasks or []),
        )
        sub._step(StepAction.OPENED, Status.DRAFT, actor, actor_unit, at)
        return sub

    # ------------------------------------------------------------------ queries

    def line(self, code: str) -> FormLine | None:
        return next((ln for ln in self.lines if ln.indicator_code == code), None)

    def timeliness(self, today: date) -> Timeliness:
        return Timeliness.of(self.deadline, self.sent_at.date() if self.sent_at else None, today)

    # ------------------------------------------------------------------ figures

    def save_figures(
        self,
        entries: list[FigureInput],
        *,
        offices: frozenset[str] | None,
        actor: str,
        at: datetime,
        reason: str = "",
    ) -> list[FigureChange]:
        """Create, change or clear figures, all or nothing. `offices`: the sections the caller
        may write (None: every section, the consolidating office). Raises InvalidArgument
        (every bad value), PermissionDenied (another office's figure) or Conflict (a figure
        changed since the caller read it, both values shown)."""
        if self.status not in EDITABLE:
            raise Conflict(
                f"Báo cáo {self.period.label} đang ở trạng thái “{self.status.label}”, "
                "không sửa được số liệu"
            )
        bad: list[FieldViolation] = []
        clashes: list[FieldViolation] = []
        planned: list[tuple[FigureInput, FormLine, Figure]] = []
        for i, e in enumerate(entries):
            at_field = f"figures[{i}]"
            line = self.line(e.key.indicator_code)
            if line is None:
                bad.append(FieldViolation(f"{at_field}.key.indicator_code",
                                          f"Chỉ số {e.key.indicator_code} không có trong báo cáo"))
                continue
            problem = self._key_problem(line, e.key) or (
                "Khoá số liệu quá dài" if len(e.key.text) > MAX_KEY_LENGTH else "")
            if problem:
                bad.append(FieldViolation(f"{at_field}.key", problem))
                continue
            if offices is not None and line.office_code not in offices:
                raise PermissionDenied(
                    f"Chỉ số {line.indicator_code} “{line.name}” do {line.office_code} nhập; "
                    "bạn chỉ được nhập số liệu của phòng mình"
                )
            section = self.sections[line.office_code]
            if offices is not None and section.status is SectionStatus.DELIVERED:
                raise Conflict(
                    f"Phần số liệu của {line.office_code} đã chuyển Văn phòng tổng hợp; "
                    "không sửa được trừ khi được trả lại"
                )
            current = self.figures.get(e.key) or Figure(e.key, line.office_code)
            if current.version != e.expected_version:
                clashes.append(FieldViolation(
                    f"{at_field}.value",
                    f"Chỉ số {line.indicator_code} “{line.name}” vừa được {current.updated_by or 'người khác'} "
                    f"sửa thành {current.display} trong khi bạn nhập "
                    f"{e.value.strip() or '(trống)'}; hãy xem lại và lưu lại",
                ))
                continue
            new = Figure(
                e.key, line.office_code, note=e.note.strip(), version=current.version,
                updated_by=current.updated_by, updated_at=current.updated_at,
                return_comment=current.return_comment,
            )
            text = e.value.strip()
            if text:
                if line.value_type is ValueType.TEXT:
                    new.text_value = text
                else:
                    try:
                        new.value = parse_decimal(text)
                    except ValueError as err:
                        bad.append(FieldViolation(
                            f"{at_field}.value",
                            f"Chỉ số {line.indicator_code} “{line.name}”: “{text[:40]}” {err}",
                        ))
                        continue
            for problem in check_value(line, e.key, new):
                bad.append(FieldViolation(f"{at_field}.value", problem))
            if len(new.note) > 4000:
                bad.append(FieldViolation(f"{at_field}.note", "Thuyết minh dài quá 4000 ký tự"))
            planned.append((e, line, new))
        if bad:
            raise InvalidArgument(bad, bad[0].message)
        if clashes:
            raise Conflict(clashes[0].message, clashes)
        changes: list[FigureChange] = []
        for e, line, new in planned:
            old = self.figures.get(e.key)
            before = old.display if old else "(trống)"
            before_note = old.note if old else ""
            if old is not None and (old.value, old.text_value, old.note) == (
                new.value, new.text_value, new.note
            ):
                continue  # nothing changed: no new version, no history line
            new.version += 1
            new.updated_by, new.updated_at = actor, at
            new.return_comment = ""
            if new.empty and not new.note:
                self.figures.pop(e.key, None)
            else:
                self.figures[e.key] = new
            changes.append(FigureChange(
                e.key, line.office_code, before, new.display, before_note, new.note, actor, at,
                new.version, reason.strip(),
            ))
        if changes:
            self.version += 1
            self.changes.extend(changes)
        return changes

    def _key_problem(self, line: FormLine, key: FigureKey) -> str:
        if key.kind is FigureKind.TARGET:
            return "Chỉ tiêu kế hoạch do cơ quan giao nhập, không nhập trong báo cáo"
        for dim, member in key.members:
            d = line.dimension(dim)
            if d is None:
                return f"Chỉ số {line.indicator_code} không có chiều “{dim}”"
            if member not in d.members:
                return f"Chiều “{dim}” của chỉ số {line.indicator_code} không có giá trị “{member}”"
        return ""

    # ------------------------------------------------------------------ key tasks

    def save_tasks(
        self, entries: list[TaskInput], *, offices: frozenset[str] | None, actor: str,
        at: datetime,
    ) -> list[TaskChange]:
        """Report progress on key tasks, all or nothing, each row at the version the caller
        read. `offices`: the offices the caller writes for (None: every row)."""
        if self.status not in EDITABLE:
            raise Conflict(
                f"Báo cáo {self.period.label} đang ở trạng thái “{self.status.label}”, "
                "không sửa được tiến độ nhiệm vụ"
            )
        rows = {t.key_task_code: t for t in self.tasks}
        bad: list[FieldViolation] = []
        clashes: list[FieldViolation] = []
        planned: list[tuple[TaskProgress, dict[str, object]]] = []
        seen: set[str] = set()
        for i, e in enumerate(entries):
            at_field = f"tasks[{i}]"
            row = rows.get(e.key_task_code)
            if row is None:
                bad.append(FieldViolation(f"{at_field}.key_task_code",
                                          f"Nhiệm vụ {e.key_task_code} không có trong báo cáo"))
                continue
            if e.key_task_code in seen:
                bad.append(FieldViolation(f"{at_field}.key_task_code",
                                          f"Nhiệm vụ {e.key_task_code} bị lặp"))
                continue
            seen.add(e.key_task_code)
            if offices is not None and row.office_code not in offices:
                raise PermissionDenied(
                    f"Tiến độ nhiệm vụ {row.key_task_code} do {row.office_code or 'đơn vị'} báo "
                    "cáo; bạn chỉ được báo cáo nhiệm vụ của phòng mình"
                )
            try:
                status = TaskStatus(e.status)
            except ValueError:
                bad.append(FieldViolation(f"{at_field}.status",
                                          f"Trạng thái “{e.status[:40]}” không hợp lệ"))
                continue
            if not 0 <= e.percent_done <= 100:
                bad.append(FieldViolation(f"{at_field}.percent_done",
                                          f"Nhiệm vụ {row.key_task_code}: tỷ lệ hoàn thành phải "
                                          "từ 0 đến 100%"))
                continue
            if status is TaskStatus.DONE and e.percent_done != 100:
                bad.append(FieldViolation(f"{at_field}.percent_done",
                                          f"Nhiệm vụ {row.key_task_code} đã hoàn thành thì tỷ lệ "
                                          "hoàn thành phải là 100%"))
                continue
            texts = {"results": e.results.strip(), "difficulties": e.difficulties.strip(),
                     "proposals": e.proposals.strip()}
            long = [k for k, v in texts.items() if len(v) > MAX_TEXT]
            if long:
                bad.extend(FieldViolation(f"{at_field}.{k}", f"Dài quá {MAX_TEXT} ký tự") for k in long)
                continue
            if row.version != e.expected_version:
                clashes.append(FieldViolation(
                    f"{at_field}.expected_version",
                    f"Tiến độ nhiệm vụ {row.key_task_code} vừa được {row.updated_by or 'người khác'} "
                    f"sửa ({row.status.label}, {row.percent_done}%) trong khi bạn nhập "
                    f"({status.label}, {e.percent_done}%); hãy xem lại và lưu lại",
                ))
                continue
            planned.append((row, {"status": status, "percent_done": e.percent_done, **texts}))
        if bad:
            raise InvalidArgument(bad, bad[0].message)
        if clashes:
            raise Conflict(clashes[0].message, clashes)
        changes = []
        for row, new in planned:
            before = row.content()
            for k, v in new.items():
                setattr(row, k, v)
            after = row.content()
            if after == before:
                continue
            row.version += 1
            row.updated_by, row.updated_at = actor, at
            changes.append(TaskChange(row.key_task_code, before, after, actor, at, row.version))
        if changes:
            self.version += 1
            self.task_changes.extend(changes)
        return changes

    # ------------------------------------------------------------------ the report's note

    def save_note(
        self, text: str, *, expected_version: int, actor: str, at: datetime
    ) -> NoteChange | None:
        """Write the explanatory note of the whole report (thuyết minh chung) while it is
        editable, at the report's version the caller read; a note changed meanwhile is a
        conflict naming both texts. The same text again changes nothing."""
        if self.status not in EDITABLE:
            raise Conflict(
                f"Báo cáo {self.period.label} đang ở trạng thái “{self.status.label}”, "
                "không sửa được thuyết minh"
            )
        text = text.strip()
        if len(text) > MAX_NOTE:
            raise InvalidArgument.single("note", f"Thuyết minh dài quá {MAX_NOTE} ký tự")
        if expected_version != self.version:
            message = (
                f"Báo cáo vừa được người khác thay đổi (phiên bản {self.version}, bạn đang xem "
                f"phiên bản {expected_version}). Thuyết minh hiện lưu: “{_clip(self.note)}”; "
                f"bạn nhập: “{_clip(text)}”; hãy xem lại và lưu lại"
            )
            raise Conflict(message, [FieldViolation("expected_version", message)])
        if text == self.note:
            return None
        change = NoteChange(self.note, text, actor, at, self.version + 1)
        self.note = text
        self.version += 1
        self.note_changes.append(change)
        return change

    # ------------------------------------------------------------------ attachments

    def attach(self, attachment: Attachment) -> None:
        self._require(EDITABLE, "đính kèm tài liệu")
        if any(a.document_id == attachment.document_id for a in self.attachments):
            return  # attaching twice changes nothing
        if len(self.attachments) >= MAX_ATTACHMENTS:
            raise InvalidArgument.single(
                "document_id", f"Báo cáo đã có {MAX_ATTACHMENTS} tài liệu đính kèm (tối đa)")
        self.attachments.append(attachment)
        self.version += 1

    def detach(self, document_id: str) -> None:
        self._require(EDITABLE, "gỡ tài liệu đính kèm")
        kept = [a for a in self.attachments if a.document_id != document_id]
        if len(kept) == len(self.attachments):
            raise InvalidArgument.single(
                "document_id", f"Báo cáo không có tài liệu đính kèm {document_id}")
        self.attachments = kept
        self.version += 1

    # ------------------------------------------------------------------ workflow

    def deliver_section(
        self, office_code: str, *, history: History, rules: Rules, actor: str, actor_unit: str,
        at: datetime,
    ) -> None:
        section = self._section(office_code)
        self._require(EDITABLE, "chuyển số liệu")
        if section.status is SectionStatus.DELIVERED:
            raise Conflict(f"Phần số liệu của {office_code} đã được chuyển")
        problems = check_report(self.lines, self.figures, history, rules, frozenset({office_code}))
        if problems:
            raise InvalidArgument(problems, problems[0].message)
        section.status, section.delivered_at, section.return_comment = (
            SectionStatus.DELIVERED, at, "")
        self.version += 1
        self._step(StepAction.SECTION_DELIVERED, self.status, actor, actor_unit, at,
                   office_code=office_code)

    def return_figure(
        self, key: FigureKey, comment: str, *, actor: str, actor_unit: str, at: datetime
    ) -> None:
        """The consolidating office sends one figure back to its office with a comment; the
        office's section opens again (and a consolidated report goes back to draft)."""
        comment = _reason(comment, "comment")
        self._require(EDITABLE | {Status.CONSOLIDATED}, "trả lại số liệu")
        if not key.indicator_code:
            raise InvalidArgument.single("key.indicator_code", "Cần chọn chỉ số trả lại")
        fig = self.figures.get(key)
        line = self.line(key.indicator_code)
        if line is None:
            raise InvalidArgument.single(
                "key.indicator_code", f"Chỉ số {key.indicator_code} không có trong báo cáo")
        problem = self._key_problem(line, key)
        if problem:
            raise InvalidArgument.single("key", problem)
        if fig is None:
            fig = Figure(key, line.office_code)
            self.figures[key] = fig
        fig.return_comment = comment
        section = self.sections[line.office_code]
        section.status, section.return_comment = SectionStatus.RETURNED, comment
        before = self.status
        if self.status is Status.CONSOLIDATED:
            self.status = Status.DRAFT
        self.version += 1
        self._step(StepAction.FIGURE_RETURNED, before, actor, actor_unit, at, comment=comment,
                   office_code=line.office_code, figure_key=key)

    def consolidate(
        self, *, history: History, rules: Rules, actor: str, actor_unit: str, at: datetime
    ) -> None:
        self._require(EDITABLE, "tổng hợp")
        waiting = [c for c, s in self.sections.items() if s.status is not SectionStatus.DELIVERED]
        if waiting:
            raise Conflict(
                "Chưa tổng hợp được: các phòng chưa chuyển số liệu: " + ", ".join(waiting),
                [FieldViolation("sections", f"{c}: chưa chuyển") for c in waiting],
            )
        self._check(history, rules)
        self._move(StepAction.CONSOLIDATED, Status.CONSOLIDATED, actor, actor_unit, at)

    def approve(self, *, actor: str, actor_unit: str, at: datetime) -> None:
        self._require({Status.CONSOLIDATED}, "duyệt")
        self._move(StepAction.APPROVED, Status.APPROVED, actor, actor_unit, at)

    def send(
        self, *, history: History, rules: Rules, actor: str, actor_unit: str, at: datetime
    ) -> None:
        self._require({Status.APPROVED}, "gửi")
        self._check(history, rules)
        self.sent_at = at
        self._move(StepAction.SENT, Status.SENT, actor, actor_unit, at)
        self.record(SubmissionSent(self))

    def accept(self, *, actor: str, actor_unit: str, at: datetime) -> None:
        self._require({Status.SENT}, "tiếp nhận")
        self.accepted_at = at
        self._move(StepAction.ACCEPTED, Status.ACCEPTED, actor, actor_unit, at)
        self.record(SubmissionAccepted(self))

    def return_to_unit(self, reason: str, *, actor: str, actor_unit: str, at: datetime) -> None:
        reason = _reason(reason)
        self._require({Status.SENT}, "trả lại")
        self.return_count += 1
        self._move(StepAction.RETURNED, Status.RETURNED, actor, actor_unit, at, reason)
        self.record(SubmissionReturned(self, reason))

    def reopen(self, reason: str, *, actor: str, actor_unit: str, at: datetime) -> None:
        reason = _reason(reason)
        self._require({Status.ACCEPTED}, "mở lại")
        self.accepted_at = None
        self.return_count += 1
        self._move(StepAction.REOPENED, Status.RETURNED, actor, actor_unit, at, reason)
        self.record(SubmissionReopened(self, reason))

    # ------------------------------------------------------------------ helpers

    def _section(self, office_code: str) -> Section:
        section = self.sections.get(office_code)
        if section is None:
            raise NotFound(f"Báo cáo không có phần số liệu của {office_code}")
        return section

    def _check(self, history: History, rules: Rules) -> None:
        problems = check_report(self.lines, self.figures, history, rules)
        if problems:
            raise InvalidArgument(problems, problems[0].message)

    def _require(self, allowed: set[Status] | frozenset[Status], what: str) -> None:
        if self.status not in allowed:
            raise Conflict(
                f"Không {what} được: báo cáo {self.period.label} đang ở trạng thái "
                f"“{self.status.label}”"
            )

    def _move(
        self, action: StepAction, to: Status, actor: str, actor_unit: str, at: datetime,
        comment: str = "",
    ) -> None:
        before = self.status
        self.status = to
        self.version += 1
        self._step(action, before, actor, actor_unit, at, comment=comment)

    def _step(
        self, action: StepAction, before: Status, actor: str, actor_unit: str, at: datetime,
        *, comment: str = "", office_code: str = "", figure_key: FigureKey | None = None,
    ) -> None:
        step = Step(
            str(uuid.uuid4()), action, before, self.status, actor, actor_unit, at, comment,
            office_code, figure_key, self.version,
        )
        self.steps.append(step)
        self.new_steps.append(step)

    def accepted_values(self) -> dict[FigureKey, Decimal]:
        return {k: f.value for k, f in self.figures.items() if f.value is not None}
