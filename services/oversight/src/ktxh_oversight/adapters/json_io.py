"""Aggregates ↔ the JSON payload stored with them (field names are the domain's, which are the
proto's)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ktxh_oversight.domain.model import (
    Citation,
    CitationKind,
    Comment,
    CommentEdit,
    CommentStatus,
    OversightReport,
    Period,
    Recommendation,
    RecommendationStatus,
    ReportStatus,
    Response,
    SubjectKind,
    SubjectRef,
)


def _ts(v: datetime | None) -> str:
    return v.isoformat() if v else ""


def _dt(v: str) -> datetime | None:
    if not v:
        return None
    d = datetime.fromisoformat(v)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _day(v: date | None) -> str:
    return v.isoformat() if v else ""


def _date(v: str) -> date | None:
    return date.fromisoformat(v) if v else None


def _subject(s: SubjectRef) -> dict[str, str]:
    return {"kind": s.kind.value, "id": s.id, "label": s.label}


def _subject_in(d: dict[str, str]) -> SubjectRef:
    return SubjectRef(SubjectKind(d["kind"]), d["id"], d.get("label", ""))


def response_to_json(r: Response) -> dict[str, Any]:
    return {
        "id": r.id, "author": r.author, "responder_unit_id": r.responder_unit_id, "text": r.text,
        "posted_at": _ts(r.posted_at), "document_ids": list(r.document_ids), "comment_id": r.comment_id,
        "oversight_report_id": r.oversight_report_id, "recommendation_code": r.recommendation_code,
    }


def response_from_json(d: dict[str, Any]) -> Response:
    return Response(
        id=d["id"], author=d["author"], responder_unit_id=d["responder_unit_id"], text=d["text"],
        posted_at=_dt(d["posted_at"]) or datetime.now(UTC), document_ids=tuple(d["document_ids"]),
        comment_id=d["comment_id"], oversight_report_id=d["oversight_report_id"],
        recommendation_code=d["recommendation_code"],
    )


def comment_to_json(c: Comment) -> dict[str, Any]:
    return {
        "front_unit_id": c.front_unit_id, "subject": _subject(c.subject),
        "addressee_unit_id": c.addressee_unit_id, "text": c.text, "author": c.author,
        "posted_at": _ts(c.posted_at), "document_ids": list(c.document_ids), "status": c.status.value,
        "responses": [response_to_json(r) for r in c.responses],
        "edits": [{"text": e.text, "written_at": _ts(e.written_at), "edited_by": e.edited_by} for e in c.edits],
        "edited_at": _ts(c.edited_at), "deleted": c.deleted,
    }


def comment_from_json(cid: str, province: str, version: int, d: dict[str, Any]) -> Comment:
    return Comment(
        id=cid, province_code=province, front_unit_id=d["front_unit_id"], subject=_subject_in(d["subject"]),
        addressee_unit_id=d["addressee_unit_id"], text=d["text"], author=d["author"],
        posted_at=_dt(d["posted_at"]) or datetime.now(UTC), document_ids=tuple(d["document_ids"]),
        status=CommentStatus(d["status"]), responses=[response_from_json(r) for r in d["responses"]],
        edits=[CommentEdit(e["text"], _dt(e["written_at"]) or datetime.now(UTC), e["edited_by"]) for e in d["edits"]],
        edited_at=_dt(d["edited_at"]), deleted=d["deleted"], version=version,
    )


def _citation(c: Citation) -> dict[str, Any]:
    return {
        "org_unit_id": c.org_unit_id, "kind": c.kind.value, "assignment_id": c.assignment_id,
        "indicator_code": c.indicator_code, "key_members": [list(m) for m in c.key_members],
        "period_code": c.period_code, "value": c.value, "year_to_date": c.year_to_date,
        "target_value": c.target_value, "unit_of_measure": c.unit_of_measure, "key_task_id": c.key_task_id,
        "status": c.status, "deadline": c.deadline, "task_status": c.task_status,
        "percent_done": c.percent_done, "task_title": c.task_title,
    }


def _citation_in(d: dict[str, Any]) -> Citation:
    return Citation(**{**d, "kind": CitationKind(d["kind"]), "key_members": tuple(tuple(m) for m in d["key_members"])})


def _rec(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.id, "code": r.code, "text": r.text, "addressee_unit_id": r.addressee_unit_id,
        "due_date": _day(r.due_date), "status": r.status.value, "decision_remark": r.decision_remark,
        "reopen_count": r.reopen_count, "reminded_due": _day(r.reminded_due),
        "reminded_overdue": _day(r.reminded_overdue),
    }


def _rec_in(d: dict[str, Any]) -> Recommendation:
    return Recommendation(
        code=d["code"], text=d["text"], addressee_unit_id=d["addressee_unit_id"], due_date=_date(d["due_date"]),
        id=d["id"], status=RecommendationStatus(d["status"]), decision_remark=d["decision_remark"],
        reopen_count=d["reopen_count"], reminded_due=_date(d["reminded_due"]),
        reminded_overdue=_date(d["reminded_overdue"]),
    )


def report_to_json(r: OversightReport) -> dict[str, Any]:
    p = r.period
    return {
        "front_unit_id": r.front_unit_id, "title": r.title,
        "period": {"kind": p.kind, "year": p.year, "number": p.number, "code": p.code} if p else None,
        "subjects": [_subject(s) for s in r.subjects], "overseen_unit_ids": list(r.overseen_unit_ids),
        "findings": r.findings, "recommendations": [_rec(x) for x in r.recommendations],
        "as_of": _day(r.as_of), "created_by": r.created_by, "created_at": _ts(r.created_at),
        "updated_by": r.updated_by, "updated_at": _ts(r.updated_at),
        "citations": [_citation(c) for c in r.citations], "document_id": r.document_id,
        "status": r.status.value, "filed_at": _ts(r.filed_at), "filed_to_unit_id": r.filed_to_unit_id,
        "responses": [response_to_json(x) for x in r.responses],
    }


def report_from_json(rid: str, province: str, version: int, d: dict[str, Any]) -> OversightReport:
    p = d["period"]
    return OversightReport(
        id=rid, province_code=province, front_unit_id=d["front_unit_id"], title=d["title"],
        period=Period(p["kind"], p["year"], p["number"], p["code"]) if p else None,
        subjects=tuple(_subject_in(s) for s in d["subjects"]), overseen_unit_ids=tuple(d["overseen_unit_ids"]),
        findings=d["findings"], recommendations=[_rec_in(x) for x in d["recommendations"]],
        as_of=_date(d["as_of"]), created_by=d["created_by"], created_at=_dt(d["created_at"]) or datetime.now(UTC),
        updated_by=d["updated_by"], updated_at=_dt(d["updated_at"]) or datetime.now(UTC),
        citations=tuple(_citation_in(c) for c in d["citations"]), document_id=d["document_id"],
        status=ReportStatus(d["status"]), filed_at=_dt(d["filed_at"]), filed_to_unit_id=d["filed_to_unit_id"],
        responses=[response_from_json(x) for x in d["responses"]], version=version,
    )
