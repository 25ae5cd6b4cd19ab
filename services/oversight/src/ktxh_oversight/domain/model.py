"""The Front's oversight: comments (ý kiến), oversight reports (báo cáo giám sát) and their
recommendations (kiến nghị), and the units' responses. Plain Python, no framework.

- A comment is about one subject (an assignment, a key task, an indicator, a report, a unit, a
  plan) and addressed to one unit; the comments on one subject form its thread. An edit keeps
  the earlier text (`edits`); a comment is withdrawn only while nobody has answered it.
- A report is drafted by the Front committee, cites the figures and task statuses it saw
  (`citations`, as of `as_of`), and is filed to the People's Committee of the same level; its
  recommendations are then followed one by one: open → answered (the unit says what it did) →
  resolved (the Front accepts) or open again (the Front reopens); open past its due date =
  overdue (computed for a day, never stored).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    PreconditionFailed,
)

MAX_TEXT = 10_000
MAX_TITLE = 500


class SubjectKind(StrEnum):
    ASSIGNMENT = "assignment"
    KEY_TASK = "key_task"
    INDICATOR = "indicator"
    SUBMISSION = "submission"
    ORG_UNIT = "org_unit"
    THEMATIC_PLAN = "thematic_plan"


class CommentStatus(StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    CLOSED = "closed"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    FILED = "filed"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"


class CitationKind(StrEnum):
    TARGET = "target"
    TASK = "task"


def new_id() -> str:
    return str(uuid.uuid4())


def _text(value: str, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> list[FieldViolation]:
    if required and not value.strip():
        return [FieldViolation(name, "Không được để trống")]
    if len(value) > limit:
        return [FieldViolation(name, f"Dài quá {limit:,} ký tự".replace(",", "."))]
    return []


def _check_version(current: int, expected: int) -> None:
    if expected and expected != current:
        raise PreconditionFailed(
            f"Mục đã được người khác thay đổi (phiên bản {current}, bạn đang xem {expected}); "
            "vui lòng tải lại."
        )


@dataclass(frozen=True)
class SubjectRef:
    kind: SubjectKind
    id: str
    label: str = ""


@dataclass(frozen=True)
class Response:
    id: str
    author: str
    responder_unit_id: str
    text: str
    posted_at: datetime
    document_ids: tuple[str, ...] = ()
    comment_id: str = ""
    oversight_report_id: str = ""
    recommendation_code: str = ""

    @staticmethod
    def validate(text: str) -> None:
        if errs := _text(text, "text"):
            raise InvalidArgument(errs)


@dataclass(frozen=True)
class CommentEdit:
    text: str
    written_at: datetime
    edited_by: str


# ---- comments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentPosted(DomainEvent):
    comment: Comment


@dataclass(frozen=True)
class CommentResponded(DomainEvent):
    comment: Comment
    response: Response


@dataclass(frozen=True)
class CommentEdited(DomainEvent):
    comment: Comment


@dataclass(frozen=True)
class CommentClosed(DomainEvent):
    comment: Comment


@dataclass(frozen=True)
class CommentDeleted(DomainEvent):
    comment: Comment


@dataclass
class Comment(Aggregate):
    id: str
    province_code: str
    front_unit_id: str
    subject: SubjectRef
    addressee_unit_id: str
    text: str
    author: str
    posted_at: datetime
    document_ids: tuple[str, ...] = ()
    status: CommentStatus = CommentStatus.OPEN
    responses: list[Response] = field(default_factory=list)
    edits: list[CommentEdit] = field(default_factory=list)
    edited_at: datetime | None = None
    deleted: bool = False

    @classmethod
    def post(
        cls, *, province_code: str, front_unit_id: str, subject: SubjectRef, addressee_unit_id: str,
        text: str, author: str, now: datetime, document_ids: tuple[str, ...] = (),
    ) -> Comment:
        errs = _text(text, "text")
        if not subject.id.strip():
            errs.append(FieldViolation("subject.id", "Chọn nội dung góp ý"))
        if not addressee_unit_id:
            errs.append(FieldViolation("addressee_unit_id", "Chọn đơn vị cần trả lời"))
        if errs:
            raise InvalidArgument(errs)
        c = cls(
            id=new_id(), province_code=province_code, front_unit_id=front_unit_id, subject=subject,
            addressee_unit_id=addressee_unit_id, text=text.strip(), author=author, posted_at=now,
            document_ids=document_ids, version=1,
        )
        c.record(CommentPosted(c.snapshot()))
        return c

    def snapshot(self) -> Comment:
        return replace(self, responses=list(self.responses), edits=list(self.edits), events=[])

    def respond(self, *, author: str, responder_unit_id: str, text: str, now: datetime,
                document_ids: tuple[str, ...] = ()) -> Response:
        Response.validate(text)
        if self.status is CommentStatus.CLOSED:
            raise Conflict("Ý kiến đã được đóng, không trả lời thêm được.")
        r = Response(
            id=new_id(), author=author, responder_unit_id=responder_unit_id, text=text.strip(),
            posted_at=now, document_ids=document_ids, comment_id=self.id,
        )
        self.responses.append(r)
        self.status = CommentStatus.RESPONDED
        self.version += 1
        self.record(CommentResponded(self.snapshot(), r))
        return r

    def edit(self, *, text: str, editor: str, now: datetime, expected_version: int) -> None:
        _check_version(self.version, expected_version)
        if errs := _text(text, "text"):
            raise InvalidArgument(errs)
        if self.status is CommentStatus.CLOSED:
            raise Conflict("Ý kiến đã được đóng, không sửa được.")
        if text.strip() == self.text:
            return
        self.edits.append(CommentEdit(self.text, self.edited_at or self.posted_at, editor))
        self.text = text.strip()
        self.edited_at = now
        self.version += 1
        self.record(CommentEdited(self.snapshot()))

    def close(self, *, expected_version: int) -> None:
        _check_version(self.version, expected_version)
        if self.status is CommentStatus.CLOSED:
            return
        self.status = CommentStatus.CLOSED
        self.version += 1
        self.record(CommentClosed(self.snapshot()))

    def delete(self, *, expected_version: int) -> None:
        _check_version(self.version, expected_version)
        if self.responses:
            raise Conflict("Ý kiến đã được đơn vị trả lời, không được xóa (chỉ được sửa hoặc đóng).")
        self.deleted = True
        self.version += 1
        self.record(CommentDeleted(self.snapshot()))


# ---- oversight reports --------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    org_unit_id: str
    kind: CitationKind
    assignment_id: str
    indicator_code: str = ""
    key_members: tuple[tuple[str, str], ...] = ()  # (dimension code, member code) of the figure key
    period_code: str = ""
    value: str = ""
    year_to_date: str = ""
    target_value: str = ""
    unit_of_measure: str = ""
    key_task_id: str = ""
    status: str = ""
    deadline: str = ""
    task_status: str = ""  # as the unit reported it (reporting's key-task summary); empty = unknown
    percent_done: int = 0
    task_title: str = ""


@dataclass
class Recommendation:
    code: str
    text: str
    addressee_unit_id: str
    due_date: date | None
    id: str = field(default_factory=new_id)
    status: RecommendationStatus = RecommendationStatus.OPEN
    decision_remark: str = ""
    reopen_count: int = 0
    reminded_due: date | None = None  # the due date a "due soon" reminder was sent for
    reminded_overdue: date | None = None  # the due date an "overdue" notice was sent for

    def overdue(self, today: date) -> bool:
        return (
            self.status is RecommendationStatus.OPEN and self.due_date is not None
            and self.due_date < today
        )


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with what a reader needs of its report (events, lists, board)."""

    recommendation: Recommendation
    oversight_report_id: str
    front_unit_id: str
    report_title: str
    filed_to_unit_id: str
    responses: tuple[Response, ...] = ()
    report_version: int = 0


