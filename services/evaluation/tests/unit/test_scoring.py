"""Suggested scores and classification against hand-computed expectations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    CriterionRule,
    EvidenceBundle,
    IndicatorResult,
    PartialCredit,
    ReportResult,
    ReportState,
    ScoringMethod,
    ScoringRules,
    TaskResult,
    Threshold,
    classify,
    indicator_ratio,
    rank,
    suggest,
)

P = PartialCredit.PROPORTIONAL


def ind(code, actual, target=None, comparison=Comparison.AT_LEAST, low=None, high=None, unit=""):
    return IndicatorResult(code, code, "", None if actual is None else D(actual),
                           None if target is None else D(target),
                           None if low is None else D(low), None if high is None else D(high),
                           comparison, unit)


def test_higher_is_better_met_and_missed():
    assert indicator_ratio(ind("a", "110", "100"), P)[0] == 1
    assert indicator_ratio(ind("a", "95", "100"), P)[0] == D("0.95")
    assert indicator_ratio(ind("a", "95", "100"), PartialCredit.NONE)[0] == 0


def test_lower_is_better_indicator():
    # Poverty rate target "không quá 2%": 1.8% meets it; 2.5% earns 2.0/2.5 = 80%.
    assert indicator_ratio(ind("ngheo", "1.8", "2.0", Comparison.AT_MOST), P) == (1, "đạt")
    ratio, why = indicator_ratio(ind("ngheo", "2.5", "2.0", Comparison.AT_MOST), P)
    assert ratio == D("0.8")
    assert why == "không đạt, đạt 80%"
    assert indicator_ratio(ind("ngheo", "2.5", "2.0", Comparison.AT_MOST),
                           PartialCredit.NONE)[0] == 0


def test_range_target():
    # Good range 80–90: inside earns all; 72 earns 72/80 = 90%; 95 earns 90/95.
    def r(a):
        return indicator_ratio(ind("bhyt", a, comparison=Comparison.RANGE, low="80", high="90"), P)[0]

    assert r("85") == 1
    assert r("80") == 1 and r("90") == 1
    assert r("72") == D("0.9")
    assert r("95") == D(90) / D(95)


def test_no_target_or_neutral_is_not_scored_and_no_actual_scores_zero():
    assert indicator_ratio(ind("a", "5"), P)[0] is None
    assert indicator_ratio(ind("a", "5", "3", Comparison.NEUTRAL), P)[0] is None
    assert indicator_ratio(ind("a", None, "3"), P) == (0, "chưa có số liệu")


def rules(*criteria, cap=CompletionLevel.GOOD):
    return ScoringRules("PL2", "Phụ lục 2", tuple(criteria), (
        Threshold(CompletionLevel.EXCELLENT, D(90)), Threshold(CompletionLevel.GOOD, D(70)),
        Threshold(CompletionLevel.COMPLETED, D(50)), Threshold(CompletionLevel.NOT_COMPLETED, D(0)),
    ), cap)


def test_indicator_achievement_criterion_with_evidence():
    c = CriterionRule("1", "Chỉ tiêu", D(20), ScoringMethod.INDICATOR_ACHIEVEMENT,
                      ("a", "b", "c", "d", "e", "f"))
    bundle = EvidenceBundle(indicators=[
        ind("a", "95", "100", unit="tỷ đồng"),          # 0.95
        ind("b", "2.5", "2.0", Comparison.AT_MOST),     # 0.8
        ind("c", "72", comparison=Comparison.RANGE, low="80", high="90"),  # 0.9
        ind("d", None, "10"),                           # 0: no actual
        ind("e", "7", "3", Comparison.NEUTRAL),         # not scored
        ind("f", "110", "100"),                         # 1
        ind("zzz", "1", "100"),                         # not in the criterion: ignored
    ])
    s = suggest(rules(c), bundle, date(2026, 12, 31))["1"]
    # (0.95 + 0.8 + 0.9 + 0 + 1) / 5 = 0.73 → 20 × 0.73 = 14.60
    assert s.score == D("14.60")
    assert s.basis == "1/5 chỉ tiêu đạt; điểm = 20 × 73% = 14,6"
    assert [e.ref for e in s.evidence] == ["a", "b", "c", "d", "e", "f"]
    assert s.evidence[0].label == ("a: thực hiện 95 tỷ đồng, chỉ tiêu ≥ 100 tỷ đồng "
                                   "(không đạt, đạt 95%)")
    assert s.evidence[4].credit is None
    # Without partial credit only the met target counts: 1/5 → 4.00
    strict = CriterionRule("1", "Chỉ tiêu", D(20), ScoringMethod.INDICATOR_ACHIEVEMENT,
                           ("a", "b", "c", "d", "e", "f"), partial_credit=PartialCredit.NONE)
    assert suggest(rules(strict), bundle, date(2026, 12, 31))["1"].score == D("4.00")


def test_an_indicator_without_target_nor_figure_is_shown_not_scored():
    c = CriterionRule("1", "Chỉ tiêu", D(10), ScoringMethod.INDICATOR_ACHIEVEMENT, ("a", "b", "c"))
    s = suggest(rules(c), EvidenceBundle(indicators=[ind("a", "100", "100"), ind("c", None, "5")]),
                date(2026, 12, 31))["1"]
    assert s.score == D("5.00")  # a met, c has a target but no figure: (1 + 0) / 2
    assert (s.evidence[2].ref, s.evidence[2].credit) == ("b", None)
    assert s.evidence[2].label == "b: chưa có chỉ tiêu giao, không chấm"


def test_task_completion():
    c = CriterionRule("2", "Nhiệm vụ", D(10), ScoringMethod.TASK_COMPLETION)
    tasks = [
        TaskResult("NV1", "Đường liên xã", date(2026, 9, 30), date(2026, 9, 20)),  # 1
        TaskResult("NV2", "Chợ", date(2026, 6, 30), date(2026, 7, 3)),  # late: 0.5
        TaskResult("NV3", "Trường", date(2026, 11, 30)),  # overdue: 0
        TaskResult("NV4", "Trạm y tế", date(2027, 3, 31)),  # not due: not counted
        TaskResult("NV5", "Nhà văn hóa", date(2026, 5, 31), progress_known=False),  # not counted
    ]
    s = suggest(rules(c), EvidenceBundle(tasks=tasks), date(2026, 12, 31))["2"]
    # (1 + 0.5 + 0) / 3 = 0.5 → 5.00
    assert s.score == D("5.00")
    assert s.basis == "1/3 nhiệm vụ hoàn thành đúng hạn, 1 trễ hạn; điểm = 10 × 50% = 5"
    assert s.evidence[1].label == "Chợ: hoàn thành trễ 3 ngày (03/07/2026, hạn 30/06/2026)"
    assert s.evidence[3].credit is None
    assert s.evidence[4].label == "Nhà văn hóa: chưa có báo cáo tiến độ (hạn 31/05/2026), không chấm"


def test_report_timeliness_and_completeness():
    c = CriterionRule("3", "Báo cáo", D(10), ScoringMethod.TIMELINESS, late_credit=D("0.6"))
    reports = [
        ReportResult("s1", "2026-M01", ReportState.ON_TIME),  # 1
        ReportResult("s2", "2026-M02", ReportState.ON_TIME, complete=False),  # 1 × 0.5
        ReportResult("s3", "2026-M03", ReportState.LATE, days_late=4),  # 0.6
        ReportResult("", "2026-M04", ReportState.MISSING),  # 0
        ReportResult("", "2026-M12", ReportState.PENDING),  # not counted
    ]
    s = suggest(rules(c), EvidenceBundle(reports=reports), date(2026, 12, 31))["3"]
    # (1 + 0.5 + 0.6 + 0) / 4 = 0.525 → 5.25
    assert s.score == D("5.25")
    assert [e.label for e in s.evidence] == [
        "Báo cáo kỳ 2026-M01: gửi đúng hạn",
        "Báo cáo kỳ 2026-M02: gửi đúng hạn, thiếu số liệu bắt buộc",
        "Báo cáo kỳ 2026-M03: gửi trễ 4 ngày",
        "Báo cáo kỳ 2026-M04: không gửi",
        "Báo cáo kỳ 2026-M12: chưa đến hạn",
    ]


def test_manual_criteria_get_no_suggestion():
    c = CriterionRule("4", "Chỉ đạo điều hành", D(10), ScoringMethod.MANUAL)
    assert suggest(rules(c), EvidenceBundle(), date(2026, 12, 31)) == {}


def test_classification_by_thresholds_and_mandatory_rule():
    r = rules(
        CriterionRule("1", "Chỉ tiêu", D(60), ScoringMethod.INDICATOR_ACHIEVEMENT, ("a",)),
        CriterionRule("2", "Nhiệm vụ", D(30), ScoringMethod.TASK_COMPLETION),
        CriterionRule("3", "Báo cáo", D(10), ScoringMethod.TIMELINESS, mandatory=True),
    )
    assert r.max_total == 100
    excellent = classify(r, {"1": D(58), "2": D(30), "3": D(5)})
    assert (excellent.total, excellent.level) == (D("93.00"), CompletionLevel.EXCELLENT)
    # 60 + 30 + 0 = 90 reaches "xuất sắc" but the mandatory criterion 3 scored 0.
    capped = classify(r, {"1": D(60), "2": D(30), "3": D(0)})
    assert capped.level is CompletionLevel.GOOD
    assert "tiêu chí bắt buộc 3 bị 0 điểm" in capped.reason
    assert classify(r, {"1": D(40), "2": D(30), "3": D(0)}).level is CompletionLevel.GOOD  # 70
    assert classify(r, {"1": D(40), "2": D("9.99"), "3": D(0)}).level is CompletionLevel.NOT_COMPLETED
    assert classify(r, {"1": D(40), "2": D(10), "3": D(0)}).level is CompletionLevel.COMPLETED
    unscored = classify(r, {"1": D(60), "2": None})
    assert unscored.level is None and unscored.reason == "Chưa chấm tiêu chí: 2, 3"


def test_ranking_shares_ranks_on_ties():
    assert rank([("a", D(90)), ("b", D(85)), ("c", D(90)), ("d", D(70))]) == [
        (1, "a", D(90)), (1, "c", D(90)), (3, "b", D(85)), (4, "d", D(70))]


def test_stepped_partial_credit_from_the_catalog():
    # Steps: ≥ 90% of the target → 75% credit, ≥ 70% → 50%; below 70% nothing.
    from ktxh_evaluation.domain.scoring import CreditStep

    steps = (CreditStep(D(70), D(50)), CreditStep(D(90), D(75)))
    S = PartialCredit.STEPPED
    assert indicator_ratio(ind("a", "100", "100"), S, steps) == (1, "đạt")
    assert indicator_ratio(ind("a", "95", "100"), S, steps) == (
        D("0.75"), "không đạt, đạt 95%, bậc ≥ 90%: 75% điểm")
    assert indicator_ratio(ind("a", "90", "100"), S, steps)[0] == D("0.75")  # inclusive
    assert indicator_ratio(ind("a", "80", "100"), S, steps)[0] == D("0.5")
    assert indicator_ratio(ind("a", "69", "100"), S, steps)[0] == 0
    # lower is better: 2.5 against "≤ 2.0" is 80% achieved → the 70% step: 50%
    assert indicator_ratio(ind("ngheo", "2.5", "2.0", Comparison.AT_MOST), S, steps)[0] == D("0.5")
    # a range 80–90: 76 is 95% of the lower bound → 75%
    assert indicator_ratio(ind("bhyt", "76", comparison=Comparison.RANGE, low="80", high="90"),
                           S, steps)[0] == D("0.75")
    # the criterion: 20 × mean(1, 0.75, 0.5) = 20 × 75% = 15
    c = CriterionRule("1", "Chỉ tiêu", D(20), ScoringMethod.INDICATOR_ACHIEVEMENT,
                      ("a", "b", "c"), partial_credit=S, credit_steps=steps)
    rules = ScoringRules("S", "S", (c,), ())
    out = suggest(rules, EvidenceBundle([ind("a", "100", "100"), ind("b", "95", "100"),
                                         ind("c", "1.6", "2", Comparison.AT_LEAST)]), date(2026, 12, 31))
    assert out["1"].score == D("15.00")
    assert out["1"].basis == "1/3 chỉ tiêu đạt; điểm = 20 × 75% = 15"


def test_no_partial_credit_for_late_tasks_and_reports():
    none = PartialCredit.NONE
    tasks = CriterionRule("2", "Nhiệm vụ", D(20), ScoringMethod.TASK_COMPLETION, partial_credit=none)
    reports = CriterionRule("3", "Báo cáo", D(10), ScoringMethod.TIMELINESS, partial_credit=none)
    rules = ScoringRules("N", "N", (tasks, reports), ())
    bundle = EvidenceBundle(
        tasks=[TaskResult("T1", "Đường", date(2026, 9, 30), date(2026, 9, 1)),
               TaskResult("T2", "Chợ", date(2026, 6, 30), date(2026, 7, 10))],  # late → 0
        reports=[ReportResult("s1", "2026-Q1", ReportState.ON_TIME),
                 ReportResult("s2", "2026-Q2", ReportState.LATE, 3),  # late → 0
                 ReportResult("s3", "2026-Q3", ReportState.ON_TIME, complete=False),  # → 0
                 ReportResult("s4", "2026-Q4", ReportState.ON_TIME)])
    out = suggest(rules, bundle, date(2026, 12, 31))
    assert out["2"].score == D("10.00")  # 20 × (1 + 0)/2
    assert out["3"].score == D("5.00")  # 10 × (1 + 0 + 0 + 1)/4


def test_criteria_groups_of_the_evaluation_report():
    from ktxh_evaluation.domain.results import criteria_groups

    def c(code, max_score):
        return CriterionRule(code, f"Tiêu chí {code}", D(max_score), ScoringMethod.MANUAL)

    rules = ScoringRules("G", "G", (c("1", 10), c("1.1", 20), c("1.2", 20), c("2", 30), c("2.1.1", 5),
                                    c("TC.XA.03", 15)), ())
    groups = criteria_groups(rules)
    assert [(g.code, g.max_score, g.criterion_codes) for g in groups] == [
        ("1", D(50), ("1", "1.1", "1.2")), ("2", D(35), ("2", "2.1.1")), ("TC.XA.03", D(15), ("TC.XA.03",))]
