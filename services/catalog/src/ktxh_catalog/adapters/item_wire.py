"""Translation between the catalog domain (versioned items) and protobuf: gRPC messages,
events, and field paths of violations.

References are codes in the domain; the messages carry the codes and, for convenience, the
ids (resolved through ``RefMaps``). Domain field names differ from proto names here and
there (``unit`` -> ``unit_of_measure``, ``members`` -> ``items``...): ``remap_path`` turns
a domain violation path into the path of the message field, so the gateway can name the
form field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from google.protobuf import field_mask_pb2, timestamp_pb2
from google.protobuf.message import Message

from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.common.v1 import types_pb2
from ktxh_catalog.adapters.json_io import to_data
from ktxh_catalog.domain.calendars import (
    Calendar,
    CutoffRule,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
)
from ktxh_catalog.domain.catalog_items import (
    CompletionLevel,
    CompletionThreshold,
    CriteriaSet,
    Criterion,
    EvaluationSubject,
    IndicatorGroup,
    IndicatorSet,
    KeyTask,
    LegalBasis,
    PeriodTarget,
    ReportColumn,
    ReportMeasure,
    ReportRow,
    ReportSection,
    ReportTemplate,
    ScoringMethod,
    SetMember,
    ThematicPlan,
)
from ktxh_catalog.domain.indicators import (
    Dimension,
    DimensionMember,
    Frequency,
    Indicator,
    Polarity,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from ktxh_catalog.domain.periods import Period
from ktxh_catalog.domain.references import RefMaps
from ktxh_catalog.domain.versioning import Version, VersionedItem
from ktxh_platform.domain import Conflict, DomainError, FieldViolation, InvalidArgument

# ====================================================================== enums

VALUE_TYPES = {
    ValueType.NUMBER: pb.VALUE_TYPE_NUMBER, ValueType.INTEGER: pb.VALUE_TYPE_INTEGER,
    ValueType.PERCENT: pb.VALUE_TYPE_PERCENT, ValueType.TEXT: pb.VALUE_TYPE_TEXT,
    ValueType.BOOLEAN: pb.VALUE_TYPE_BOOLEAN, ValueType.MONEY: pb.VALUE_TYPE_MONEY,
}
UNIT_AGGREGATIONS = {
    UnitAggregation.SUM: pb.SPATIAL_AGGREGATION_SUM,
    UnitAggregation.RATIO_OF_SUMS: pb.SPATIAL_AGGREGATION_RATIO,
    UnitAggregation.WEIGHTED_AVERAGE: pb.SPATIAL_AGGREGATION_WEIGHTED_AVERAGE,
    UnitAggregation.MIN: pb.SPATIAL_AGGREGATION_MIN,
    UnitAggregation.MAX: pb.SPATIAL_AGGREGATION_MAX,
    UnitAggregation.NONE: pb.SPATIAL_AGGREGATION_NONE,
    UnitAggregation.AVERAGE: pb.SPATIAL_AGGREGATION_AVERAGE,
    UnitAggregation.RECOMPUTE: pb.SPATIAL_AGGREGATION_RECOMPUTE,
}
TIME_AGGREGATIONS = {
    TimeAggregation.SUM: pb.TIME_AGGREGATION_FLOW, TimeAggregation.LAST: pb.TIME_AGGREGATION_STOCK,
    TimeAggregation.RECOMPUTE: pb.TIME_AGGREGATION_RATE,
    TimeAggregation.AVERAGE: pb.TIME_AGGREGATION_AVERAGE,
}
POLARITIES = {
    Polarity.HIGHER_BETTER: pb.POLARITY_HIGHER_IS_BETTER,
    Polarity.LOWER_BETTER: pb.POLARITY_LOWER_IS_BETTER, Polarity.NEUTRAL: pb.POLARITY_NEUTRAL,
    Polarity.WITHIN_RANGE: pb.POLARITY_WITHIN_RANGE,
}
FREQUENCIES = {
    Frequency.MONTH: types_pb2.PERIOD_KIND_MONTH, Frequency.QUARTER: types_pb2.PERIOD_KIND_QUARTER,
    Frequency.HALF_YEAR: types_pb2.PERIOD_KIND_HALF_YEAR,
    Frequency.NINE_MONTHS: types_pb2.PERIOD_KIND_NINE_MONTHS,
    Frequency.YEAR: types_pb2.PERIOD_KIND_YEAR,
    Frequency.FIVE_YEAR: types_pb2.PERIOD_KIND_PLAN_PERIOD,
    Frequency.POINT_IN_TIME: types_pb2.PERIOD_KIND_POINT_IN_TIME,
}
SCORING = {
    ScoringMethod.MANUAL: pb.SCORING_METHOD_MANUAL,
    ScoringMethod.INDICATOR_ACHIEVEMENT: pb.SCORING_METHOD_INDICATOR_ACHIEVEMENT,
    ScoringMethod.ON_TIME_TASK_COMPLETION: pb.SCORING_METHOD_TASK_COMPLETION,
    ScoringMethod.REPORT_TIMELINESS: pb.SCORING_METHOD_TIMELINESS,
}
LEVELS = {
    CompletionLevel.EXCELLENT: types_pb2.COMPLETION_LEVEL_EXCELLENT,
    CompletionLevel.GOOD: types_pb2.COMPLETION_LEVEL_GOOD,
    CompletionLevel.COMPLETED: types_pb2.COMPLETION_LEVEL_COMPLETED,
    CompletionLevel.NOT_COMPLETED: types_pb2.COMPLETION_LEVEL_NOT_COMPLETED,
}
MEASURES = {
    ReportMeasure.PLAN: pb.REPORT_COLUMN_TARGET, ReportMeasure.ACTUAL: pb.REPORT_COLUMN_ACTUAL,
    ReportMeasure.YEAR_TO_DATE: pb.REPORT_COLUMN_YEAR_TO_DATE,
    ReportMeasure.SAME_PERIOD_LAST_YEAR: pb.REPORT_COLUMN_SAME_PERIOD_LAST_YEAR,
    ReportMeasure.ESTIMATE: pb.REPORT_COLUMN_ESTIMATE,
    ReportMeasure.VS_PLAN_PCT: pb.REPORT_COLUMN_PERCENT_OF_TARGET,
    ReportMeasure.VS_SAME_PERIOD_PCT: pb.REPORT_COLUMN_PERCENT_OF_SAME_PERIOD,
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
UNIT_AGGREGATIONS_IN = _inverse(UNIT_AGGREGATIONS)
TIME_AGGREGATIONS_IN = _inverse(TIME_AGGREGATIONS)
POLARITIES_IN = _inverse(POLARITIES)
FREQUENCIES_IN = _inverse(FREQUENCIES)
SCORING_IN = _inverse(SCORING)
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

    def legal(self, msg: pb.LegalDocument, present: bool, path: str) -> LegalBasis | None:
        if not present or not (msg.number or msg.issuer or msg.issued_on or msg.title):
            return None
        issued = self.day(msg.issued_on, f"{path}.issued_on")
        if not msg.issued_on:
            self.add(f"{path}.issued_on", "Phải nhập ngày ban hành")
        if issued is None:
            return None
        return LegalBasis(msg.number, issued, msg.issuer, msg.title)

    def done(self) -> None:
        if self.violations:
            raise InvalidArgument(self.violations)


def legal_to_pb(legal: LegalBasis | None) -> pb.LegalDocument | None:
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


# ====================================================================== indicators


def indicator_to_pb(p: Indicator, c: Ctx) -> pb.Indicator:
    m = pb.Indicator(
        code=p.code, name=p.name, description=p.description, unit_of_measure=p.unit,
        value_type=VALUE_TYPES[p.value_type], frequencies=[FREQUENCIES[f] for f in p.frequencies],
        spatial_aggregation=UNIT_AGGREGATIONS[p.unit_aggregation],
        time_aggregation=TIME_AGGREGATIONS[p.time_aggregation], polarity=POLARITIES[p.polarity],
        numerator_indicator_id=c.refs.id_of("indicator", p.numerator),
        denominator_indicator_id=c.refs.id_of("indicator", p.denominator),
        weight_indicator_id=c.refs.id_of("indicator", p.weight_indicator),
        scale=dec_str(p.scale), decimal_places=p.decimals or 0, group_code=p.group,
        field=p.sector, formula=p.formula or "", numerator_code=p.numerator or "",
        denominator_code=p.denominator or "", weight_indicator_code=p.weight_indicator or "",
        lower_bound=dec_str(p.lower_bound), upper_bound=dec_str(p.upper_bound),
        dimensions=[
            pb.IndicatorDimension(code=d.code, name=d.name, members=[
                pb.DimensionMember(
                    code=mm.code, name=mm.name, unit_of_measure=mm.unit or "",
                    value_type=VALUE_TYPES[mm.value_type] if mm.value_type else 0,
                    time_aggregation=(TIME_AGGREGATIONS[mm.time_aggregation]
                                      if mm.time_aggregation else 0),
                ) for mm in d.members
            ]) for d in p.dimensions
        ],
        **c.common(), **c.validity(),
    )
    if p.decimals is not None:
        m.decimals = p.decimals
    return m


def indicator_from_pb(m: pb.Indicator, refs: RefMaps) -> Indicator:
    r = Reader()
    value_type = VALUE_TYPES_IN.get(m.value_type, ValueType.NUMBER)
    time_agg = TIME_AGGREGATIONS_IN.get(m.time_aggregation)
    if time_agg is None:
        r.add("time_aggregation", "Phải chọn cách tổng hợp theo thời gian: Cộng dồn (FLOW), Số "
              "cuối kỳ (STOCK), Trung bình (AVERAGE) hoặc Tính lại từ thành phần (RATE)")
    dims = []
    for i, d in enumerate(m.dimensions):
        members = []
        for j, mm in enumerate(d.members):
            member_ta = None
            if mm.time_aggregation:
                member_ta = TIME_AGGREGATIONS_IN.get(mm.time_aggregation)
                if member_ta is None:
                    r.add(f"dimensions[{i}].members[{j}].time_aggregation",
                          "Cách tổng hợp theo thời gian không hợp lệ")
            members.append(DimensionMember(
                mm.code, mm.name, mm.unit_of_measure or None,
                VALUE_TYPES_IN.get(mm.value_type) if mm.value_type else None, member_ta,
            ))
        dims.append(Dimension(d.code, d.name, tuple(members)))
    decimals = m.decimals if m.HasField("decimals") else (m.decimal_places or None)
    ind = Indicator(
        code=m.code.strip(), name=m.name, unit=m.unit_of_measure, value_type=value_type,
        frequencies=r.frequencies(m.frequencies, "frequencies"),
        unit_aggregation=UNIT_AGGREGATIONS_IN.get(m.spatial_aggregation, UnitAggregation.NONE),
        time_aggregation=time_agg or TimeAggregation.SUM,
        polarity=POLARITIES_IN.get(m.polarity, Polarity.HIGHER_BETTER),
        weight_indicator=r.ref(refs, "indicator", m.weight_indicator_code, m.weight_indicator_id,
                               "weight_indicator_code", "weight_indicator_id") or None,
        numerator=r.ref(refs, "indicator", m.numerator_code, m.numerator_indicator_id,
                        "numerator_code", "numerator_indicator_id") or None,
        denominator=r.ref(refs, "indicator", m.denominator_code, m.denominator_indicator_id,
                          "denominator_code", "denominator_indicator_id") or None,
        scale=r.dec(m.scale, "scale"), lower_bound=r.dec(m.lower_bound, "lower_bound"),
        upper_bound=r.dec(m.upper_bound, "upper_bound"), dimensions=tuple(dims),
        formula=m.formula if m.formula.strip() else None, sector=m.field, group=m.group_code,
        decimals=decimals, description=m.description,
    )
    r.done()
    return ind


# ====================================================================== indicator sets


def indicator_set_to_pb(p: IndicatorSet, c: Ctx) -> pb.IndicatorSet:
    group_names = {g.code: g.name for g in p.groups}
    legal = legal_to_pb(p.legal_basis)
    return pb.IndicatorSet(
        code=p.code, name=p.name,
        legal_basis=p.legal_basis.number if p.legal_basis else "",
        issued_on=day_str(p.legal_basis.issued_on) if p.legal_basis else "",
        applies_to_kinds=[UNIT_KINDS[k] for k in p.applies_to if k in UNIT_KINDS],
        items=[
            pb.IndicatorSetItem(
                indicator_id=c.refs.id_of("indicator", mm.indicator_code), ordinal=str(mm.order),
                group_code=mm.group, group_name=group_names.get(mm.group, ""),
                frequencies=[FREQUENCIES[f] for f in mm.frequencies],
                responsible_office=mm.responsible_office, note=mm.note,
                indicator_code=mm.indicator_code,
                responsible_kind=UNIT_KINDS.get(mm.responsible_kind, 0),
                calendar_code=mm.calendar_code,
            ) for mm in p.members
        ],
        calendar_id=c.refs.id_of("calendar", p.calendar_code), legal_document=legal,
        groups=[pb.IndicatorSetGroup(code=g.code, name=g.name, ordinal=g.order) for g in p.groups],
        calendar_code=p.calendar_code, consolidating_office=p.consolidating_office,
        description=p.description, **c.common(), **c.validity(),
    )


def indicator_set_from_pb(m: pb.IndicatorSet, refs: RefMaps) -> IndicatorSet:
    r = Reader()
    members = []
    for i, it in enumerate(m.items):
        p = f"items[{i}]"
        order = 0
        if it.ordinal.strip():
            try:
                order = int(it.ordinal.strip())
            except ValueError:
                r.add(f"{p}.ordinal", f"Số thứ tự '{it.ordinal}' phải là số nguyên dương")
        kind = UNIT_KINDS_IN.get(it.responsible_kind, "office") if it.responsible_kind else "office"
        members.append(SetMember(
            indicator_code=r.ref(refs, "indicator", it.indicator_code, it.indicator_id,
                                 f"{p}.indicator_code", f"{p}.indicator_id"),
            frequencies=r.frequencies(it.frequencies, f"{p}.frequencies"),
            responsible_office=it.responsible_office, responsible_kind=kind,
            calendar_code=it.calendar_code, group=it.group_code, order=order, note=it.note,
        ))
    iset = IndicatorSet(
        code=m.code.strip(), name=m.name,
        legal_basis=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        applies_to=r.unit_kinds(m.applies_to_kinds, "applies_to_kinds"), members=tuple(members),
        groups=tuple(IndicatorGroup(g.code, g.name, g.ordinal) for g in m.groups),
        calendar_code=r.ref(refs, "calendar", m.calendar_code, m.calendar_id, "calendar_code",
                            "calendar_id"),
        consolidating_office=m.consolidating_office, description=m.description,
    )
    r.done()
    return iset


# ====================================================================== key tasks, plans


def key_task_to_pb(p: KeyTask, c: Ctx) -> pb.KeyTask:
    return pb.KeyTask(
        code=p.code, title=p.title, description=p.description, year=p.year, field=p.sector,
        deadline=day_str(p.due_date),
        indicator_ids=[c.refs.id_of("indicator", x) for x in p.indicator_codes],
        legal_basis=p.legal_basis.citation if p.legal_basis else "",
        lead_office=p.lead_office, coordinating_offices=list(p.coordinating_offices),
        indicator_codes=list(p.indicator_codes), legal_document=legal_to_pb(p.legal_basis),
        **c.common(), **c.validity(),
    )


def key_task_from_pb(m: pb.KeyTask, refs: RefMaps) -> KeyTask:
    r = Reader()
    codes = list(m.indicator_codes) or [
        r.ref(refs, "indicator", "", x, "indicator_codes", f"indicator_ids[{i}]")
        for i, x in enumerate(m.indicator_ids)
    ]
    task = KeyTask(
        code=m.code.strip(), title=m.title, year=m.year, due_date=r.day(m.deadline, "deadline"),
        lead_office=m.lead_office, coordinating_offices=tuple(m.coordinating_offices),
        sector=m.field, indicator_codes=tuple(codes),
        legal_basis=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        description=m.description,
    )
    r.done()
    return task


def thematic_plan_to_pb(p: ThematicPlan, c: Ctx) -> pb.ThematicPlan:
    return pb.ThematicPlan(
        code=p.code, name=p.name, description=p.description, start_year=p.start.year,
        end_year=p.end.year, key_task_ids=[c.refs.id_of("key_task", x) for x in p.task_codes],
        indicator_ids=[c.refs.id_of("indicator", x) for x in p.indicator_codes],
        legal_basis=p.legal_basis.citation if p.legal_basis else "",
        start_date=p.start.isoformat(), end_date=p.end.isoformat(), issuer=p.issuer,
        key_task_codes=list(p.task_codes), indicator_codes=list(p.indicator_codes),
        indicator_set_code=p.indicator_set_code,
        indicator_set_id=c.refs.id_of("indicator_set", p.indicator_set_code), field=p.sector,
        legal_document=legal_to_pb(p.legal_basis), **c.common(), **c.validity(),
    )


def thematic_plan_from_pb(m: pb.ThematicPlan, refs: RefMaps) -> ThematicPlan:
    r = Reader()
    start = r.day(m.start_date, "start_date")
    end = r.day(m.end_date, "end_date")
    if not m.start_date:
        r.add("start_date", "Phải nhập ngày bắt đầu")
    if not m.end_date:
        r.add("end_date", "Phải nhập ngày kết thúc")
    tasks = list(m.key_task_codes) or [
        r.ref(refs, "key_task", "", x, "key_task_codes", f"key_task_ids[{i}]")
        for i, x in enumerate(m.key_task_ids)
    ]
    inds = list(m.indicator_codes) or [
        r.ref(refs, "indicator", "", x, "indicator_codes", f"indicator_ids[{i}]")
        for i, x in enumerate(m.indicator_ids)
    ]
    legal = r.legal(m.legal_document, m.HasField("legal_document"), "legal_document")
    set_code = r.ref(refs, "indicator_set", m.indicator_set_code, m.indicator_set_id,
                     "indicator_set_code", "indicator_set_id")
    r.done()
    assert start is not None and end is not None
    return ThematicPlan(
        code=m.code.strip(), name=m.name, start=start, end=end, legal_basis=legal,
        issuer=m.issuer, task_codes=tuple(tasks), indicator_set_code=set_code,
        indicator_codes=tuple(inds), sector=m.field, description=m.description,
    )


# ====================================================================== criteria


def criteria_set_to_pb(p: CriteriaSet, c: Ctx) -> pb.CriteriaSet:
    return pb.CriteriaSet(
        code=p.code, name=p.name, year=p.year or 0, applies_to_kinds=[UNIT_KINDS[p.subject.value]],
        criteria=[
            pb.Criterion(
                code=x.code, name=x.name, guidance=x.guidance, max_score=dec_str(x.max_score),
                scoring_method=SCORING[x.method],
                indicator_id=c.refs.id_of("indicator", x.indicator_codes[0]
                                          if x.indicator_codes else ""),
                ordinal=x.order, indicator_codes=list(x.indicator_codes),
                indicator_set_code=x.indicator_set_code,
            ) for x in p.criteria
        ],
        thresholds=[
            pb.ClassificationThreshold(level=LEVELS[t.level], min_score=dec_str(t.min_score))
            for t in p.thresholds
        ],
        max_total_score=dec_str(p.total_max_score),
        legal_basis=p.legal_basis.citation if p.legal_basis else "",
        legal_document=legal_to_pb(p.legal_basis), description=p.description,
        **c.common(), **c.validity(),
    )


def criteria_set_from_pb(m: pb.CriteriaSet, refs: RefMaps) -> CriteriaSet:
    r = Reader()
    kinds = r.unit_kinds(m.applies_to_kinds, "applies_to_kinds")
    subject = EvaluationSubject.COMMUNE
    if len(kinds) != 1 or kinds[0] not in ("agency", "commune"):
        r.add("applies_to_kinds", "Bộ tiêu chí áp dụng cho đúng một loại đơn vị: cơ quan "
              "(AGENCY) hoặc xã (COMMUNE)")
    else:
        subject = EvaluationSubject(kinds[0])
    criteria = []
    for i, x in enumerate(m.criteria):
        score = r.dec(x.max_score, f"criteria[{i}].max_score")
        if not x.max_score.strip():
            r.add(f"criteria[{i}].max_score", "Phải nhập điểm tối đa")
        codes = list(x.indicator_codes)
        if not codes and x.indicator_id:
            codes = [r.ref(refs, "indicator", "", x.indicator_id, "",
                           f"criteria[{i}].indicator_id")]
        criteria.append(Criterion(
            code=x.code, name=x.name, max_score=score or Decimal(0),
            method=SCORING_IN.get(x.scoring_method, ScoringMethod.MANUAL), order=x.ordinal,
            indicator_set_code=x.indicator_set_code, indicator_codes=tuple(codes),
            guidance=x.guidance,
        ))
    thresholds = []
    for i, t in enumerate(m.thresholds):
        level = LEVELS_IN.get(t.level)
        if level is None:
            r.add(f"thresholds[{i}].level", "Phải chọn mức hoàn thành")
            continue
        thresholds.append(CompletionThreshold(
            level, r.dec(t.min_score, f"thresholds[{i}].min_score") or Decimal(0)))
    cs = CriteriaSet(
        code=m.code.strip(), name=m.name, subject=subject, criteria=tuple(criteria),
        thresholds=tuple(thresholds), year=m.year or None,
        legal_basis=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        description=m.description,
    )
    r.done()
    return cs


# ====================================================================== period targets


def period_target_to_pb(p: PeriodTarget, c: Ctx) -> pb.PeriodTarget:
    is_range = p.target_low is not None or p.target_high is not None
    return pb.PeriodTarget(
        indicator_id=c.refs.id_of("indicator", p.indicator_code),
        org_unit_id=c.refs.unit_id(p.org_unit_code), start_year=p.start_year,
        end_year=p.end_year,
        target_value=dec_str(p.target_low if is_range else p.target_value),
        target_value_max=dec_str(p.target_high) if is_range else "",
        comparison=types_pb2.TARGET_COMPARISON_RANGE if is_range else 0,
        legal_basis=p.legal_basis.citation if p.legal_basis else "", note=p.note,
        code=p.code, indicator_code=p.indicator_code, org_unit_code=p.org_unit_code,
        target_low=dec_str(p.target_low), target_high=dec_str(p.target_high),
        target_text=p.target_text, legal_document=legal_to_pb(p.legal_basis),
        **c.common(), **c.validity(),
    )


def period_target_from_pb(m: pb.PeriodTarget, refs: RefMaps) -> PeriodTarget:
    r = Reader()
    low, high = m.target_low, m.target_high
    value = m.target_value
    if not (low or high) and m.comparison == types_pb2.TARGET_COMPARISON_RANGE:
        low, high, value = m.target_value, m.target_value_max, ""
    unit_code = m.org_unit_code
    if not unit_code and m.org_unit_id:
        unit_code = refs.unit_codes.get(m.org_unit_id, "")
        if not unit_code:
            r.add("org_unit_id", f"Không tìm thấy đơn vị '{m.org_unit_id}'")
    target = PeriodTarget(
        code=m.code.strip(),
        indicator_code=r.ref(refs, "indicator", m.indicator_code, m.indicator_id,
                             "indicator_code", "indicator_id"),
        start_year=m.start_year, end_year=m.end_year,
        target_value=r.dec(value, "target_value"), target_low=r.dec(low, "target_low"),
        target_high=r.dec(high, "target_high"), target_text=m.target_text,
        org_unit_code=unit_code,
        legal_basis=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        note=m.note,
    )
    r.done()
    return target


# ====================================================================== report templates


def report_template_to_pb(p: ReportTemplate, c: Ctx) -> pb.ReportTemplate:
    return pb.ReportTemplate(
        code=p.code, name=p.name, period_kinds=[FREQUENCIES[p.frequency]],
        indicator_set_id=c.refs.id_of("indicator_set", p.indicator_set_code),
        sections=[
            pb.ReportSection(
                code=s.code, title=s.title, ordinal=s.order,
                indicator_ids=list(dict.fromkeys(
                    c.refs.id_of("indicator", row.indicator_code) for row in s.rows
                    if row.indicator_code)),
                rows=[
                    pb.ReportRow(
                        ordinal=row.order, indicator_code=row.indicator_code, label=row.label,
                        selector=[pb.DimensionSelector(dimension_code=d, member_code=mm)
                                  for d, mm in row.selector],
                        indent=row.indent,
                        indicator_id=c.refs.id_of("indicator", row.indicator_code),
                    ) for row in s.rows
                ],
            ) for s in p.sections
        ],
        columns=[MEASURES[col.measure] for col in p.columns],
        indicator_set_code=p.indicator_set_code,
        column_specs=[pb.ReportTemplateColumn(code=col.code, title=col.title,
                                              measure=MEASURES[col.measure])
                      for col in p.columns],
        description=p.description, **c.common(), **c.validity(),
    )


def report_template_from_pb(m: pb.ReportTemplate, refs: RefMaps) -> ReportTemplate:
    r = Reader()
    freqs = r.frequencies(m.period_kinds, "period_kinds")
    if len(m.period_kinds) != 1:
        r.add("period_kinds", "Khung báo cáo dùng cho đúng một loại kỳ báo cáo")
    columns = []
    if m.column_specs:
        for i, col in enumerate(m.column_specs):
            measure = MEASURES_IN.get(col.measure)
            if measure is None:
                r.add(f"column_specs[{i}].measure", "Phải chọn nội dung của cột")
                continue
            columns.append(ReportColumn(col.code, col.title or measure.label, measure))
    else:
        for i, value in enumerate(m.columns):
            measure = MEASURES_IN.get(value)
            if measure is None:
                r.add(f"columns[{i}]", "Cột không hợp lệ")
                continue
            columns.append(ReportColumn(measure.value, measure.label, measure))
    sections = []
    for i, s in enumerate(m.sections):
        rows = [
            ReportRow(order=row.ordinal, indicator_code=row.indicator_code, label=row.label,
                      selector=tuple((x.dimension_code, x.member_code) for x in row.selector),
                      indent=row.indent)
            for row in s.rows
        ]
        if not rows and s.indicator_ids:
            rows = [
                ReportRow(order=j + 1, indicator_code=r.ref(
                    refs, "indicator", "", x, "", f"sections[{i}].indicator_ids[{j}]"))
                for j, x in enumerate(s.indicator_ids)
            ]
        sections.append(ReportSection(s.code, s.title, s.ordinal, tuple(rows)))
    template = ReportTemplate(
        code=m.code.strip(), name=m.name, frequency=freqs[0] if freqs else Frequency.YEAR,
        sections=tuple(sections), columns=tuple(columns),
        indicator_set_code=r.ref(refs, "indicator_set", m.indicator_set_code, m.indicator_set_id,
                                 "indicator_set_code", "indicator_set_id"),
        description=m.description,
    )
    r.done()
    return template


# ====================================================================== calendars


@dataclass
class CalendarPaths:
    """Which proto rule each domain deadline / cut-off rule came from."""

    deadline_rule: dict[int, int] = field(default_factory=dict)
    cutoff_rule: dict[int, int] = field(default_factory=dict)


def calendar_to_pb(p: Calendar, c: Ctx) -> pb.Calendar:
    rules = []
    cutoffs = {x.frequency: x for x in p.cutoff_rules}
    used = set()
    for d in p.deadline_rules:
        rule = pb.DeadlineRule(
            period_kind=FREQUENCIES[d.frequency],
            due=pb.RelativeDate(month_offset=d.month_offset, day=d.day), before=d.before,
            description=d.description,
        )
        cut = cutoffs.get(d.frequency)
        if cut is not None:
            used.add(d.frequency)
            _cutoff_to_pb(cut, rule)
        rules.append(rule)
    for cut in p.cutoff_rules:
        if cut.frequency not in used:
            rule = pb.DeadlineRule(period_kind=FREQUENCIES[cut.frequency])
            _cutoff_to_pb(cut, rule)
            rules.append(rule)
    return pb.Calendar(
        code=p.code, name=p.name, rules=rules, legal_basis=p.legal_basis,
        lead_times=[pb.CalendarLeadTime(step=x.step, name=x.name, days_before=x.days_before,
                                        responsible=x.responsible) for x in p.lead_times],
        overrides=[pb.DeadlineOverride(period_code=o.period, due_date=o.deadline.isoformat(),
                                       reason=o.reason) for o in p.overrides],
        description=p.description, **c.common(), **c.validity(),
    )


def _cutoff_to_pb(cut: CutoffRule, rule: pb.DeadlineRule) -> None:
    rule.cutoff_start.CopyFrom(pb.RelativeDate(month_offset=cut.start_month_offset,
                                               day=cut.start_day))
    rule.cutoff_end.CopyFrom(pb.RelativeDate(month_offset=cut.end_month_offset, day=cut.end_day))
    rule.cutoff_description = cut.description


def calendar_from_pb(m: pb.Calendar, refs: RefMaps, paths: CalendarPaths | None = None) -> Calendar:
    r = Reader()
    paths = paths if paths is not None else CalendarPaths()
    deadlines: list[DeadlineRule] = []
    cutoffs: list[CutoffRule] = []
    for i, rule in enumerate(m.rules):
        p = f"rules[{i}]"
        freq = FREQUENCIES_IN.get(rule.period_kind)
        if freq is None:
            r.add(f"{p}.period_kind", "Loại kỳ báo cáo không hợp lệ")
            continue
        if rule.HasField("due"):
            paths.deadline_rule[len(deadlines)] = i
            deadlines.append(DeadlineRule(freq, rule.due.day, rule.due.month_offset, rule.before,
                                          rule.description))
        has_start, has_end = rule.HasField("cutoff_start"), rule.HasField("cutoff_end")
        if has_start != has_end:
            r.add(f"{p}.cutoff_end" if has_start else f"{p}.cutoff_start",
                  "Thời gian chốt số liệu phải có cả ngày bắt đầu và ngày kết thúc")
        elif has_start:
            paths.cutoff_rule[len(cutoffs)] = i
            cutoffs.append(CutoffRule(freq, rule.cutoff_start.day, rule.cutoff_start.month_offset,
                                      rule.cutoff_end.day, rule.cutoff_end.month_offset,
                                      rule.cutoff_description))
        if not rule.HasField("due") and not has_start:
            r.add(f"{p}.due", "Phải nhập hạn báo cáo")
    overrides = []
    for i, o in enumerate(m.overrides):
        due = r.day(o.due_date, f"overrides[{i}].due_date")
        if not o.due_date:
            r.add(f"overrides[{i}].due_date", "Phải nhập hạn điều chỉnh")
        if due is not None:
            overrides.append(DeadlineOverride(o.period_code, due, o.reason))
    cal = Calendar(
        code=m.code.strip(), name=m.name, deadline_rules=tuple(deadlines),
        cutoff_rules=tuple(cutoffs),
        lead_times=tuple(LeadTime(x.step, x.name, x.days_before, x.responsible)
                         for x in m.lead_times),
        overrides=tuple(overrides), legal_basis=m.legal_basis, description=m.description,
    )
    r.done()
    return cal


# ====================================================================== dispatch

KINDS: dict[str, tuple[str, str]] = {  # kind -> (message prefix, message field)
    "indicator": ("Indicator", "indicator"),
    "indicator_set": ("IndicatorSet", "indicator_set"),
    "key_task": ("KeyTask", "key_task"),
    "thematic_plan": ("ThematicPlan", "thematic_plan"),
    "criteria_set": ("CriteriaSet", "criteria_set"),
    "period_target": ("PeriodTarget", "period_target"),
    "report_template": ("ReportTemplate", "report_template"),
    "calendar": ("Calendar", "calendar"),
}
TO_PB: dict[str, Callable[[Any, Ctx], Message]] = {
    "indicator": indicator_to_pb, "indicator_set": indicator_set_to_pb,
    "key_task": key_task_to_pb, "thematic_plan": thematic_plan_to_pb,
    "criteria_set": criteria_set_to_pb, "period_target": period_target_to_pb,
    "report_template": report_template_to_pb, "calendar": calendar_to_pb,
}
FROM_PB: dict[str, Callable[..., Any]] = {
    "indicator": indicator_from_pb, "indicator_set": indicator_set_from_pb,
    "key_task": key_task_from_pb, "thematic_plan": thematic_plan_from_pb,
    "criteria_set": criteria_set_from_pb, "period_target": period_target_from_pb,
    "report_template": report_template_from_pb, "calendar": calendar_from_pb,
}


def item_to_pb(kind: str, item: VersionedItem[Any], ver: Version[Any], refs: RefMaps,
               province: str, version: int | None = None) -> Message:
    ctx = Ctx(item, ver, refs, province, version if version is not None else item.version)
    return TO_PB[kind](ver.payload, ctx)


def item_from_pb(kind: str, message: Message, refs: RefMaps,
                 paths: CalendarPaths | None = None) -> Any:
    if kind == "calendar":
        return calendar_from_pb(message, refs, paths)  # type: ignore[arg-type]
    return FROM_PB[kind](message, refs)


# ====================================================================== requests

# Fields that only echo what the server resolves from codes; ignored on update (send codes).
_ECHO_FIELDS: dict[str, tuple[str, ...]] = {
    "indicator": ("numerator_indicator_id", "denominator_indicator_id", "weight_indicator_id"),
    "indicator_set": ("calendar_id",),
    "key_task": ("indicator_ids",),
    "thematic_plan": ("key_task_ids", "indicator_ids", "indicator_set_id"),
    "period_target": ("indicator_id", "org_unit_id"),
    "report_template": ("indicator_set_id", "columns"),
}


def _strip_echoes(kind: str, message: Message) -> None:
    for name in _ECHO_FIELDS.get(kind, ()):
        message.ClearField(name)
    if kind == "indicator_set":
        for item in message.items:  # type: ignore[attr-defined]
            item.ClearField("indicator_id")
    elif kind == "criteria_set":
        for c in message.criteria:  # type: ignore[attr-defined]
            c.ClearField("indicator_id")
    elif kind == "report_template":
        for s in message.sections:  # type: ignore[attr-defined]
            s.ClearField("indicator_ids")
            for row in s.rows:
                row.ClearField("indicator_id")


@dataclass
class MessageDefinition:
    """An item's definition as a Create/Update request carries it (``service_layer.items.
    Definition``). For an update, the fields named by ``update_mask`` replace those of the
    latest revision (all fields when it is empty); ids that only echo codes are ignored."""

    kind: str
    message: Message
    update_mask: field_mask_pb2.FieldMask | None = None
    paths: CalendarPaths = field(default_factory=CalendarPaths)

    def decode(self, refs: RefMaps, current: Any) -> Any:
        merged = type(self.message)()
        if current is not None and self.update_mask is not None and self.update_mask.paths:
            if not self.update_mask.IsValidForDescriptor(self.message.DESCRIPTOR):
                raise InvalidArgument.single("update_mask", "Danh sách trường cần sửa không hợp lệ")
            merged.CopyFrom(item_to_pb(self.kind, current.item, current.ver, refs, ""))
            _strip_echoes(self.kind, merged)
            self.update_mask.MergeMessage(self.message, merged, replace_message_field=True,
                                          replace_repeated_field=True)
        else:
            merged.CopyFrom(self.message)
            if current is not None:
                _strip_echoes(self.kind, merged)
        if current is not None and not merged.code:  # type: ignore[attr-defined]
            merged.code = current.item.code  # type: ignore[attr-defined]
        return item_from_pb(self.kind, merged, refs, self.paths)


# ====================================================================== violation paths

_SEGMENT = re.compile(r"^([A-Za-z_]+)(?:\[([^\]]*)\])?$")
# (kind, parent domain name, domain name) -> proto name; parent "" = top level
_NAMES: dict[tuple[str, str, str], str] = {
    ("indicator", "", "unit"): "unit_of_measure",
    ("indicator", "", "unit_aggregation"): "spatial_aggregation",
    ("indicator", "", "numerator"): "numerator_code",
    ("indicator", "", "denominator"): "denominator_code",
    ("indicator", "", "weight_indicator"): "weight_indicator_code",
    ("indicator", "", "group"): "group_code",
    ("indicator", "", "sector"): "field",
    ("indicator", "members", "unit"): "unit_of_measure",
    ("indicator_set", "", "members"): "items",
    ("indicator_set", "", "applies_to"): "applies_to_kinds",
    ("indicator_set", "", "legal_basis"): "legal_document",
    ("indicator_set", "members", "group"): "group_code",
    ("indicator_set", "members", "order"): "ordinal",
    ("key_task", "", "due_date"): "deadline",
    ("key_task", "", "sector"): "field",
    ("key_task", "", "legal_basis"): "legal_document",
    ("thematic_plan", "", "start"): "start_date",
    ("thematic_plan", "", "end"): "end_date",
    ("thematic_plan", "", "task_codes"): "key_task_codes",
    ("thematic_plan", "", "sector"): "field",
    ("thematic_plan", "", "legal_basis"): "legal_document",
    ("criteria_set", "", "subject"): "applies_to_kinds",
    ("criteria_set", "", "legal_basis"): "legal_document",
    ("criteria_set", "criteria", "order"): "ordinal",
    ("criteria_set", "criteria", "method"): "scoring_method",
    ("period_target", "", "legal_basis"): "legal_document",
    ("report_template", "", "frequency"): "period_kinds",
    ("report_template", "", "columns"): "column_specs",
    ("report_template", "sections", "order"): "ordinal",
    ("report_template", "rows", "order"): "ordinal",
    ("calendar", "", "deadline_rules"): "rules",
    ("calendar", "", "cutoff_rules"): "rules",
    ("calendar", "deadline_rules", "frequency"): "period_kind",
    ("calendar", "deadline_rules", "day"): "due.day",
    ("calendar", "deadline_rules", "month_offset"): "due.month_offset",
    ("calendar", "cutoff_rules", "frequency"): "period_kind",
    ("calendar", "cutoff_rules", "start_day"): "cutoff_start.day",
    ("calendar", "cutoff_rules", "start_month_offset"): "cutoff_start.month_offset",
    ("calendar", "cutoff_rules", "end_day"): "cutoff_end.day",
    ("calendar", "cutoff_rules", "end_month_offset"): "cutoff_end.month_offset",
    ("calendar", "overrides", "period"): "period_code",
    ("calendar", "overrides", "deadline"): "due_date",
}
_COLLECTION_PATH = re.compile(  # a path naming another catalog item
    r"^(indicators|indicator_sets|calendars|key_tasks|thematic_plans|criteria_sets"
    r"|period_targets|report_templates)\[[^\]]+\]"
)


def remap_path(kind: str, path: str, paths: CalendarPaths | None = None) -> str:
    """A domain violation path (``members[3].group``) as the path of the message field
    (``items[3].group_code``). Paths naming another catalog item
    (``indicator_sets[HP2081].members[2].frequencies``) are left as they are."""
    if not path or _COLLECTION_PATH.match(path):
        return path
    out = []
    parent = ""
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        if not m:
            out.append(seg)
            parent = seg
            continue
        name, index = m.group(1), m.group(2)
        new = _NAMES.get((kind, parent, name), name)
        if index is not None and kind == "calendar" and paths is not None and index.isdigit():
            if name == "deadline_rules":
                index = str(paths.deadline_rule.get(int(index), int(index)))
            elif name == "cutoff_rules":
                index = str(paths.cutoff_rule.get(int(index), int(index)))
        out.append(f"{new}[{index}]" if index is not None else new)
        parent = name
    return ".".join(out)


def remap_violations(kind: str, violations: Iterable[FieldViolation],
                     paths: CalendarPaths | None = None) -> list[FieldViolation]:
    return [FieldViolation(remap_path(kind, v.field, paths), v.message) for v in violations]


@contextmanager
def message_paths(kind: str, paths: CalendarPaths | None = None) -> Iterator[None]:
    """Re-raise domain errors with the message's field paths."""
    try:
        yield
    except InvalidArgument as err:
        raise InvalidArgument(remap_violations(kind, err.violations, paths), err.message) from err
    except Conflict as err:
        raise Conflict(err.message, remap_violations(kind, err.violations, paths)) from err
    except DomainError:
        raise


