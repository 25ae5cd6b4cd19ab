"""Domain ↔ protobuf (``ktxh.oversight.v1``). Field names are the same on both sides."""

from __future__ import annotations

from datetime import date, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.oversight.v1 import oversight_pb2 as pb
from ktxh_platform.domain import FieldViolation, InvalidArgument

from ktxh_oversight.domain.model import (
    Citation,
    Comment,
    CommentStatus,
    OversightReport,
    Period,
    RecommendationStatus,
    RecommendationView,
    ReportContent,
    ReportStatus,
    Response,
    SubjectKind,
    SubjectRef,
)

PB_SUBJECT_KIND = {k: pb.SubjectKind.Value(f"SUBJECT_KIND_{k.name}") for k in SubjectKind}
SUBJECT_KIND = {v: k for k, v in PB_SUBJECT_KIND.items()}
PB_COMMENT_STATUS = {s: pb.CommentStatus.Value(f"COMMENT_STATUS_{s.name}") for s in CommentStatus}
COMMENT_STATUS = {v: k for k, v in PB_COMMENT_STATUS.items()}
PB_REPORT_STATUS = {s: pb.OversightReportStatus.Value(f"OVERSIGHT_REPORT_STATUS_{s.name}") for s in ReportStatus}
REPORT_STATUS = {v: k for k, v in PB_REPORT_STATUS.items()}
PB_REC_STATUS = {s: pb.RecommendationStatus.Value(f"RECOMMENDATION_STATUS_{s.name}") for s in RecommendationStatus}
REC_STATUS = {v: k for k, v in PB_REC_STATUS.items()}


def ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    t = Timestamp()
    t.FromDatetime(value)
    return t


def parse_day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument.single(field, "Ngày không hợp lệ (YYYY-MM-DD)") from None


def subject_from_pb(m: pb.SubjectRef, field: str = "subject") -> SubjectRef:
    if m.kind not in SUBJECT_KIND:
        raise InvalidArgument.single(f"{field}.kind", "Chọn loại nội dung góp ý")
    return SubjectRef(SUBJECT_KIND[m.kind], m.id.strip(), m.label.strip())


def subject_to_pb(s: SubjectRef) -> pb.SubjectRef:
    return pb.SubjectRef(kind=PB_SUBJECT_KIND[s.kind], id=s.id, label=s.label)


def response_to_pb(r: Response) -> pb.Response:
    m = pb.Response(
        id=r.id, recommendation_code=r.recommendation_code, responder_unit_id=r.responder_unit_id,
        author=r.author, text=r.text, document_ids=list(r.document_ids), posted_at=ts(r.posted_at),
    )
    if r.comment_id:
        m.comment_id = r.comment_id
    else:
        m.oversight_report_id = r.oversight_report_id
    return m


def comment_to_pb(c: Comment, with_responses: bool = True) -> pb.Comment:
    return pb.Comment(
        id=c.id, front_unit_id=c.front_unit_id, subject=subject_to_pb(c.subject),
        addressee_unit_id=c.addressee_unit_id, text=c.text, document_ids=list(c.document_ids),
        author=c.author, posted_at=ts(c.posted_at), status=PB_COMMENT_STATUS[c.status],
        responses=[response_to_pb(r) for r in c.responses] if with_responses else [],
        province_code=c.province_code, version=c.version,
        edits=[pb.CommentEdit(text=e.text, written_at=ts(e.written_at), edited_by=e.edited_by) for e in c.edits],
        edited_at=ts(c.edited_at),
    )


def period_to_pb(p: Period | None) -> types_pb2.Period | None:
    if p is None:
        return None
    return types_pb2.Period(kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{p.kind}"), year=p.year,
                            number=p.number, code=p.code)


