"""The eight catalogs as REST resources: their paths, proto messages, rpcs and names.

``READ_ONLY`` follows the comments of ``catalog.proto``: fields the service computes ("Output
only", ids resolved from codes) appear in responses only. Every other field of the proto is
stored (a test checks that no field is documented as "Not stored"/"Not used").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from ktxh.catalog.v1 import catalog_pb2

# Fields of every catalog item that the service sets.
COMMON_READ_ONLY = frozenset({"id", "version", "audit", "province_code", "valid_to", "retired", "revision"})

# Fields left out of the REST API: the legacy integer twin of ``Indicator.decimals``.
HIDDEN: dict[str, frozenset[str]] = {
    "Indicator": frozenset({"decimal_places"}),
}

READ_ONLY: dict[str, frozenset[str]] = {
    "Indicator": frozenset({"numerator_indicator_id", "denominator_indicator_id", "weight_indicator_id"}),
    "IndicatorSetItem": frozenset({"indicator_id", "group_name"}),
    "IndicatorSet": frozenset({"legal_basis", "issued_on", "calendar_id"}),
    "KeyTask": frozenset({"indicator_ids", "legal_basis"}),
    "ThematicPlan": frozenset({"start_year", "end_year", "key_task_ids", "indicator_ids", "legal_basis",
                               "indicator_set_id"}),
    "Criterion": frozenset({"indicator_id"}),
    "CriteriaSet": frozenset({"max_total_score", "legal_basis"}),
    "PeriodTarget": frozenset({"indicator_id", "org_unit_id", "comparison", "target_value_max",
                               "legal_basis"}),
    "ReportRow": frozenset({"indicator_id"}),
    "ReportSection": frozenset({"indicator_ids"}),
    "ReportTemplate": frozenset({"indicator_set_id", "columns"}),
    # The assignment service's messages (ktxh_gateway.assignments), output-only fields.
    "Decision": frozenset({"status", "issued_at", "revoke_reason"}),
    "Assignment": frozenset({"decision_id", "status", "acknowledgement", "assigner_unit_id", "year",
                             "effective_from", "effective_to", "superseded_by_id", "decision_number",
                             "issued_on", "plan_period"}),
    "IndicatorTarget": frozenset({"unit_of_measure"}),
    "Period": frozenset({"code"}),
}

def hidden(message: str) -> frozenset[str]:
    return HIDDEN.get(message, frozenset())


def read_only(message: str, *, top_level: bool) -> frozenset[str]:
    extra = COMMON_READ_ONLY if top_level else frozenset()
    return READ_ONLY.get(message, frozenset()) | extra


@dataclass(frozen=True)
class Resource:
    """One catalog: ``/api/v1/<path>`` over ``Create<rpc>``, ``Get<rpc>``, ``Update<rpc>``,
    ``List<plural>``, ``Retire<rpc>``."""

    path: str  # URL segment, e.g. "indicators"
    kind: str  # aggregate type in the history, e.g. "indicator"
    rpc: str  # e.g. "Indicator"
    plural: str  # e.g. "Indicators"
    message: type[Message]
    noun: str  # Vietnamese, lower case: "chỉ số"
    tag: str  # OpenAPI tag
    name_field: str = "name"
    # REST query parameter -> List request field, besides the generic ones
    aliases: dict[str, str] = field(default_factory=dict)
    examples: dict[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> str:  # the request field holding the item, e.g. "indicator"
        return self.kind

    @property
    def list_field(self) -> str:  # the response field holding the page, e.g. "indicators"
        return self.plural_snake

    @property
    def plural_snake(self) -> str:
        import re

        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.plural).lower()

    def request(self, verb: str) -> type[Message]:
        name = f"{verb}{self.plural if verb == 'List' else self.rpc}Request"
        return getattr(catalog_pb2, name)


RESOURCES: list[Resource] = [
    Resource(
        "indicators", "indicator", "Indicator", "Indicators", catalog_pb2.Indicator, "chỉ số",
        "Chỉ số (indicators)",
        aliases={"group": "group_code", "set": "indicator_set_id", "sector": "field"},
        examples={
            "code": "HP2081.TEST.01", "name": "Tỷ lệ hộ dân dùng nước sạch", "unit_of_measure": "%",
            "value_type": "percent", "frequencies": ["year"], "spatial_aggregation": "ratio",
            "time_aggregation": "rate", "polarity": "higher_is_better",
            "numerator_code": "HP2081.TP.HO_NUOC_SACH", "denominator_code": "HP2081.TP.TONG_SO_HO",
            "scale": "100", "group_code": "XIII", "field": "Xã hội", "valid_from": "2026-07-01",
        },
    ),
    Resource(
        "indicator-sets", "indicator_set", "IndicatorSet", "IndicatorSets", catalog_pb2.IndicatorSet,
        "bộ chỉ số", "Bộ chỉ số (indicator sets)",
    ),
    Resource(
        "key-tasks", "key_task", "KeyTask", "KeyTasks", catalog_pb2.KeyTask, "nhiệm vụ trọng tâm",
        "Nhiệm vụ trọng tâm (key tasks)", name_field="title", aliases={"plan": "thematic_plan_id"},
    ),
    Resource(
        "thematic-plans", "thematic_plan", "ThematicPlan", "ThematicPlans", catalog_pb2.ThematicPlan,
        "kế hoạch chuyên đề", "Kế hoạch chuyên đề (thematic plans)",
    ),
    Resource(
        "criteria-sets", "criteria_set", "CriteriaSet", "CriteriaSets", catalog_pb2.CriteriaSet,
        "bộ tiêu chí đánh giá", "Tiêu chí đánh giá (criteria sets)",
    ),
    Resource(
        "period-targets", "period_target", "PeriodTarget", "PeriodTargets", catalog_pb2.PeriodTarget,
        "chỉ tiêu giai đoạn 5 năm", "Chỉ tiêu giai đoạn 5 năm (period targets)",
        aliases={"indicator": "indicator_id"},
    ),
    Resource(
        "report-templates", "report_template", "ReportTemplate", "ReportTemplates",
        catalog_pb2.ReportTemplate, "mẫu báo cáo", "Mẫu báo cáo (report templates)",
        aliases={"set": "indicator_set_id"},
    ),
    Resource(
        "calendars", "calendar", "Calendar", "Calendars", catalog_pb2.Calendar, "lịch báo cáo",
        "Lịch báo cáo (calendars)",
    ),
]

BY_PATH = {r.path: r for r in RESOURCES}
