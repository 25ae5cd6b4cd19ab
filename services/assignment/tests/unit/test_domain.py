"""The assignment domain without I/O: lifecycle refusals, supersession and "in force on a
date", the cascade check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ktxh_assignment.domain.cascade import IndicatorInfo, check_cascade
from ktxh_assignment.domain.decisions import (
    Assignment,
    AssignmentAcknowledged,
    AssignmentAdjusted,
    AssignmentIssued,
    AssignmentStatus,
    Comparison,
    Decision,
    DecisionIssued,
    DecisionStatus,
    Header,
    Target,
    TaskSubject,
)
from ktxh_platform.domain import Conflict, InvalidArgument, PreconditionFailed

NOW = datetime(2026, 1, 5, 8, tzinfo=UTC)


def target(unit: str, value: str, code: str = "HP.DT", **kw) -> Assignment:
    return Assignment(id=f"{unit}-{code}-{value}", decision_id="", assignee_unit_id=unit,
                      subject=Target(code, "", target_value=value, **kw))


def draft(*items: Assignment, issuer: str = "stc", **header) -> Decision:
    h = Header(**{"number": "1/QĐ", "issued_on": date(2026, 1, 5), "year": 2026, **header})
    d = Decision.create(issuer_unit_id=issuer, header=h, province_code="31", username="kh", now=NOW)
    d.replace_assignments(list(items), 0, "kh", NOW)
    return d


def test_a_header_needs_a_year_or_a_plan_period_not_both() -> None:
    with pytest.raises(InvalidArgument) as err:
        Header(year=2026, plan_period="2026-2030").validate()
    assert [v.field for v in err.value.violations] == ["plan_period"]
    with pytest.raises(InvalidArgument) as err:
        Header().validate()
    assert [v.field for v in err.value.violations] == ["year"]
    with pytest.raises(InvalidArgument):
        Header(plan_period="2026-2028").validate()  # not five years
    Header(plan_period="2026-2030").validate()
    with pytest.raises(InvalidArgument) as err:
        Header(year=2026, number="1" * 101, document_id="x" * 37).validate()
    assert [v.field for v in err.value.violations] == ["number", "document_id"]


def test_rows_are_validated_as_a_whole() -> None:
    d = draft()
    rows = [target("a", "1"), target("a", "2"), target("stc", "3"), target("b", "abc"),
            target("c", "5", target_value_max="4", comparison=Comparison.RANGE)]
    with pytest.raises(InvalidArgument) as err:
        d.replace_assignments(rows, d.version, "kh", NOW)
    assert [v.field for v in err.value.violations] == [
        "assignments[1]", "assignments[2].assignee_unit_id", "assignments[3].target.target_value",
        "assignments[4].target.target_value_max",
    ]
    assert d.assignments == []  # nothing half-applied


def test_targets_take_the_decision_period_and_issue_records_events() -> None:
    d = draft(target("a", "100"), Assignment(id="t", decision_id="", assignee_unit_id="a", subject=TaskSubject("kt-1")))
    assert d.assignments[0].subject.period == "2026"
    assert d.assignments[0].subject_key == "target:HP.DT@2026"
    superseded = d.issue("doc", d.version, "kh", NOW, {})
    assert superseded == [] and d.status is DecisionStatus.ISSUED
    assert {a.status for a in d.assignments} == {AssignmentStatus.ISSUED}
    assert {a.effective_from for a in d.assignments} == {date(2026, 1, 5)}
    assert [type(e) for e in d.events] == [DecisionIssued]
    assert all(isinstance(a.events[0], AssignmentIssued) for a in d.assignments)


def test_lifecycle_refusals() -> None:
    d = draft(target("a", "1"))
    with pytest.raises(PreconditionFailed):
        d.update_header(Header(year=2026), d.version - 1, "kh", NOW)
    with pytest.raises(Conflict):
        d.revoke("lý do", 0, "kh", NOW)  # a draft is not revoked
    empty = draft()
    with pytest.raises(InvalidArgument) as err:
        empty.issue("", 0, "kh", NOW, {})
    assert {v.field for v in err.value.violations} == {"document_id", "assignments"}
    d.issue("doc", 0, "kh", NOW, {})
    with pytest.raises(Conflict):
        d.issue("doc", 0, "kh", NOW, {})
    with pytest.raises(Conflict):
        d.update_header(Header(year=2027), 0, "kh", NOW)  # never edited in place
    with pytest.raises(Conflict):
        d.replace_assignments([], 0, "kh", NOW)
    with pytest.raises(InvalidArgument):
        d.revoke(" ", 0, "kh", NOW)
    d.revoke("Ban hành nhầm", 0, "kh", NOW)
    for a in d.assignments:
        d.cancel(a, "kh", NOW)
    assert d.assignments[0].status is AssignmentStatus.CANCELLED
    with pytest.raises(Conflict):
        d.assignments[0].acknowledge("nl", "", NOW)


def test_acknowledgement_keeps_who_and_when_once() -> None:
    d = draft(target("a", "1"))
    d.issue("doc", 0, "kh", NOW, {})
    a = d.assignments[0]
    a.acknowledge("nhap_lieu", " Đã nhận ", NOW)
    assert (a.status, a.acknowledged_by, a.acknowledged_at, a.acknowledgement_note) == (
        AssignmentStatus.ACKNOWLEDGED, "nhap_lieu", NOW, "Đã nhận")
    assert isinstance(a.events[-1], AssignmentAcknowledged)
    with pytest.raises(Conflict):
        a.acknowledge("chu_tich", "", NOW)


def test_a_later_decision_supersedes_from_its_effective_date() -> None:
    first = draft(target("a", "100"))
    first.issue("doc", 0, "kh", NOW, {})
    old = first.assignments[0]
    original = draft(target("a", "90"))
    with pytest.raises(Conflict):  # an original decision may not overlap what is in force
        original.issue("doc", 0, "kh", NOW, {("a", old.subject_key): old})

    later = draft(target("a", "120"), number="2/QĐ", adjusts_decision_id=first.id, effective_from=date(2026, 7, 1))
    superseded = later.issue("doc2", 0, "kh", NOW, {("a", old.subject_key): old})
    new = later.assignments[0]
    assert superseded == [old]
    assert (old.status, old.effective_to, old.superseded_by_id) == (AssignmentStatus.SUPERSEDED, date(2026, 7, 1), new.id)
    event = new.events[0]
    assert isinstance(event, AssignmentAdjusted) and event.before.subject.target_value == "100"
    assert old.in_force_on(date(2026, 3, 1)) and not new.in_force_on(date(2026, 3, 1))
    assert new.in_force_on(date(2026, 9, 1)) and not old.in_force_on(date(2026, 9, 1))
    assert not old.in_force_on(date(2025, 12, 31))
    with pytest.raises(Conflict):  # undo the adjustment first
        first.revoke("lý do", 0, "kh", NOW)
    old.restore("kh", NOW)
    assert old.in_force_on(date(2026, 9, 1))


SUM = IndicatorInfo("HP.DT", "ha", True, "higher_is_better", {})
RATE_LOW = IndicatorInfo("HP.NGHEO", "%", False, "lower_is_better", {})
SUM_LOW = IndicatorInfo("HP.VP", "vụ", True, "lower_is_better", {})


def _own(code: str, value: str) -> dict[str, Assignment]:
    a = target("xa", value, code)
    a.subject = Target(code, "2026", target_value=value)
    return {a.subject_key: a}


def _subs(code: str, *values: str) -> list[Assignment]:
    out = []
    for i, v in enumerate(values):
        a = target(f"p{i}", v, code)
        a.subject = Target(code, "2026", target_value=v)
        out.append(a)
    return out


def test_cascade_sums_additive_indicators_and_respects_polarity() -> None:
    info = {"HP.DT": SUM, "HP.VP": SUM_LOW}
    [row] = check_cascade(_own("HP.DT", "100"), _subs("HP.DT", "60", "30.5"), info)
    assert (row.aggregation, row.own_target, row.sub_total, row.shortfall) == ("sum", "100", "90.5", "9.5")
    assert row.warning == "Tổng chỉ tiêu giao cho các đơn vị (90.5 ha) thấp hơn chỉ tiêu được giao (100 ha): còn thiếu 9.5 ha"
    [row] = check_cascade(_own("HP.DT", "100"), _subs("HP.DT", "60", "40"), info)
    assert (row.shortfall, row.warning) == ("", "")
    # lower is better (e.g. violations): a sum ABOVE the own target is the warning
    [row] = check_cascade(_own("HP.VP", "10"), _subs("HP.VP", "6", "6"), info)
    assert row.shortfall == "2" and "vượt mức" in row.warning
    [row] = check_cascade(_own("HP.VP", "10"), _subs("HP.VP", "3", "4"), info)
    assert row.warning == ""


def test_cascade_compares_rates_one_by_one() -> None:
    info = {"HP.NGHEO": RATE_LOW}
    [row] = check_cascade(_own("HP.NGHEO", "2.5"), _subs("HP.NGHEO", "2.0", "3.0"), info)
    assert (row.aggregation, row.sub_total, row.warning) == ("compared", "", "")  # one is more ambitious
    [row] = check_cascade(_own("HP.NGHEO", "2.5"), _subs("HP.NGHEO", "2.8", "3.0"), info)
    assert row.warning == "Tất cả chỉ tiêu giao cho các đơn vị đều cao hơn chỉ tiêu được giao (2.5 %)"
    # no own target: shown, never warned
    [row] = check_cascade({}, _subs("HP.NGHEO", "9"), info)
    assert (row.own_target, row.warning) == ("", "")
