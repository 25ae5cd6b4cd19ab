"""Vietnamese descriptions of the catalog fields and messages for the OpenAPI document.

Looked up by ``(message, field)`` first, then by field name alone; ``(message, "")`` is the
description of the message itself. A field without an entry is simply undocumented.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "Indicator": "Chỉ số (chỉ tiêu kinh tế – xã hội).",
    "IndicatorSet": "Bộ chỉ số có căn cứ pháp lý, ví dụ 28 chỉ số cấp xã theo QĐ 2081/QĐ-UBND.",
    "IndicatorSetItem": "Một chỉ số trong bộ, với tần suất, đơn vị thực hiện và ghi chú của bộ.",
    "KeyTask": "Nhiệm vụ trọng tâm.",
    "ThematicPlan": "Kế hoạch chuyên đề.",
    "CriteriaSet": "Bộ tiêu chí đánh giá (riêng cho cơ quan và cho xã) với ngưỡng xếp loại.",
    "Criterion": "Một tiêu chí chấm điểm.",
    "ClassificationThreshold": "Điểm tối thiểu của một mức xếp loại.",
    "PeriodTarget": "Chỉ tiêu giai đoạn 5 năm.",
    "ReportTemplate": "Mẫu (khung) báo cáo.",
    "ReportSection": "Một phần của mẫu báo cáo.",
    "Calendar": "Lịch báo cáo: hạn báo cáo, thời gian chốt số liệu, hạn nội bộ.",
    "DeadlineRule": "Hạn báo cáo và thời gian chốt số liệu cho một loại kỳ.",
    "RelativeDate": "Ngày tính theo tháng cuối của kỳ: số tháng lệch và ngày trong tháng.",
    "ResolvedDeadlines": "Các hạn của một kỳ báo cáo theo lịch.",
    "AuditInfo": "Người tạo, người sửa cuối và thời điểm.",
}

FIELDS: dict[str, str] = {
    "id": "Mã định danh do hệ thống cấp (UUID), không đổi qua các phiên bản",
    "code": "Mã nghiệp vụ, duy nhất trong tỉnh",
    "name": "Tên tiếng Việt",
    "title": "Tiêu đề",
    "description": "Mô tả",
    "unit_of_measure": "Đơn vị tính, ví dụ \"tỷ đồng\", \"%\", \"hộ\"",
    "value_type": "Kiểu giá trị",
    "frequencies": "Tần suất báo cáo",
    "spatial_aggregation": "Cách tổng hợp theo đơn vị (từ cấp dưới lên cấp trên)",
    "time_aggregation": "Cách tổng hợp theo thời gian",
    "polarity": "Chiều tốt (cao hơn là tốt / thấp hơn là tốt / ...)",
    "numerator_indicator_id": "Chỉ số tử số (với chỉ số tỷ lệ)",
    "denominator_indicator_id": "Chỉ số mẫu số (với chỉ số tỷ lệ)",
    "weight_indicator_id": "Chỉ số trọng số (với trung bình có trọng số)",
    "scale": "Hệ số nhân, chuỗi thập phân (100 cho tỷ lệ %)",
    "decimal_places": "Số chữ số thập phân hiển thị",
    "group_code": "Mã nhóm, ví dụ \"XIII\", \"D\"",
    "group_name": "Tên nhóm",
    "field": "Lĩnh vực, ví dụ \"Kinh tế\"",
    "legal_basis": "Căn cứ pháp lý",
    "province_code": "Mã tỉnh sở hữu danh mục",
    "valid_from": "Hiệu lực từ ngày (YYYY-MM-DD)",
    "valid_to": "Hiệu lực đến ngày; trống = còn hiệu lực",
    "version": "Phiên bản (dùng cho If-Match / ETag)",
    "audit": "Người tạo, người sửa cuối và thời điểm",
    "indicator_id": "Chỉ số",
    "indicator_ids": "Các chỉ số",
    "ordinal": "Số thứ tự",
    "responsible_office": "Đơn vị thực hiện (loại phòng ban), ví dụ \"Phòng Kinh tế\"",
    "note": "Ghi chú",
    "issued_on": "Ngày ban hành",
    "applies_to_kinds": "Loại đơn vị áp dụng",
    "items": "Các chỉ số của bộ, theo thứ tự văn bản",
    "calendar_id": "Lịch báo cáo",
    "year": "Năm",
    "deadline": "Thời hạn hoàn thành",
    "start_year": "Năm bắt đầu",
    "end_year": "Năm kết thúc",
    "key_task_ids": "Các nhiệm vụ trọng tâm",
    "criteria": "Các tiêu chí",
    "thresholds": "Ngưỡng xếp loại, từ mức cao xuống",
    "max_total_score": "Tổng điểm tối đa",
    "max_score": "Điểm tối đa",
    "scoring_method": "Cách chấm điểm",
    "guidance": "Hướng dẫn",
    "level": "Mức xếp loại",
    "min_score": "Điểm tối thiểu",
    "thematic_plan_id": "Kế hoạch chuyên đề",
    "org_unit_id": "Đơn vị",
    "target_value": "Giá trị chỉ tiêu, chuỗi thập phân",
    "target_value_max": "Cận trên (so sánh trong khoảng)",
    "comparison": "Cách so sánh với chỉ tiêu",
    "period_kinds": "Loại kỳ báo cáo dùng mẫu",
    "indicator_set_id": "Bộ chỉ số",
    "sections": "Các phần của báo cáo",
    "columns": "Các cột số liệu",
    "rules": "Quy tắc hạn báo cáo theo loại kỳ",
    "period_kind": "Loại kỳ",
    "due": "Hạn báo cáo",
    "cutoff_start": "Ngày đầu thời gian chốt số liệu",
    "cutoff_end": "Ngày cuối thời gian chốt số liệu",
    "month_offset": "Số tháng so với tháng cuối của kỳ (0 = tháng đó, -1 = tháng trước)",
    "day": "Ngày trong tháng (1..31)",
    "stage": "Bước",
    "days_before_due": "Số ngày trước hạn chính thức",
    "due_date": "Hạn báo cáo",
    "amount": "Số tiền, chuỗi thập phân",
    "currency_code": "Mã tiền tệ ISO 4217 (trống = VND)",
    "created_at": "Thời điểm tạo",
    "created_by": "Người tạo",
    "updated_at": "Thời điểm sửa cuối",
    "updated_by": "Người sửa cuối",
}

_BY_MESSAGE: dict[tuple[str, str], str] = {
    ("IndicatorComponent", "code"): "Mã phân tổ, duy nhất trong chỉ số (ví dụ \"ss\", \"hh\")",
    ("Criterion", "code"): "Mã tiêu chí trong bộ (ví dụ \"1\", \"1.2\")",
    ("Criterion", "name"): "Nội dung tiêu chí",
    ("ReportSection", "code"): "Mã phần, duy nhất trong mẫu",
}


def field_doc(message: str, field: str) -> str | None:
    if not field:
        return MESSAGES.get(message)
    return _BY_MESSAGE.get((message, field)) or FIELDS.get(field)
