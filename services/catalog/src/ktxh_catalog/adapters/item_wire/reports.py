"""Report templates <-> protobuf."""

from __future__ import annotations

from ktxh.catalog.v1 import catalog_pb2 as pb

from ktxh_catalog.adapters.item_wire.base import FREQUENCIES, MEASURES, MEASURES_IN, Ctx, Reader
from ktxh_catalog.domain.catalog_items import (
    ReportColumn,
    ReportRow,
    ReportSection,
    ReportTemplate,
)
from ktxh_catalog.domain.references import RefMaps


def report_template_to_pb(p: ReportTemplate, c: Ctx) -> pb.ReportTemplate:
    return pb.ReportTemplate(
        code=p.code, name=p.name, period_kinds=[FREQUENCIES[f] for f in p.period_kinds],
        indicator_set_id=c.refs.id_of("indicator_set", p.indicator_set_code),
        sections=[
            pb.ReportSection(
                code=s.code, title=s.title, ordinal=s.ordinal,
                indicator_ids=list(dict.fromkeys(
                    c.refs.id_of("indicator", row.indicator_code) for row in s.rows
                    if row.indicator_code)),
                rows=[
                    pb.ReportRow(
                        ordinal=row.ordinal, indicator_code=row.indicator_code, label=row.label,
                        selector=[pb.DimensionSelector(dimension_code=d, member_code=mm)
                                  for d, mm in row.selector],
                        indent=row.indent,
                        indicator_id=c.refs.id_of("indicator", row.indicator_code),
                    ) for row in s.rows
                ],
            ) for s in p.sections
        ],
        columns=[MEASURES[col.measure] for col in p.column_specs],
        indicator_set_code=p.indicator_set_code,
        column_specs=[pb.ReportTemplateColumn(code=col.code, title=col.title,
                                              measure=MEASURES[col.measure])
                      for col in p.column_specs],
        description=p.description, **c.common(), **c.validity(),
    )


def report_template_from_pb(m: pb.ReportTemplate, refs: RefMaps) -> ReportTemplate:
    r = Reader()
    freqs = r.frequencies(m.period_kinds, "period_kinds")
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
            ReportRow(ordinal=row.ordinal, indicator_code=row.indicator_code, label=row.label,
                      selector=tuple((x.dimension_code, x.member_code) for x in row.selector),
                      indent=row.indent)
            for row in s.rows
        ]
        if not rows and s.indicator_ids:
            rows = [
                ReportRow(ordinal=j + 1, indicator_code=r.ref(
                    refs, "indicator", "", x, "", f"sections[{i}].indicator_ids[{j}]"))
                for j, x in enumerate(s.indicator_ids)
            ]
        sections.append(ReportSection(s.code, s.title, s.ordinal, tuple(rows)))
    template = ReportTemplate(
        code=m.code.strip(), name=m.name, period_kinds=freqs,
        sections=tuple(sections), column_specs=tuple(columns),
        indicator_set_code=r.ref(refs, "indicator_set", m.indicator_set_code, m.indicator_set_id,
                                 "indicator_set_code", "indicator_set_id"),
        description=m.description,
    )
    r.done()
    return template