# ====================================================================== periods


def period_from_pb(m: types_pb2.Period) -> Period:
    r = Reader()
    if m.code and not m.kind:
        return Period.parse(m.code)
    kind = m.kind
    if kind == types_pb2.PERIOD_KIND_MONTH:
        return Period.month(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_QUARTER:
        return Period.quarter(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_HALF_YEAR:
        return Period.half_year(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_NINE_MONTHS:
        return Period.nine_months(m.year)
    if kind == types_pb2.PERIOD_KIND_YEAR:
        return Period.of_year(m.year)
    if kind == types_pb2.PERIOD_KIND_PLAN_PERIOD:
        return Period.five_year(m.year)
    if kind == types_pb2.PERIOD_KIND_POINT_IN_TIME:
        on = r.day(m.as_of, "period.as_of")
        r.done()
        if on is None:
            raise InvalidArgument.single("period.as_of", "Kỳ thời điểm phải có ngày")
        return Period.point_in_time(on)
    raise InvalidArgument.single("period.kind", "Loại kỳ báo cáo không hợp lệ hoặc chưa hỗ trợ "
                                 "(Tháng, Quý, 6 tháng, 9 tháng, Năm, Giai đoạn, Thời điểm)")


def period_to_pb(p: Period) -> types_pb2.Period:
    m = types_pb2.Period(kind=FREQUENCIES[p.frequency], year=p.year, code=p.code)
    if p.frequency in (Frequency.MONTH, Frequency.QUARTER, Frequency.HALF_YEAR):
        m.number = p.number
    if p.frequency is Frequency.FIVE_YEAR:
        m.end_year = p.year + 4
    if p.on is not None:
        m.as_of = p.on.isoformat()
        m.year = 0
    return m