@dataclass(frozen=True)
class OversightReportFiled(DomainEvent):
    report: OversightReport


@dataclass(frozen=True)
class RecommendationAnswered(DomainEvent):
    view: RecommendationView
    response: Response


@dataclass(frozen=True)
class RecommendationResolved(DomainEvent):
    view: RecommendationView


@dataclass(frozen=True)
class RecommendationReopened(DomainEvent):
    view: RecommendationView


@dataclass(frozen=True)
class RecommendationDue(DomainEvent):
    view: RecommendationView


@dataclass(frozen=True)
class RecommendationOverdue(DomainEvent):
    view: RecommendationView


@dataclass(frozen=True)
class ReportResponded(DomainEvent):
    report: OversightReport
    response: Response


@dataclass(frozen=True)
class Period:
    kind: str  # PeriodKind name without prefix, e.g. "MONTH"
    year: int
    number: int = 0
    code: str = ""


@dataclass(frozen=True)
class ReportContent:
    """What the Front writes in a draft."""

    title: str
    period: Period | None
    subjects: tuple[SubjectRef, ...]
    overseen_unit_ids: tuple[str, ...]
    findings: str
    recommendations: tuple[tuple[str, str, str, date | None], ...]  # code, text, addressee, due
    as_of: date | None

    def validate(self) -> None:
        errs = _text(self.title, "title", limit=MAX_TITLE) + _text(self.findings, "findings", required=False)
        if not self.overseen_unit_ids:
            errs.append(FieldViolation("overseen_unit_ids", "Chọn ít nhất một đơn vị được giám sát"))
        seen: set[str] = set()
        for i, (code, text, addressee, _due) in enumerate(self.recommendations):
            path = f"recommendations[{i}]"
            if not code.strip():
                errs.append(FieldViolation(f"{path}.code", "Không được để trống"))
            elif code in seen:
                errs.append(FieldViolation(f"{path}.code", f"Số hiệu kiến nghị {code} bị trùng"))
            seen.add(code)
            errs += _text(text, f"{path}.text")
            if not addressee:
                errs.append(FieldViolation(f"{path}.addressee_unit_id", "Chọn đơn vị nhận kiến nghị"))
        if errs:
            raise InvalidArgument(errs)


