"""Fakes of the other services (catalog, assignment, reporting) and test people, shared by the
unit and integration tests of the evaluation service."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal as D

from ktxh_evaluation.domain.evaluations import Round, UnitRef
from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    CriterionRule,
    IndicatorResult,
    ScoringMethod,
    ScoringRules,
    TaskResult,
    Threshold,
)
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    UNIT_LEADER,
    Principal,
)
from ktxh_platform.domain import InvalidArgument

# Unit ids of the test tree: code -> (id, kind, parent code)
TREE = {
    "31": ("u-31", "province", None),
    "31.STC": ("u-stc", "agency", "31"),
    "10846": ("u-hatay", "commune", "31"),
    "10846.PKT": ("u-hatay-pkt", "office", "10846"),
    "11311": ("u-other", "commune", "31"),
    "10900": ("u-third", "commune", "31"),
}
ID = {code: v[0] for code, v in TREE.items()}
COMMUNES = [UnitRef(ID[c], c, n, "commune") for c, n in
            (("10846", "Xã Hà Tây"), ("11311", "Xã Hòa Bình"), ("10900", "Xã Thạch Hà"))]

ADMIN = Principal("s-ad", "admin", "Quản trị", frozenset({PROVINCE_ADMIN}), "31", "31")
KE_HOACH = Principal("s-kh", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "31.STC", "31")
LANH_DAO = Principal("s-ld", "lanh_dao", "Lãnh đạo", frozenset({LEADERSHIP}), "31", "31")
TONG_HOP = Principal("s-th", "tong_hop", "Tổng hợp", frozenset({CONSOLIDATOR}), "10846.PKT", "31")
CHU_TICH = Principal("s-ct", "chu_tich", "Chủ tịch", frozenset({UNIT_LEADER}), "10846", "31")
OTHER_LEADER = Principal("s-ot", "chu_tich_khac", "Chủ tịch xã khác", frozenset({UNIT_LEADER}), "11311", "31")

RULES = ScoringRules(
    "TC-XA-2026", "Tiêu chí đánh giá cấp xã 2026",
    (
        CriterionRule("1", "Thực hiện các chỉ tiêu kinh tế – xã hội", D(50),
                      ScoringMethod.INDICATOR_ACHIEVEMENT, ("THU_NS", "TY_LE_NGHEO", "BHYT")),
        CriterionRule("2", "Thực hiện nhiệm vụ trọng tâm", D(20), ScoringMethod.TASK_COMPLETION),
        CriterionRule("3", "Chế độ báo cáo", D(10), ScoringMethod.TIMELINESS),
        CriterionRule("4", "Công tác chỉ đạo, điều hành", D(20), ScoringMethod.MANUAL),
    ),
    (Threshold(CompletionLevel.EXCELLENT, D(90)), Threshold(CompletionLevel.GOOD, D(70)),
     Threshold(CompletionLevel.COMPLETED, D(50)), Threshold(CompletionLevel.NOT_COMPLETED, D(0))),
)


@dataclass
class FakeEvidence:
    """The catalog's criteria set, the units that received it and each unit's figures and tasks."""

    indicators: dict[str, list[IndicatorResult]] = field(default_factory=dict)
    tasks: dict[str, list[TaskResult]] = field(default_factory=dict)
    units: list[UnitRef] = field(default_factory=lambda: list(COMMUNES))
    calls: list[str] = field(default_factory=list)

    async def scoring_rules(self, criteria_set, year, principal):
        if criteria_set not in ("cs-xa", RULES.code):
            raise InvalidArgument.single("criteria_set_id", f"Không tìm thấy bộ tiêu chí {criteria_set}")
        return "cs-xa", RULES

    async def units_given(self, rules, criteria_set_id, year, principal):
        return self.units

    async def indicator_results(self, rnd: Round, unit: UnitRef, codes, principal):
        self.calls.append(f"rollup {unit.code} {','.join(codes)}")
        return self.indicators.get(unit.code, [])

    async def task_results(self, rnd, unit, principal):
        return self.tasks.get(unit.code, [])


def figure(code, actual, target=None, comparison=Comparison.AT_LEAST, low=None, high=None):
    return IndicatorResult(code, code, "", None if actual is None else D(actual),
                           None if target is None else D(target), None if low is None else D(low),
                           None if high is None else D(high), comparison)
