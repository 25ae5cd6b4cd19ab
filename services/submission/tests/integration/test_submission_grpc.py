"""The submission service's gRPC API as the gateway calls it: the real runtime (SQLite, real
token validation), replicas fed as the catalog's events would, the holiday rule from the
environment, and statuses with field violations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_submission.adapters.calendar_replica import apply_calendar
from ktxh_submission.adapters.org_unit_replica import apply_unit
from ktxh_submission.bootstrap import definition
from ktxh_testing.servers import free_port
from ktxh_testing.submission_form import seed_001_lines
from submission_world import UNITS, seed_calendar


@pytest.fixture
async def grpc_env(tmp_path, monkeypatch, token_issuer) -> AsyncIterator[tuple]:
    monkeypatch.setenv("KTXH_SUBMISSION_HOLIDAYS", "2026-10-19, 2026-10-16")
    port = free_port()
    runtime = ServiceRuntime(definition(), settings_for(
        "submission", grpc_port=port, data_dir=tmp_path, oidc_issuer=token_issuer.issuer))
    await runtime.start()
    try:
        async with runtime.ctx.db.sessions() as session, session.begin():
            for uid, code, kind, parent in UNITS:
                await apply_unit(session, catalog_pb2.OrgUnit(
                    id=uid, code=code, kind=kind, parent_id=parent, province_code="31", version=1))
            await apply_calendar(session, seed_calendar())
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield submission_pb2_grpc.SubmissionServiceStub(channel), token_issuer
    finally:
        await runtime.stop()


def violations(err: grpc.aio.AioRpcError) -> dict[str, str]:
    out = {}
    for detail in rpc_status.from_call(err).details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


def form() -> list[pb.FormLine]:
    return [
        pb.FormLine(indicator_code=d["indicator_code"], name=d["name"], office_code=d["office_code"],
                    value_type=pb.ValueType.Value(f"VALUE_TYPE_{d['value_type'].upper()}"),
                    unit=d["unit"], required=True,
                    dimensions=[pb.FormDimension(code=x["code"], members=x["members"],
                                                 additive=x["additive"]) for x in d["dimensions"]])
        for d in seed_001_lines()
    ]


async def test_holidays_move_deadlines_and_errors_name_the_field(grpc_env):
    stub, issuer = grpc_env
    tong_hop = issuer.metadata("tong_hop")
    # 19/10 and 16/10 are holidays here: the report is due Thursday 15/10; the internal
    # deadlines count back from it (offices 3 days: Monday 12/10; the office 1 day: 14/10)
    period = await stub.GetPeriod(pb.GetPeriodRequest(calendar_code="LICH.HP2081",
                                                      period_code="2026-M10"), metadata=tong_hop)
    assert (period.rule_deadline, period.deadline) == ("2026-10-19", "2026-10-15")
    assert [d.due_date for d in period.internal_deadlines] == ["2026-10-12", "2026-10-14"]
    listed = await stub.ListPeriods(pb.ListPeriodsRequest(
        calendar_code="LICH.HP2081", kind=types_pb2.PERIOD_KIND_HALF_YEAR, year=2026), metadata=tong_hop)
    assert [(p.period.code, p.rule_deadline) for p in listed.periods] == [
        ("2026-H1", "2026-06-14"), ("2026-H2", "2026-12-14")]

    sub = await stub.OpenSubmission(pb.OpenSubmissionRequest(
        org_unit_code="10846", period_code="2026-M10", calendar_code="LICH.HP2081", lines=form()),
        metadata=tong_hop)
    assert sub.status == pb.SUBMISSION_STATUS_DRAFT and sub.deadline == "2026-10-15"

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.SaveFigures(pb.SaveFiguresRequest(submission_id=sub.id, figures=[
            pb.FigureEntry(key=figure_pb2.FigureKey(indicator_code="HP2081.XIII.09"), value="101"),
            pb.FigureEntry(key=figure_pb2.FigureKey(indicator_code="HP2081.XIII.09", kind=7), value="1"),
        ]), metadata=issuer.metadata("nhap_lieu"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violations(err.value) == {"figures[1].key.kind": "Loại số liệu 7 không hợp lệ"}
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.SaveFigures(pb.SaveFiguresRequest(submission_id=sub.id, figures=[
            pb.FigureEntry(key=figure_pb2.FigureKey(indicator_code="HP2081.XIII.09"), value="101")]),
            metadata=issuer.metadata("nhap_lieu"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "0 đến 100" in violations(err.value)["figures[0].value"]
    # the Front reads no report yet; leadership may read but never approve
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetSubmission(pb.GetSubmissionRequest(id=sub.id), metadata=issuer.metadata("mttq"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.AcceptSubmission(pb.AcceptSubmissionRequest(submission_id=sub.id),
                                    metadata=issuer.metadata("lanh_dao"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
