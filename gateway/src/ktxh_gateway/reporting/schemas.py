"""REST shapes of the reporting reads (``/api/v1/rollups``, ...). Field names follow the
cross-branch contract; decimals travel as strings (empty = no data)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ReportingFigureKind(StrEnum):
    actual = "actual"
    estimate = "estimate"
    target = "target"


class ReportingDimensionChoice(BaseModel):
    dimension_code: str = Field(description="Mã phân tổ, vd. price_basis")
    member_code: str = Field(description="Mã giá trị của phân tổ, vd. comparative")


class ReportingFigureKey(BaseModel):
    indicator_code: str = Field(description="Mã chỉ tiêu")
    members: list[ReportingDimensionChoice] = Field(default_factory=list,
                                                    description="Giá trị của từng phân tổ")
    kind: ReportingFigureKind = ReportingFigureKind.actual


class ReportingAchievement(StrEnum):
    unspecified = "unspecified"
    achieved = "achieved"
    on_track = "on_track"
    at_risk = "at_risk"
    missed = "missed"


class ReportingRollupRow(BaseModel):
    org_unit_code: str = Field(description="Mã đơn vị")
    org_unit_name: str = Field(description="Tên đơn vị")
    is_total: bool = Field(description="Dòng của chính đơn vị được hỏi (không phải đơn vị con)")
    key: ReportingFigureKey
    indicator_name: str = Field(description="Tên chỉ tiêu (phiên bản danh mục áp dụng cho kỳ)")
    unit: str = Field(description="Đơn vị tính")
    aggregation: str = Field(description="Cách tổng hợp theo đơn vị: sum, ratio, weighted_average, "
                                         "average, min, max, none, recompute")
    time_aggregation: str = Field(description="Cách tổng hợp theo thời gian: flow, stock, rate, average, none")
    polarity: str = Field(description="Chiều tốt: higher_is_better, lower_is_better, neutral, within_range")
    value: str = Field(description="Giá trị (số thập phân; rỗng = chưa có số liệu)")
    numerator: str = Field("", description="Tử số của tỷ lệ")
    denominator: str = Field("", description="Mẫu số của tỷ lệ")
    text_value: str = Field("", description="Giá trị dạng chữ")
    target_value: str = Field("", description="Chỉ tiêu được giao đang có hiệu lực")
    target_low: str = Field("", description="Cận dưới khi chỉ tiêu giao là một khoảng")
    target_high: str = Field("", description="Cận trên khi chỉ tiêu giao là một khoảng")
    plan_percent: str = Field("", description="Giá trị so với kế hoạch (%)")
    achievement: ReportingAchievement = Field(description="Mức đạt chỉ tiêu theo chiều tốt của chỉ tiêu")
    previous_year_value: str = Field("", description="Cùng kỳ năm trước")
    growth_percent: str = Field("", description="Tăng/giảm so với cùng kỳ (%)")
    year_to_date_value: str = Field("", description="Lũy kế từ đầu năm")
    estimated: bool = Field(False, description="Có số ước tính")
    reporting_units: int = Field(description="Số đơn vị có số liệu")
    expected_units: int = Field(description="Số đơn vị phải báo cáo")


class ReportingRollup(BaseModel):
    org_unit_code: str
    period_code: str = Field(description="Mã kỳ, vd. 2026-M10")
    as_of: datetime | None = Field(None, description="Thời điểm sự kiện mới nhất đã được ghi nhận")
    rows: list[ReportingRollupRow]


class ReportingPeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    nine_months = "nine_months"
    year = "year"
    plan_period = "plan_period"


class ReportingSeriesPoint(BaseModel):
    period_code: str = Field(description="Mã kỳ")
    value: str = Field(description="Giá trị tổng hợp (rỗng = chưa có số liệu)")
    target_value: str = Field("", description="Chỉ tiêu được giao")
    estimated: bool = Field(False, description="Có số ước tính")


class ReportingSeries(BaseModel):
    org_unit_code: str
    key: ReportingFigureKey
    kind: ReportingPeriodKind
    points: list[ReportingSeriesPoint]


class ReportingUnitProgress(BaseModel):
    org_unit_code: str = Field(description="Mã đơn vị")
    org_unit_name: str = Field(description="Tên đơn vị")
    submission_id: str = Field("", description="Id báo cáo kỳ (rỗng = chưa gửi)")
    status: str = Field(description="Trạng thái: sent, returned, accepted, reopened, not_opened")
    deadline: str = Field("", description="Hạn gửi")
    sent_at: datetime | None = Field(None, description="Thời điểm gửi")
    accepted_at: datetime | None = Field(None, description="Thời điểm tiếp nhận")
    timeliness: str = Field("", description="on_time, late hoặc rỗng khi chưa gửi")
    days_late: int = Field(0, description="Số ngày trễ hạn")


class ReportingProgress(BaseModel):
    org_unit_code: str
    period_code: str
    expected_units: int = Field(description="Số đơn vị phải báo cáo")
    accepted_units: int = Field(description="Số đơn vị đã được tiếp nhận báo cáo")
    late_units: int = Field(description="Số đơn vị gửi trễ hạn")
    count_by_status: dict[str, int]
    units: list[ReportingUnitProgress]


class ReportingFigure(BaseModel):
    org_unit_code: str = Field(description="Mã đơn vị")
    key: ReportingFigureKey
    period_code: str = Field(description="Mã kỳ")
    value: str = Field(description="Giá trị")
    text_value: str = Field("", description="Giá trị dạng chữ")
    updated_at: datetime | None = Field(None, description="Thời điểm được ghi nhận (tiếp nhận báo cáo)")


class ReportingFigurePage(BaseModel):
    items: list[ReportingFigure]
    next_page_token: str = Field("", description="Mã trang tiếp theo; rỗng = trang cuối")
