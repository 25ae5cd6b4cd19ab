"""REST shapes of periods and reports (``/api/v1/periods``, ``/api/v1/submissions``). Field
names are the contract's (`proto/ktxh/submission/v1/submission.proto`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from ktxh_vocabulary import description, label
from pydantic import BaseModel, ConfigDict, Field

from ktxh_gateway import limits


def _term(message: str, name: str, default: Any = ...) -> Any:
    """A field described and labelled (``x-label``) from the vocabulary's one declaration."""
    return Field(default, description=description(message, name),
                 json_schema_extra={"x-label": label(message, name) or name})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportPeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    nine_months = "nine_months"
    year = "year"
    plan_period = "plan_period"


class SubmissionStatus(StrEnum):
    draft = "draft"
    consolidated = "consolidated"
    approved = "approved"
    sent = "sent"
    accepted = "accepted"
    returned = "returned"


class ReportValueType(StrEnum):
    number = "number"
    integer = "integer"
    percent = "percent"
    text = "text"


class ReportFigureKind(StrEnum):
    actual = "actual"
    estimate = "estimate"


class InternalDeadline(BaseModel):
    step: str
    name: str = Field(description="Tên bước (tiếng Việt)")
    responsible: str
    due_date: str = Field(description="Hạn nội bộ, YYYY-MM-DD")


class PeriodSchedule(BaseModel):
    """A period with its deadlines under one reporting calendar."""

    code: str = Field(description="Mã kỳ, vd. 2026-M10")
    kind: str
    label: str = Field(description="Tên kỳ, vd. Tháng 10/2026")
    calendar_code: str
    start_date: str
    end_date: str
    deadline: str = Field(description="Hạn gửi báo cáo (ngày cuối cùng đúng hạn), đã dời theo "
                                      "ngày nghỉ")
    rule_deadline: str = Field(description="Hạn theo quy định của lịch, trước khi dời")
    cutoff_start: str = Field(description="Ngày bắt đầu chốt số liệu; trống nếu không có")
    cutoff_end: str
    internal_deadlines: list[InternalDeadline]
    state: str = Field(description="upcoming, running, due hoặc overdue")


class PeriodList(BaseModel):
    items: list[PeriodSchedule]


class ReportDimensionChoice(Strict):
    dimension_code: limits.text(60, min_length=1)  # type: ignore[valid-type]
    member_code: limits.text(60, min_length=1)  # type: ignore[valid-type]


class ReportFigureKey(Strict):
    """Which figure: indicator, one member per chosen dimension, kind."""

    indicator_code: limits.text(60, min_length=1)  # type: ignore[valid-type]
    members: list[ReportDimensionChoice] = Field(default_factory=list, max_length=10)
    kind: ReportFigureKind = ReportFigureKind.actual


class FormDimension(Strict):
    code: limits.text(60, min_length=1)  # type: ignore[valid-type]
    members: list[limits.text(60, min_length=1)] = Field(max_length=100)  # type: ignore[valid-type]
    additive: bool = Field(False, description="Các thành phần cộng lại không vượt tổng số")


class FormLine(Strict):
    """One indicator of the report form and the office that enters it."""

    indicator_code: limits.text(60, min_length=1)  # type: ignore[valid-type]
    name: limits.text(500, min_length=1)  # type: ignore[valid-type]
    office_code: limits.text(40, min_length=1)  # type: ignore[valid-type]
    value_type: ReportValueType = ReportValueType.number
    unit: limits.text(60) = ""  # type: ignore[valid-type]
    minimum: limits.text(40) = ""  # type: ignore[valid-type]
    maximum: limits.text(40) = ""  # type: ignore[valid-type]
    required: bool = True
    dimensions: list[FormDimension] = Field(default_factory=list, max_length=10)
    part_of: limits.text(60) = ""  # type: ignore[valid-type]
    time_aggregation: limits.text(20) = Field(  # type: ignore[valid-type]
        "", description="Cách cộng dồn theo thời gian (flow, stock, rate, average, none)")
    estimate: bool = Field(False, description="Có yêu cầu ước thực hiện cả năm trong kỳ này")


