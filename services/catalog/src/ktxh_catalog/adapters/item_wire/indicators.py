"""Indicators and indicator sets <-> protobuf."""

from __future__ import annotations

from ktxh.catalog.v1 import catalog_pb2 as pb

from ktxh_catalog.adapters.item_wire.base import (
    FREQUENCIES,
    POLARITIES,
    POLARITIES_IN,
    TIME_AGGREGATIONS,
    TIME_AGGREGATIONS_IN,
    SPATIAL_AGGREGATIONS,
    SPATIAL_AGGREGATIONS_IN,
    UNIT_KINDS,
    UNIT_KINDS_IN,
    VALUE_TYPES,
    VALUE_TYPES_IN,
    Ctx,
    Reader,
    day_str,
    dec_str,
    legal_to_pb,
)
from ktxh_catalog.domain.catalog_items import (
    IndicatorGroup,
    IndicatorSet,
    SetMember,
)
from ktxh_catalog.domain.indicators import (
    Dimension,
    DimensionMember,
    Indicator,
    Polarity,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
)
from ktxh_catalog.domain.references import RefMaps


def indicator_to_pb(p: Indicator, c: Ctx) -> pb.Indicator:
    m = pb.Indicator(
        code=p.code, name=p.name, description=p.description, unit_of_measure=p.unit_of_measure,
        value_type=VALUE_TYPES[p.value_type], frequencies=[FREQUENCIES[f] for f in p.frequencies],
        spatial_aggregation=SPATIAL_AGGREGATIONS[p.spatial_aggregation],
        time_aggregation=TIME_AGGREGATIONS[p.time_aggregation], polarity=POLARITIES[p.polarity],
        numerator_indicator_id=c.refs.id_of("indicator", p.numerator_code),
        denominator_indicator_id=c.refs.id_of("indicator", p.denominator_code),
        weight_indicator_id=c.refs.id_of("indicator", p.weight_indicator_code),
        scale=dec_str(p.scale), decimal_places=p.decimals or 0, group_code=p.group_code,
        field=p.field, formula=p.formula or "", numerator_code=p.numerator_code or "",
        denominator_code=p.denominator_code or "",
        weight_indicator_code=p.weight_indicator_code or "",
        lower_bound=dec_str(p.lower_bound), upper_bound=dec_str(p.upper_bound),
        dimensions=[
            pb.IndicatorDimension(code=d.code, name=d.name, members=[
                pb.DimensionMember(
                    code=mm.code, name=mm.name, unit_of_measure=mm.unit_of_measure or "",
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
        code=m.code.strip(), name=m.name, unit_of_measure=m.unit_of_measure, value_type=value_type,
        frequencies=r.frequencies(m.frequencies, "frequencies"),
        spatial_aggregation=SPATIAL_AGGREGATIONS_IN.get(m.spatial_aggregation,
                                                        SpatialAggregation.NONE),
        time_aggregation=time_agg or TimeAggregation.FLOW,
        polarity=POLARITIES_IN.get(m.polarity, Polarity.HIGHER_IS_BETTER),
        weight_indicator_code=r.ref(refs, "indicator", m.weight_indicator_code,
                                    m.weight_indicator_id,
                               "weight_indicator_code", "weight_indicator_id") or None,
        numerator_code=r.ref(refs, "indicator", m.numerator_code, m.numerator_indicator_id,
                        "numerator_code", "numerator_indicator_id") or None,
        denominator_code=r.ref(refs, "indicator", m.denominator_code, m.denominator_indicator_id,
                          "denominator_code", "denominator_indicator_id") or None,
        scale=r.dec(m.scale, "scale"), lower_bound=r.dec(m.lower_bound, "lower_bound"),
        upper_bound=r.dec(m.upper_bound, "upper_bound"), dimensions=tuple(dims),
        formula=m.formula if m.formula.strip() else None, field=m.field, group_code=m.group_code,
        decimals=decimals, description=m.description,
    )
    r.done()
    return ind


# ====================================================================== indicator sets


def indicator_set_to_pb(p: IndicatorSet, c: Ctx) -> pb.IndicatorSet:
    group_names = {g.code: g.name for g in p.groups}
    legal = legal_to_pb(p.legal_document)
    return pb.IndicatorSet(
        code=p.code, name=p.name,
        legal_basis=p.legal_document.number if p.legal_document else "",
        issued_on=day_str(p.legal_document.issued_on) if p.legal_document else "",
        applies_to_kinds=[UNIT_KINDS[k] for k in p.applies_to_kinds if k in UNIT_KINDS],
        items=[
            pb.IndicatorSetItem(
                indicator_id=c.refs.id_of("indicator", mm.indicator_code), ordinal=str(mm.ordinal),
                group_code=mm.group_code, group_name=group_names.get(mm.group_code, ""),
                frequencies=[FREQUENCIES[f] for f in mm.frequencies],
                responsible_office=mm.responsible_office, note=mm.note,
                indicator_code=mm.indicator_code,
                responsible_kind=UNIT_KINDS.get(mm.responsible_kind, 0),
                calendar_code=mm.calendar_code,
            ) for mm in p.items
        ],
        calendar_id=c.refs.id_of("calendar", p.calendar_code), legal_document=legal,
        groups=[pb.IndicatorSetGroup(code=g.code, name=g.name, ordinal=g.ordinal)
                for g in p.groups],
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
            calendar_code=it.calendar_code, group_code=it.group_code, ordinal=order, note=it.note,
        ))
    iset = IndicatorSet(
        code=m.code.strip(), name=m.name,
        legal_document=r.legal(m.legal_document, m.HasField("legal_document"), "legal_document"),
        applies_to_kinds=r.unit_kinds(m.applies_to_kinds, "applies_to_kinds"), items=tuple(members),
        groups=tuple(IndicatorGroup(g.code, g.name, g.ordinal) for g in m.groups),
        calendar_code=r.ref(refs, "calendar", m.calendar_code, m.calendar_id, "calendar_code",
                            "calendar_id"),
        consolidating_office=m.consolidating_office, description=m.description,
    )
    r.done()
    return iset
