"""Use cases of the oversight service: one function per RPC, each opening one unit of work and
committing once. Access is decided in ``policy.py``; the repositories filter by the caller's
``Reader`` in SQL (a record outside it does not exist for the caller: 404)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ktxh_platform.access import Resource
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound

from ktxh_oversight.domain.model import (
    Citation,
    CitationKind,
    Comment,
    OversightReport,
    Period,
    Recommendation,
    RecommendationView,
    ReportContent,
    ReportStatus,
    Response,
    SubjectKind,
    SubjectRef,
)
from ktxh_oversight.service_layer import policy
from ktxh_oversight.service_layer.ports import AssignmentInfo, Assignments, Documents, Reporting
from ktxh_oversight.service_layer.unit_of_work import (
    CommentFilter,
    OversightUnitOfWork,
    Reader,
    RecommendationFilter,
    ReportFilter,
    Unit,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class OversightRules:
    remind_before_days: int = 3  # "due soon" reminder this many days before the due date


# ------------------------------------------------------------------------------- readers


async def _committee(uow: OversightUnitOfWork, principal: Principal, code: str) -> Unit:
    unit = await uow.units.by_code(uow.province_code, code)
    if unit is None or unit.kind != "front":
        raise policy.not_opened("Đơn vị của tài khoản không phải Ủy ban MTTQ; nội dung này")
    return unit


async def _reader(uow: OversightUnitOfWork, principal: Principal, resource: Resource) -> Reader:
    scope = policy.read_scope(principal, resource)
    if policy.is_front_only(principal):
        unit = await uow.units.by_code(uow.province_code, principal.org_unit or "")
        return Reader(scope, front_unit_id=unit.id if unit else "-")  # unknown unit: sees nothing
    return Reader(scope)


# ------------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class PostComment:
    front_unit_id: str
    subject: SubjectRef
    addressee_unit_id: str
    text: str
    document_ids: tuple[str, ...] = ()
    idempotency_key: str = ""


async def _opened_subject(
    cmd: PostComment, front: Unit, uow: OversightUnitOfWork, assignments: Assignments, principal: Principal,
) -> tuple[str, str]:
    """(addressee unit id, label) of a subject opened to the committee, or 403."""
    if cmd.subject.kind is SubjectKind.ASSIGNMENT:
        a = await assignments.get(cmd.subject.id, principal)
        if a is None:
            raise policy.not_opened("Nội dung giao này")
        if cmd.addressee_unit_id and cmd.addressee_unit_id != a.assignee_unit_id:
            raise InvalidArgument.single(
                "addressee_unit_id", "Đơn vị trả lời phải là đơn vị được giao nội dung này"
            )
        return a.assignee_unit_id, cmd.subject.label or a.label
    if not cmd.addressee_unit_id:
        raise InvalidArgument.single("addressee_unit_id", "Chọn đơn vị cần trả lời")
    opened = await assignments.opened(front.id, cmd.addressee_unit_id, None, principal)
    match cmd.subject.kind:
        case SubjectKind.INDICATOR:
            opened = [a for a in opened if a.indicator_code == cmd.subject.id]
        case SubjectKind.KEY_TASK:
            opened = [a for a in opened if a.key_task_id == cmd.subject.id]
        case SubjectKind.ORG_UNIT:
            if cmd.subject.id != cmd.addressee_unit_id:
                raise InvalidArgument.single("subject.id", "Góp ý về một đơn vị thì gửi chính đơn vị đó")
    if not opened:
        raise policy.not_opened("Đơn vị hoặc nội dung này")
    return cmd.addressee_unit_id, cmd.subject.label


async def post_comment(
    cmd: PostComment, uow: OversightUnitOfWork, assignments: Assignments, principal: Principal,
    now: datetime | None = None,
) -> Comment:
    code = policy.require_front_writer(principal, Resource.COMMENT)
    async with uow:
        front = await _committee(uow, principal, code)
        if cmd.front_unit_id and cmd.front_unit_id != front.id:
            raise policy.not_opened("Ủy ban MTTQ khác; nội dung này")
        request_hash = _hash(cmd.subject, cmd.addressee_unit_id, cmd.text, cmd.document_ids)
        if cmd.idempotency_key:
            seen = await uow.idempotency.result(cmd.idempotency_key, principal.username)
            if seen is not None:
                if seen[0] != request_hash:
                    raise Conflict("Idempotency-Key đã dùng cho một yêu cầu khác.")
                done = await uow.comments.get(seen[1], Reader(policy.read_scope(principal, Resource.COMMENT), front.id))
                if done is not None:
                    return done
        addressee, label = await _opened_subject(cmd, front, uow, assignments, principal)
        c = Comment.post(
            province_code=uow.province_code, front_unit_id=front.id,
            subject=SubjectRef(cmd.subject.kind, cmd.subject.id, label), addressee_unit_id=addressee,
            text=cmd.text, author=principal.username, now=now or _now(), document_ids=cmd.document_ids,
        )
        await uow.comments.add(c)
        if cmd.idempotency_key:
            await uow.idempotency.remember(cmd.idempotency_key, principal.username, request_hash, c.id)
        await uow.commit()
        return c


async def get_comment(comment_id: str, uow: OversightUnitOfWork, principal: Principal) -> Comment:
    async with uow:
        c = await uow.comments.get(comment_id, await _reader(uow, principal, Resource.COMMENT))
        if c is None:
            raise NotFound(f"Không tìm thấy ý kiến {comment_id}")
        return c


async def list_comments(
    f: CommentFilter, uow: OversightUnitOfWork, principal: Principal
) -> tuple[list[Comment], str, int]:
    async with uow:
        return await uow.comments.list(await _reader(uow, principal, Resource.COMMENT), f)


async def _own_comment(comment_id: str, uow: OversightUnitOfWork, principal: Principal) -> Comment:
    code = policy.require_front_writer(principal, Resource.COMMENT)
    front = await _committee(uow, principal, code)
    c = await uow.comments.get(comment_id, Reader(policy.read_scope(principal, Resource.COMMENT), front.id))
    if c is None:
        raise NotFound(f"Không tìm thấy ý kiến {comment_id}")
    return c


async def update_comment(
    comment_id: str, text: str, expected_version: int, uow: OversightUnitOfWork, principal: Principal,
    now: datetime | None = None,
) -> Comment:
    async with uow:
        c = await _own_comment(comment_id, uow, principal)
        before = c.version
        c.edit(text=text, editor=principal.username, now=now or _now(), expected_version=expected_version)
        if c.version != before:
            await uow.comments.save(c, before)
            await uow.commit()
        return c


async def close_comment(
    comment_id: str, expected_version: int, uow: OversightUnitOfWork, principal: Principal
) -> Comment:
    async with uow:
        c = await _own_comment(comment_id, uow, principal)
        before = c.version
        c.close(expected_version=expected_version)
        if c.version != before:
            await uow.comments.save(c, before)
            await uow.commit()
        return c


async def delete_comment(
    comment_id: str, expected_version: int, uow: OversightUnitOfWork, principal: Principal
) -> None:
    async with uow:
        c = await _own_comment(comment_id, uow, principal)
        before = c.version
        c.delete(expected_version=expected_version)
        await uow.comments.save(c, before)
        await uow.commit()


# ------------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class PostResponse:
    text: str
    comment_id: str = ""
    oversight_report_id: str = ""
    recommendation_id: str = ""
    recommendation_code: str = ""
    responder_unit_id: str = ""
    document_ids: tuple[str, ...] = ()


async def post_response(cmd: PostResponse, uow: OversightUnitOfWork, principal: Principal,
                        now: datetime | None = None) -> Response:
    scope = policy.require_responder(principal)
    when = now or _now()
    async with uow:
        if cmd.comment_id:
            c = await uow.comments.get(cmd.comment_id, Reader(scope))
            if c is None:
                raise NotFound(f"Không tìm thấy ý kiến {cmd.comment_id}")
            if cmd.responder_unit_id and cmd.responder_unit_id != c.addressee_unit_id:
                raise policy.not_addressee()
            before = c.version
            r = c.respond(author=principal.username, responder_unit_id=c.addressee_unit_id, text=cmd.text,
                          now=when, document_ids=cmd.document_ids)
            await uow.comments.save(c, before)
            await uow.commit()
            return r
        reader = Reader(policy.read_scope(principal, Resource.OVERSIGHT_REPORT))
        if cmd.recommendation_id:
            report = await uow.reports.get_by_recommendation(cmd.recommendation_id, reader)
            code = report.recommendation(rec_id=cmd.recommendation_id).code if report else ""
        elif cmd.oversight_report_id:
            report = await uow.reports.get(cmd.oversight_report_id, reader)
            code = cmd.recommendation_code
        else:
            raise InvalidArgument.single("comment_id", "Chọn ý kiến hoặc báo cáo giám sát cần trả lời")
        if report is None:
            raise NotFound("Không tìm thấy báo cáo giám sát hoặc kiến nghị")
        unit_id = report.recommendation(code=code).addressee_unit_id if code else report.filed_to_unit_id
        if not await uow.units.in_scope(scope, unit_id):
            raise policy.not_addressee()
        before = report.version
        r = report.respond(recommendation_code=code, author=principal.username, responder_unit_id=unit_id,
                           text=cmd.text, now=when, document_ids=cmd.document_ids)
        await uow.reports.save(report, before)
        await uow.commit()
        return r


# ------------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class DraftReport:
    front_unit_id: str
    content: ReportContent
    idempotency_key: str = ""


async def _check_units(content: ReportContent, front: Unit, uow: OversightUnitOfWork,
                       assignments: Assignments, principal: Principal) -> dict[str, list[AssignmentInfo]]:
    """The assignments opened to the committee, per overseen unit; 422 naming the unit's field
    for a unit with none in force on `as_of`, and for a recommendation to a unit outside the
    committee's level."""
    opened: dict[str, list[AssignmentInfo]] = {}
    for i, unit_id in enumerate(content.overseen_unit_ids):
        opened[unit_id] = await assignments.opened(front.id, unit_id, content.as_of, principal)
        if not opened[unit_id]:
            when = f" có hiệu lực ngày {content.as_of:%d/%m/%Y}" if content.as_of else ""
            raise InvalidArgument.single(
                f"overseen_unit_ids[{i}]",
                f"Đơn vị này không có chỉ tiêu, nhiệm vụ nào{when} được mở cho Ủy ban MTTQ giám sát",
            )
    scope = policy.read_scope(principal, Resource.COMMENT)
    for i, (_c, _t, addressee, _d) in enumerate(content.recommendations):
        if not await uow.units.in_scope(scope, addressee):
            raise InvalidArgument.single(
                f"recommendations[{i}].addressee_unit_id",
                "Đơn vị nhận kiến nghị phải thuộc cấp của Ủy ban MTTQ",
            )
    return opened


