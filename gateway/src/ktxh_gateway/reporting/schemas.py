"""REST shapes of the reporting reads (``/api/v1/rollups``, ...). Field names follow the
cross-branch contract; decimals travel as strings (empty = no data)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from ktxh_gateway.limits import INT64, Text200, Text1000, integer, text


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
    target_from_children: bool = Field(False, description="Kế hoạch không giao cho đơn vị mà tính từ kế hoạch "
                                                          "giao cho các đơn vị trực thuộc (tổng, hoặc theo quy tắc "
                                                          "tổng hợp của chỉ tiêu)")
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


# --- report2: exports, published editions, upward connectors ------------------------------

Code40 = text(40, min_length=1)


class ReportKindName(StrEnum):
    indicators = "indicators"
    matrix = "matrix"
    key_tasks = "key_tasks"
    target_fulfilment = "target_fulfilment"


class ReportFormatName(StrEnum):
    xlsx = "xlsx"
    pdf = "pdf"
    csv = "csv"
    json = "json"


class ReportingPublishRequest(BaseModel):
    model_config = {"extra": "forbid"}
    org_unit_code: Code40 = Field(description="Mã đơn vị của báo cáo")
    period_code: text(24, min_length=1) = Field(description="Mã kỳ (2026-M10, 2026-Q3, 2026...)")
    kind: ReportKindName = Field(ReportKindName.indicators,
                                 description="Mẫu: indicators (chỉ tiêu) hoặc matrix (phụ lục "
                                             "chỉ tiêu × đơn vị trực thuộc)")
    indicator_codes: list[Code40] = Field(default_factory=list, max_length=1000,
                                          description="Mã chỉ tiêu; bỏ trống = mọi chỉ tiêu")
    document_id: text(36) = Field("", description="Văn bản đã ký kèm theo (nếu có)")


class ReportingEdition(BaseModel):
    id: str = Field(description="Mã bản công bố")
    org_unit_code: str = Field(description="Mã đơn vị")
    period_code: str = Field(description="Mã kỳ")
    period_label: str = Field(description="Tên kỳ")
    kind: ReportKindName
    title: str = Field(description="Tiêu đề báo cáo")
    revision: int = Field(description="Lần công bố (1, 2, ...)")
    published_by: str = Field(description="Người công bố")
    published_at: datetime | None = Field(None, description="Thời điểm công bố")
    document_id: str = Field("", description="Văn bản đã ký kèm theo")
    table: dict[str, Any] | None = Field(
        None, description="Bảng số liệu đã đóng băng (cột, dòng; số dạng chuỗi)")


class ReportingEditionPage(BaseModel):
    items: list[ReportingEdition]
    total: int
    next_page_token: str = ""


class ConnectorKindName(StrEnum):
    national_reporting = "national_reporting"
    ioc = "ioc"
    generic = "generic"


class ReportingIndicatorMapping(BaseModel):
    model_config = {"extra": "forbid"}
    key: ReportingFigureKey = Field(description="Số liệu được gửi (khóa số liệu của ta)")
    external_code: Code40 = Field(description="Mã chỉ tiêu bên nhận")
    external_unit: text(40) = Field("", description="Đơn vị tính bên nhận")
    scale_factor: text(30) = Field("", description="Hệ số quy đổi trước khi gửi; rỗng = 1")


class ReportingConnectorInput(BaseModel):
    model_config = {"extra": "forbid"}
    code: Code40 = Field(description="Mã kết nối")
    name: text(255, min_length=1) = Field(description="Tên kết nối")
    kind: ConnectorKindName = Field(description="Loại hệ thống nhận")
    endpoint: Text1000 = Field(description="Địa chỉ nhận (URL http/https)")
    credentials_secret: Text200 = Field(
        "", description="Tên biến môi trường (secret) chứa mã xác thực; không bao giờ là mã")
    external_unit_code: text(40) = Field("", description="Mã tỉnh ở hệ thống nhận")
    mappings: list[ReportingIndicatorMapping] = Field(default_factory=list, max_length=2000,
                                                      description="Ánh xạ chỉ tiêu")
    unit_mappings: dict[Code40, Code40] = Field(
        default_factory=dict, max_length=5000,
        description="Ánh xạ mã đơn vị của ta → mã đơn vị bên nhận; đơn vị không có thì không gửi")
    enabled: bool = Field(True, description="Đang bật")


class ReportingConnectorPatch(BaseModel):
    model_config = {"extra": "forbid"}
    name: text(255, min_length=1) | None = Field(None, description="Tên kết nối")
    endpoint: Text1000 | None = Field(None, description="Địa chỉ nhận (URL http/https)")
    credentials_secret: Text200 | None = Field(None, description="Tên biến môi trường chứa mã xác thực")
    external_unit_code: text(40) | None = Field(None, description="Mã tỉnh ở hệ thống nhận")
    mappings: list[ReportingIndicatorMapping] | None = Field(None, max_length=2000,
                                                             description="Ánh xạ chỉ tiêu")
    unit_mappings: dict[Code40, Code40] | None = Field(None, max_length=5000,
                                                       description="Ánh xạ mã đơn vị")
    enabled: bool | None = Field(None, description="Đang bật")


class ReportingConnector(ReportingConnectorInput):
    model_config = {"extra": "ignore"}
    id: str = Field(description="Mã định danh")
    version: integer(INT64) = Field(description="Phiên bản (ETag)")


class ReportingConnectorPage(BaseModel):
    items: list[ReportingConnector]
    total: int
    next_page_token: str = ""


class TransmissionStatusName(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class ReportingTransmission(BaseModel):
    id: str = Field(description="Mã lần gửi")
    connector_id: str = Field(description="Kết nối")
    org_unit_code: str = Field(description="Mã đơn vị có số liệu được gửi")
    period_code: str = Field(description="Mã kỳ")
    status: TransmissionStatusName = Field(description="Trạng thái gửi")
    record_count: int = Field(description="Số số liệu được gửi")
    attempts: int = Field(description="Số lần đã thử gửi")
    error: str = Field("", description="Lỗi lần thử gần nhất")
    external_reference: str = Field("", description="Mã tiếp nhận của bên nhận")
    source: str = Field("", description="Nguồn: báo cáo được tiếp nhận hoặc gửi lại")
    requested_by: str = Field("", description="Người hoặc tiến trình yêu cầu gửi")
    requested_at: datetime | None = None
    acknowledged_at: datetime | None = None
    next_attempt_at: datetime | None = None


class ReportingTransmissionPage(BaseModel):
    items: list[ReportingTransmission]
    total: int
    next_page_token: str = ""
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


class ReportingHistoricalValue(BaseModel):
    model_config = {"extra": "forbid"}
    org_unit_code: Code40 = Field(description="Mã đơn vị (như khi đó; đơn vị đã sáp nhập "
                                              "được tính cho đơn vị kế thừa)")
    period_code: text(24, min_length=1) = Field(description="Mã kỳ, từ năm 2010")
    key: ReportingFigureKey = Field(description="Số liệu (khóa số liệu, số thực hiện)")
    value: text(60, min_length=1) = Field(description="Giá trị (số thập phân, dấu chấm)")
    note: text(1000) = Field("", description="Ghi chú (không lưu)")


class ReportingHistoricalImport(BaseModel):
    model_config = {"extra": "forbid"}
    source: text(255) = Field("", description="Nguồn số liệu, vd. Niên giám thống kê 2015")
    data_values: list[ReportingHistoricalValue] = Field(max_length=10000,
                                                        description="Các số liệu (tối đa 10.000)")


class ReportingImportRefusal(BaseModel):
    row: int = Field(description="Số thứ tự của số liệu bị từ chối (từ 1)")
    field: str = Field(description="Trường sai")
    reason: str = Field(description="Lý do")


class ReportingImportSummary(BaseModel):
    imported: int = Field(description="Số số liệu nạp mới")
    updated: int = Field(description="Số số liệu thay giá trị đã nạp trước")
    ignored: int = Field(description="Số số liệu giống hệt đã nạp (không đổi gì)")
    refused: list[ReportingImportRefusal] = Field(description="Số liệu bị từ chối")
    dry_run: bool = Field(description="Chỉ kiểm tra, không ghi")
