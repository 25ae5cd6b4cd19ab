"""gRPC of the key-task summary and target fulfilment (mixed into `grpc_api.ReportingServicer`):
each RPC translates the request, runs one use case, translates the answer."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf import timestamp_pb2

from ktxh.common.v1 import types_pb2
from ktxh.reporting.v1 import reporting_pb2 as pb
from ktxh_platform.rpc import principal_from
from ktxh_platform.runtime import ServiceContext
from ktxh_reporting.adapters.key_task_store import SqlKeyTaskReads
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.domain.periods import Period
from ktxh_reporting.service_layer import fulfilment, key_tasks
from ktxh_reporting.service_layer.report_kinds import VIETNAM, end_of_day


def _group_pb(g: key_tasks.GroupCount) -> pb.KeyTaskGroupCount:
    return pb.KeyTaskGroupCount(key=g.key, label=g.label, total=g.total, done=g.done, overdue=g.overdue,
                                count_by_status=g.by_status)


def _period_pb(p: Period) -> types_pb2.Period:
    return types_pb2.Period(code=p.code, year=p.year, number=p.number, end_year=p.end_year,
                            as_of=p.as_of.isoformat() if p.as_of else "",
                            kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{p.kind.value.upper()}"))


class KindsServicer:
    ctx: ServiceContext

    async def GetKeyTaskSummary(self, request, context):  # noqa: N802
        query = key_tasks.GetKeyTaskSummary(org_unit_code=request.org_unit_code, org_unit_id=request.org_unit_id,
                                            as_of=request.as_of, year=request.year)
        async with self.ctx.db.sessions() as session:
            s = await key_tasks.get_key_task_summary(query, ReadModel(session), SqlKeyTaskReads(session),
                                                     principal_from(context),
                                                     datetime.now(VIETNAM).date(), end_of_day)
        rows = []
        for ln in s.lines:
            row = pb.KeyTaskSummaryRow(
                key_task_id=ln.task.key_task_id, key_task_code=ln.task.code, title=ln.task.title,
                field=ln.task.field, lead_unit_id=ln.unit.id, lead_unit_code=ln.unit.code,
                lead_unit_name=ln.unit.name, deadline=ln.task.deadline, status=ln.status,
                percent_complete=ln.percent_done, overdue=ln.overdue, assignment_id=ln.task.assignment_id,
                reported_period_code=ln.progress.period_code if ln.progress else "",
                results=ln.progress.results if ln.progress else "")
            if ln.progress is not None:
                ts = timestamp_pb2.Timestamp()
                ts.FromDatetime(ln.progress.accepted_at.astimezone(UTC))
                row.reported_at.CopyFrom(ts)
            rows.append(row)
        return pb.GetKeyTaskSummaryResponse(
            tasks=rows, count_by_status=s.count_by_status(), overdue_count=s.overdue_count,
            by_lead_unit=[_group_pb(g) for g in s.by_lead_unit()],
            by_field=[_group_pb(g) for g in s.by_field()], as_of=s.as_of.isoformat(), year=s.year,
            org_unit_code=s.unit.code, org_unit_name=s.unit.name)

    async def GetTargetFulfilment(self, request, context):  # noqa: N802
        async with self.ctx.db.sessions() as session:
            f = await fulfilment.get_fulfilment(
                fulfilment.GetTargetFulfilment(request.org_unit_code, request.period_code),
                ReadModel(session), SqlKeyTaskReads(session), principal_from(context),
                datetime.now(VIETNAM).date())
        return pb.GetTargetFulfilmentResponse(period=_period_pb(f.period), rows=[
            pb.TargetFulfilmentRow(
                org_unit_id=r.unit.id, org_unit_code=r.unit.code, org_unit_name=r.unit.name,
                is_total=r.is_total, assigned_count=r.assigned, achieved_count=r.achieved,
                at_risk_count=r.at_risk, missed_count=r.missed, no_data_count=r.no_data,
                not_assessed_count=r.not_assessed, achieved_percent="" if r.achieved_percent is None else str(r.achieved_percent))
            for r in f.rows])