async def _citations(content: ReportContent, opened: dict[str, list[AssignmentInfo]], reporting: Reporting,
                     principal: Principal) -> tuple[Citation, ...]:
    """What the report cites: per overseen unit, each target opened to the Front with the figure
    the reporting read model has for the report's period, and each task with its assignment's
    status and the progress (status, percent done) the unit last reported by the report's date."""
    out: list[Citation] = []
    for unit_id, items in opened.items():
        codes = sorted({a.indicator_code for a in items if a.indicator_code})
        figures = await reporting.figures(unit_id, content.period, codes, principal) if codes and content.period else {}
        tasks = (await reporting.task_progress(unit_id, content.as_of, principal)
                 if any(a.key_task_id for a in items) else {})
        for a in items:
            if a.indicator_code:
                fig = figures.get((a.indicator_code, a.key_members))
                out.append(Citation(
                    org_unit_id=unit_id, kind=CitationKind.TARGET, assignment_id=a.id,
                    indicator_code=a.indicator_code, key_members=a.key_members,
                    period_code=content.period.code if content.period else "",
                    value=fig.value if fig else "", year_to_date=fig.year_to_date if fig else "",
                    target_value=a.target_value, unit_of_measure=a.unit_of_measure, status=a.status,
                ))
            elif a.key_task_id:
                progress = tasks.get(a.key_task_id)
                out.append(Citation(
                    org_unit_id=unit_id, kind=CitationKind.TASK, assignment_id=a.id,
                    key_task_id=a.key_task_id, status=a.status, deadline=a.deadline or (progress.deadline if progress else ""),
                    task_status=progress.status if progress else "",
                    percent_done=progress.percent_done if progress else 0,
                    task_title=progress.title if progress else "",
                ))
    return tuple(out)


