"""The evaluation use cases on the real database (SQLite and PostgreSQL): scope filtered in SQL,
report timeliness fed by the submission events, the outbox written in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from evaluation_peers import (
    CHU_TICH,
    ID,
    KE_HOACH,
    LANH_DAO,
    OTHER_LEADER,
    TONG_HOP,
    FakeEvidence,
    figure,
)
from ktxh.common.v1 import envelope_pb2
from ktxh.evaluation.v1 import events_pb2 as ev_pb
from ktxh.submission.v1 import events_pb2 as sub_events
from ktxh.submission.v1 import submission_pb2
from ktxh_evaluation.adapters import tables
from ktxh_evaluation.adapters.report_replica import HANDLERS
from ktxh_evaluation.domain.evaluations import EvaluationStatus
from ktxh_evaluation.domain.scoring import Comparison, CompletionLevel
from ktxh_evaluation.service_layer import evaluations as svc
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter
from ktxh_platform.domain import NotFound, PreconditionFailed


async def _sent(db, sid, unit, period, state, days=0, version=1, accepted=False):
    s = submission_pb2.Submission(id=sid, org_unit_id=unit, province_code="31", version=version)
    s.period.code = period
    s.timeliness.state, s.timeliness.days_late = state, days
    event = (sub_events.SubmissionAccepted if accepted else sub_events.SubmissionSent)(submission=s)
    async with db.sessions() as session, session.begin():
        await HANDLERS[type(event)](session, event, None)


async def test_round_scores_rank_and_scope_on_the_database(evaluation_db, uow_factory):
    db = evaluation_db
    await _sent(db, "s1", ID["10846"], "2026-Q1", "on_time")
    await _sent(db, "s1", ID["10846"], "2026-Q1", "on_time", version=2, accepted=True)
    await _sent(db, "s2", ID["10846"], "2026-Q2", "late", 4)  # sent late, not yet accepted
    src = FakeEvidence(indicators={"10846": [
        figure("THU_NS", "95", "100"), figure("TY_LE_NGHEO", "1.9", "2.0", Comparison.AT_MOST),
        figure("BHYT", "92", comparison=Comparison.RANGE, low="80", high="90")]})
    rnd = await svc.open_round(svc.OpenRound(
        "TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 1, 15),
        evaluation_deadline=date(2027, 1, 31), report_period_codes=["2026-Q1", "2026-Q2"]),
        uow_factory(), KE_HOACH, src)

    mine, _, total = await svc.list_evaluations(EvaluationFilter(round_id=rnd.id), uow_factory(), CHU_TICH)
    assert total == 1 and mine[0].org_unit.code == "10846"  # the commune sees only itself
    e = mine[0]
    # 50 × (0.95 + 1 + 90/92) / 3 = 48.80; reports: (1 + 0.5 × 0.5) / 2 → 10 × 62.5% = 6.25
    assert e.scores["1"].suggested_score == D("48.80")
    assert e.scores["3"].suggested_score == D("6.25")
    assert [x.label for x in e.scores["3"].evidence] == [
        "Báo cáo kỳ 2026-Q1: gửi đúng hạn", "Báo cáo kỳ 2026-Q2: gửi trễ 4 ngày, thiếu số liệu bắt buộc"]
    with pytest.raises(NotFound):
        await svc.get_evaluation(e.id, uow_factory(), OTHER_LEADER)

    e = await svc.save_self_scores(svc.SaveScores(e.id, [
        svc.ScoreInput("2", D(20), "Hoàn thành cả hai nhiệm vụ"), svc.ScoreInput("4", D(18), "")]),
        uow_factory(), TONG_HOP)
    with pytest.raises(PreconditionFailed):
        await svc.check_self_evaluation(svc.Step(e.id, e.version - 1), uow_factory(), TONG_HOP)
    e = await svc.check_self_evaluation(svc.Step(e.id, e.version), uow_factory(), TONG_HOP)
    e = await svc.submit_self_evaluation(svc.Step(e.id, e.version), uow_factory(), CHU_TICH)
    e = await svc.finalize_evaluation(svc.Step(e.id), uow_factory(), LANH_DAO)
    assert (e.status, e.total, e.level) == (EvaluationStatus.FINALIZED, D("93.05"), CompletionLevel.EXCELLENT)

    ranking = await svc.rankings(rnd.id, uow_factory(), LANH_DAO)
    assert [(r.rank, r.evaluation.org_unit.code) for r in ranking.units] == [(1, "10846")]
    assert ranking.count_by_level[CompletionLevel.EXCELLENT] == 1

    async with db.sessions() as session:
        rows = (await session.execute(sa.select(tables.outbox.c.event_type, tables.outbox.c.payload))).all()
    types = [r.event_type for r in rows]
    assert types.count("ktxh.evaluation.v1.RoundOpened") == 1
    assert "ktxh.evaluation.v1.SelfEvaluationSubmitted" in types
    final = next(r for r in rows if r.event_type == "ktxh.evaluation.v1.EvaluationFinalized")
    msg = ev_pb.EvaluationFinalized()
    env = envelope_pb2.EventEnvelope()
    env.ParseFromString(final.payload)
    env.payload.Unpack(msg)
    assert (msg.evaluation.org_unit_code, msg.evaluation.total_score) == ("10846", "93.05")
    assert msg.evaluation.completion_level == 1  # COMPLETION_LEVEL_EXCELLENT
