"""Key tasks, thematic plans, criteria sets and period targets <-> protobuf."""

from __future__ import annotations

from decimal import Decimal

from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.common.v1 import types_pb2

from ktxh_catalog.adapters.item_wire.base import (
    LEVELS,
    LEVELS_IN,
    PARTIAL_CREDIT,
    PARTIAL_CREDIT_IN,
    SCORING,
    SCORING_IN,
    UNIT_KINDS,
    Ctx,
    Reader,
    day_str,
    dec_str,
    legal_to_pb,
)
from ktxh_catalog.domain.catalog_items import (
    CompletionThreshold,
    CreditStep,
    CriteriaSet,
    Criterion,
    EvaluationSubject,
    KeyTask,
    PartialCredit,
    PeriodTarget,
    ScoringMethod,
    ThematicPlan,
)
from ktxh_catalog.domain.references import RefMaps


def key_task_to_pb(p: KeyTask, c: Ctx) -> pb.KeyTask:
    return pb.KeyTask(
        code=p.code, title=p.title, description=p.description, year=p.year, field=p.field,
        deadline=day_str(p.deadline),
        indicator_ids=[c.refs.id_of("indicator", x) for x in p.indicator_codes],
        legal_basis=p.legal_document.citation if p.legal_document else "",
        lead_office=p.lead_office, coordinating_offices=list(p.coordinating_offices),
        indicator_codes=list(p.indicator_codes), legal_document=legal_to_pb(p.legal_document),
        **c.common(), **c.validity(),
    )


def key_task_from_pb(m: pb.KeyTask, refs: RefMaps) -> KeyTask:
    r = Reader()
    codes = list(m.indicator_codes) or [
        r.ref(refs, "indicator", "", x, "indicator_codes", f"indicator_ids[{i}]")
        for i, x in enumerate(m.indicator_ids)
    ]
    task = KeyTask(
        code=m.code.strip(), title=m.title, year=m.year, deadline=r.day(m.deadline, "deadline"),
        lead_office=m.lead_office, coordinating_offices=tuple(m.coordinating_offices),
        field=m.field, indicator_codes=tuple(codes),
        legal_document=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        description=m.description,
    )
    r.done()
    return task


def thematic_plan_to_pb(p: ThematicPlan, c: Ctx) -> pb.ThematicPlan:
    return pb.ThematicPlan(
        code=p.code, name=p.name, description=p.description, start_year=p.start_date.year,
        end_year=p.end_date.year,
        key_task_ids=[c.refs.id_of("key_task", x) for x in p.key_task_codes],
        indicator_ids=[c.refs.id_of("indicator", x) for x in p.indicator_codes],
        legal_basis=p.legal_document.citation if p.legal_document else "",
        start_date=p.start_date.isoformat(), end_date=p.end_date.isoformat(), issuer=p.issuer,
        key_task_codes=list(p.key_task_codes), indicator_codes=list(p.indicator_codes),
        indicator_set_code=p.indicator_set_code,
        indicator_set_id=c.refs.id_of("indicator_set", p.indicator_set_code), field=p.field,
        legal_document=legal_to_pb(p.legal_document), **c.common(), **c.validity(),
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
        code=m.code.strip(), name=m.name, start_date=start, end_date=end, legal_document=legal,
        issuer=m.issuer, key_task_codes=tuple(tasks), indicator_set_code=set_code,
        indicator_codes=tuple(inds), field=m.field, description=m.description,
    )


# ====================================================================== criteria


def criteria_set_to_pb(p: CriteriaSet, c: Ctx) -> pb.CriteriaSet:
    return pb.CriteriaSet(
        code=p.code, name=p.name, year=p.year or 0,
        applies_to_kinds=[UNIT_KINDS[k.value] for k in p.applies_to_kinds],
        criteria=[
            pb.Criterion(
                code=x.code, name=x.name, guidance=x.guidance, max_score=dec_str(x.max_score),
                scoring_method=SCORING[x.scoring_method],
                indicator_id=c.refs.id_of("indicator", x.indicator_codes[0]
                                          if x.indicator_codes else ""),
                ordinal=x.ordinal, indicator_codes=list(x.indicator_codes),
                indicator_set_code=x.indicator_set_code, mandatory=x.mandatory,
                partial_credit=PARTIAL_CREDIT[x.partial_credit],
                credit_steps=[pb.CreditStep(min_achievement=dec_str(st.min_achievement),
                                            credit=dec_str(st.credit)) for st in x.credit_steps],
            ) for x in p.criteria
        ],
        thresholds=[
            pb.ClassificationThreshold(level=LEVELS[t.level], min_score=dec_str(t.min_score))
            for t in p.thresholds
        ],
        max_total_score=dec_str(p.total_max_score),
        legal_basis=p.legal_document.citation if p.legal_document else "",
        legal_document=legal_to_pb(p.legal_document), description=p.description,
        **c.common(), **c.validity(),
    )


def criteria_set_from_pb(m: pb.CriteriaSet, refs: RefMaps) -> CriteriaSet:
    r = Reader()
    kinds = r.unit_kinds(m.applies_to_kinds, "applies_to_kinds")
    if any(k not in ("agency", "commune") for k in kinds):
        r.add("applies_to_kinds", "Bộ tiêu chí áp dụng cho đúng một loại đơn vị: cơ quan "
              "(AGENCY) hoặc xã (COMMUNE)")
        kinds = ()
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
            scoring_method=SCORING_IN.get(x.scoring_method, ScoringMethod.MANUAL),
            ordinal=x.ordinal,
            indicator_set_code=x.indicator_set_code, indicator_codes=tuple(codes),
            guidance=x.guidance, mandatory=x.mandatory,
            partial_credit=PARTIAL_CREDIT_IN.get(x.partial_credit, PartialCredit.PROPORTIONAL),
            credit_steps=tuple(
                CreditStep(r.dec(st.min_achievement, f"criteria[{i}].credit_steps[{j}].min_achievement")
                           or Decimal(0),
                           r.dec(st.credit, f"criteria[{i}].credit_steps[{j}].credit") or Decimal(0))
                for j, st in enumerate(x.credit_steps)),
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
        code=m.code.strip(), name=m.name,
        applies_to_kinds=tuple(EvaluationSubject(k) for k in kinds), criteria=tuple(criteria),
        thresholds=tuple(thresholds), year=m.year or None,
        legal_document=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
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
        legal_basis=p.legal_document.citation if p.legal_document else "", note=p.note,
        code=p.code, indicator_code=p.indicator_code, org_unit_code=p.org_unit_code,
        target_low=dec_str(p.target_low), target_high=dec_str(p.target_high),
        target_text=p.target_text, legal_document=legal_to_pb(p.legal_document),
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
        legal_document=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        note=m.note,
    )
    r.done()
    return target