async def create_report(cmd: DraftReport, uow: OversightUnitOfWork, assignments: Assignments,
                        reporting: Reporting, principal: Principal, now: datetime | None = None) -> OversightReport:
    code = policy.require_front_writer(principal, Resource.OVERSIGHT_REPORT)
    cmd.content.validate()
    async with uow:
        front = await _committee(uow, principal, code)
        if cmd.front_unit_id and cmd.front_unit_id != front.id:
            raise policy.not_opened("Ủy ban MTTQ khác; nội dung này")
        reader = Reader(policy.read_scope(principal, Resource.OVERSIGHT_REPORT), front.id)
        request_hash = _hash(cmd.content)
        if cmd.idempotency_key:
            seen = await uow.idempotency.result(cmd.idempotency_key, principal.username)
            if seen is not None:
                if seen[0] != request_hash:
                    raise Conflict("Idempotency-Key đã dùng cho một yêu cầu khác.")
                if (done := await uow.reports.get(seen[1], reader)) is not None:
                    return done
        opened = await _check_units(cmd.content, front, uow, assignments, principal)
        citations = await _citations(cmd.content, opened, reporting, principal)
        r = OversightReport.draft(
            province_code=uow.province_code, front_unit_id=front.id, content=cmd.content,
            citations=citations, actor=principal.username, now=now or _now(),
        )
        await uow.reports.add(r)
        if cmd.idempotency_key:
            await uow.idempotency.remember(cmd.idempotency_key, principal.username, request_hash, r.id)
        await uow.commit()
        return r


