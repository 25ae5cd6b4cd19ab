"""Indicator sets, criteria sets, key tasks, plans, period targets, report templates."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from ktxh_catalog.domain.calendars import Calendar, DeadlineRule, RelativeDate
from ktxh_catalog.domain.catalog_items import (
    CatalogSnapshot,
    CompletionLevel,
    CompletionThreshold,
    CreditStep,
    CriteriaSet,
    Criterion,
    EvaluationSubject,
    IndicatorGroup,
    IndicatorSet,
    KeyTask,
    LegalDocument,
    PartialCredit,
    PeriodTarget,
    ReportColumn,
    ReportMeasure,
    ReportRow,
    ReportSection,
    ReportTemplate,
    ScoringMethod,
    SetMember,
    ThematicPlan,
)
from ktxh_catalog.domain.indicators import (
    Frequency,
    Indicator,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
)

F = Frequency
D = Decimal
QD = LegalDocument("2081/QĐ-UBND", date(2026, 6, 3), "UBND thành phố Hải Phòng")


def ind(code: str, freqs=(F.HALF_YEAR, F.YEAR)) -> Indicator:
    return Indicator(code, f"Chỉ số {code}", "hộ", ValueType.INTEGER, freqs, SpatialAggregation.SUM,
                     TimeAggregation.FLOW)


def member(code: str, order: int, freqs=(F.HALF_YEAR, F.YEAR), **kw) -> SetMember:
    return SetMember(code, freqs, kw.pop("office", "PKT"), ordinal=order, group_code="XIII", **kw)


def a_set(*members: SetMember) -> IndicatorSet:
    return IndicatorSet("HP2081", "Bộ chỉ số", QD, ("commune",), members,
                        (IndicatorGroup("XIII", "Nhóm XIII", 1),), calendar_code="CAL")


CAL = Calendar("CAL", "Lịch", (DeadlineRule(F.HALF_YEAR, RelativeDate(0, 15)),
                               DeadlineRule(F.YEAR, RelativeDate(0, 10))))


def fields(vs):
    return [v.field for v in vs]


def test_legal_basis_citation():
    assert QD.citation == "Quyết định số 2081/QĐ-UBND ngày 03/6/2026 của UBND thành phố Hải Phòng"


def test_valid_set():
    s = a_set(member("A", 1), member("B", 2))
    assert s.validate() == []
    assert s.validate_against({"A": ind("A"), "B": ind("B")}, {"CAL": CAL}) == []


def test_duplicate_indicator_code_in_a_set():
    v = a_set(member("A", 1), member("A", 2)).validate()
    assert fields(v) == ["items[1].indicator_code"]
    assert "bị trùng" in v[0].message and "dòng 1" in v[0].message


def test_duplicate_order_unknown_group_bad_kind_missing_office():
    s = a_set(member("A", 1), replace(member("B", 1), group_code="Z", responsible_office=""))
    s = replace(s, applies_to_kinds=("village",))
    assert set(fields(s.validate())) == {"applies_to_kinds", "items[1].ordinal", "items[1].group_code",
                                         "items[1].responsible_office"}


def test_frequency_not_allowed_by_the_indicator():
    s = a_set(member("A", 1, freqs=(F.MONTH,)))
    v = s.validate_against({"A": ind("A")}, {"CAL": CAL})
    assert fields(v) == ["items[0].frequencies", "items[0].calendar_code"]
    assert "Tháng" in v[0].message and "không được phép" in v[0].message
    assert "chưa có hạn báo cáo" in v[1].message


def test_unknown_indicator_and_calendar():
    s = replace(a_set(member("A", 1)), calendar_code="NOPE")
    v = s.validate_against({}, {"CAL": CAL})
    assert fields(v) == ["items[0].indicator_code", "items[0].calendar_code"]


def test_required_indicators_follow_ratio_parts():
    rate = Indicator("R", "Tỷ lệ", "%", ValueType.PERCENT, (F.YEAR,),
                     SpatialAggregation.RATIO, TimeAggregation.RATE,
                     numerator_code="N", denominator_code="T", scale=D(100))
    s = a_set(member("R", 1, (F.YEAR,), office="PVHXH"), member("N", 2, (F.YEAR,)))
    req = s.required_indicators({"R": rate, "N": ind("N", (F.YEAR,)), "T": ind("T", (F.YEAR,))})
    assert set(req) == {"N", "T"}
    assert req["T"].responsible_office == "PVHXH"


# ------------------------------------------------------------------ criteria


def criteria(*thresholds: tuple[CompletionLevel, int]) -> CriteriaSet:
    return CriteriaSet(
        "TC.XA", "Tiêu chí cấp xã", (EvaluationSubject.COMMUNE,),
        (Criterion("C1", "Chỉ tiêu", D(60), ScoringMethod.INDICATOR_ACHIEVEMENT, 1, "HP2081"),
         Criterion("C2", "Báo cáo", D(40), ScoringMethod.TIMELINESS, 2)),
        tuple(CompletionThreshold(lv, D(s)) for lv, s in thresholds))


L = CompletionLevel
GOOD_THRESHOLDS = ((L.EXCELLENT, 90), (L.GOOD, 70), (L.COMPLETED, 50), (L.NOT_COMPLETED, 0))


def test_consistent_thresholds_and_classification():
    cs = criteria(*GOOD_THRESHOLDS)
    assert cs.validate() == []
    assert cs.total_max_score == 100
    assert cs.classify(D(95)) is L.EXCELLENT
    assert cs.classify(D(90)) is L.EXCELLENT
    assert cs.classify(D("89.5")) is L.GOOD
    assert cs.classify(D(50)) is L.COMPLETED
    assert cs.classify(D(10)) is L.NOT_COMPLETED
    assert L.EXCELLENT.label == "Hoàn thành xuất sắc nhiệm vụ"


def test_inconsistent_thresholds_are_refused():
    v = criteria((L.EXCELLENT, 70), (L.GOOD, 80), (L.COMPLETED, 50), (L.NOT_COMPLETED, 0)).validate()
    assert fields(v) == ["thresholds[0].min_score"]
    assert "phải cao hơn" in v[0].message
    v = criteria((L.EXCELLENT, 120), (L.GOOD, 70), (L.COMPLETED, 50), (L.NOT_COMPLETED, 10)).validate()
    assert set(fields(v)) == {"thresholds[0].min_score", "thresholds[3].min_score"}
    v = criteria((L.EXCELLENT, 90), (L.GOOD, 70)).validate()
    assert fields(v) == ["thresholds"]
    assert "Hoàn thành nhiệm vụ" in v[0].message
    v = criteria(*GOOD_THRESHOLDS, (L.GOOD, 60)).validate()
    assert "thresholds[4].level" in fields(v)


def test_criterion_rules():
    cs = criteria(*GOOD_THRESHOLDS)
    bad = replace(cs, criteria=(
        Criterion("C1", "", D(0), ScoringMethod.INDICATOR_ACHIEVEMENT),
        Criterion("C1", "Thủ công", D(10), ScoringMethod.MANUAL, indicator_codes=("A",))))
    assert set(fields(bad.validate())) == {
        "criteria[0].name", "criteria[0].max_score", "criteria[0].indicator_codes",
        "criteria[1].code", "criteria[1].indicator_codes",
        "thresholds[0].min_score"}  # 90 points > total maximum of 10


def test_mandatory_and_partial_credit_are_declared_per_criterion():
    from ktxh_catalog.adapters.json_io import from_data, to_data

    cs = criteria(*GOOD_THRESHOLDS)
    stepped = replace(cs, criteria=(
        Criterion("C1", "Chỉ tiêu", D(60), ScoringMethod.INDICATOR_ACHIEVEMENT, 1, "HP2081",
                  partial_credit=PartialCredit.STEPPED,
                  credit_steps=(CreditStep(D(90), D(75)), CreditStep(D(70), D(50)))),
        Criterion("C2", "Báo cáo", D(40), ScoringMethod.TIMELINESS, 2, mandatory=True,
                  partial_credit=PartialCredit.NONE)))
    assert stepped.validate() == []
    back, errors = from_data(CriteriaSet, to_data(stepped))
    assert errors == [] and back is not None
    assert back.criteria[1].mandatory and back.criteria[1].partial_credit is PartialCredit.NONE
    assert back.criteria[0].credit_steps == (CreditStep(D(90), D(75)), CreditStep(D(70), D(50)))
    # stored before the fields existed: not mandatory, proportional
    old = to_data(cs)
    for c in old["criteria"]:
        for k in ("mandatory", "partial_credit", "credit_steps"):
            c.pop(k, None)
    old_set, errors = from_data(CriteriaSet, old)
    assert errors == [] and old_set is not None
    assert old_set.criteria[0].partial_credit is PartialCredit.PROPORTIONAL

    bad = replace(cs, criteria=(
        Criterion("C1", "Chỉ tiêu", D(60), ScoringMethod.INDICATOR_ACHIEVEMENT, 1, "HP2081",
                  partial_credit=PartialCredit.STEPPED,
                  credit_steps=(CreditStep(D(100), D(75)), CreditStep(D(50), D(120)),
                                CreditStep(D(50), D(10)))),
        Criterion("C2", "Báo cáo", D(30), ScoringMethod.TIMELINESS, 2,
                  partial_credit=PartialCredit.STEPPED),
        Criterion("C3", "Khác", D(10), ScoringMethod.MANUAL, 3,
                  credit_steps=(CreditStep(D(50), D(50)),))))
    assert set(fields(bad.validate())) == {
        "criteria[0].credit_steps[0].min_achievement", "criteria[0].credit_steps[1].credit",
        "criteria[0].credit_steps[2].min_achievement",
        "criteria[1].partial_credit", "criteria[1].credit_steps", "criteria[2].credit_steps"}


# ------------------------------------------------------------------ others


def test_period_target_is_a_five_year_plan_period():
    ok = PeriodTarget("MT1", "R", 2026, 2030, D("1.0"))
    assert ok.validate() == [] and ok.period_code == "2026-2030"
    assert set(fields(PeriodTarget("MT2", "R", 2024, 2027).validate())) == {
        "end_year", "start_year", "target_value"}
    assert fields(PeriodTarget("MT3", "R", 2021, 2025, target_low=D(5),
                               target_high=D(1)).validate()) == ["target_high"]


def test_key_task_and_thematic_plan():
    t = KeyTask("NV1", "Nhiệm vụ", 2026, date(2026, 12, 31), "VP", ("PKT", "VP"))
    assert fields(t.validate()) == ["coordinating_offices"]
    p = ThematicPlan("KH1", "Kế hoạch", date(2026, 6, 1), date(2026, 1, 1))
    assert fields(p.validate()) == ["end_date"]


def test_report_template_rows():
    tmpl = ReportTemplate(
        "BC", "Báo cáo năm", (F.YEAR,),
        (ReportSection("I", "I. Kinh tế", 1, (ReportRow(1, "A"), ReportRow(1, "", ""),
                                              ReportRow(2, "B", selector=(("x", "y"),)))),),
        (ReportColumn("UOC", "Ước thực hiện", ReportMeasure.ESTIMATE),))
    assert set(fields(tmpl.validate())) == {"sections[0].rows[1].label", "sections[0].rows[1].ordinal"}
    v = tmpl.validate_against({"A": ind("A")})
    assert fields(v) == ["sections[0].rows[2].indicator_code"]
    v = tmpl.validate_against({"A": ind("A"), "B": ind("B")})
    assert fields(v) == ["sections[0].rows[2].selector"]


def test_snapshot_checks_references_across_catalogs():
    snap = CatalogSnapshot(
        indicators={"A": ind("A")},
        indicator_sets={"HP2081": a_set(member("A", 1), member("B", 2))},
        calendars={"CAL": CAL},
        thematic_plans={"KH": ThematicPlan("KH", "Kế hoạch", date(2026, 1, 1), date(2026, 12, 31),
                                           key_task_codes=("NV9",), indicator_set_code="HP2081")},
    )
    assert fields(snap.validate()) == ["indicator_sets[HP2081].items[1].indicator_code",
                                       "thematic_plans[KH].key_task_codes"]