def period_from_pb(m: types_pb2.Period, field: str = "period") -> Period | None:
    if not m.kind and not m.year:
        return None
    errs = []
    if not m.kind:
        errs.append(FieldViolation(f"{field}.kind", "Chọn loại kỳ"))
    if not 2000 <= m.year <= 2100:
        errs.append(FieldViolation(f"{field}.year", "Năm không hợp lệ"))
    if errs:
        raise InvalidArgument(errs)
    kind = types_pb2.PeriodKind.Name(m.kind).removeprefix("PERIOD_KIND_")
    code = m.code or _period_code(kind, m.year, m.number)
    return Period(kind, m.year, m.number, code)


def _period_code(kind: str, year: int, number: int) -> str:
    prefix = {"MONTH": "M", "QUARTER": "Q", "HALF_YEAR": "H"}.get(kind)
    if prefix and number:
        return f"{year}-{prefix}{number:02d}" if prefix == "M" else f"{year}-{prefix}{number}"
    return str(year) if kind == "YEAR" else ""


def citation_to_pb(c: Citation) -> pb.Citation:
    return pb.Citation(
        org_unit_id=c.org_unit_id, kind=pb.CitationKind.Value(f"CITATION_KIND_{c.kind.name}"),
        assignment_id=c.assignment_id,
        key=figure_pb2.FigureKey(
            indicator_code=c.indicator_code,
            members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m) for d, m in c.key_members],
        ) if c.indicator_code else None,
        period_code=c.period_code, value=c.value, target_value=c.target_value,
        unit_of_measure=c.unit_of_measure, key_task_id=c.key_task_id, status=c.status, deadline=c.deadline,
        year_to_date=c.year_to_date, task_status=c.task_status, percent_done=c.percent_done,
        task_title=c.task_title,
    )


def rec_to_pb(v: RecommendationView, today: date | None = None) -> pb.Recommendation:
    r = v.recommendation
    return pb.Recommendation(
        code=r.code, text=r.text, addressee_unit_id=r.addressee_unit_id, responded=bool(v.responses),
        id=r.id, due_date=r.due_date.isoformat() if r.due_date else "", status=PB_REC_STATUS[r.status],
        overdue=r.overdue(today or date.today()), oversight_report_id=v.oversight_report_id,
        front_unit_id=v.front_unit_id, report_title=v.report_title, decision_remark=r.decision_remark,
        reopen_count=r.reopen_count, filed_to_unit_id=v.filed_to_unit_id,
    )


def report_to_pb(r: OversightReport, with_responses: bool = True, today: date | None = None) -> pb.OversightReport:
    return pb.OversightReport(
        id=r.id, front_unit_id=r.front_unit_id, title=r.title, period=period_to_pb(r.period),
        subjects=[subject_to_pb(s) for s in r.subjects], overseen_unit_ids=list(r.overseen_unit_ids),
        findings=r.findings,
        recommendations=[rec_to_pb(r.view(x), today) for x in r.recommendations],
        document_id=r.document_id, status=PB_REPORT_STATUS[r.status], filed_at=ts(r.filed_at),
        responses=[response_to_pb(x) for x in r.responses] if with_responses else [],
        province_code=r.province_code, version=r.version,
        audit=types_pb2.AuditInfo(created_at=ts(r.created_at), created_by=r.created_by,
                                  updated_at=ts(r.updated_at), updated_by=r.updated_by),
        as_of=r.as_of.isoformat() if r.as_of else "", citations=[citation_to_pb(c) for c in r.citations],
        filed_to_unit_id=r.filed_to_unit_id,
    )


def content_from_pb(m: pb.OversightReport) -> ReportContent:
    recs = tuple(
        (x.code.strip(), x.text, x.addressee_unit_id, parse_day(x.due_date, f"recommendations[{i}].due_date"))
        for i, x in enumerate(m.recommendations)
    )
    return ReportContent(
        title=m.title, period=period_from_pb(m.period) if m.HasField("period") else None,
        subjects=tuple(subject_from_pb(s, f"subjects[{i}]") for i, s in enumerate(m.subjects)),
        overseen_unit_ids=tuple(dict.fromkeys(u for u in m.overseen_unit_ids if u)),
        findings=m.findings, recommendations=recs, as_of=parse_day(m.as_of, "as_of"),
    )