async def _own_report(report_id: str, uow: OversightUnitOfWork, principal: Principal) -> tuple[OversightReport, Unit]:
    code = policy.require_front_writer(principal, Resource.OVERSIGHT_REPORT)
    front = await _committee(uow, principal, code)
    r = await uow.reports.get(report_id, Reader(policy.read_scope(principal, Resource.OVERSIGHT_REPORT), front.id))
    if r is None:
        raise NotFound(f"Không tìm thấy báo cáo giám sát {report_id}")
    return r, front


async def update_report(report_id: str, content: ReportContent, expected_version: int, uow: OversightUnitOfWork,
                        assignments: Assignments, reporting: Reporting, principal: Principal,
                        now: datetime | None = None) -> OversightReport:
    async with uow:
        r, front = await _own_report(report_id, uow, principal)
        if r.status is not ReportStatus.DRAFT:
            raise Conflict("Báo cáo giám sát đã gửi, không sửa được.")
        content.validate()
        opened = await _check_units(content, front, uow, assignments, principal)
        citations = await _citations(content, opened, reporting, principal) if r.needs_citations(content) else None
        before = r.version
        r.update(content, citations=citations, actor=principal.username, now=now or _now(),
                 expected_version=expected_version)
        await uow.reports.save(r, before)
        await uow.commit()
        return r


async def file_report(report_id: str, document_id: str, expected_version: int, uow: OversightUnitOfWork,
                      documents: Documents, principal: Principal, now: datetime | None = None) -> OversightReport:
    async with uow:
        r, front = await _own_report(report_id, uow, principal)
        if document_id:
            await documents.require_valid_signature(document_id, principal)
        if not front.parent_id:
            raise Conflict("Ủy ban MTTQ chưa gắn với cấp chính quyền nào; không xác định được nơi nhận báo cáo.")
        before = r.version
        r.file(filed_to_unit_id=front.parent_id, document_id=document_id, actor=principal.username,
               now=now or _now(), expected_version=expected_version)
        await uow.reports.save(r, before)
        await uow.commit()
        return r


