"""Key tasks at a point in time and target fulfilment per unit, read from the event-fed read
model (SQLite and PostgreSQL): assignments, catalog key tasks and the progress carried by
accepted reports, in any order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ktxh.assignment.v1 import assignment_pb2
from ktxh.assignment.v1 import events_pb2 as assignment_events
from ktxh.catalog.v1 import catalog_pb2
from ktxh.catalog.v1 import events_pb2 as catalog_events
from ktxh.submission.v1 import submission_pb2
from ktxh_reporting.adapters.key_task_store import SqlKeyTaskReads
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.service_layer import fulfilment, key_tasks
from ktxh_reporting.service_layer.report_kinds import end_of_day
from reporting_support import (
    PROVINCE,
    accepted,
    envelope,
    front,
    indicator,
    leader,
    org_unit,
    planner,
    reopened,
    submission,
    target,
)

TODAY = date(2026, 11, 30)


def key_task(tid: str, code: str, title: str, field: str, deadline: str, version: int = 1):
    k = catalog_pb2.KeyTask(id=tid, code=code, title=title, field=field, deadline=deadline, year=2026,
                            province_code=PROVINCE, version=version)
    return envelope(catalog_events.KeyTaskCreated(key_task=k), aggregate="key_task", aggregate_id=tid,
                    version=version, province=PROVINCE)


def task_assignment(aid: str, unit_id: str, task_id: str, *, role: str = "LEAD", fronts=(), deadline: str = "",
                    status: str = "ISSUED", version: int = 1):
    a = assignment_pb2.Assignment(
        id=aid, decision_id="qd", kind=assignment_pb2.ASSIGNMENT_KIND_KEY_TASK, assignee_unit_id=unit_id,
        role=assignment_pb2.AssigneeRole.Value(f"ASSIGNEE_ROLE_{role}"), year=2026, province_code=PROVINCE,
        version=version, status=assignment_pb2.AssignmentStatus.Value(f"ASSIGNMENT_STATUS_{status}"),
        front_unit_ids=list(fronts), effective_from="2026-01-15",
        task=assignment_pb2.TaskAssignment(key_task_id=task_id, deadline=deadline))
    return envelope(assignment_events.AssignmentIssued(assignment=a), aggregate="assignment", aggregate_id=aid,
                    version=version, province=PROVINCE)


def with_tasks(sub: submission_pb2.Submission, accepted_on: str, *rows: tuple[str, str, str, int]):
    sub.accepted_at.FromDatetime(datetime.fromisoformat(accepted_on).replace(tzinfo=UTC))
    for tid, code, status, percent in rows:
        sub.task_progress.append(submission_pb2.TaskProgress(
            key_task_id=tid, key_task_code=code, status=submission_pb2.TaskStatus.Value(f"TASK_STATUS_{status}"),
            percent_done=percent, results=f"Kết quả {code}"))
    return sub


def world():
    sep = with_tasks(submission("s-b-09", "b", "B", "2026-M09", 2), "2026-10-05T03:00:00",
                     ("k1", "NV-1", "IN_PROGRESS", 40), ("k2", "NV-2", "IN_PROGRESS", 10))
    octo = with_tasks(submission("s-b-10", "b", "B", "2026-M10", 2), "2026-11-05T03:00:00",
                      ("k1", "NV-1", "DONE", 100), ("k2", "NV-2", "IN_PROGRESS", 30))
    return [
        org_unit("p", "31", "Thành phố", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        org_unit("f", "F", "Ủy ban MTTQ thành phố", "front", "p"),
        # events in a scrambled order: progress before the catalog and the assignments
        accepted(octo), accepted(sep),
        key_task("k1", "NV-1", "Chuyển đổi số cấp xã", "Chuyển đổi số", "2026-12-31"),
        key_task("k2", "NV-2", "Giải phóng mặt bằng", "Hạ tầng", "2026-10-15"),
        key_task("k3", "NV-3", "Xây trường học", "Giáo dục", "2026-09-30"),
        task_assignment("a1", "b", "k1", fronts=["f"]),
        task_assignment("a2", "b", "NV-2"),  # named by its code: the assignment API accepts either
        task_assignment("a3", "c", "k3"),
        task_assignment("a3c", "b", "k3", role="COORDINATING"),
        task_assignment("a4", "c", "k1", status="CANCELLED"),
    ]


async def summary(db, principal, code: str, as_of: str):
    async with db.sessions() as s:
        return await key_tasks.get_key_task_summary(
            key_tasks.GetKeyTaskSummary(org_unit_code=code, as_of=as_of), ReadModel(s), SqlKeyTaskReads(s),
            principal, TODAY, end_of_day)


async def test_key_tasks_as_of_a_date(reporting_db, feeder):
    await feeder.feed(*world())
    late_oct = await summary(reporting_db, planner(), "31", "2026-10-31")
    assert [(ln.unit.code, ln.task.code, ln.status, ln.percent_done, ln.overdue) for ln in late_oct.lines] == [
        ("B", "NV-1", "in_progress", 40, False),  # October's report was accepted in November
        ("B", "NV-2", "in_progress", 10, True),  # deadline 15/10 passed, not done
        ("C", "NV-3", "not_reported", 0, True),
    ]
    now = await summary(reporting_db, planner(), "31", "2026-11-30")
    assert [(ln.task.code, ln.status, ln.percent_done) for ln in now.lines] == [
        ("NV-1", "done", 100), ("NV-2", "in_progress", 30), ("NV-3", "not_reported", 0)]
    assert now.count_by_status() == {"done": 1, "in_progress": 1, "not_reported": 1}
    assert now.overdue_count == 2
    assert [(g.key, g.total, g.done, g.overdue) for g in now.by_lead_unit()] == [("B", 2, 1, 1), ("C", 1, 0, 1)]
    assert [(g.label, g.total) for g in now.by_field()] == [("Chuyển đổi số", 1), ("Giáo dục", 1), ("Hạ tầng", 1)]
    # a commune's leader sees its own tasks; the Front only the task opened to it
    own = await summary(reporting_db, leader("C"), "C", "2026-11-30")
    assert [ln.task.code for ln in own.lines] == ["NV-3"]
    opened = await summary(reporting_db, front("F"), "31", "2026-11-30")
    assert [(ln.task.code, ln.status) for ln in opened.lines] == [("NV-1", "done")]


async def test_a_reopened_report_withdraws_its_progress_whatever_the_order(reporting_db, feeder):
    octo = with_tasks(submission("s-b-10", "b", "B", "2026-M10", 3), "2026-11-05T03:00:00",
                      ("k1", "NV-1", "DONE", 100))
    stale = with_tasks(submission("s-b-10", "b", "B", "2026-M10", 2), "2026-11-04T03:00:00",
                       ("k1", "NV-1", "IN_PROGRESS", 70))
    await feeder.feed(*world()[:4], key_task("k1", "NV-1", "Chuyển đổi số cấp xã", "Chuyển đổi số", "2026-12-31"),
                      task_assignment("a1", "b", "k1"))
    await feeder.feed(reopened(octo), accepted(stale))  # the late, older acceptance changes nothing
    now = await summary(reporting_db, planner(), "B", "2026-11-30")
    assert [(ln.status, ln.percent_done) for ln in now.lines] == [("not_reported", 0)]


async def test_target_fulfilment_per_unit(reporting_db, feeder):
    await feeder.feed(
        org_unit("p", "31", "Thành phố", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        indicator("THU"), indicator("NGHEO", time="STOCK", polarity="LOWER_IS_BETTER", spatial="AVERAGE"),
        indicator("DAN", time="STOCK"),
        accepted(submission("s-b", "b", "B", "2025", 1, {"THU": "120", "NGHEO": "4"})),
        accepted(submission("s-c", "c", "C", "2025", 1, {"THU": "80", "NGHEO": "2"})),
        target("t-b1", "b", "THU", "100", year=2025, effective_from="2025-01-01"), target("t-b2", "b", "NGHEO", "3", year=2025, effective_from="2025-01-01"),
        target("t-c1", "c", "THU", "100", year=2025, effective_from="2025-01-01"), target("t-c2", "c", "NGHEO", "3", year=2025, effective_from="2025-01-01"),
        target("t-c3", "c", "DAN", "5000", year=2025, effective_from="2025-01-01"),
        target("t-p", "p", "THU", "200", year=2025, effective_from="2025-01-01"),
    )
    async with reporting_db.sessions() as s:
        f = await fulfilment.get_fulfilment(fulfilment.GetTargetFulfilment("31", "2025"), ReadModel(s),
                                            SqlKeyTaskReads(s), planner(), TODAY)
    assert [(r.unit.code, r.is_total, r.assigned, r.achieved, r.missed, r.no_data) for r in f.rows] == [
        ("31", True, 1, 1, 0, 0),  # 200 ≥ 200
        ("B", False, 2, 1, 1, 0),  # revenue met; poverty 4 > 3 (lower is better) missed
        ("C", False, 3, 1, 1, 1),  # revenue 80 < 100 missed; poverty 2 ≤ 3 met; population no figure
    ]
    assert f.rows[2].achieved_percent == Decimal("33.3")


async def test_fulfilment_with_nothing_assigned_is_a_row_of_zeros(reporting_db, feeder):
    await feeder.feed(org_unit("p", "31", "Thành phố", "province", None),
                      org_unit("b", "B", "Xã Bình", "commune", "p"))
    async with reporting_db.sessions() as s:
        f = await fulfilment.get_fulfilment(fulfilment.GetTargetFulfilment("31", "2031"), ReadModel(s),
                                            SqlKeyTaskReads(s), planner(), TODAY)
    assert [(r.unit.code, r.assigned, r.achieved_percent) for r in f.rows] == [("31", 0, None), ("B", 0, None)]


async def test_a_parent_assigned_nothing_shows_its_childrens_targets(reporting_db, feeder):
    """Only the communes were assigned: the city's revenue target is their sum, marked as
    derived; an indicator averaged over units takes the average; the city's own target wins."""
    from ktxh_reporting.service_layer.rollups import GetRollup, get_rollup

    await feeder.feed(
        org_unit("p", "31", "Thành phố", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        indicator("THU"), indicator("NGHEO", time="STOCK", spatial="AVERAGE"), indicator("DAN", time="STOCK"),
        accepted(submission("s-b", "b", "B", "2026-M10", 1, {"THU": "40", "NGHEO": "4", "DAN": "10"})),
        target("t-b", "b", "THU", "100"), target("t-c", "c", "THU", "60"),
        target("n-b", "b", "NGHEO", "3"), target("n-c", "c", "NGHEO", "5"),
        target("d-b", "b", "DAN", "10"), target("d-p", "p", "DAN", "50"),
    )
    async with reporting_db.sessions() as s:
        r = await get_rollup(GetRollup("2026-M10", org_unit_code="31", include_children=True), ReadModel(s),
                             planner(), TODAY)
    rows = {(ln.unit.code, ln.key.indicator_code): ln.target for ln in r.lines}
    assert (rows[("31", "THU")].value, rows[("31", "THU")].derived) == (Decimal(160), True)
    assert (rows[("31", "NGHEO")].value, rows[("31", "NGHEO")].derived) == (Decimal(4), True)
    assert (rows[("31", "DAN")].value, rows[("31", "DAN")].derived) == (Decimal(50), False)  # its own
    assert (rows[("B", "THU")].value, rows[("B", "THU")].derived) == (Decimal(100), False)
    assert rows[("C", "DAN")] is None  # nothing under it either
    # the report file says so: the row is marked and a note explains it
    from ktxh_reporting.service_layer.report_exports import DERIVED_TARGET_NOTE, BuildReport, build_report

    async with reporting_db.sessions() as s:
        table = await build_report(BuildReport("31", "2026-M10"), ReadModel(s), planner(), TODAY)
    names = {row.cells["indicator_code"]: row.cells["indicator_name"] for row in table.rows}
    assert names["THU"].endswith("(*)") and not names["DAN"].endswith("(*)")
    assert DERIVED_TARGET_NOTE in table.notes