@dataclass
class OversightReport(Aggregate):
    id: str
    province_code: str
    front_unit_id: str
    title: str
    period: Period | None
    subjects: tuple[SubjectRef, ...]
    overseen_unit_ids: tuple[str, ...]
    findings: str
    recommendations: list[Recommendation]
    as_of: date | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    citations: tuple[Citation, ...] = ()
    document_id: str = ""
    status: ReportStatus = ReportStatus.DRAFT
    filed_at: datetime | None = None
    filed_to_unit_id: str = ""
    responses: list[Response] = field(default_factory=list)

    @classmethod
    def draft(cls, *, province_code: str, front_unit_id: str, content: ReportContent,
              citations: tuple[Citation, ...], actor: str, now: datetime) -> OversightReport:
        content.validate()
        r = cls(
            id=new_id(), province_code=province_code, front_unit_id=front_unit_id,
            title=content.title.strip(), period=content.period, subjects=content.subjects,
            overseen_unit_ids=content.overseen_unit_ids, findings=content.findings,
            recommendations=[Recommendation(c, t, a, d) for c, t, a, d in content.recommendations],
            as_of=content.as_of, created_by=actor, created_at=now, updated_by=actor, updated_at=now,
            citations=citations, version=1,
        )
        return r

    def content(self) -> ReportContent:
        return ReportContent(
            self.title, self.period, self.subjects, self.overseen_unit_ids, self.findings,
            tuple((r.code, r.text, r.addressee_unit_id, r.due_date) for r in self.recommendations),
            self.as_of,
        )

    def _require_draft(self) -> None:
        if self.status is not ReportStatus.DRAFT:
            raise Conflict("Báo cáo giám sát đã gửi, không sửa được.")

    def needs_citations(self, content: ReportContent) -> bool:
        """Whether new content changes what the citations were read for."""
        return (content.overseen_unit_ids, content.period, content.as_of) != (
            self.overseen_unit_ids, self.period, self.as_of
        )

    def update(self, content: ReportContent, *, citations: tuple[Citation, ...] | None, actor: str,
               now: datetime, expected_version: int) -> None:
        _check_version(self.version, expected_version)
        self._require_draft()
        content.validate()
        by_code = {r.code: r for r in self.recommendations}
        self.title, self.period, self.subjects = content.title.strip(), content.period, content.subjects
        self.overseen_unit_ids, self.findings, self.as_of = content.overseen_unit_ids, content.findings, content.as_of
        self.recommendations = [
            replace(by_code[c], text=t, addressee_unit_id=a, due_date=d) if c in by_code
            else Recommendation(c, t, a, d)
            for c, t, a, d in content.recommendations
        ]
        if citations is not None:
            self.citations = citations
        self.updated_by, self.updated_at = actor, now
        self.version += 1

    def file(self, *, filed_to_unit_id: str, document_id: str, actor: str, now: datetime,
             expected_version: int) -> None:
        _check_version(self.version, expected_version)
        self._require_draft()
        errs = []
        if not self.recommendations and not self.findings.strip():
            errs.append(FieldViolation("findings", "Báo cáo chưa có kết quả giám sát hay kiến nghị nào"))
        for i, r in enumerate(self.recommendations):
            if r.due_date is None:
                errs.append(FieldViolation(f"recommendations[{i}].due_date", "Chưa có hạn trả lời"))
        if errs:
            raise InvalidArgument(errs, "Chưa gửi được báo cáo giám sát")
        self.status = ReportStatus.FILED
        self.filed_to_unit_id = filed_to_unit_id
        self.document_id = document_id or self.document_id
        self.filed_at = now
        self.updated_by, self.updated_at = actor, now
        self.version += 1
        self.record(OversightReportFiled(self.snapshot()))

    def snapshot(self) -> OversightReport:
        return replace(
            self, recommendations=[replace(r) for r in self.recommendations],
            responses=list(self.responses), events=[],
        )

    def recommendation(self, *, code: str = "", rec_id: str = "") -> Recommendation:
        for r in self.recommendations:
            if (rec_id and r.id == rec_id) or (code and r.code == code):
                return r
        raise InvalidArgument.single(
            "recommendation_code", f"Báo cáo không có kiến nghị {code or rec_id}"
        )

    def view(self, rec: Recommendation) -> RecommendationView:
        return RecommendationView(
            replace(rec), self.id, self.front_unit_id, self.title, self.filed_to_unit_id,
            tuple(x for x in self.responses if x.recommendation_code == rec.code), self.version,
        )

    def respond(self, *, recommendation_code: str, author: str, responder_unit_id: str, text: str,
                now: datetime, document_ids: tuple[str, ...] = ()) -> Response:
        Response.validate(text)
        if self.status is not ReportStatus.FILED:
            raise Conflict("Báo cáo giám sát chưa được gửi.")
        rec = self.recommendation(code=recommendation_code) if recommendation_code else None
        if rec is not None and rec.status is RecommendationStatus.RESOLVED:
            raise Conflict(f"Kiến nghị {rec.code} đã được giải quyết.")
        r = Response(
            id=new_id(), author=author, responder_unit_id=responder_unit_id, text=text.strip(),
            posted_at=now, document_ids=document_ids, oversight_report_id=self.id,
            recommendation_code=recommendation_code,
        )
        self.responses.append(r)
        self.version += 1
        if rec is not None:
            rec.status = RecommendationStatus.ANSWERED
            self.record(RecommendationAnswered(self.view(rec), r))
        else:
            self.record(ReportResponded(self.snapshot(), r))
        return r

    def decide(self, rec: Recommendation, *, accept: bool, remark: str, due_date: date | None,
               expected_version: int) -> None:
        _check_version(self.version, expected_version)
        if self.status is not ReportStatus.FILED:
            raise Conflict("Báo cáo giám sát chưa được gửi.")
        if errs := _text(remark, "remark", required=not accept):
            raise InvalidArgument(errs)
        if accept:
            if rec.status is RecommendationStatus.RESOLVED:
                return
            rec.status = RecommendationStatus.RESOLVED
            rec.decision_remark = remark.strip()
            self.version += 1
            self.record(RecommendationResolved(self.view(rec)))
        else:
            if rec.status is RecommendationStatus.OPEN and due_date in (None, rec.due_date):
                raise Conflict(f"Kiến nghị {rec.code} đang chờ trả lời, không cần mở lại.")
            rec.status = RecommendationStatus.OPEN
            rec.decision_remark = remark.strip()
            rec.reopen_count += 1
            if due_date is not None:
                rec.due_date = due_date
            self.version += 1
            self.record(RecommendationReopened(self.view(rec)))

    def remind(self, rec: Recommendation, today: date, before_days: int) -> bool:
        """Record at most one "due soon" and one "overdue" notice per due date."""
        if rec.status is not RecommendationStatus.OPEN or rec.due_date is None:
            return False
        if rec.overdue(today):
            if rec.reminded_overdue == rec.due_date:
                return False
            rec.reminded_overdue = rec.due_date
            self.record(RecommendationOverdue(self.view(rec)))
            return True
        if (rec.due_date - today).days <= before_days and rec.reminded_due != rec.due_date:
            rec.reminded_due = rec.due_date
            self.record(RecommendationDue(self.view(rec)))
            return True
        return False
