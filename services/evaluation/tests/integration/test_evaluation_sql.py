"""The evaluation use cases on the real database (SQLite and PostgreSQL): scope filtered in SQL,
report timeliness fed by the submission events, the outbox written in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from evaluation_peers import (
    CHU_TICH,
    COMMUNES,
    ID,
    KE_HOACH,
    LANH_DAO,
    OTHER_LEADER,
    TONG_HOP,
    FakeEvidence,
    figure,
)
from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.evaluation.v1 import events_pb2 as ev_pb
from ktxh.submission.v1 import events_pb2 as sub_events
from ktxh.submission.v1 import submission_pb2
from ktxh_evaluation.adapters import tables
from ktxh_evaluation.adapters.report_replica import HANDLERS
from ktxh_evaluation.domain.evaluations import EvaluationStatus
from ktxh_evaluation.domain.scoring import Comparison, CompletionLevel, TaskResult
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

    # The published edition on the database: frozen header and rows, the rows read through the
    # caller's scope in SQL, the event in the outbox
    edition = await svc.publish_results(rnd.id, "", uow_factory(), LANH_DAO)
    mine = await svc.get_result_edition(rnd.id, 1, uow_factory(), CHU_TICH)
    assert [(r.rank, r.org_unit.code, r.total, r.group_scores) for r in mine.rows] == [
        (1, "10846", D("93.05"), (D("48.80"), D(20), D("6.25"), D(18)))]
    other = await svc.get_result_edition(rnd.id, 1, uow_factory(), OTHER_LEADER)
    # another commune: only its own row, without a result (its evaluation is not final)
    assert [(r.org_unit.code, r.rank, r.total) for r in other.rows] == [("11311", None, None)]
    assert other.unit_count == 3 and other.id == edition.id
    second = await svc.publish_results(rnd.id, "lần 2", uow_factory(), LANH_DAO)
    assert second.revision == 2
    assert [x.revision for x in await svc.list_result_editions(rnd.id, uow_factory(), OTHER_LEADER)] == [2, 1]
    async with db.sessions() as session:
        types = (await session.execute(sa.select(tables.outbox.c.event_type))).scalars().all()
    assert types.count("ktxh.evaluation.v1.ResultsPublished") == 2


async def _report(db, event_type, sid, unit, period, version, *, state="on_time", figures=(),
                  tasks=()):
    """A submission event as the submission service publishes it: its period, timeliness,
    figures with the targets shown beside them, and key-task progress."""
    s = submission_pb2.Submission(id=sid, org_unit_id=unit, province_code="31", version=version)
    _, _, number = period.partition("-Q")
    s.period.code, s.period.year = period, int(period[:4])
    s.period.kind, s.period.number = (types_pb2.PERIOD_KIND_QUARTER, int(number)) if number else (
        types_pb2.PERIOD_KIND_YEAR, 0)
    s.timeliness.state = state
    for code, value, target, members in figures:
        f = s.figures.add(value=value)
        f.key.indicator_code, f.key.kind = code, figure_pb2.FIGURE_KIND_ACTUAL
        if members:
            f.key.members.add(dimension_code="GT", member_code="NAM")
        if target:
            c = s.context.add(target_value=target)
            c.key.CopyFrom(f.key)
    for task_id, status, percent in tasks:
        s.task_progress.add(key_task_id=task_id, status=status, percent_done=percent)
    event = event_type(submission=s)
    async with db.sessions() as session, session.begin():
        await HANDLERS[type(event)](session, event, None)


async def test_suggestions_follow_the_submission_events_until_the_round_closes(evaluation_db, uow_factory):
    db = evaluation_db
    src = FakeEvidence(
        indicators={"10846": [figure("THU_NS", None, "100"),  # no figure yet: 0
                              figure("TY_LE_NGHEO", "2.5", "2.0", Comparison.AT_MOST),  # 0.8
                              figure("BHYT", None, comparison=Comparison.RANGE, low="80", high="90")]},
        tasks={"10846": [TaskResult("NV1", "Đường liên xã", date(2026, 9, 30), progress_known=False),
                         TaskResult("NV2", "Chợ", date(2026, 6, 30), progress_known=False)]},
        units=[COMMUNES[0]])
    rnd = await svc.open_round(svc.OpenRound(
        "TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 1, 15),
        evaluation_deadline=date(2027, 1, 31), report_period_codes=["2026-Q3", "2026"]),
        uow_factory(), KE_HOACH, src)
    (e,), _, _ = await svc.list_evaluations(EvaluationFilter(round_id=rnd.id), uow_factory(), KE_HOACH)

    def scores(ev):
        return tuple(ev.scores[c].suggested_score for c in ("1", "2", "3"))

    # 50 × 0.8/3 = 13.33; no task with progress; both reports missing
    assert scores(e) == (D("13.33"), D("0.00"), D("0.00"))
    e = await svc.save_self_scores(svc.SaveScores(e.id, [svc.ScoreInput("1", D(30), "Số liệu cục thống kê")]),
                                   uow_factory(), TONG_HOP)

    async def current():
        return (await svc.get_evaluation(e.id, uow_factory(), KE_HOACH))[0]

    done = submission_pb2.TASK_STATUS_DONE
    # Q3 sent (not yet accepted): on time × 0.5 incomplete, the year missing → 10 × 25% = 2.5;
    # its task progress does not count until accepted
    await _report(db, sub_events.SubmissionSent, "q3", ID["10846"], "2026-Q3", 1, tasks=[("NV1", done, 100)])
    assert scores(await current()) == (D("13.33"), D("0.00"), D("2.50"))
    # Q3 accepted: complete → 10 × 50% = 5; NV1 done in a report whose period began by its
    # deadline → on time: 20 × 1 = 20 (NV2 still without progress: not counted)
    await _report(db, sub_events.SubmissionAccepted, "q3", ID["10846"], "2026-Q3", 2, tasks=[("NV1", done, 100)])
    assert scores(await current()) == (D("13.33"), D("20.00"), D("5.00"))
    # The year's report accepted: its own totals (not the per-member figure) beside the targets
    # it showed: all met → 50; NV2 at 100% → 20; both reports on time → 10
    figures = [("THU_NS", "102", "100", False), ("THU_NS", "5", "", True),
               ("TY_LE_NGHEO", "1.8", "", False), ("BHYT", "85", "", False)]
    await _report(db, sub_events.SubmissionAccepted, "y", ID["10846"], "2026", 3, figures=figures,
                  tasks=[("NV2", submission_pb2.TASK_STATUS_IN_PROGRESS, 100)])
    e2 = await current()
    assert scores(e2) == (D("50.00"), D("20.00"), D("10.00"))
    assert [x.actual for x in e2.scores["1"].evidence] == ["102", "1,8", "85"]
    assert e2.scores["1"].self_score == D(30)  # the unit's own score stays
    last = [h for h in e2.history if h.action == "suggest" and h.criterion_code == "1"][-1]
    assert (last.by, last.before, last.after) == ("hệ thống", "13.33", "50.00")
    assert last.reason.startswith("Báo cáo kỳ 2026 được tiếp nhận: 3/3 chỉ tiêu đạt")
    # Reopened: its figures no longer count ("chưa có số liệu"), the year's report is no longer
    # complete: (1 + 0.5)/2 → 7.5; the tasks keep what was accepted
    await _report(db, sub_events.SubmissionReopened, "y", ID["10846"], "2026", 4, figures=figures)
    assert scores(await current()) == (D("0.00"), D("20.00"), D("7.50"))

    # Closed round: suggestions no longer move
    rnd = await svc.get_round(rnd.id, uow_factory(), KE_HOACH)
    await svc.close_round(svc.Step(rnd.id, rnd.version), uow_factory(), LANH_DAO)
    await _report(db, sub_events.SubmissionAccepted, "y", ID["10846"], "2026", 5, figures=figures)
    assert scores(await current()) == (D("0.00"), D("20.00"), D("7.50"))
