"""Shared pieces of the item wire: enum maps, the request ``Reader`` (collects every bad
field), small values, and what every item message shows (ids, validity, audit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from google.protobuf import timestamp_pb2
from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.common.v1 import types_pb2
from ktxh_platform.domain import FieldViolation, InvalidArgument

from ktxh_catalog.adapters.json_io import to_data
from ktxh_catalog.domain.catalog_items import (
    CompletionLevel,
    LegalDocument,
    ReportMeasure,
    PartialCredit,
    ScoringMethod,
)
from ktxh_catalog.domain.indicators import (
    Frequency,
    Polarity,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
)
from ktxh_catalog.domain.references import RefMaps
from ktxh_catalog.domain.versioning import Version, VersionedItem

VALUE_TYPES = {
    ValueType.NUMBER: pb.VALUE_TYPE_NUMBER, ValueType.INTEGER: pb.VALUE_TYPE_INTEGER,
    ValueType.PERCENT: pb.VALUE_TYPE_PERCENT, ValueType.TEXT: pb.VALUE_TYPE_TEXT,
    ValueType.BOOLEAN: pb.VALUE_TYPE_BOOLEAN, ValueType.MONEY: pb.VALUE_TYPE_MONEY,
}
SPATIAL_AGGREGATIONS = {
    SpatialAggregation.SUM: pb.SPATIAL_AGGREGATION_SUM,
    SpatialAggregation.RATIO: pb.SPATIAL_AGGREGATION_RATIO,
    SpatialAggregation.WEIGHTED_AVERAGE: pb.SPATIAL_AGGREGATION_WEIGHTED_AVERAGE,
    SpatialAggregation.MIN: pb.SPATIAL_AGGREGATION_MIN,
    SpatialAggregation.MAX: pb.SPATIAL_AGGREGATION_MAX,
    SpatialAggregation.NONE: pb.SPATIAL_AGGREGATION_NONE,
    SpatialAggregation.AVERAGE: pb.SPATIAL_AGGREGATION_AVERAGE,
    SpatialAggregation.RECOMPUTE: pb.SPATIAL_AGGREGATION_RECOMPUTE,
}
TIME_AGGREGATIONS = {
    TimeAggregation.FLOW: pb.TIME_AGGREGATION_FLOW,
    TimeAggregation.STOCK: pb.TIME_AGGREGATION_STOCK,
    TimeAggregation.RATE: pb.TIME_AGGREGATION_RATE,
    TimeAggregation.AVERAGE: pb.TIME_AGGREGATION_AVERAGE,
}
POLARITIES = {
    Polarity.HIGHER_IS_BETTER: pb.POLARITY_HIGHER_IS_BETTER,
    Polarity.LOWER_IS_BETTER: pb.POLARITY_LOWER_IS_BETTER, Polarity.NEUTRAL: pb.POLARITY_NEUTRAL,
    Polarity.WITHIN_RANGE: pb.POLARITY_WITHIN_RANGE,
}
FREQUENCIES = {
    Frequency.MONTH: types_pb2.PERIOD_KIND_MONTH, Frequency.QUARTER: types_pb2.PERIOD_KIND_QUARTER,
    Frequency.HALF_YEAR: types_pb2.PERIOD_KIND_HALF_YEAR,
    Frequency.NINE_MONTHS: types_pb2.PERIOD_KIND_NINE_MONTHS,
    Frequency.YEAR: types_pb2.PERIOD_KIND_YEAR,
    Frequency.PLAN_PERIOD: types_pb2.PERIOD_KIND_PLAN_PERIOD,
    Frequency.POINT_IN_TIME: types_pb2.PERIOD_KIND_POINT_IN_TIME,
}
SCORING = {
    ScoringMethod.MANUAL: pb.SCORING_METHOD_MANUAL,
    ScoringMethod.INDICATOR_ACHIEVEMENT: pb.SCORING_METHOD_INDICATOR_ACHIEVEMENT,
    ScoringMethod.TASK_COMPLETION: pb.SCORING_METHOD_TASK_COMPLETION,
    ScoringMethod.TIMELINESS: pb.SCORING_METHOD_TIMELINESS,
}
PARTIAL_CREDIT = {
    PartialCredit.PROPORTIONAL: pb.PARTIAL_CREDIT_PROPORTIONAL,
    PartialCredit.NONE: pb.PARTIAL_CREDIT_NONE,
    PartialCredit.STEPPED: pb.PARTIAL_CREDIT_STEPPED,
}
LEVELS = {
    CompletionLevel.EXCELLENT: types_pb2.COMPLETION_LEVEL_EXCELLENT,
    CompletionLevel.GOOD: types_pb2.COMPLETION_LEVEL_GOOD,
    CompletionLevel.COMPLETED: types_pb2.COMPLETION_LEVEL_COMPLETED,
    CompletionLevel.NOT_COMPLETED: types_pb2.COMPLETION_LEVEL_NOT_COMPLETED,
}
MEASURES = {
    ReportMeasure.TARGET: pb.REPORT_COLUMN_TARGET, ReportMeasure.ACTUAL: pb.REPORT_COLUMN_ACTUAL,
    ReportMeasure.YEAR_TO_DATE: pb.REPORT_COLUMN_YEAR_TO_DATE,
    ReportMeasure.SAME_PERIOD_LAST_YEAR: pb.REPORT_COLUMN_SAME_PERIOD_LAST_YEAR,
    ReportMeasure.ESTIMATE: pb.REPORT_COLUMN_ESTIMATE,
    ReportMeasure.PERCENT_OF_TARGET: pb.REPORT_COLUMN_PERCENT_OF_TARGET,
    ReportMeasure.PERCENT_OF_SAME_PERIOD: pb.REPORT_COLUMN_PERCENT_OF_SAME_PERIOD,
    ReportMeasure.NOTE: pb.REPORT_COLUMN_NOTE,
    ReportMeasure.PERIOD_TARGET: pb.REPORT_COLUMN_PERIOD_TARGET,
}
STAGES = {
    "office_entry": pb.CALENDAR_STAGE_OFFICE_INPUT,
    "consolidation": pb.CALENDAR_STAGE_CONSOLIDATION,
    "approval": pb.CALENDAR_STAGE_APPROVAL,
}
UNIT_KINDS = {
    k: pb.OrgUnitKind.Value(f"ORG_UNIT_KIND_{k.upper()}")
    for k in ("province", "district", "commune", "agency", "office", "front")
}


def _inverse(mapping: dict[Any, int]) -> dict[int, Any]:
    return {v: k for k, v in mapping.items()}


VALUE_TYPES_IN = _inverse(VALUE_TYPES)
SPATIAL_AGGREGATIONS_IN = _inverse(SPATIAL_AGGREGATIONS)
TIME_AGGREGATIONS_IN = _inverse(TIME_AGGREGATIONS)
POLARITIES_IN = _inverse(POLARITIES)
FREQUENCIES_IN = _inverse(FREQUENCIES)
SCORING_IN = _inverse(SCORING)
PARTIAL_CREDIT_IN = _inverse(PARTIAL_CREDIT)
LEVELS_IN = _inverse(LEVELS)
MEASURES_IN = _inverse(MEASURES)
UNIT_KINDS_IN = _inverse(UNIT_KINDS)


def unit_kind_from_pb(value: int) -> str:
    return UNIT_KINDS_IN.get(value, "")


def frequency_from_pb(value: int) -> Frequency | None:
    return FREQUENCIES_IN.get(value)


# ====================================================================== small values


def dec_str(value: Decimal | None) -> str:
    return "" if value is None else str(to_data(value))


def day_str(value: date | None) -> str:
    return value.isoformat() if value else ""


def _ts(value: Any) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


class Reader:
    """Collects every problem of an incoming message (field path, Vietnamese message)."""

    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def add(self, path: str, message: str) -> None:
        self.violations.append(FieldViolation(path, message))

    def dec(self, text: str, path: str) -> Decimal | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.add(path, f"'{text}' không phải là số (dùng dấu chấm thập phân, vd 12.5)")
            return None
        if not value.is_finite():
            self.add(path, f"'{text}' không phải là số hữu hạn")
            return None
        return value

    def day(self, text: str, path: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add(path, f"Ngày '{text}' không tồn tại hoặc sai dạng YYYY-MM-DD")
            return None

    def frequencies(self, values: Iterable[int], path: str) -> tuple[Frequency, ...]:
        out = []
        for value in values:
            freq = FREQUENCIES_IN.get(value)
            if freq is None:
                self.add(path, "Tần suất không hợp lệ (Tháng, Quý, 6 tháng, 9 tháng, Năm, 5 năm, Thời điểm)")
            else:
                out.append(freq)
        return tuple(out)

    def unit_kinds(self, values: Iterable[int], path: str) -> tuple[str, ...]:
        out = []
        for value in values:
            kind = UNIT_KINDS_IN.get(value)
            if kind is None:
                self.add(path, "Loại đơn vị không hợp lệ")
            else:
                out.append(kind)
        return tuple(out)

    def ref(self, refs: RefMaps, kind: str, code: str, id_: str, path: str, id_path: str) -> str:
        if code:
            return code
        if not id_:
            return ""
        found = refs.code_of(kind, id_)
        if not found:
            self.add(id_path, f"Không tìm thấy mục có mã định danh '{id_}'")
        return found

    def legal(self, msg: pb.LegalDocument, present: bool, path: str) -> LegalDocument | None:
        if not present or not (msg.number or msg.issuer or msg.issued_on or msg.title):
            return None
        issued = self.day(msg.issued_on, f"{path}.issued_on")
        if not msg.issued_on:
            self.add(f"{path}.issued_on", "Phải nhập ngày ban hành")
        if issued is None:
            return None
        return LegalDocument(msg.number, issued, msg.issuer, msg.title)

    def done(self) -> None:
        if self.violations:
            raise InvalidArgument(self.violations)


def legal_to_pb(legal: LegalDocument | None) -> pb.LegalDocument | None:
    if legal is None:
        return None
    return pb.LegalDocument(number=legal.number, issued_on=legal.issued_on.isoformat(),
                            issuer=legal.issuer, title=legal.title)


# ====================================================================== views


@dataclass(frozen=True)
class Span:
    valid_from: str
    valid_to: str
    retired: bool


def span(item: VersionedItem[Any], ver: Version[Any]) -> Span:
    """The dates a revision is in force, as the messages show them (``valid_to`` is the last
    day, inclusive). A retirement shows the last definition with the day before retiring."""
    if ver.retired:
        prev = next((v for v in reversed(item.versions[:ver.number - 1]) if not v.retired), None)
        start = prev.effective_from if prev else ver.effective_from
        return Span(start.isoformat(), (ver.effective_from - timedelta(days=1)).isoformat(), True)
    end = ver.effective_to - timedelta(days=1) if ver.effective_to else None
    return Span(ver.effective_from.isoformat(), day_str(end), False)


def audit(item: VersionedItem[Any], upto: int | None = None) -> types_pb2.AuditInfo:
    first = item.versions[0]
    last = item.versions[(upto or len(item.versions)) - 1]
    return types_pb2.AuditInfo(
        created_at=_ts(first.recorded_at), created_by=first.author,
        updated_at=_ts(last.recorded_at), updated_by=last.author,
    )


@dataclass
class Ctx:
    """What every message needs besides the payload."""

    item: VersionedItem[Any]
    ver: Version[Any]
    refs: RefMaps
    province: str
    version: int  # optimistic-concurrency version to show

    def common(self) -> dict[str, Any]:
        s = span(self.item, self.ver)
        return {
            "id": self.item.id, "province_code": self.province, "version": self.version,
            "audit": audit(self.item, self.ver.number if self.version != self.item.version
                           else None),
            "retired": s.retired, "revision": self.ver.number,
        }

    def validity(self) -> dict[str, str]:
        s = span(self.item, self.ver)
        return {"valid_from": s.valid_from, "valid_to": s.valid_to}
