"""The report form built server-side (issue 11, point 2): from the unit's indicator sets and
the assignments in force, through the use case on the in-memory unit of work with fake peers
(the gRPC adapters are exercised end to end in e2e/test_submission_form_api.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_submission.domain.figures import FigureKey, FigureKind, ValueType
from ktxh_submission.domain.forms import (
    AssignedTarget,
    AssignedTask,
    CatalogIndicator,
    FormTarget,
    IndicatorSetInfo,
    SetItem,
    build_form,
    estimate_due,
)
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.service_layer import submissions as svc
from ktxh_submission.service_layer.ports import Peers, TaskRef
from submission_fakes import SEED_001, FakeAssignments, FakeCatalog, FakeUnitOfWork, Store

USERS = {u.username: Principal(u.subject, u.username, u.display_name, u.roles, u.org_unit, u.province)
         for u in DEMO_USERS}
TONG_HOP, KE_HOACH = USERS["tong_hop"], USERS["ke_hoach"]
M, H, Y = PeriodKind.MONTH, PeriodKind.HALF_YEAR, PeriodKind.YEAR

POOR = CatalogIndicator("HP2081.XIII.11", "Tỷ lệ hộ nghèo", "%", ValueType.PERCENT, "rate",
                        frozenset({H, Y}))
HOUSES = CatalogIndicator("HP2081.XIII.12", "Số nhà ở", "căn", ValueType.INTEGER, "stock",
                          frozenset({M}), (("status", ("built", "repaired")),))
ONLINE = CatalogIndicator("HP2081.XIII.23", "Tỷ lệ hồ sơ trực tuyến", "%", ValueType.PERCENT,
                          "rate", frozenset({M}))
BUDGET = CatalogIndicator("TP.THU_NS", "Thu ngân sách", "triệu đồng", ValueType.NUMBER, "flow",
                          frozenset({Y}))
SET = IndicatorSetInfo(
    "HP2081",
    (SetItem("HP2081.XIII.11", "PKT"), SetItem("HP2081.XIII.12", "PKT"),
     SetItem("HP2081.XIII.23", "TTHCC"), SetItem("HP2081.XIII.99", "PKT")),  # 99: not in force
    consolidating_office="VP", calendar_code="HP2081",
)
TASK = AssignedTask("kt-1", "NV.HATAY.2026.01", "Thu thập 28 chỉ số", date(2026, 12, 31))


def target(code: str, period: Period, value: str, high: str = "") -> AssignedTarget:
    return AssignedTarget(FigureKey(code), period, Decimal(value), Decimal(high) if high else None,
                          "range" if high else "at_least")


def test_lines_offices_and_what_is_due() -> None:
    form = build_form(
        unit_code="10846", period=Period.month(2026, 10), sets=[SET],
        indicators={i.code: i for i in (POOR, HOUSES, ONLINE, BUDGET)},
        targets=[target("HP2081.XIII.11", Period.of_year(2026), "1.5"),
                 target("TP.THU_NS", Period.of_year(2026), "100", "120")],
        tasks=[TASK], offices={"10846.PKT", "10846.VP"},  # no TTHCC office in this unit
    )
    by_code = {ln.indicator_code: ln for ln in form.lines}
    # the whole set in force (99 is not), plus an assigned indicator outside it, in set order
    assert list(by_code) == ["HP2081.XIII.11", "HP2081.XIII.12", "HP2081.XIII.23", "TP.THU_NS"]
    # the set's office mapped to the unit's own; missing → the consolidating office
    assert [ln.office_code for ln in form.lines] == ["10846.PKT", "10846.PKT", "10846.VP", "10846.VP"]
    # required: reported for a month (12, 23), or assigned (THU_NS); 11 is half-yearly
    assert [ln.required for ln in form.lines] == [False, True, True, True]
    assert by_code["HP2081.XIII.12"].dimensions[0].members == ("built", "repaired")
    assert by_code["HP2081.XIII.12"].time_aggregation == "stock"
    assert by_code["HP2081.XIII.11"].value_type is ValueType.PERCENT
    # October: the full-year estimate is asked (from the 9-month report on)
    assert by_code["HP2081.XIII.12"].estimate
    assert FigureKey("HP2081.XIII.12", (("status", "built"),), FigureKind.ESTIMATE) in \
        by_code["HP2081.XIII.12"].figure_keys()
    assert form.targets[FigureKey("HP2081.XIII.11")] == FormTarget(value="1.5")
    assert form.targets[FigureKey("TP.THU_NS")] == FormTarget(low="100", high="120")
    assert form.targets[FigureKey("TP.THU_NS", (), FigureKind.ESTIMATE)] == FormTarget(low="100", high="120")
    assert [(t.key_task_code, t.deadline) for t in form.tasks] == [("NV.HATAY.2026.01", date(2026, 12, 31))]
    assert form.calendar_code == "HP2081"


def test_the_most_specific_target_holding_the_period_stands_beside_the_figure() -> None:
    form = build_form(
        unit_code="10846", period=Period.month(2026, 10), sets=[SET], indicators={"HP2081.XIII.23": ONLINE},
        targets=[target("HP2081.XIII.23", Period.of_year(2026), "80"),
                 target("HP2081.XIII.23", Period.quarter(2026, 4), "85"),
                 target("HP2081.XIII.23", Period.month(2026, 9), "99"),  # another period
                 target("HP2081.XIII.23", Period.plan_period(2026), "95")],
        tasks=[], offices={"10846.TTHCC"},
    )
    assert form.targets[FigureKey("HP2081.XIII.23")] == FormTarget(value="85")


@pytest.mark.parametrize(("code", "due"), [
    ("2026-M08", False), ("2026-M09", True), ("2026-Q2", False), ("2026-Q3", True),
    ("2026-H1", False), ("2026-H2", True), ("2026-9M", True), ("2026", True),
    ("2026-2030", False),
])
def test_the_full_year_estimate_is_due_from_the_nine_month_report_on(code: str, due: bool) -> None:
    assert estimate_due(Period.parse(code)) is due


# ---------------------------------------------------------------------- the use case


@pytest.fixture
def env():
    store = Store([SEED_001])
    settings = svc.Settings(clock=lambda: datetime(2026, 10, 12, 8, tzinfo=UTC))
    catalog = FakeCatalog([SET], [POOR, HOUSES, ONLINE, BUDGET], [TASK])
    assignments = FakeAssignments({"id-10846": (
        [target("HP2081.XIII.11", Period.of_year(2026), "1.5")], [TaskRef("kt-1")])})
    return store, settings, Peers(catalog, assignments), catalog


async def test_opening_without_lines_builds_and_snapshots_the_form(env) -> None:
    store, settings, peers, catalog = env
    cmd = svc.OpenSubmission("10846", "2026-M10", "")  # no lines, no calendar: the set's
    sub = await svc.open_submission(cmd, FakeUnitOfWork(store), TONG_HOP, settings, peers)
    assert sub.calendar_code == "HP2081" and sub.deadline == date(2026, 10, 19)
    assert [ln.indicator_code for ln in sub.lines] == ["HP2081.XIII.11", "HP2081.XIII.12", "HP2081.XIII.23"]
    assert set(sub.sections) == {"10846.PKT", "10846.TTHCC"}
    assert sub.targets[FigureKey("HP2081.XIII.11")] == FormTarget(value="1.5")
    assert [(t.key_task_code, t.status.value, t.version) for t in sub.tasks] == [
        ("NV.HATAY.2026.01", "not_started", 0)]
    # every call carried the caller's own identity (token relay)
    assert {who for _, who in catalog.calls} == {"tong_hop"}
    # snapshotted: a changed catalog does not change the opened report
    catalog.sets = []
    again = await svc.open_submission(cmd, FakeUnitOfWork(store), TONG_HOP, settings, peers)
    assert again.id == sub.id and len(again.lines) == 3 and len(again.tasks) == 1
    stored = store.subs[sub.id]
    assert stored.targets == sub.targets and len(stored.tasks) == 1


async def test_nothing_to_report_is_a_clear_error_and_nothing_is_written(env) -> None:
    store, settings, peers, catalog = env
    catalog.sets, peers.assignments.by_unit = [], {}
    with pytest.raises(InvalidArgument) as err:
        await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "HP2081"),
                                  FakeUnitOfWork(store), TONG_HOP, settings, peers)
    assert err.value.violations[0].field == "period_code"
    assert "không có chỉ số nào phải báo cáo Tháng 10/2026" in err.value.violations[0].message
    assert store.subs == {} and store.commits == 0


async def test_the_upper_level_opens_a_communes_report_built_the_same_way(env) -> None:
    store, settings, peers, _ = env
    sub = await svc.open_submission(svc.OpenSubmission("11311", "2026-M10", "HP2081"),
                                    FakeUnitOfWork(store), KE_HOACH, settings, peers)
    # 11311 has only a PKT office: TTHCC's indicator goes to the unit itself (no VP either)
    assert {ln.indicator_code: ln.office_code for ln in sub.lines} == {
        "HP2081.XIII.11": "11311.PKT", "HP2081.XIII.12": "11311.PKT", "HP2081.XIII.23": "11311"}
    assert sub.targets == {} and sub.tasks == []  # nothing assigned to 11311
