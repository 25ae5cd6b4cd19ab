"""The assignment service's gRPC API on its real runtime (SQLite): every call authenticated
from the relayed token, statuses with field violations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ktxh.assignment.v1 import assignment_pb2 as pb
from ktxh.assignment.v1 import assignment_pb2_grpc
from ktxh_assignment.bootstrap import definition
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing.servers import free_port


@pytest.fixture
async def stub(tmp_path, monkeypatch, token_issuer) -> AsyncIterator[assignment_pb2_grpc.AssignmentServiceStub]:
    monkeypatch.setenv("KTXH_ASSIGNMENT_ACK_REMINDER_INTERVAL_SECONDS", "0")
    port = free_port()
    runtime = ServiceRuntime(definition(), settings_for("assignment", grpc_port=port, data_dir=tmp_path,
                                                         oidc_issuer=token_issuer.issuer))
    await runtime.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield assignment_pb2_grpc.AssignmentServiceStub(channel)
    finally:
        await runtime.stop()


def violations(err: grpc.aio.AioRpcError) -> dict[str, str]:
    out = {}
    for detail in rpc_status.from_call(err).details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


async def test_calls_without_a_valid_token_are_refused(stub, token_issuer):
    for metadata in ([], [("authorization", "Bearer garbage")], [("authorization", f"Bearer {token_issuer.expired_token()}")]):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ListDecisions(pb.ListDecisionsRequest(), metadata=metadata)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateDecision(pb.CreateDecisionRequest(decision=pb.Decision(year=2026)), metadata=[])
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_reads_writes_and_refusals_carry_statuses(stub, token_issuer):
    planner = token_issuer.metadata("ke_hoach")
    empty = await stub.ListDecisions(pb.ListDecisionsRequest(), metadata=planner)
    assert list(empty.decisions) == [] and empty.total_size == 0

    with pytest.raises(grpc.aio.AioRpcError) as err:  # no year nor plan period
        await stub.CreateDecision(pb.CreateDecisionRequest(decision=pb.Decision(issuer_unit_id="u-x")), metadata=planner)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "year" in violations(err.value)

    with pytest.raises(grpc.aio.AioRpcError) as err:  # a data-entry clerk issues nothing
        await stub.CreateDecision(pb.CreateDecisionRequest(decision=pb.Decision(issuer_unit_id="u-x", year=2026)),
                                  metadata=token_issuer.metadata("nhap_lieu"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetAssignment(pb.GetAssignmentRequest(id="khong-co"), metadata=planner)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ListAssignments(pb.ListAssignmentsRequest(in_force_on="2026-13-01"), metadata=planner)
    assert "in_force_on" in violations(err.value)
