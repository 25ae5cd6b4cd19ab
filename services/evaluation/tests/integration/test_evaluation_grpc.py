"""The evaluation service's gRPC API on its real runtime (SQLite): every call authenticated from
the relayed token, statuses with field violations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh.evaluation.v1 import evaluation_pb2_grpc
from ktxh_evaluation.bootstrap import definition
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing.servers import free_port


@pytest.fixture
async def stub(tmp_path, token_issuer) -> AsyncIterator[evaluation_pb2_grpc.EvaluationServiceStub]:
    port = free_port()
    runtime = ServiceRuntime(definition(), settings_for("evaluation", grpc_port=port, data_dir=tmp_path,
                                                         oidc_issuer=token_issuer.issuer))
    await runtime.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield evaluation_pb2_grpc.EvaluationServiceStub(channel)
    finally:
        await runtime.stop()


def violations(err: grpc.aio.AioRpcError) -> dict[str, str]:
    out = {}
    for detail in rpc_status.from_call(err).details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


async def test_calls_are_authenticated_and_refusals_carry_statuses(stub, token_issuer):
    for metadata in ([], [("authorization", "Bearer garbage")],
                     [("authorization", f"Bearer {token_issuer.expired_token()}")]):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ListRounds(pb.ListRoundsRequest(), metadata=metadata)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED

    planner = token_issuer.metadata("ke_hoach")
    assert list((await stub.ListRounds(pb.ListRoundsRequest(year=2026), metadata=planner)).rounds) == []
    empty = await stub.ListEvaluations(pb.ListEvaluationsRequest(), metadata=planner)
    assert empty.total_size == 0

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.OpenRound(pb.OpenRoundRequest(year=1999), metadata=planner)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(err.value)) == {"criteria_set_id", "year"}

    with pytest.raises(grpc.aio.AioRpcError) as err:  # a commune does not open rounds
        await stub.OpenRound(pb.OpenRoundRequest(year=2026, criteria_set_id="X"),
                             metadata=token_issuer.metadata("chu_tich"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetEvaluation(pb.GetEvaluationRequest(id="khong-co"), metadata=planner)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.SaveScores(pb.SaveScoresRequest(evaluation_id="x", scores=[
            pb.CriterionScore(criterion_code="1", self_score="mười")]),
            metadata=token_issuer.metadata("tong_hop"))
    assert violations(err.value) == {"scores[0].score": "Điểm không hợp lệ: 'mười'"}
