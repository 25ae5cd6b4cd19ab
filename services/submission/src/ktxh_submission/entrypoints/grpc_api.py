"""gRPC entrypoint: translate requests into commands, call one use case with a new unit of
work, translate back. Domain errors become gRPC statuses in the platform interceptor (with
field violations); no role is checked and no transaction opened here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import grpc
from ktxh.common.v1 import types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import principal_from

from ktxh_submission.adapters import bulk_io, submission_xlsx, wire
from ktxh_submission.adapters.calendar_replica import period_kind
from ktxh_submission.domain.figures import FigureKey
from ktxh_submission.domain.periods import Period
from ktxh_submission.service_layer import bulk
from ktxh_submission.service_layer import submissions as svc
from ktxh_submission.service_layer.ports import Peers
from ktxh_submission.service_layer.unit_of_work import SubmissionFilter, SubmissionUnitOfWork


@dataclass
class SubmissionComponents:
    """The adapters and settings the composition root chose."""

    uow: Callable[[str], SubmissionUnitOfWork]  # one unit of work per use case, for an actor
    settings: svc.Settings
    peers: Peers | None = None  # catalog and assignment (to build a form); None: lines required


class SubmissionServicer(submission_pb2_grpc.SubmissionServiceServicer):
    def __init__(self, c: SubmissionComponents) -> None:
        self.c = c

    def _today(self):
        return self.c.settings.clock().date()

    def _out(self, sub) -> pb.Submission:
        return wire.submission_pb(sub, self._today())

    async def ListPeriods(self, request, context):
        principal = principal_from(context)
        if request.kind == types_pb2.PERIOD_KIND_UNSPECIFIED:
            raise InvalidArgument.single("kind", "Cần chọn loại kỳ")
        cmd = svc.ListPeriods(request.calendar_code, period_kind(request.kind), request.year)
        if not 1900 <= request.year <= 9995:
            raise InvalidArgument.single("year", f"Năm {request.year} không hợp lệ")
        schedules = await svc.list_periods(cmd, self.c.uow(""), principal, self.c.settings)
        return pb.ListPeriodsResponse(periods=[wire.schedule_pb(s, self._today()) for s in schedules])

    async def GetPeriod(self, request, context):
        principal = principal_from(context)
        s = await svc.resolve_period(request.calendar_code, request.period_code, self.c.uow(""),
                                     principal, self.c.settings)
        return wire.schedule_pb(s, self._today())

    async def OpenSubmission(self, request, context):
        principal = principal_from(context)
        cmd = svc.OpenSubmission(
            request.org_unit_code.strip(), request.period_code, request.calendar_code.strip(),
            tuple(wire.line_from_pb(m, i) for i, m in enumerate(request.lines)),
        )
        sub = await svc.open_submission(cmd, self.c.uow(principal.username), principal,
                                        self.c.settings, self.c.peers)
        return self._out(sub)

    async def GetSubmission(self, request, context):
        principal = principal_from(context)
        sub, context = await svc.get_submission_with_context(request.id, self.c.uow(""), principal)
        return wire.submission_pb(sub, self._today(), context=context)

    async def ListSubmissions(self, request, context):
        principal = principal_from(context)
        if request.page_size < 0 or request.page_size > 500:
            raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 500")
        flt = SubmissionFilter(
            org_unit_code=request.org_unit_code.strip(),
            period=Period.parse(request.period_code, "period_code") if request.period_code else None,
            statuses=tuple(wire.status_from_pb(s) for s in request.statuses),
            page_size=request.page_size or 100, page_token=request.page_token,
        )
        subs, token, total = await svc.list_submissions(flt, self.c.uow(""), principal)
        return pb.ListSubmissionsResponse(
            submissions=[wire.submission_pb(s, self._today(), full=False) for s in subs],
            next_page_token=token, total_size=total,
        )

    async def SaveFigures(self, request, context):
        principal = principal_from(context)
        cmd = svc.SaveFigures(
            request.submission_id,
            tuple(wire.entry_from_pb(m, i) for i, m in enumerate(request.figures)),
            request.reason,
        )
        return self._out(await svc.save_figures(cmd, self.c.uow(principal.username), principal,
                                                self.c.settings))

    async def DeliverSection(self, request, context):
        principal = principal_from(context)
        cmd = svc.DeliverSection(request.submission_id, request.office_code.strip())
        return self._out(await svc.deliver_section(cmd, self.c.uow(principal.username), principal,
                                                   self.c.settings))

    async def ReturnFigure(self, request, context):
        principal = principal_from(context)
        key = (wire.key_from_pb(request.key, "key") if request.key.indicator_code.strip()
               else FigureKey(""))  # the report is looked up (404) before the key is refused
        cmd = svc.ReturnFigure(request.submission_id, key, request.comment)
        return self._out(await svc.return_figure(cmd, self.c.uow(principal.username), principal,
                                                 self.c.settings))

    async def _step(self, request, context, use_case) -> pb.Submission:
        principal = principal_from(context)
        cmd = svc.Transition(request.submission_id, request.expected_version,
                             getattr(request, "reason", ""))
        return self._out(await use_case(cmd, self.c.uow(principal.username), principal,
                                        self.c.settings))

    async def ConsolidateSubmission(self, request, context):
        return await self._step(request, context, svc.consolidate_submission)

    async def ApproveSubmission(self, request, context):
        return await self._step(request, context, svc.approve_submission)

    async def SendSubmission(self, request, context):
        return await self._step(request, context, svc.send_submission)

    async def AcceptSubmission(self, request, context):
        return await self._step(request, context, svc.accept_submission)

    async def ReturnSubmission(self, request, context):
        return await self._step(request, context, svc.return_submission)

    async def ReopenSubmission(self, request, context):
        return await self._step(request, context, svc.reopen_submission)

    async def GetSubmissionHistory(self, request, context):
        principal = principal_from(context)
        h = await svc.history(request.submission_id, self.c.uow(""), principal)
        return pb.SubmissionHistory(
            steps=[wire.step_pb(s) for s in h.steps], changes=[wire.change_pb(c) for c in h.changes],
            task_changes=[wire.task_change_pb(c) for c in h.task_changes],
            note_changes=[wire.note_change_pb(c) for c in h.note_changes],
        )

    async def SaveTaskProgress(self, request, context):
        principal = principal_from(context)
        cmd = svc.SaveTaskProgress(
            request.submission_id,
            tuple(wire.task_entry_from_pb(m) for m in request.tasks),
        )
        return self._out(await svc.save_task_progress(cmd, self.c.uow(principal.username),
                                                      principal, self.c.settings))

    async def SaveSubmissionNote(self, request, context):
        principal = principal_from(context)
        cmd = svc.SaveSubmissionNote(request.submission_id, request.note,
                                     request.expected_version)
        return self._out(await svc.save_submission_note(cmd, self.c.uow(principal.username),
                                                        principal, self.c.settings))

    async def AddAttachment(self, request, context):
        principal = principal_from(context)
        cmd = svc.ChangeAttachment(request.submission_id, request.document_id,
                                   request.expected_version)
        return self._out(await svc.add_attachment(cmd, self.c.uow(principal.username), principal,
                                                  self.c.settings, self.c.peers))

    async def RemoveAttachment(self, request, context):
        principal = principal_from(context)
        cmd = svc.ChangeAttachment(request.submission_id, request.document_id,
                                   request.expected_version)
        return self._out(await svc.remove_attachment(cmd, self.c.uow(principal.username),
                                                     principal, self.c.settings))

    async def GetSubmissionBoard(self, request, context):
        principal = principal_from(context)
        cmd = svc.GetBoard(request.period_code, request.calendar_code.strip(),
                           request.org_unit_code.strip())
        board = await svc.submission_board(cmd, self.c.uow(""), principal, self.c.settings)
        return wire.board_pb(board)

    async def ImportDataValues(self, request, context):
        principal = principal_from(context)
        if request.csv and request.data_values:
            raise InvalidArgument.single("csv", "Gửi các dòng hoặc tệp CSV, không gửi cả hai")
        if request.csv:
            rows, refused = bulk_io.read_csv(request.csv)
        else:
            rows, refused = bulk_io.rows_from_pb(request.data_values), []
        cmd = bulk.ImportDataValues(
            tuple(rows), tuple(refused), request.dry_run, request.idempotency_key.strip(),
            request.reason,
        )
        summary = await bulk.import_data_values(cmd, self.c.uow(principal.username), principal,
                                                self.c.settings)
        return bulk_io.summary_pb(summary)

    async def ExportSubmissionXlsx(self, request, context):
        principal = principal_from(context)
        sub = await svc.get_submission(request.submission_id, self.c.uow(""), principal)
        return pb.SubmissionFile(
            content=submission_xlsx.export_workbook(sub, self._today()),
            content_type=submission_xlsx.MEDIA_TYPE, file_name=submission_xlsx.file_name(sub),
        )

    async def ImportSubmissionXlsx(self, request, context):
        principal = principal_from(context)
        cmd = bulk.ImportSubmissionFile(request.submission_id, request.content, request.dry_run,
                                        request.idempotency_key.strip(), request.reason)
        summary = await bulk.import_submission_file(
            cmd, self.c.uow(principal.username), principal, self.c.settings,
            submission_xlsx.read_workbook,
        )
        return bulk_io.summary_pb(summary)


def register(server: grpc.aio.Server, components: SubmissionComponents) -> None:
    submission_pb2_grpc.add_SubmissionServiceServicer_to_server(
        SubmissionServicer(components), server
    )
