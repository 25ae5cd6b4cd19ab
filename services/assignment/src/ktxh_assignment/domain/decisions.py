"""Assignment decisions (quyết định giao) and their assignments. Plain classes, no framework.

Lifecycle: a decision is a DRAFT (only its issuer sees it; header and assignments may change)
→ ISSUED (with its signed document; its assignments come into force for their units from the
decision's `effective_from`) → REVOKED (its assignments are cancelled). An issued decision is
never edited in place: an adjustment is a later decision (`adjusts_decision_id`) whose
assignments supersede the in-force assignments with the same subject for the same unit from
its own `effective_from`; the superseded ones stay readable (status SUPERSEDED, `effective_to`
set), so "what was in force on date D" has one answer.

A unit acknowledges (nhận) each assignment it received: who and when are kept.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    PreconditionFailed,
)


class DecisionStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    REVOKED = "revoked"


class AssignmentKind(StrEnum):
    INDICATOR_TARGET = "indicator_target"
    KEY_TASK = "key_task"
    THEMATIC_PLAN = "thematic_plan"
    CRITERIA_SET = "criteria_set"


class AssigneeRole(StrEnum):
    LEAD = "lead"
    COORDINATING = "coordinating"


class AssignmentStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


# Statuses of an assignment that has been in force (issued, possibly replaced later).
ISSUED_STATUSES = (AssignmentStatus.ISSUED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.SUPERSEDED)


class Comparison(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EQUAL = "equal"
    RANGE = "range"


PERIOD_CODE = re.compile(r"^\d{4}(-(M(0[1-9]|1[0-2])|Q[1-4]|H[12]|9M))?$")
PLAN_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")

STATUS_LABELS = {
    DecisionStatus.DRAFT: "dự thảo",
    DecisionStatus.ISSUED: "đã ban hành",
    DecisionStatus.REVOKED: "đã thu hồi",
}


def parse_decimal(value: str, field_name: str) -> Decimal:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidArgument.single(field_name, f"“{value}” không phải là số (dùng dấu chấm thập phân)") from None
    if not number.is_finite():
        raise InvalidArgument.single(field_name, f"“{value}” không phải là số hữu hạn")
    return number


def check_plan_period(value: str, field_name: str = "plan_period") -> tuple[int, int]:
    m = PLAN_PERIOD.match(value)
    if not m or int(m.group(2)) - int(m.group(1)) != 4:
        raise InvalidArgument.single(field_name, f"Giai đoạn “{value}” phải có dạng 2026-2030 (5 năm)")
    return int(m.group(1)), int(m.group(2))


# ------------------------------------------------------------------------------ subjects


@dataclass(frozen=True)
class DimensionChoice:
    dimension_code: str
    member_code: str


@dataclass(frozen=True)
class Target:
    """An indicator target: the figure (indicator + dimension members), its period, a value or
    a range (or a text for qualitative indicators) and the unit of measure from the catalog."""

    indicator_code: str
    period: str
    members: tuple[DimensionChoice, ...] = ()
    target_value: str = ""
    target_value_max: str = ""
    comparison: Comparison | None = None
    target_text: str = ""
    unit_of_measure: str = ""

    @property
    def figure(self) -> str:
        members = ",".join(f"{m.dimension_code}={m.member_code}" for m in self.members)
        return f"{self.indicator_code}[{members}]" if members else self.indicator_code

    @property
    def subject_key(self) -> str:
        return f"target:{self.figure}@{self.period}"

    def validate(self, path: str) -> list[FieldViolation]:
        out: list[FieldViolation] = []
        if not self.indicator_code:
            out.append(FieldViolation(f"{path}.key.indicator_code", "Cần mã chỉ số"))
        if not (PERIOD_CODE.match(self.period) or PLAN_PERIOD.match(self.period)):
            out.append(FieldViolation(f"{path}.period", f"Kỳ “{self.period}” không hợp lệ (ví dụ 2026 hoặc 2026-2030)"))
        dims = [m.dimension_code for m in self.members]
        if len(set(dims)) != len(dims):
            out.append(FieldViolation(f"{path}.key.members", "Mỗi chiều chỉ chọn một thành viên"))
        low = high = None
        for name in ("target_value", "target_value_max"):
            value = getattr(self, name)
            if value:
                try:
                    number = parse_decimal(value, f"{path}.{name}")
                except InvalidArgument as err:
                    out.extend(err.violations)
                    continue
                if name == "target_value":
                    low = number
                else:
                    high = number
        if not self.target_value and not self.target_text:
            out.append(FieldViolation(f"{path}.target_value", "Cần giá trị chỉ tiêu (hoặc nội dung chỉ tiêu định tính)"))
        if self.comparison is Comparison.RANGE and not self.target_value_max:
            out.append(FieldViolation(f"{path}.target_value_max", "Chỉ tiêu dạng khoảng cần giá trị tối đa"))
        if self.target_value_max and self.comparison not in (None, Comparison.RANGE):
            out.append(FieldViolation(f"{path}.target_value_max", "Giá trị tối đa chỉ dùng cho chỉ tiêu dạng khoảng"))
        if low is not None and high is not None and high < low:
            out.append(FieldViolation(f"{path}.target_value_max", "Giá trị tối đa phải không nhỏ hơn giá trị tối thiểu"))
        return out


@dataclass(frozen=True)
class Milestone:
    name: str
    due_date: date


@dataclass(frozen=True)
class TaskSubject:
    key_task_id: str
    deadline: date | None = None
    expected_output: str = ""
    coordinating_unit_ids: tuple[str, ...] = ()
    requirements: str = ""
    milestones: tuple[Milestone, ...] = ()

    @property
    def subject_key(self) -> str:
        return f"key_task:{self.key_task_id}"

    def validate(self, path: str) -> list[FieldViolation]:
        out = []
        if not self.key_task_id:
            out.append(FieldViolation(f"{path}.key_task_id", "Cần chọn nhiệm vụ trọng tâm"))
        for i, m in enumerate(self.milestones):
            if not m.name.strip():
                out.append(FieldViolation(f"{path}.milestones[{i}].name", "Cần tên mốc"))
            if self.deadline and m.due_date > self.deadline:
                out.append(FieldViolation(f"{path}.milestones[{i}].due_date", "Mốc phải trước hạn hoàn thành"))
        return out


@dataclass(frozen=True)
class PlanSubject:
    thematic_plan_id: str
    responsibilities: str = ""
    deadline: date | None = None

    @property
    def subject_key(self) -> str:
        return f"thematic_plan:{self.thematic_plan_id}"

    def validate(self, path: str) -> list[FieldViolation]:
        if not self.thematic_plan_id:
            return [FieldViolation(f"{path}.thematic_plan_id", "Cần chọn kế hoạch chuyên đề")]
        return []


@dataclass(frozen=True)
class CriteriaSubject:
    criteria_set_id: str
    note: str = ""

    @property
    def subject_key(self) -> str:
        return f"criteria_set:{self.criteria_set_id}"

    def validate(self, path: str) -> list[FieldViolation]:
        if not self.criteria_set_id:
            return [FieldViolation(f"{path}.criteria_set_id", "Cần chọn bộ tiêu chí đánh giá")]
        return []


Subject = Target | TaskSubject | PlanSubject | CriteriaSubject

KIND_OF: dict[type, AssignmentKind] = {
    Target: AssignmentKind.INDICATOR_TARGET,
    TaskSubject: AssignmentKind.KEY_TASK,
    PlanSubject: AssignmentKind.THEMATIC_PLAN,
    CriteriaSubject: AssignmentKind.CRITERIA_SET,
}
SUBJECT_FIELD = {Target: "target", TaskSubject: "task", PlanSubject: "plan", CriteriaSubject: "criteria"}


# ------------------------------------------------------------------------------ events


@dataclass(frozen=True)
class DecisionIssued(DomainEvent):
    decision: Decision


@dataclass(frozen=True)
class DecisionRevoked(DomainEvent):
    decision: Decision
    reason: str


@dataclass(frozen=True)
class AssignmentIssued(DomainEvent):
    assignment: Assignment


@dataclass(frozen=True)
class AssignmentAdjusted(DomainEvent):
    assignment: Assignment  # the new one
    before: Assignment  # the superseded one, after supersession


@dataclass(frozen=True)
class AssignmentAcknowledged(DomainEvent):
    assignment: Assignment


@dataclass(frozen=True)
class AssignmentCancelled(DomainEvent):
    assignment: Assignment
    reason: str


@dataclass(frozen=True)
class AssignmentAcknowledgementOverdue(DomainEvent):
    assignment: Assignment
    days_waiting: int


# ------------------------------------------------------------------------------ assignment


@dataclass(eq=False)
class Assignment(Aggregate):
    """One subject given to one unit by one decision. Its own aggregate once issued (each
    unit acknowledges its own); while the decision is a draft, the decision owns it."""

    id: str
    decision_id: str
    assignee_unit_id: str
    subject: Subject
    assigner_unit_id: str = ""
    role: AssigneeRole = AssigneeRole.LEAD
    year: int = 0
    plan_period: str = ""
    front_unit_ids: tuple[str, ...] = ()
    status: AssignmentStatus = AssignmentStatus.DRAFT
    province_code: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    superseded_by_id: str = ""
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    acknowledgement_note: str = ""
    overdue_notified_at: datetime | None = None
    decision_number: str = ""
    issued_on: date | None = None
    created_by: str = ""
    created_at: datetime | None = None
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def kind(self) -> AssignmentKind:
        return KIND_OF[type(self.subject)]

    @property
    def subject_key(self) -> str:
        return self.subject.subject_key

    def in_force_on(self, day: date) -> bool:
        return (
            self.status in ISSUED_STATUSES
            and self.effective_from is not None
            and self.effective_from <= day
            and (self.effective_to is None or day < self.effective_to)
        )

    def acknowledge(self, username: str, note: str, now: datetime, expected_version: int = 0) -> None:
        if expected_version and expected_version != self.version:
            raise PreconditionFailed("Nhiệm vụ giao vừa được thay đổi; vui lòng tải lại rồi thử lại")
        if self.status is AssignmentStatus.ACKNOWLEDGED:
            raise Conflict(
                f"Đã xác nhận nhận từ trước ({self.acknowledged_by}, "
                f"{self.acknowledged_at:%d/%m/%Y %H:%M} UTC)" if self.acknowledged_at else "Đã xác nhận nhận từ trước"
            )
        if self.status is not AssignmentStatus.ISSUED:
            raise Conflict(f"Chỉ xác nhận được nội dung đã ban hành và còn hiệu lực (trạng thái hiện tại: {self.status.value})")
        self.status = AssignmentStatus.ACKNOWLEDGED
        self.acknowledged_by = username
        self.acknowledged_at = now
        self.acknowledgement_note = note.strip()
        self._touch(username, now)
        self.record(AssignmentAcknowledged(self))

    def superseded_by(self, new: Assignment, username: str, now: datetime) -> None:
        assert new.effective_from is not None
        self.status = AssignmentStatus.SUPERSEDED
        self.effective_to = new.effective_from
        self.superseded_by_id = new.id
        self._touch(username, now)
        new.record(AssignmentAdjusted(new, self.snapshot()))

    def restore(self, username: str, now: datetime) -> None:
        """Back in force after the decision that superseded it was revoked."""
        self.status = AssignmentStatus.ACKNOWLEDGED if self.acknowledged_at else AssignmentStatus.ISSUED
        self.effective_to = None
        self.superseded_by_id = ""
        self._touch(username, now)

    def remind_overdue(self, now: datetime) -> int:
        """Record that acknowledgement is overdue (once per assignment); days waiting."""
        assert self.issued_on is not None
        self.overdue_notified_at = now
        days = (now.date() - self.issued_on).days
        self.version += 1
        self.record(AssignmentAcknowledgementOverdue(self.snapshot(), days))
        return days

    def snapshot(self) -> Assignment:
        return replace(self, events=[])

    def _touch(self, username: str, now: datetime) -> None:
        self.version += 1
        self.updated_by = username
        self.updated_at = now


def overdue(assignment: Assignment, now: datetime, days: int) -> bool:
    return (
        assignment.status is AssignmentStatus.ISSUED
        and assignment.overdue_notified_at is None
        and assignment.issued_on is not None
        and (now.date() - assignment.issued_on).days >= days
    )


# ------------------------------------------------------------------------------ decision


@dataclass
class Header:
    """The fields of a decision that a draft may change."""

    number: str = ""
    title: str = ""
    issued_on: date | None = None
    signer: str = ""
    year: int = 0
    plan_period: str = ""
    legal_basis: str = ""
    effective_from: date | None = None
    adjusts_decision_id: str = ""
    document_id: str = ""
    front_unit_ids: tuple[str, ...] = ()

    LIMITS = {"number": 100, "title": 1000, "signer": 300, "document_id": 36, "adjusts_decision_id": 36}

    def validate(self) -> None:
        out: list[FieldViolation] = [
            FieldViolation(name, f"Tối đa {limit} ký tự")
            for name, limit in self.LIMITS.items() if len(getattr(self, name)) > limit
        ]
        if self.year and self.plan_period:
            out.append(FieldViolation("plan_period", "Chọn năm hoặc giai đoạn 5 năm, không chọn cả hai"))
        if not self.year and not self.plan_period:
            out.append(FieldViolation("year", "Cần năm giao (hoặc giai đoạn 5 năm)"))
        if self.year and not 2000 <= self.year <= 2100:
            out.append(FieldViolation("year", "Năm phải từ 2000 đến 2100"))
        if self.plan_period:
            try:
                check_plan_period(self.plan_period)
            except InvalidArgument as err:
                out.extend(err.violations)
        if self.effective_from and self.issued_on and self.effective_from < self.issued_on:
            out.append(FieldViolation("effective_from", "Ngày hiệu lực không được trước ngày ký"))
        if out:
            raise InvalidArgument(out, "Thông tin quyết định chưa hợp lệ")

    @property
    def period(self) -> str:
        return str(self.year) if self.year else self.plan_period


@dataclass(eq=False)
class Decision(Aggregate):
    id: str
    issuer_unit_id: str
    header: Header
    province_code: str
    status: DecisionStatus = DecisionStatus.DRAFT
    assignments: list[Assignment] = field(default_factory=list)
    issued_at: datetime | None = None
    revoke_reason: str = ""
    assignment_count: int = 0
    created_by: str = ""
    created_at: datetime | None = None
    updated_by: str = ""
    updated_at: datetime | None = None

    @classmethod
    def create(
        cls, *, issuer_unit_id: str, header: Header, province_code: str, username: str, now: datetime
    ) -> Decision:
        if not issuer_unit_id:
            raise InvalidArgument.single("issuer_unit_id", "Cần đơn vị ban hành quyết định")
        header.validate()
        return cls(
            id=str(uuid.uuid4()), issuer_unit_id=issuer_unit_id, header=header,
            province_code=province_code, version=1, created_by=username, created_at=now,
            updated_by=username, updated_at=now,
        )

    @property
    def effective_from(self) -> date | None:
        return self.header.effective_from or self.header.issued_on

    def _require_draft(self, expected_version: int) -> None:
        if self.status is not DecisionStatus.DRAFT:
            raise Conflict(
                f"Quyết định {self.header.number or self.id} {STATUS_LABELS[self.status]}: không sửa được. "
                "Muốn thay đổi, ban hành một quyết định điều chỉnh."
            )
        if expected_version and expected_version != self.version:
            raise PreconditionFailed("Quyết định vừa được người khác thay đổi; vui lòng tải lại rồi thử lại")

    def _touch(self, username: str, now: datetime) -> None:
        self.version += 1
        self.updated_by = username
        self.updated_at = now

    def update_header(self, header: Header, expected_version: int, username: str, now: datetime) -> None:
        self._require_draft(expected_version)
        header.validate()
        old_fronts = self.header.front_unit_ids
        self.header = header
        for a in self.assignments:
            if a.front_unit_ids == old_fronts:  # followed the decision's default
                a.front_unit_ids = header.front_unit_ids
            self._stamp(a)
        self._touch(username, now)

    def _stamp(self, a: Assignment) -> None:
        h = self.header
        a.decision_id = self.id
        a.assigner_unit_id = self.issuer_unit_id
        a.year = h.year
        a.plan_period = h.plan_period
        a.province_code = self.province_code
        a.decision_number = h.number
        a.issued_on = h.issued_on
        if not a.front_unit_ids:
            a.front_unit_ids = h.front_unit_ids

    def replace_assignments(
        self, assignments: list[Assignment], expected_version: int, username: str, now: datetime
    ) -> None:
        """Replace every assignment of the draft (validated as a whole: one error list)."""
        self._require_draft(expected_version)
        out: list[FieldViolation] = []
        seen: dict[tuple[str, str], int] = {}
        for i, a in enumerate(assignments):
            path = f"assignments[{i}]"
            if not a.assignee_unit_id:
                out.append(FieldViolation(f"{path}.assignee_unit_id", "Cần đơn vị nhận"))
            elif a.assignee_unit_id == self.issuer_unit_id:
                out.append(FieldViolation(f"{path}.assignee_unit_id", "Đơn vị nhận phải khác đơn vị ban hành"))
            if isinstance(a.subject, Target) and not a.subject.period:
                a.subject = replace(a.subject, period=self.header.period)
            out.extend(a.subject.validate(f"{path}.{SUBJECT_FIELD[type(a.subject)]}"))
            key = (a.assignee_unit_id, a.subject_key)
            if key in seen and a.assignee_unit_id:
                out.append(FieldViolation(
                    path, f"Trùng với dòng {seen[key] + 1}: cùng đơn vị nhận và cùng nội dung giao"
                ))
            seen.setdefault(key, i)
            a.status = AssignmentStatus.DRAFT
            a.version = 1
            a.created_by = a.updated_by = username
            a.created_at = a.updated_at = now
            self._stamp(a)
        if out:
            raise InvalidArgument(out, "Danh sách giao chưa hợp lệ")
        self.assignments = assignments
        self.assignment_count = len(assignments)
        self._touch(username, now)

    def issue(
        self, document_id: str, expected_version: int, username: str, now: datetime,
        in_force: dict[tuple[str, str], Assignment],
    ) -> list[Assignment]:
        """Issue the draft with its signed document. ``in_force`` maps (unit, subject key) to the
        assignment of an earlier decision in force on this decision's effective date; an
        adjusting decision supersedes them, an original one may not overlap them. Returns the
        superseded assignments."""
        self._require_draft(expected_version)
        h = self.header
        out = []
        if not h.number.strip():
            out.append(FieldViolation("number", "Cần số hiệu quyết định để ban hành"))
        if not h.issued_on:
            out.append(FieldViolation("issued_on", "Cần ngày ký để ban hành"))
        if not document_id:
            out.append(FieldViolation("document_id", "Cần văn bản quyết định đã ký số (mã văn bản)"))
        if not self.assignments:
            out.append(FieldViolation("assignments", "Quyết định chưa giao nội dung nào"))
        if out:
            raise InvalidArgument(out, "Chưa ban hành được quyết định")
        if in_force and not h.adjusts_decision_id:
            (unit, key), prior = next(iter(in_force.items()))
            raise Conflict(
                f"Đơn vị đã được giao “{key}” bởi quyết định {prior.decision_number} còn hiệu lực; "
                "hãy ban hành quyết định điều chỉnh (adjusts_decision_id)",
                [FieldViolation("adjusts_decision_id", "Cần chọn quyết định được điều chỉnh")],
            )
        h.document_id = document_id
        self.status = DecisionStatus.ISSUED
        self.issued_at = now
        self._touch(username, now)
        superseded = []
        for a in self.assignments:
            self._stamp(a)
            a.status = AssignmentStatus.ISSUED
            a.effective_from = self.effective_from
            a.version = 1
            prior = in_force.get((a.assignee_unit_id, a.subject_key))
            if prior is not None:
                prior.superseded_by(a, username, now)
                superseded.append(prior)
            else:
                a.record(AssignmentIssued(a))
        self.record(DecisionIssued(self))
        return superseded

    def revoke(self, reason: str, expected_version: int, username: str, now: datetime) -> None:
        if self.status is not DecisionStatus.ISSUED:
            raise Conflict("Chỉ thu hồi được quyết định đã ban hành")
        if expected_version and expected_version != self.version:
            raise PreconditionFailed("Quyết định vừa được người khác thay đổi; vui lòng tải lại rồi thử lại")
        if not reason.strip():
            raise InvalidArgument.single("reason", "Cần lý do thu hồi")
        if any(a.status is AssignmentStatus.SUPERSEDED for a in self.assignments):
            raise Conflict(
                "Một số nội dung của quyết định đã được điều chỉnh bởi quyết định sau; "
                "hãy thu hồi quyết định điều chỉnh trước"
            )
        self.status = DecisionStatus.REVOKED
        self.revoke_reason = reason.strip()
        self._touch(username, now)
        self.record(DecisionRevoked(self, self.revoke_reason))

    def cancel(self, a: Assignment, username: str, now: datetime) -> None:
        """Cancel one of its assignments because the decision was revoked."""
        if a.status in (AssignmentStatus.ISSUED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.SUPERSEDED):
            a.status = AssignmentStatus.CANCELLED
            a._touch(username, now)
            a.record(AssignmentCancelled(a, self.revoke_reason))


def utcnow() -> datetime:
    return datetime.now(UTC)