class OpenSubmission(Strict):
    """Without `lines` the form is built from the unit's indicator sets and assignments in
    force for the period; without `calendar_code`, the indicator set's calendar."""

    org_unit_code: limits.text(40) = ""  # type: ignore[valid-type]
    period_code: limits.text(20) = ""  # type: ignore[valid-type]
    calendar_code: limits.text(60) = ""  # type: ignore[valid-type]
    lines: list[FormLine] = Field(default_factory=list, max_length=2000)


class ReportFigureContext(BaseModel):
    """What stands beside one figure: target, same period last year, year to date."""

    key: ReportFigureKey
    target_value: str = Field(description="Chỉ tiêu kế hoạch; trống nếu không có")
    target_low: str = Field(description="Cận dưới của chỉ tiêu dạng khoảng")
    target_high: str = Field(description="Cận trên của chỉ tiêu dạng khoảng")
    target_text: str
    previous_year_value: str = Field(description="Cùng kỳ năm trước (đã được tiếp nhận)")
    year_to_date_value: str = Field(description="Luỹ kế từ đầu năm; trống nếu không tính được")


class ReportTaskStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    overdue = "overdue"
    stopped = "stopped"


class ReportTaskProgress(BaseModel):
    """Progress on one key task assigned to the unit."""

    key_task_id: str
    key_task_code: str = _term("TaskProgress", "key_task_code")
    name: str = _term("TaskProgress", "name")
    deadline: str = _term("TaskProgress", "deadline")
    status: ReportTaskStatus = _term("TaskProgress", "status")
    percent_done: int = _term("TaskProgress", "percent_done")
    results: str = _term("TaskProgress", "results")
    difficulties: str = _term("TaskProgress", "difficulties")
    proposals: str = _term("TaskProgress", "proposals")
    version: int = Field(description="Phiên bản của dòng: gửi lại khi lưu")
    updated_by: str = _term("TaskProgress", "updated_by")
    updated_at: datetime | None
    office_code: str = _term("TaskProgress", "office_code", "")


class Figure(BaseModel):
    key: ReportFigureKey
    value: str = Field(description="Giá trị (chuỗi số thập phân); trống với chỉ số dạng chữ")
    text_value: str
    note: str = Field(description="Thuyết minh")
    version: int = Field(description="Phiên bản của số liệu: gửi lại khi lưu")
    office_code: str
    updated_by: str
    updated_at: datetime | None
    return_comment: str = Field(description="Lý do Văn phòng trả lại; trống nếu không")


class Section(BaseModel):
    office_code: str
    status: str = Field(description="open, delivered hoặc returned")
    delivered_at: datetime | None
    return_comment: str


class Timeliness(BaseModel):
    state: str = Field(description="on_time, late, missing hoặc pending")
    days_late: int
    label: str = Field(description="vd. Đúng hạn, Trễ 2 ngày")


class ReportAttachment(BaseModel):
    """A document (document service) attached to the report."""

    document_id: str
    file_name: str = _term("Attachment", "file_name")
    title: str = _term("Attachment", "title")
    added_by: str = _term("Attachment", "added_by")
    added_at: datetime | None = _term("Attachment", "added_at")


class Submission(BaseModel):
    """A unit's report for one period."""

    id: str
    org_unit_id: str
    org_unit_code: str
    period_code: str
    period_label: str
    calendar_code: str
    deadline: str
    status: SubmissionStatus
    sections: list[Section]
    lines: list[FormLine]
    figures: list[Figure]
    sent_at: datetime | None
    accepted_at: datetime | None
    return_count: int
    timeliness: Timeliness
    province_code: str
    version: int
    created_by: str
    created_at: datetime | None
    context: list[ReportFigureContext] = Field(
        default_factory=list, description="Bên cạnh từng số liệu: kế hoạch, cùng kỳ, luỹ kế "
                                          "(chỉ khi xem một báo cáo)")
    task_progress: list[ReportTaskProgress] = Field(default_factory=list)
    attachments: list[ReportAttachment] = Field(default_factory=list)
    note: str = _term("Submission", "note", "")


class SubmissionPage(BaseModel):
    items: list[Submission]
    next_page_token: str
    total: int


