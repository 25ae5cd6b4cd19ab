"""Labels and descriptions of the catalog's messages and fields (``ktxh.catalog.v1``).

``FIELDS`` holds a term per field name, valid in every message; ``CATALOG`` holds, per message,
the message's own description and the terms that differ in that message (``Indicator.code`` is
"Mã chỉ số" where a bare ``code`` is "Mã"). A message term without a description takes the
field-wide one. Keys are the fields' one name: the proto / REST / JSON / XLSX name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    label: str
    description: str | None = None


@dataclass(frozen=True)
class Message:
    doc: str | None = None
    fields: Mapping[str, Term] = field(default_factory=dict)


T = Term

FIELDS: dict[str, Term] = {
    "id": T("Mã định danh", "Mã định danh do hệ thống cấp (UUID), không đổi qua các phiên bản"),
    "code": T("Mã", "Mã nghiệp vụ, duy nhất trong tỉnh"),
    "name": T("Tên", "Tên tiếng Việt"),
    "title": T("Tiêu đề"),
    "description": T("Mô tả"),
    "unit_of_measure": T("Đơn vị tính", "Đơn vị tính, ví dụ \"tỷ đồng\", \"%\", \"hộ\""),
    "value_type": T("Kiểu giá trị"),
    "frequencies": T("Tần suất", "Tần suất báo cáo"),
    "spatial_aggregation": T("Tổng hợp theo đơn vị",
                             "Cách tổng hợp theo đơn vị (từ cấp dưới lên cấp trên)"),
    "time_aggregation": T("Tổng hợp theo thời gian", "Cách tổng hợp theo thời gian"),
    "polarity": T("Chiều tốt", "Chiều tốt (cao hơn là tốt / thấp hơn là tốt / ...)"),
    "numerator_code": T("Chỉ số tử số", "Mã chỉ số tử số (với chỉ số tỷ lệ)"),
    "denominator_code": T("Chỉ số mẫu số", "Mã chỉ số mẫu số (với chỉ số tỷ lệ)"),
    "weight_indicator_code": T("Chỉ số trọng số",
                               "Mã chỉ số trọng số (với trung bình có trọng số)"),
    "numerator_indicator_id": T("Chỉ số tử số", "Chỉ số tử số (với chỉ số tỷ lệ)"),
    "denominator_indicator_id": T("Chỉ số mẫu số", "Chỉ số mẫu số (với chỉ số tỷ lệ)"),
    "weight_indicator_id": T("Chỉ số trọng số", "Chỉ số trọng số (với trung bình có trọng số)"),
    "scale": T("Hệ số nhân", "Hệ số nhân, chuỗi thập phân (100 cho tỷ lệ %)"),
    "decimals": T("Số chữ số thập phân", "Số chữ số thập phân hiển thị"),
    "decimal_places": T("Số chữ số thập phân", "Số chữ số thập phân hiển thị"),
    "formula": T("Công thức"),
    "lower_bound": T("Cận dưới"),
    "upper_bound": T("Cận trên"),
    "dimensions": T("Phân tổ"),
    "members": T("Các giá trị"),
    "group_code": T("Nhóm", "Mã nhóm, ví dụ \"XIII\", \"D\""),
    "group_name": T("Tên nhóm"),
    "groups": T("Nhóm"),
    "field": T("Lĩnh vực", "Lĩnh vực, ví dụ \"Kinh tế\""),
    "legal_basis": T("Căn cứ pháp lý"),
    "legal_document": T("Căn cứ pháp lý"),
    "province_code": T("Tỉnh", "Mã tỉnh sở hữu danh mục"),
    "valid_from": T("Hiệu lực từ ngày", "Hiệu lực từ ngày (YYYY-MM-DD)"),
    "valid_to": T("Hiệu lực đến ngày", "Hiệu lực đến ngày; trống = còn hiệu lực"),
    "version": T("Phiên bản", "Phiên bản (dùng cho If-Match / ETag)"),
    "revision": T("Lần sửa đổi", "Số thứ tự của lần sửa đổi đang xem (1 = khi tạo)"),
    "retired": T("Ngừng sử dụng", "Lần sửa đổi này là ngừng sử dụng (không còn hiệu lực)"),
    "audit": T("Người tạo, người sửa", "Người tạo, người sửa cuối và thời điểm"),
    "indicator_id": T("Chỉ số"),
    "indicator_ids": T("Các chỉ số"),
    "indicator_code": T("Chỉ số"),
    "indicator_codes": T("Các chỉ số"),
    "ordinal": T("Thứ tự", "Số thứ tự"),
    "responsible_office": T("Đơn vị thực hiện",
                            "Đơn vị thực hiện (loại phòng ban), ví dụ \"Phòng Kinh tế\""),
    "responsible_kind": T("Loại đơn vị thực hiện"),
    "note": T("Ghi chú"),
    "issued_on": T("Ngày ban hành"),
    "issuer": T("Cơ quan ban hành"),
    "applies_to_kinds": T("Áp dụng cho", "Loại đơn vị áp dụng"),
    "calendar_id": T("Lịch báo cáo"),
    "calendar_code": T("Lịch báo cáo"),
    "consolidating_office": T("Đơn vị tổng hợp"),
    "year": T("Năm"),
    "deadline": T("Thời hạn", "Thời hạn hoàn thành"),
    "lead_office": T("Đơn vị chủ trì"),
    "coordinating_offices": T("Đơn vị phối hợp"),
    "start_date": T("Từ ngày"),
    "end_date": T("Đến ngày"),
    "start_year": T("Năm bắt đầu"),
    "end_year": T("Năm kết thúc"),
    "key_task_ids": T("Các nhiệm vụ trọng tâm"),
    "key_task_codes": T("Nhiệm vụ trọng tâm"),
    "criteria": T("Các tiêu chí"),
    "thresholds": T("Ngưỡng xếp loại", "Ngưỡng xếp loại, từ mức cao xuống"),
    "max_total_score": T("Tổng điểm tối đa"),
    "max_score": T("Điểm tối đa"),
    "scoring_method": T("Cách chấm", "Cách chấm điểm"),
    "guidance": T("Hướng dẫn"),
    "level": T("Mức xếp loại"),
    "min_score": T("Điểm tối thiểu"),
    "thematic_plan_id": T("Kế hoạch chuyên đề"),
    "org_unit_id": T("Đơn vị"),
    "org_unit_code": T("Mã đơn vị"),
    "target_value": T("Giá trị chỉ tiêu", "Giá trị chỉ tiêu, chuỗi thập phân"),
    "target_value_max": T("Cận trên", "Cận trên (so sánh trong khoảng)"),
    "target_low": T("Cận dưới (chỉ tiêu khoảng)"),
    "target_high": T("Cận trên (chỉ tiêu khoảng)"),
    "target_text": T("Chỉ tiêu định tính"),
    "comparison": T("Cách so sánh", "Cách so sánh với chỉ tiêu"),
    "period_kinds": T("Loại kỳ", "Loại kỳ báo cáo dùng mẫu"),
    "indicator_set_id": T("Bộ chỉ số"),
    "indicator_set_code": T("Bộ chỉ số"),
    "sections": T("Các phần", "Các phần của báo cáo"),
    "rows": T("Các dòng", "Các dòng chỉ số của phần"),
    "columns": T("Các cột", "Các cột số liệu"),
    "column_specs": T("Cột", "Các cột số liệu"),
    "measure": T("Nội dung"),
    "rules": T("Quy tắc", "Quy tắc hạn báo cáo theo loại kỳ"),
    "period_kind": T("Loại kỳ"),
    "period_code": T("Kỳ"),
    "due": T("Hạn (tháng, ngày)", "Hạn báo cáo"),
    "before": T("Trước ngày"),
    "cutoff_start": T("Chốt từ", "Ngày đầu thời gian chốt số liệu"),
    "cutoff_end": T("Chốt đến", "Ngày cuối thời gian chốt số liệu"),
    "cutoff_description": T("Diễn giải thời gian chốt"),
    "month_offset": T("Số tháng lệch",
                      "Số tháng so với tháng cuối của kỳ (0 = tháng đó, -1 = tháng trước)"),
    "day": T("Ngày", "Ngày trong tháng (1..31)"),
    "lead_times": T("Hạn nội bộ"),
    "overrides": T("Hạn điều chỉnh"),
    "step": T("Mã bước"),
    "days_before": T("Số ngày trước hạn"),
    "responsible": T("Thực hiện"),
    "reason": T("Lý do"),
    "stage": T("Bước"),
    "days_before_due": T("Số ngày trước hạn", "Số ngày trước hạn chính thức"),
    "due_date": T("Hạn", "Hạn báo cáo"),
    "amount": T("Số tiền", "Số tiền, chuỗi thập phân"),
    "currency_code": T("Mã tiền tệ", "Mã tiền tệ ISO 4217 (trống = VND)"),
    "created_at": T("Thời điểm tạo"),
    "created_by": T("Người tạo"),
    "updated_at": T("Thời điểm sửa cuối"),
    "updated_by": T("Người sửa cuối"),
}

M = Message

CATALOG: dict[str, Message] = {
    "Indicator": M("Chỉ số (chỉ tiêu kinh tế – xã hội).", {
        "code": T("Mã chỉ số"),
        "name": T("Tên chỉ số"),
        "frequencies": T("Tần suất cho phép"),
        "description": T("Mô tả chỉ số"),
    }),
    "IndicatorDimension": M(None, {
        "code": T("Mã chiều"),
        "name": T("Tên chiều"),
    }),
    "DimensionMember": M(None, {
        "code": T("Mã giá trị"),
        "name": T("Tên giá trị"),
    }),
    "LegalDocument": M(None, {
        "number": T("Số văn bản"),
        "title": T("Trích yếu"),
    }),
    "IndicatorSet": M(
        "Bộ chỉ số có căn cứ pháp lý, ví dụ 28 chỉ số cấp xã theo QĐ 2081/QĐ-UBND.", {
            "code": T("Mã bộ chỉ số"),
            "name": T("Tên bộ chỉ số"),
            "applies_to_kinds": T("Áp dụng cho loại đơn vị"),
            "calendar_code": T("Lịch báo cáo mặc định"),
            "items": T("Các chỉ số của bộ", "Các chỉ số của bộ, theo thứ tự văn bản"),
        }),
    "IndicatorSetItem": M(
        "Một chỉ số trong bộ, với tần suất, đơn vị thực hiện và ghi chú của bộ.", {
            "ordinal": T("STT"),
        }),
    "IndicatorSetGroup": M(None, {
        "code": T("Mã nhóm"),
        "name": T("Tên nhóm"),
    }),
    "KeyTask": M("Nhiệm vụ trọng tâm.", {
        "code": T("Mã nhiệm vụ"),
        "title": T("Tên nhiệm vụ"),
        "indicator_codes": T("Chỉ số liên quan"),
    }),
    "ThematicPlan": M("Kế hoạch chuyên đề.", {
        "code": T("Mã kế hoạch"),
        "name": T("Tên kế hoạch"),
        "indicator_codes": T("Chỉ số theo dõi"),
    }),
    "CriteriaSet": M(
        "Bộ tiêu chí đánh giá (riêng cho cơ quan và cho xã) với ngưỡng xếp loại.", {
            "code": T("Mã bộ tiêu chí"),
            "name": T("Tên bộ tiêu chí"),
            "applies_to_kinds": T("Đối tượng đánh giá"),
            "criteria": T("Tiêu chí"),
            "thresholds": T("Ngưỡng"),
        }),
    "Criterion": M("Một tiêu chí chấm điểm.", {
        "code": T("Mã", "Mã tiêu chí trong bộ (ví dụ \"1\", \"1.2\")"),
        "name": T("Tiêu chí", "Nội dung tiêu chí"),
        "guidance": T("Hướng dẫn chấm"),
        "mandatory": T("Bắt buộc", "Tiêu chí bắt buộc: bị 0 điểm thì không được xếp loại "
                       "hoàn thành xuất sắc"),
        "partial_credit": T("Khi không đạt", "Điểm khi không đạt chỉ tiêu (hoặc nhiệm vụ, báo cáo "
                            "trễ hạn): theo tỷ lệ đạt được, không tính điểm, hoặc theo bậc"),
        "credit_steps": T("Các bậc", "Theo bậc: đạt từ bao nhiêu % chỉ tiêu thì được bao nhiêu % "
                          "điểm, viết \"90:75; 70:50\""),
    }),
    "CreditStep": M("Một bậc tính điểm khi không đạt chỉ tiêu.", {
        "min_achievement": T("Tỷ lệ đạt từ (%)", "Đạt từ bao nhiêu % chỉ tiêu"),
        "credit": T("Điểm được (%)", "Được bao nhiêu % điểm của chỉ tiêu"),
    }),
    "ClassificationThreshold": M("Điểm tối thiểu của một mức xếp loại."),
    "PeriodTarget": M("Chỉ tiêu giai đoạn 5 năm.", {
        "code": T("Mã chỉ tiêu"),
    }),
    "ReportTemplate": M("Mẫu (khung) báo cáo.", {
        "code": T("Mã mẫu"),
        "name": T("Tên mẫu báo cáo"),
    }),
    "ReportTemplateColumn": M(None, {
        "code": T("Mã cột"),
        "title": T("Tiêu đề cột"),
    }),
    "ReportSection": M("Một phần của mẫu báo cáo.", {
        "code": T("Mã phần", "Mã phần, duy nhất trong mẫu"),
    }),
    "Calendar": M("Lịch báo cáo: hạn báo cáo, thời gian chốt số liệu, hạn nội bộ.", {
        "code": T("Mã lịch"),
        "name": T("Tên lịch"),
    }),
    "DeadlineRule": M("Hạn báo cáo và thời gian chốt số liệu cho một loại kỳ.", {
        "description": T("Diễn giải"),
    }),
    "CalendarLeadTime": M(None, {
        "name": T("Bước"),
    }),
    "RelativeDate": M(
        "Ngày tính theo tháng cuối của kỳ: số tháng lệch và ngày trong tháng."),
    "ResolvedDeadlines": M("Các hạn của một kỳ báo cáo theo lịch."),
    "AuditInfo": M("Người tạo, người sửa cuối và thời điểm."),
}


# The assignment service's messages (``ktxh.assignment.v1``), same rules.
CATALOG.update({
    "Decision": M("Quyết định giao (văn bản pháp lý có chữ ký số) với các nội dung giao.", {
        "number": T("Số hiệu", "Số hiệu quyết định, ví dụ \"125/QĐ-UBND\"; bắt buộc khi ban hành"),
        "title": T("Trích yếu"),
        "issued_on": T("Ngày ký", "Ngày ký quyết định; bắt buộc khi ban hành"),
        "issuer_unit_id": T("Đơn vị ban hành"),
        "signer": T("Người ký"),
        "year": T("Năm giao", "Năm của các chỉ tiêu, nhiệm vụ được giao (hoặc chọn giai đoạn 5 năm)"),
        "plan_period": T("Giai đoạn", "Giai đoạn 5 năm, ví dụ \"2026-2030\" (thay cho năm giao)"),
        "adjusts_decision_id": T("Điều chỉnh quyết định", "Quyết định đã ban hành mà quyết định này điều chỉnh"),
        "document_id": T("Văn bản ký số", "Mã văn bản PDF đã ký số (dịch vụ văn bản)"),
        "effective_from": T("Hiệu lực từ ngày", "Ngày các nội dung giao có hiệu lực; trống = ngày ký"),
        "front_unit_ids": T("Ủy ban MTTQ giám sát", "Ủy ban MTTQ cùng cấp được xem và giám sát các nội dung giao"),
        "status": T("Trạng thái"),
        "issued_at": T("Thời điểm ban hành"),
        "revoke_reason": T("Lý do thu hồi"),
        "assignments": T("Nội dung giao"),
    }),
    "Assignment": M("Một nội dung giao cho một đơn vị.", {
        "decision_id": T("Quyết định"),
        "kind": T("Loại nội dung giao"),
        "assignee_unit_id": T("Đơn vị nhận"),
        "role": T("Vai trò", "Chủ trì hoặc phối hợp"),
        "assigner_unit_id": T("Đơn vị giao"),
        "target": T("Chỉ tiêu"),
        "task": T("Nhiệm vụ trọng tâm"),
        "plan": T("Kế hoạch chuyên đề"),
        "criteria": T("Bộ tiêu chí đánh giá", "Bộ tiêu chí đơn vị sẽ được đánh giá theo"),
        "front_unit_ids": T("Ủy ban MTTQ giám sát"),
        "status": T("Trạng thái"),
        "acknowledgement": T("Xác nhận đã nhận"),
        "effective_from": T("Hiệu lực từ ngày"),
        "effective_to": T("Hết hiệu lực từ ngày", "Ngày quyết định sau thay thế (không tính ngày này)"),
        "superseded_by_id": T("Được thay bởi"),
        "decision_number": T("Số quyết định"),
        "issued_on": T("Ngày ký quyết định"),
        "plan_period": T("Giai đoạn"),
    }),
    "IndicatorTarget": M("Chỉ tiêu giao: chỉ số (và chiều), kỳ, giá trị hoặc khoảng.", {
        "key": T("Chỉ số"),
        "period": T("Kỳ"),
        "target_value_max": T("Giá trị tối đa", "Giá trị tối đa (chỉ tiêu dạng khoảng)"),
        "comparison": T("Cách so sánh"),
        "target_text": T("Chỉ tiêu định tính"),
        "unit_of_measure": T("Đơn vị tính", "Đơn vị tính, lấy từ danh mục chỉ số"),
    }),
    "TaskAssignment": M("Giao nhiệm vụ trọng tâm.", {
        "key_task_id": T("Nhiệm vụ trọng tâm"),
        "expected_output": T("Kết quả dự kiến"),
        "coordinating_unit_ids": T("Đơn vị phối hợp"),
        "requirements": T("Yêu cầu"),
        "milestones": T("Các mốc"),
    }),
    "Milestone": M("Mốc trung gian của nhiệm vụ.", {
        "name": T("Tên mốc"),
        "due_date": T("Hạn"),
    }),
    "ThematicPlanAssignment": M("Giao kế hoạch chuyên đề.", {
        "thematic_plan_id": T("Kế hoạch chuyên đề"),
        "responsibilities": T("Trách nhiệm"),
    }),
    "CriteriaSetAssignment": M("Giao bộ tiêu chí đánh giá.", {
        "criteria_set_id": T("Bộ tiêu chí đánh giá"),
    }),
    "Acknowledgement": M("Đơn vị xác nhận đã nhận.", {
        "acknowledged_by": T("Người xác nhận"),
        "acknowledged_at": T("Thời điểm xác nhận"),
    }),
    "CascadeRow": M("Đối chiếu chỉ tiêu giao tiếp với chỉ tiêu đơn vị được giao.", {
        "key": T("Chỉ số"),
        "aggregation": T("Cách đối chiếu", "sum: cộng các chỉ tiêu giao tiếp; compared: so từng chỉ tiêu (tỷ lệ)"),
        "own_target": T("Chỉ tiêu được giao"),
        "sub_total": T("Tổng chỉ tiêu giao tiếp"),
        "sub_targets": T("Chỉ tiêu giao tiếp"),
        "shortfall": T("Còn thiếu"),
        "warning": T("Cảnh báo"),
    }),
    "SubTarget": M(None, {
        "assignee_unit_id": T("Đơn vị nhận"),
    }),
})


# The report's key-task progress and attachments (submission service, ``ktxh.submission.v1``).
CATALOG.update({
    "TaskProgress": M("Tiến độ một nhiệm vụ trọng tâm trong báo cáo kỳ của đơn vị.", {
        "key_task_code": T("Mã nhiệm vụ"),
        "name": T("Nhiệm vụ trọng tâm"),
        "deadline": T("Thời hạn"),
        "status": T("Tình trạng", "Chưa thực hiện, đang thực hiện, đã hoàn thành (100%), chậm tiến độ, dừng"),
        "percent_done": T("Tỷ lệ hoàn thành (%)", "Tỷ lệ hoàn thành, 0–100 (%)"),
        "results": T("Kết quả đạt được"),
        "difficulties": T("Khó khăn, vướng mắc"),
        "proposals": T("Đề xuất, kiến nghị"),
        "office_code": T("Phòng chủ trì", "Mã phòng báo cáo nhiệm vụ (phòng chủ trì); Văn phòng được sửa mọi dòng"),
    }),
    "Attachment": M("Một tài liệu (kho tài liệu) đính kèm báo cáo kỳ.", {
        "file_name": T("Tên tệp"),
        "title": T("Tiêu đề"),
        "added_by": T("Người đính kèm"),
        "added_at": T("Thời điểm đính kèm"),
    }),
    "Submission": M("Báo cáo của một đơn vị cho một kỳ.", {
        "note": T("Thuyết minh chung của báo cáo",
                  "Thuyết minh chung của cả báo cáo (tối đa 4000 ký tự); Văn phòng HĐND và UBND "
                  "hoặc lãnh đạo đơn vị viết khi báo cáo đang nhập liệu hoặc bị trả lại"),
    }),
})


def _term(message: str, name: str) -> tuple[Term | None, Term | None]:
    own = CATALOG.get(message)
    return (own.fields.get(name) if own else None), FIELDS.get(name)


def label(message: str, name: str) -> str | None:
    """The Vietnamese label of ``message.name`` (form field, XLSX header, table column)."""
    own, common = _term(message, name)
    term = own or common
    return term.label if term else None


def description(message: str, name: str) -> str | None:
    """The Vietnamese description of ``message.name`` (REST schema); its label when it has
    no longer description."""
    own, common = _term(message, name)
    for term in (own, common):
        if term and term.description:
            return term.description
    return label(message, name)


def message_doc(message: str) -> str | None:
    own = CATALOG.get(message)
    return own.doc if own else None