async def get_report(report_id: str, uow: OversightUnitOfWork, principal: Principal) -> OversightReport:
    async with uow:
        r = await uow.reports.get(report_id, await _reader(uow, principal, Resource.OVERSIGHT_REPORT))
        if r is None:
            raise NotFound(f"Không tìm thấy báo cáo giám sát {report_id}")
        return r


async def list_reports(f: ReportFilter, uow: OversightUnitOfWork,
                       principal: Principal) -> tuple[list[OversightReport], str, int]:
    async with uow:
        return await uow.reports.list(await _reader(uow, principal, Resource.OVERSIGHT_REPORT), f)


# ------------------------------------------------------------------------------- recommendations


async def list_recommendations(f: RecommendationFilter, uow: OversightUnitOfWork,
                               principal: Principal) -> tuple[list[RecommendationView], str, int]:
    async with uow:
        reader = await _reader(uow, principal, Resource.OVERSIGHT_REPORT)
        pairs, token, total = await uow.reports.recommendations(reader, f)
        return [r.view(r.recommendation(rec_id=rid)) for r, rid in pairs], token, total


async def get_recommendation(rec_id: str, uow: OversightUnitOfWork, principal: Principal) -> RecommendationView:
    async with uow:
        r = await uow.reports.get_by_recommendation(rec_id, await _reader(uow, principal, Resource.OVERSIGHT_REPORT))
        if r is None:
            raise NotFound(f"Không tìm thấy kiến nghị {rec_id}")
        return r.view(r.recommendation(rec_id=rec_id))


@dataclass(frozen=True)
class DecideRecommendation:
    id: str
    accept: bool
    remark: str = ""
    due_date: date | None = None
    expected_version: int = 0


async def decide_recommendation(cmd: DecideRecommendation, uow: OversightUnitOfWork,
                                principal: Principal) -> RecommendationView:
    code = policy.require_front_writer(principal, Resource.OVERSIGHT_REPORT)
    async with uow:
        front = await _committee(uow, principal, code)
        reader = Reader(policy.read_scope(principal, Resource.OVERSIGHT_REPORT), front.id)
        r = await uow.reports.get_by_recommendation(cmd.id, reader)
        if r is None:
            raise NotFound(f"Không tìm thấy kiến nghị {cmd.id}")
        rec: Recommendation = r.recommendation(rec_id=cmd.id)
        before = r.version
        r.decide(rec, accept=cmd.accept, remark=cmd.remark, due_date=cmd.due_date,
                 expected_version=cmd.expected_version)
        if r.version != before:
            await uow.reports.save(r, before)
            await uow.commit()
        return r.view(rec)


async def recommendation_board(front_unit_id: str, today: date, uow: OversightUnitOfWork,
                               principal: Principal) -> list[tuple[str, int, int, int, int]]:
    async with uow:
        reader = await _reader(uow, principal, Resource.OVERSIGHT_REPORT)
        return await uow.reports.board(reader, front_unit_id, today)


async def remind_recommendations(today: date, uow: OversightUnitOfWork, rules: OversightRules,
                                 limit: int = 200) -> int:
    """The periodic job: one "due soon" notice before the due date and one "overdue" notice after
    it, per recommendation and due date (a reopened one with a new date is reminded again)."""
    from datetime import timedelta

    sent = 0
    async with uow:
        for r in await uow.reports.to_remind(uow.province_code, today + timedelta(days=rules.remind_before_days), limit):
            before = r.version
            changed = [rec for rec in r.recommendations if r.remind(rec, today, rules.remind_before_days)]
            if changed:
                sent += len(changed)
                await uow.reports.save(r, before)
        await uow.commit()
    return sent


__all__ = ["Period"]