class FigureEntry(Strict):
    key: ReportFigureKey
    value: limits.text(200) = ""  # type: ignore[valid-type]
    note: limits.text(4000) = ""  # type: ignore[valid-type]
    expected_version: limits.integer(limits.INT64) = 0  # type: ignore[valid-type]


class SaveFigures(Strict):
    figures: list[FigureEntry] = Field(default_factory=list, max_length=5000)
    reason: limits.text(2000) = ""  # type: ignore[valid-type]


class DeliverSection(Strict):
    office_code: limits.text(40) = ""  # type: ignore[valid-type]


class ReturnFigure(Strict):
    key: ReportFigureKey | None = None
    comment: limits.text(2000) = ""  # type: ignore[valid-type]


class Step(Strict):
    expected_version: limits.integer(limits.INT64) = 0  # type: ignore[valid-type]


class StepWithReason(Strict):
    expected_version: limits.integer(limits.INT64) = 0  # type: ignore[valid-type]
    reason: limits.text(2000) = ""  # type: ignore[valid-type]


class WorkflowStep(BaseModel):
    id: str
    action: str
    from_status: str
    to_status: str
    actor: str
    actor_unit: str
    occurred_at: datetime | None
    comment: str
    office_code: str
    figure_key: ReportFigureKey | None
    submission_version: int


class FigureChange(BaseModel):
    key: ReportFigureKey
    office_code: str
    before: str
    after: str
    before_note: str
    after_note: str
    actor: str
    occurred_at: datetime | None
    figure_version: int
    reason: str


class ReportTaskProgressValues(BaseModel):
    status: ReportTaskStatus
    percent_done: int
    results: str
    difficulties: str
    proposals: str


class ReportTaskProgressChange(BaseModel):
    key_task_code: str
    before: ReportTaskProgressValues
    after: ReportTaskProgressValues
    actor: str
    occurred_at: datetime | None
    version: int


class SubmissionNoteChange(BaseModel):
    """One change of the whole report's explanatory note."""

    before: str
    after: str
    actor: str
    occurred_at: datetime | None
    version: int = Field(description="Phiên bản của báo cáo sau lần sửa")


class SubmissionHistory(BaseModel):
    steps: list[WorkflowStep]
    changes: list[FigureChange]
    task_changes: list[ReportTaskProgressChange] = Field(default_factory=list)
    note_changes: list[SubmissionNoteChange] = Field(default_factory=list)


class ReportTaskProgressEntry(Strict):
    key_task_code: limits.text(60, min_length=1)  # type: ignore[valid-type]
    status: ReportTaskStatus
    percent_done: int = Field(0, ge=0, le=100, description="Tỷ lệ hoàn thành, 0–100 (%)")
    results: limits.text(4000) = ""  # type: ignore[valid-type]
    difficulties: limits.text(4000) = ""  # type: ignore[valid-type]
    proposals: limits.text(4000) = ""  # type: ignore[valid-type]
    expected_version: limits.integer(limits.INT64) = 0  # type: ignore[valid-type]


class SaveTaskProgress(Strict):
    tasks: list[ReportTaskProgressEntry] = Field(default_factory=list, max_length=500)


class SaveSubmissionNote(Strict):
    """The whole report's explanatory note, at the report's version the caller read."""

    note: limits.text(4000) = _term("Submission", "note", "")  # type: ignore[valid-type]
    expected_version: limits.integer(limits.INT64) = Field(  # type: ignore[valid-type]
        description="Phiên bản của báo cáo đã đọc (khác: 409, nêu cả hai nội dung)")


class AddAttachment(Strict):
    document_id: limits.text(36) = ""  # type: ignore[valid-type]
    expected_version: limits.integer(limits.INT64) = 0  # type: ignore[valid-type]


class SubmissionBoardUnit(BaseModel):
    org_unit_code: str
    org_unit_name: str
    submission_id: str = Field(description="Trống nếu đơn vị chưa mở báo cáo")
    status: SubmissionStatus | None = Field(description="Trống nếu chưa có báo cáo")
    timeliness: Timeliness
    sent_at: datetime | None


class SubmissionBoard(BaseModel):
    """Which child units have sent their report for a period (on time, late, missing)."""

    period_code: str
    period_label: str
    deadline: str
    org_unit_code: str
    units: list[SubmissionBoardUnit]
