"""The evaluation use cases against the in-memory unit of work and fake peers: a round for three
communes, Hà Tây self-evaluates through its chain, the province adjusts and finalizes, ranking,
review once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from evaluation_fakes import FakeUnitOfWork, Store
from evaluation_peers import (
    ADMIN,
    CHU_TICH,
    ID,
    KE_HOACH,
    LANH_DAO,
    OTHER_LEADER,
    TONG_HOP,
    FakeEvidence,
    figure,
)
from ktxh_evaluation.domain.evaluations import (
    EvaluationFinalized,
    EvaluationReopened,
    EvaluationStatus,
    ReviewRequested,
    SelfEvaluationSubmitted,
)
from ktxh_evaluation.domain.results import ResultsPublished
from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    ReportResult,
    ReportState,
    TaskResult,
)
from ktxh_evaluation.service_layer import evaluations as svc
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter
from ktxh_platform.auth.principal import AuthorizationError
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound

OPEN = svc.OpenRound("TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 1, 15),
                     evaluation_deadline=date(2027, 1, 31),
                     report_period_codes=["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"],
                     mandatory_criterion_codes=["3"])


def evidence() -> FakeEvidence:
    return FakeEvidence(
        indicators={
            "10846": [figure("THU_NS", "95", "100"),  # 0.95
                      figure("TY_LE_NGHEO", "2.5", "2.0", Comparison.AT_MOST),  # 0.8
                      figure("BHYT", "85", comparison=Comparison.RANGE, low="80", high="90")],  # 1
            "11311": [figure("THU_NS", "120", "100"), figure("TY_LE_NGHEO", "1.5", "2.0", Comparison.AT_MOST),
                      figure("BHYT", "88", comparison=Comparison.RANGE, low="80", high="90")],
            # 10900 reported nothing
        },
        tasks={
            "10846": [TaskResult("NV1", "Đường liên xã", date(2026, 9, 30), date(2026, 9, 1)),
                      TaskResult("NV2", "Chợ", date(2026, 6, 30), date(2026, 7, 10))],  # (1+0.5)/2
            "11311": [TaskResult("NV1", "Đường liên xã", date(2026, 9, 30), date(2026, 9, 30))],
        },
    )


def reports() -> dict:
    return {
        ID["10846"]: [ReportResult("s1", "2026-Q1", ReportState.ON_TIME),
                      ReportResult("s2", "2026-Q2", ReportState.ON_TIME),
                      ReportResult("s3", "2026-Q3", ReportState.LATE, 3),
                      ReportResult("s4", "2026-Q4", ReportState.ON_TIME)],  # 3.5/4
        ID["11311"]: [ReportResult(f"t{i}", f"2026-Q{i}", ReportState.ON_TIME) for i in range(1, 5)],
    }


@pytest.fixture
def store() -> Store:
    return Store(reports=reports())


def uow(store):
    return FakeUnitOfWork(store)


async def _open(store, src=None):
    rnd = await svc.open_round(OPEN, uow(store), KE_HOACH, src or evidence())
    rows, _, _ = await svc.list_evaluations(EvaluationFilter(round_id=rnd.id), uow(store), KE_HOACH)
    return rnd, {e.org_unit.code: e for e in rows}


async def test_round_gives_each_commune_traceable_suggestions(store):
    rnd, by_unit = await _open(store)
    assert rnd.rules.criterion("3").mandatory
    assert set(by_unit) == {"10846", "11311", "10900"}
    hatay = by_unit["10846"].scores
    # 50 × (0.95 + 0.8 + 1)/3 = 45.83; 20 × 1.5/2 = 15; 10 × 3.5/4 = 8.75; manual: none
    assert (hatay["1"].suggested_score, hatay["2"].suggested_score, hatay["3"].suggested_score) == (
        D("45.83"), D("15.00"), D("8.75"))
    assert hatay["4"].suggested_score is None
    assert [e.ref for e in hatay["1"].evidence] == ["THU_NS", "TY_LE_NGHEO", "BHYT"]
    assert "2/3 báo cáo" not in hatay["3"].suggestion_basis
    assert hatay["3"].suggestion_basis == ("3/4 báo cáo gửi đúng hạn, đầy đủ; điểm = 10 × 87,5% "
                                           "= 8,75")
    third = by_unit["10900"].scores
    assert third["1"].suggested_score == 0 and third["3"].suggested_score == 0
    assert third["3"].evidence[0].label == "Báo cáo kỳ 2026-Q1: không gửi"


async def test_full_path_self_evaluation_evaluation_ranking_review(store):
    rnd, by_unit = await _open(store)
    hatay = by_unit["10846"]
    # The commune's consolidating office scores the manual criterion and changes one suggestion
    # (needs a reason), then sends it to its leader, who sends it to the province.
    with pytest.raises(InvalidArgument) as err:
        await svc.save_self_scores(svc.SaveScores(hatay.id, [svc.ScoreInput("2", D(18))]),
                                   uow(store), TONG_HOP)
    assert err.value.violations[0].field == "scores[0].comment"
    e = await svc.save_self_scores(svc.SaveScores(hatay.id, [
        svc.ScoreInput("2", D(18), "Chợ hoàn thành trễ do mưa bão, đã có văn bản gia hạn",
                       ("doc-1",)),
        svc.ScoreInput("4", D(18), "Tự chấm"),
    ], expected_version=hatay.version), uow(store), TONG_HOP)
    assert e.scores["2"].self_score == D(18) and e.scores["2"].suggested_score == D(15)
    assert e.scores["2"].document_ids == ("doc-1",)
    assert e.self_total == D("45.83") + 18 + D("8.75") + 18
    with pytest.raises(AuthorizationError):  # the consolidator cannot send it to the province
        await svc.submit_self_evaluation(svc.Step(e.id, e.version), uow(store), TONG_HOP)
    with pytest.raises(NotFound):  # another commune does not even see it
        await svc.check_self_evaluation(svc.Step(e.id, e.version), uow(store), OTHER_LEADER)
    with pytest.raises(AuthorizationError):  # the province does not self-evaluate for a unit
        await svc.save_self_scores(svc.SaveScores(e.id, []), uow(store), ADMIN)
    e = await svc.check_self_evaluation(svc.Step(e.id, e.version), uow(store), TONG_HOP)
    assert e.status is EvaluationStatus.CHECKED
    e = await svc.submit_self_evaluation(svc.Step(e.id, e.version), uow(store), CHU_TICH)
    assert e.status is EvaluationStatus.SUBMITTED
    assert any(isinstance(ev, SelfEvaluationSubmitted) for ev in store.outbox)

    # The province adjusts another criterion with a reason; the self score stays beside it.
    with pytest.raises(AuthorizationError):
        await svc.adjust_scores(svc.SaveScores(e.id, []), uow(store), CHU_TICH)
    e = await svc.adjust_scores(svc.SaveScores(e.id, [
        svc.ScoreInput("4", D(15), "Còn chậm trong chỉ đạo giải ngân đầu tư công")],
        expected_version=e.version), uow(store), KE_HOACH)
    assert (e.scores["4"].self_score, e.scores["4"].score) == (D(18), D(15))
    with pytest.raises(AuthorizationError):  # finalizing needs the approve grant
        await svc.finalize_evaluation(svc.Step(e.id, e.version), uow(store), KE_HOACH)
    e = await svc.finalize_evaluation(svc.Step(e.id, e.version), uow(store), LANH_DAO)
    # 45.83 + 18 + 8.75 + 15 = 87.58 → "hoàn thành tốt" (excellent from 90)
    assert (e.total, e.level) == (D("87.58"), CompletionLevel.GOOD)
    assert any(isinstance(ev, EvaluationFinalized) for ev in store.outbox)
    assert [(h.action, h.criterion_code, h.before, h.after) for h in e.history
            if h.action in ("self_score", "score")] == [
        ("self_score", "2", "15.00", "18"), ("self_score", "4", "", "18"), ("score", "4", "18", "15")]

    # Other communes: 11311 all achieved → excellent; 10900 nothing → manual scored only.
    other = by_unit["11311"]
    o = await svc.save_self_scores(svc.SaveScores(other.id, [svc.ScoreInput("4", D(19), "")]),
                                   uow(store), OTHER_LEADER)
    o = await svc.check_self_evaluation(svc.Step(o.id), uow(store), OTHER_LEADER)
    o = await svc.submit_self_evaluation(svc.Step(o.id), uow(store), OTHER_LEADER)
    o = await svc.finalize_evaluation(svc.Step(o.id), uow(store), ADMIN)
    assert (o.total, o.level) == (D(99), CompletionLevel.EXCELLENT)

    ranking = await svc.rankings(rnd.id, uow(store), LANH_DAO)
    assert [(r.rank, r.evaluation.org_unit.code) for r in ranking.units] == [(1, "11311"), (2, "10846")]
    assert ranking.count_by_level[CompletionLevel.GOOD] == 1
    own = await svc.rankings(rnd.id, uow(store), CHU_TICH)  # a commune sees only its own row
    assert [r.evaluation.org_unit.code for r in own.units] == ["10846"]

    # Review: once, within the configured days.
    rules = svc.EvaluationRules(review_days=10)
    late = datetime.now(UTC) + timedelta(days=11)
    with pytest.raises(Conflict, match="quá 10 ngày"):
        await svc.request_review(svc.Step(e.id, e.version, "xin xem lại"), uow(store), CHU_TICH, rules, late)
    e = await svc.request_review(svc.Step(e.id, e.version, "Tiêu chí 4 đã hoàn thành giải ngân 95%"),
                                 uow(store), CHU_TICH, rules)
    assert e.status is EvaluationStatus.REVIEW_REQUESTED
    assert any(isinstance(ev, ReviewRequested) for ev in store.outbox)
    e = await svc.adjust_scores(svc.SaveScores(e.id, [svc.ScoreInput("4", D(17), "Chấp nhận một phần")]),
                                uow(store), KE_HOACH)
    e = await svc.answer_review(svc.Step(e.id, e.version, "Điều chỉnh tiêu chí 4 lên 17 điểm"),
                                uow(store), LANH_DAO)
    assert (e.status, e.total, e.review_answer) == (
        EvaluationStatus.FINALIZED, D("89.58"), "Điều chỉnh tiêu chí 4 lên 17 điểm")
    with pytest.raises(Conflict, match="một lần"):
        await svc.request_review(svc.Step(e.id, e.version, "lần hai"), uow(store), CHU_TICH, rules)

    # Reopen (ReopenEvaluation): the province's leadership only, with a reason; back to
    # "submitted" for another adjustment, then final again.
    with pytest.raises(AuthorizationError):
        await svc.reopen_evaluation(svc.Step(e.id, e.version, "sai số"), uow(store), CHU_TICH)
    with pytest.raises(InvalidArgument) as err:
        await svc.reopen_evaluation(svc.Step(e.id, e.version, " "), uow(store), LANH_DAO)
    assert err.value.violations[0].field == "reason"
    e = await svc.reopen_evaluation(svc.Step(e.id, e.version, "Nhập nhầm điểm tiêu chí 4"),
                                    uow(store), LANH_DAO)
    assert (e.status, e.finalized_at) == (EvaluationStatus.SUBMITTED, None)
    assert any(isinstance(ev, EvaluationReopened) and ev.reason == "Nhập nhầm điểm tiêu chí 4"
               for ev in store.outbox)
    assert (e.history[-1].before, e.history[-1].after) == ("finalized", "submitted")
    e = await svc.adjust_scores(svc.SaveScores(e.id, [svc.ScoreInput("4", D(16), "Sửa nhầm")]),
                                uow(store), KE_HOACH)
    e = await svc.finalize_evaluation(svc.Step(e.id, e.version), uow(store), LANH_DAO)
    assert (e.status, e.total) == (EvaluationStatus.FINALIZED, D("88.58"))
    with pytest.raises(Conflict):  # only a final result can be reopened
        await svc.reopen_evaluation(svc.Step(by_unit["10900"].id, 0, "x"), uow(store), LANH_DAO)

    # Results published as a frozen edition: final results ranked, the unit without one after.
    with pytest.raises(AuthorizationError):  # publishing is the leadership's (approve)
        await svc.publish_results(rnd.id, "", uow(store), KE_HOACH)
    ed1 = await svc.publish_results(rnd.id, "QĐ 12/QĐ-UBND công bố kết quả", uow(store), LANH_DAO)
    assert (ed1.revision, ed1.unit_count, [g.code for g in ed1.groups]) == (1, 3, ["1", "2", "3", "4"])
    assert [(r.rank, r.org_unit.code, r.total, r.level) for r in ed1.rows] == [
        (1, "11311", D(99), CompletionLevel.EXCELLENT), (2, "10846", D("88.58"), CompletionLevel.GOOD),
        (None, "10900", None, None)]
    assert ed1.rows[1].group_scores == (D("45.83"), D(18), D("8.75"), D(16))
    assert any(isinstance(ev, ResultsPublished) for ev in store.outbox)
    # A correction changes the live result, not the edition: publishing again makes revision 2.
    e = await svc.reopen_evaluation(svc.Step(e.id, e.version, "Bổ sung minh chứng tiêu chí 4"),
                                    uow(store), LANH_DAO)
    e = await svc.adjust_scores(svc.SaveScores(e.id, [svc.ScoreInput("4", D(20), "Đủ minh chứng")]),
                                uow(store), KE_HOACH)
    e = await svc.finalize_evaluation(svc.Step(e.id, e.version), uow(store), LANH_DAO)
    assert (e.total, e.level) == (D("92.58"), CompletionLevel.EXCELLENT)
    ed2 = await svc.publish_results(rnd.id, "", uow(store), ADMIN)
    assert [(r.rank, r.org_unit.code, r.total) for r in ed2.rows][:2] == [(1, "11311", D(99)), (2, "10846", D("92.58"))]
    again = await svc.get_result_edition(rnd.id, 1, uow(store), LANH_DAO)
    assert [(r.org_unit.code, r.total) for r in again.rows][:2] == [("11311", D(99)), ("10846", D("88.58"))]
    assert [x.revision for x in await svc.list_result_editions(rnd.id, uow(store), CHU_TICH)] == [2, 1]
    own = await svc.get_result_edition(rnd.id, 2, uow(store), CHU_TICH)  # a commune: its own row
    assert [r.org_unit.code for r in own.rows] == ["10846"] and own.unit_count == 3
    with pytest.raises(NotFound):
        await svc.get_result_edition(rnd.id, 3, uow(store), LANH_DAO)


async def test_mandatory_zero_caps_the_level(store):
    store.reports = {ID["11311"]: []}  # 11311 sent no report: mandatory criterion 3 scores 0
    _, by_unit = await _open(store)
    o = by_unit["11311"]
    o = await svc.save_self_scores(svc.SaveScores(o.id, [svc.ScoreInput("4", D(20), "")]),
                                   uow(store), OTHER_LEADER)
    o = await svc.check_self_evaluation(svc.Step(o.id), uow(store), OTHER_LEADER)
    o = await svc.submit_self_evaluation(svc.Step(o.id), uow(store), OTHER_LEADER)
    o = await svc.finalize_evaluation(svc.Step(o.id), uow(store), ADMIN)
    assert o.total == D(90) and o.level is CompletionLevel.GOOD
    assert "tiêu chí bắt buộc 3 bị 0 điểm" in o.classification_reason


async def test_suggestions_follow_new_evidence_until_final(store):
    src = evidence()
    _, by_unit = await _open(store, src)
    third = by_unit["10900"]
    src.indicators["10900"] = [figure("THU_NS", "100", "100")]
    store.reports[ID["10900"]] = [ReportResult("x1", "2026-Q1", ReportState.ON_TIME)]
    e, _ = await svc.refresh_suggestions(third.id, uow(store), ADMIN, src)
    # the one indicator with a target is met; the two others have neither target nor figure
    assert e.scores["1"].suggested_score == D("50.00")
    assert e.scores["3"].suggested_score == D("2.50")
    assert e.version == third.version + 1
    assert [(h.criterion_code, h.before, h.after) for h in e.history if h.action == "suggest"][-2:] == [
        ("1", "0.00", "50.00"), ("3", "0.00", "2.50")]


async def test_opening_needs_the_managing_role_and_valid_input(store):
    with pytest.raises(AuthorizationError):
        await svc.open_round(OPEN, uow(store), CHU_TICH, evidence())
    bad = svc.OpenRound("TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 2, 1),
                        evaluation_deadline=date(2027, 1, 1), mandatory_criterion_codes=["9"])
    with pytest.raises(InvalidArgument) as err:
        await svc.open_round(bad, uow(store), ADMIN, evidence())
    assert err.value.violations[0].field == "mandatory_criterion_codes[0]"
    bad = svc.OpenRound("TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 2, 1),
                        evaluation_deadline=date(2027, 1, 1))
    with pytest.raises(InvalidArgument) as err:
        await svc.open_round(bad, uow(store), ADMIN, evidence())
    assert [v.field for v in err.value.violations] == ["evaluation_deadline"]
    await svc.open_round(OPEN, uow(store), ADMIN, evidence())
    with pytest.raises(Conflict):
        await svc.open_round(OPEN, uow(store), ADMIN, evidence())
    assert not store.rounds or len(store.rounds) == 1


async def test_the_catalog_declares_mandatory_criteria_and_the_round_can_only_add(store):
    from dataclasses import replace as _replace

    from evaluation_peers import RULES

    class CatalogMarks(type(evidence())):
        async def scoring_rules(self, criteria_set, year, principal):
            rules = _replace(RULES, criteria=tuple(_replace(c, mandatory=c.code == "2") for c in RULES.criteria))
            return "cs-xa", rules

    src = CatalogMarks(**{k: getattr(evidence(), k) for k in ("indicators", "tasks", "units")})
    plain = svc.OpenRound("TC-XA-2026", 2026, self_evaluation_deadline=date(2027, 1, 15),
                          evaluation_deadline=date(2027, 1, 31))
    rnd = await svc.open_round(plain, uow(store), ADMIN, src)
    assert [c.code for c in rnd.rules.criteria if c.mandatory] == ["2"]  # from the catalog
    store2 = Store(reports=reports())
    rnd2 = await svc.open_round(OPEN, uow(store2), ADMIN, src)  # the round adds "3"
    assert [c.code for c in rnd2.rules.criteria if c.mandatory] == ["2", "3"]
