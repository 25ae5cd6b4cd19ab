"""REST for periods (`/api/v1/periods`) and reports (`/api/v1/submissions`): each route fills
one request of `ktxh.submission.v1.SubmissionService` and calls it with the caller's token
(token relay); the service authorizes with the scope (404 outside it) and a gRPC status with
field violations becomes an RFC 9457 problem naming the field (`problems.install`)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.problems import PROBLEM_RESPONSES
from ktxh_gateway.submissions import schemas

Reader = Annotated[Principal, Depends(allowed(Resource.SUBMISSION, Action.READ))]
Writer = Annotated[Principal, Depends(allowed(Resource.SUBMISSION, Action.WRITE))]
Approver = Annotated[Principal, Depends(allowed(Resource.SUBMISSION, Action.APPROVE))]
SubmissionId = limits.path_text(36, description="Id của báo cáo")
DocumentId = limits.path_text(36, description="Id của tài liệu đính kèm")

periods = APIRouter(prefix="/api/v1/periods", tags=["Kỳ báo cáo (periods)"],
                    responses=PROBLEM_RESPONSES)
router = APIRouter(prefix="/api/v1/submissions", tags=["Báo cáo kỳ (submissions)"],
                   responses=PROBLEM_RESPONSES)


def _stub(request: Request) -> submission_pb2_grpc.SubmissionServiceStub:
    return submission_pb2_grpc.SubmissionServiceStub(request.app.state.clients.channels["submission"])


def _opts(request: Request, principal: Principal) -> dict:
    return request.app.state.clients.call_options(principal)


def _time(message, name: str):
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def _lower(enum, value: int, prefix: str) -> str:
    return enum.Name(value).removeprefix(prefix).lower()


# ------------------------------------------------------------------------------ conversions


def _schedule(s: pb.PeriodSchedule) -> schemas.PeriodSchedule:
    return schemas.PeriodSchedule(
        code=s.period.code, kind=_lower(types_pb2.PeriodKind, s.period.kind, "PERIOD_KIND_"),
        label=s.label, calendar_code=s.calendar_code, start_date=s.start_date,
        end_date=s.end_date, deadline=s.deadline, rule_deadline=s.rule_deadline,
        cutoff_start=s.cutoff_start, cutoff_end=s.cutoff_end,
        internal_deadlines=[schemas.InternalDeadline(step=i.step, name=i.name,
                                                     responsible=i.responsible, due_date=i.due_date)
                            for i in s.internal_deadlines],
        state=s.state,
    )


def key_pb(k: schemas.ReportFigureKey) -> figure_pb2.FigureKey:
    return figure_pb2.FigureKey(
        indicator_code=k.indicator_code,
        members=[figure_pb2.DimensionChoice(dimension_code=m.dimension_code, member_code=m.member_code)
                 for m in k.members],
        kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{k.kind.value.upper()}"),
    )


def _key(k: figure_pb2.FigureKey) -> schemas.ReportFigureKey:
    kind = _lower(figure_pb2.FigureKind, k.kind, "FIGURE_KIND_")
    return schemas.ReportFigureKey(
        indicator_code=k.indicator_code,
        members=[schemas.ReportDimensionChoice(dimension_code=m.dimension_code, member_code=m.member_code)
                 for m in k.members],
        kind=schemas.ReportFigureKind(kind if kind in ("actual", "estimate") else "actual"),
    )


def _line_pb(ln: schemas.FormLine) -> pb.FormLine:
    return pb.FormLine(
        indicator_code=ln.indicator_code, name=ln.name, office_code=ln.office_code,
        value_type=pb.ValueType.Value(f"VALUE_TYPE_{ln.value_type.value.upper()}"), unit=ln.unit,
        minimum=ln.minimum, maximum=ln.maximum, required=ln.required,
        dimensions=[pb.FormDimension(code=d.code, members=d.members, additive=d.additive)
                    for d in ln.dimensions],
        part_of=ln.part_of, time_aggregation=ln.time_aggregation, estimate=ln.estimate,
    )


def _line(ln: pb.FormLine) -> schemas.FormLine:
    return schemas.FormLine(
        indicator_code=ln.indicator_code, name=ln.name, office_code=ln.office_code,
        value_type=schemas.ReportValueType(_lower(pb.ValueType, ln.value_type, "VALUE_TYPE_")),
        unit=ln.unit, minimum=ln.minimum, maximum=ln.maximum, required=ln.required,
        dimensions=[schemas.FormDimension(code=d.code, members=list(d.members), additive=d.additive)
                    for d in ln.dimensions],
        part_of=ln.part_of, time_aggregation=ln.time_aggregation, estimate=ln.estimate,
    )


def to_schema(s: pb.Submission) -> schemas.Submission:
    return schemas.Submission(
        id=s.id, org_unit_id=s.org_unit_id, org_unit_code=s.org_unit_code,
        period_code=s.period.code, period_label=s.period_label, calendar_code=s.calendar_code,
        deadline=s.deadline,
        status=schemas.SubmissionStatus(_lower(pb.SubmissionStatus, s.status, "SUBMISSION_STATUS_")),
        sections=[schemas.Section(
            office_code=x.office_code, status=_lower(pb.SectionStatus, x.status, "SECTION_STATUS_"),
            delivered_at=_time(x, "delivered_at"), return_comment=x.return_comment)
            for x in s.sections],
        lines=[_line(ln) for ln in s.lines],
        figures=[schemas.Figure(
            key=_key(f.key), value=f.value, text_value=f.text_value, note=f.note,
            version=f.version, office_code=f.office_code, updated_by=f.updated_by,
            updated_at=_time(f, "updated_at"), return_comment=f.return_comment)
            for f in s.figures],
        sent_at=_time(s, "sent_at"), accepted_at=_time(s, "accepted_at"),
        return_count=s.return_count,
        timeliness=schemas.Timeliness(state=s.timeliness.state, days_late=s.timeliness.days_late,
                                      label=s.timeliness.label),
        province_code=s.province_code, version=s.version, created_by=s.created_by,
        created_at=_time(s, "created_at"),
        context=[schemas.ReportFigureContext(
            key=_key(c.key), target_value=c.target_value, target_low=c.target_low,
            target_high=c.target_high, target_text=c.target_text,
            previous_year_value=c.previous_year_value, year_to_date_value=c.year_to_date_value)
            for c in s.context],
        task_progress=[schemas.ReportTaskProgress(
            key_task_id=t.key_task_id, key_task_code=t.key_task_code, name=t.name,
            deadline=t.deadline,
            status=schemas.ReportTaskStatus(_lower(pb.TaskStatus, t.status, "TASK_STATUS_")),
            percent_done=t.percent_done, results=t.results, difficulties=t.difficulties,
            proposals=t.proposals, version=t.version, updated_by=t.updated_by,
            updated_at=_time(t, "updated_at"), office_code=t.office_code)
            for t in s.task_progress],
        attachments=[schemas.ReportAttachment(
            document_id=a.document_id, file_name=a.file_name, title=a.title,
            added_by=a.added_by, added_at=_time(a, "added_at")) for a in s.attachments],
        note=s.note,
    )


def _etag(response: Response, s: schemas.Submission) -> schemas.Submission:
    response.headers["ETag"] = f'"{s.version}"'
    return s


# ------------------------------------------------------------------------------ periods

KIND_TO_PB = {k: types_pb2.PeriodKind.Value(f"PERIOD_KIND_{k.value.upper()}")
              for k in schemas.ReportPeriodKind}


@periods.get("", response_model=schemas.PeriodList,
             summary="Các kỳ báo cáo của một năm với hạn gửi, hạn nội bộ và thời gian chốt số liệu")
async def list_periods(
    request: Request,
    principal: Reader,
    calendar_code: limits.query_text(60, min_length=1, description="Mã lịch báo cáo, vd. LICH.HP2081"),
    kind: Annotated[schemas.ReportPeriodKind, Query(description="Loại kỳ")],
    year: Annotated[int, Query(ge=1900, le=9995, description="Năm")],
) -> schemas.PeriodList:
    r = await _stub(request).ListPeriods(
        pb.ListPeriodsRequest(calendar_code=calendar_code, kind=KIND_TO_PB[kind], year=year),
        **_opts(request, principal))
    return schemas.PeriodList(items=[_schedule(s) for s in r.periods])


@periods.get("/{period_code}", response_model=schemas.PeriodSchedule,
             summary="Một kỳ báo cáo với hạn gửi, hạn nội bộ và thời gian chốt số liệu")
async def get_period(
    request: Request,
    principal: Reader,
    period_code: limits.path_text(20, description="Mã kỳ, vd. 2026-M10, 2026-H1, @2026-10-31"),
    calendar_code: limits.query_text(60, min_length=1, description="Mã lịch báo cáo"),
) -> schemas.PeriodSchedule:
    s = await _stub(request).GetPeriod(
        pb.GetPeriodRequest(calendar_code=calendar_code, period_code=period_code),
        **_opts(request, principal))
    return _schedule(s)


# ------------------------------------------------------------------------------ submissions


@router.post("", response_model=schemas.Submission, status_code=201,
             summary="Mở báo cáo kỳ của một đơn vị (mở lại trả về báo cáo đã có)")
async def open_submission(body: schemas.OpenSubmission, request: Request, response: Response,
                          principal: Approver) -> schemas.Submission:
    s = await _stub(request).OpenSubmission(
        pb.OpenSubmissionRequest(org_unit_code=body.org_unit_code, period_code=body.period_code,
                                 calendar_code=body.calendar_code,
                                 lines=[_line_pb(ln) for ln in body.lines]),
        **_opts(request, principal))
    response.headers["Location"] = f"/api/v1/submissions/{s.id}"
    return _etag(response, to_schema(s))


@router.get("", response_model=schemas.SubmissionPage,
            summary="Danh sách báo cáo kỳ trong phạm vi được xem")
async def list_submissions(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40) = "",
    period_code: limits.query_text(20) = "",
    status: Annotated[list[schemas.SubmissionStatus] | None, Query(max_length=6)] = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN)] = "",
) -> schemas.SubmissionPage:
    r = await _stub(request).ListSubmissions(
        pb.ListSubmissionsRequest(
            org_unit_code=org_unit_code, period_code=period_code,
            statuses=[pb.SubmissionStatus.Value(f"SUBMISSION_STATUS_{s.value.upper()}")
                      for s in status or []],
            page_size=page_size, page_token=page_token),
        **_opts(request, principal))
    return schemas.SubmissionPage(items=[to_schema(s) for s in r.submissions],
                                  next_page_token=r.next_page_token, total=r.total_size)


@router.get("/{submission_id}", response_model=schemas.Submission,
            summary="Một báo cáo kỳ với biểu mẫu và số liệu")
async def get_submission(submission_id: SubmissionId, request: Request, response: Response,
                         principal: Reader) -> schemas.Submission:
    s = await _stub(request).GetSubmission(pb.GetSubmissionRequest(id=submission_id),
                                           **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.post("/{submission_id}/figures", response_model=schemas.Submission,
             summary="Lưu số liệu (tất cả hoặc không; mỗi số liệu kèm phiên bản đã đọc)")
async def save_figures(submission_id: SubmissionId, body: schemas.SaveFigures, request: Request,
                       response: Response, principal: Writer) -> schemas.Submission:
    s = await _stub(request).SaveFigures(
        pb.SaveFiguresRequest(
            submission_id=submission_id, reason=body.reason,
            figures=[pb.FigureEntry(key=key_pb(f.key), value=f.value, note=f.note,
                                    expected_version=f.expected_version) for f in body.figures]),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.post("/{submission_id}/deliver", response_model=schemas.Submission,
             summary="Phòng chuyển phần số liệu của mình cho Văn phòng tổng hợp")
async def deliver_section(submission_id: SubmissionId, body: schemas.DeliverSection,
                          request: Request, response: Response, principal: Writer) -> schemas.Submission:
    s = await _stub(request).DeliverSection(
        pb.DeliverSectionRequest(submission_id=submission_id, office_code=body.office_code),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.post("/{submission_id}/return-figure", response_model=schemas.Submission,
             summary="Văn phòng trả lại một số liệu cho phòng nhập, kèm ý kiến")
async def return_figure(submission_id: SubmissionId, body: schemas.ReturnFigure,
                        request: Request, response: Response, principal: Approver) -> schemas.Submission:
    s = await _stub(request).ReturnFigure(
        pb.ReturnFigureRequest(submission_id=submission_id, comment=body.comment,
                               key=key_pb(body.key) if body.key else None),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


def _step_route(path: str, rpc: str, request_type, summary: str, with_reason: bool = False):
    body_type = schemas.StepWithReason if with_reason else schemas.Step

    async def route(submission_id: SubmissionId, body: body_type, request: Request,  # type: ignore[valid-type]
                    response: Response, principal: Approver) -> schemas.Submission:
        fields = {"submission_id": submission_id, "expected_version": body.expected_version}
        if with_reason:
            fields["reason"] = body.reason
        s = await getattr(_stub(request), rpc)(request_type(**fields), **_opts(request, principal))
        return _etag(response, to_schema(s))

    route.__annotations__["body"] = body_type  # a closure's type, not a module name
    route.__name__ = rpc[0].lower() + "".join(f"_{c.lower()}" if c.isupper() else c for c in rpc[1:])
    router.post(f"/{{submission_id}}/{path}", response_model=schemas.Submission,
                summary=summary)(route)


_step_route("consolidate", "ConsolidateSubmission", pb.ConsolidateSubmissionRequest,
            "Văn phòng tổng hợp báo cáo (mọi phòng đã chuyển, số liệu hợp lệ)")
_step_route("approve", "ApproveSubmission", pb.ApproveSubmissionRequest,
            "Lãnh đạo đơn vị duyệt báo cáo")
_step_route("send", "SendSubmission", pb.SendSubmissionRequest,
            "Gửi báo cáo đã duyệt lên cấp trên")
_step_route("accept", "AcceptSubmission", pb.AcceptSubmissionRequest,
            "Cấp trên tiếp nhận báo cáo")
_step_route("return", "ReturnSubmission", pb.ReturnSubmissionRequest,
            "Cấp trên trả lại báo cáo, nêu lý do", with_reason=True)
_step_route("reopen", "ReopenSubmission", pb.ReopenSubmissionRequest,
            "Cấp trên mở lại báo cáo đã tiếp nhận, nêu lý do", with_reason=True)


@router.get("/{submission_id}/history", response_model=schemas.SubmissionHistory,
            summary="Lịch sử báo cáo: mọi bước và mọi lần sửa số liệu (ai, khi nào, trước, sau)")
async def get_history(submission_id: SubmissionId, request: Request,
                      principal: Reader) -> schemas.SubmissionHistory:
    h = await _stub(request).GetSubmissionHistory(
        pb.GetSubmissionHistoryRequest(submission_id=submission_id), **_opts(request, principal))
    return schemas.SubmissionHistory(
        steps=[schemas.WorkflowStep(
            id=x.id, action=_lower(pb.StepAction, x.action, "STEP_ACTION_"),
            from_status=_lower(pb.SubmissionStatus, x.from_status, "SUBMISSION_STATUS_"),
            to_status=_lower(pb.SubmissionStatus, x.to_status, "SUBMISSION_STATUS_"),
            actor=x.actor, actor_unit=x.actor_unit, occurred_at=_time(x, "occurred_at"),
            comment=x.comment, office_code=x.office_code,
            figure_key=_key(x.figure_key) if x.HasField("figure_key") else None,
            submission_version=x.submission_version) for x in h.steps],
        changes=[schemas.FigureChange(
            key=_key(c.key), office_code=c.office_code, before=c.before, after=c.after,
            before_note=c.before_note, after_note=c.after_note, actor=c.actor,
            occurred_at=_time(c, "occurred_at"), figure_version=c.figure_version,
            reason=c.reason) for c in h.changes],
        task_changes=[schemas.ReportTaskProgressChange(
            key_task_code=c.key_task_code, before=_task_values(c.before),
            after=_task_values(c.after), actor=c.actor, occurred_at=_time(c, "occurred_at"),
            version=c.version) for c in h.task_changes],
        note_changes=[schemas.SubmissionNoteChange(
            before=c.before, after=c.after, actor=c.actor, occurred_at=_time(c, "occurred_at"),
            version=c.version) for c in h.note_changes],
    )


def _task_values(v: pb.TaskProgressValues) -> schemas.ReportTaskProgressValues:
    return schemas.ReportTaskProgressValues(
        status=schemas.ReportTaskStatus(_lower(pb.TaskStatus, v.status, "TASK_STATUS_")),
        percent_done=v.percent_done, results=v.results, difficulties=v.difficulties,
        proposals=v.proposals)


@router.post("/{submission_id}/task-progress", response_model=schemas.Submission,
             summary="Báo cáo tiến độ nhiệm vụ trọng tâm (tất cả hoặc không; mỗi dòng kèm "
                     "phiên bản đã đọc)")
async def save_task_progress(submission_id: SubmissionId, body: schemas.SaveTaskProgress,
                             request: Request, response: Response,
                             principal: Writer) -> schemas.Submission:
    s = await _stub(request).SaveTaskProgress(
        pb.SaveTaskProgressRequest(submission_id=submission_id, tasks=[
            pb.TaskProgressEntry(
                key_task_code=t.key_task_code,
                status=pb.TaskStatus.Value(f"TASK_STATUS_{t.status.value.upper()}"),
                percent_done=t.percent_done, results=t.results, difficulties=t.difficulties,
                proposals=t.proposals, expected_version=t.expected_version)
            for t in body.tasks]),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.put("/{submission_id}/note", response_model=schemas.Submission,
            summary="Lưu thuyết minh chung của báo cáo (Văn phòng HĐND và UBND hoặc lãnh đạo "
                    "đơn vị; kèm phiên bản báo cáo đã đọc)")
async def save_submission_note(submission_id: SubmissionId, body: schemas.SaveSubmissionNote,
                               request: Request, response: Response,
                               principal: Approver) -> schemas.Submission:
    s = await _stub(request).SaveSubmissionNote(
        pb.SaveSubmissionNoteRequest(submission_id=submission_id, note=body.note,
                                     expected_version=body.expected_version),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.post("/{submission_id}/attachments", response_model=schemas.Submission,
             summary="Đính kèm một tài liệu (đã tải lên kho tài liệu) vào báo cáo")
async def add_attachment(submission_id: SubmissionId, body: schemas.AddAttachment,
                         request: Request, response: Response,
                         principal: Writer) -> schemas.Submission:
    s = await _stub(request).AddAttachment(
        pb.AddAttachmentRequest(submission_id=submission_id, document_id=body.document_id,
                                expected_version=body.expected_version),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


@router.delete("/{submission_id}/attachments/{document_id}", response_model=schemas.Submission,
               summary="Gỡ một tài liệu đính kèm khỏi báo cáo (tài liệu vẫn còn trong kho)")
async def remove_attachment(submission_id: SubmissionId,
                            document_id: DocumentId,
                            request: Request, response: Response,
                            principal: Writer) -> schemas.Submission:
    s = await _stub(request).RemoveAttachment(
        pb.RemoveAttachmentRequest(submission_id=submission_id, document_id=document_id),
        **_opts(request, principal))
    return _etag(response, to_schema(s))


board = APIRouter(prefix="/api/v1/submission-board", tags=["Báo cáo kỳ (submissions)"],
                  responses=PROBLEM_RESPONSES)


@board.get("", response_model=schemas.SubmissionBoard,
           summary="Bảng theo dõi của cấp trên: đơn vị nào đã gửi, gửi trễ hay chưa gửi báo cáo kỳ")
async def get_board(
    request: Request,
    principal: Reader,
    period_code: limits.query_text(20) = "",
    calendar_code: limits.query_text(60) = "",
    org_unit_code: limits.query_text(40) = "",
) -> schemas.SubmissionBoard:
    b = await _stub(request).GetSubmissionBoard(
        pb.GetSubmissionBoardRequest(period_code=period_code, calendar_code=calendar_code,
                                     org_unit_code=org_unit_code),
        **_opts(request, principal))
    return schemas.SubmissionBoard(
        period_code=b.period.code, period_label=b.period_label, deadline=b.deadline,
        org_unit_code=b.org_unit_code,
        units=[schemas.SubmissionBoardUnit(
            org_unit_code=u.org_unit_code, org_unit_name=u.org_unit_name,
            submission_id=u.submission_id,
            status=(schemas.SubmissionStatus(_lower(pb.SubmissionStatus, u.status, "SUBMISSION_STATUS_"))
                    if u.status else None),
            timeliness=schemas.Timeliness(state=u.timeliness.state, days_late=u.timeliness.days_late,
                                          label=u.timeliness.label),
            sent_at=_time(u, "sent_at")) for u in b.units],
    )


routers = [periods, router, board]
