"""The assignment use cases against real databases (SQLite, PostgreSQL): the issue's flow from a
province draft to a mid-year adjustment, with the scope applied in SQL at every step."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ktxh_assignment.adapters import tables
from ktxh_assignment.domain.decisions import (
    Assignment,
    AssignmentStatus,
    DecisionStatus,
    DimensionChoice,
    Header,
    Target,
    TaskSubject,
)
from ktxh_assignment.service_layer import decisions as svc
from ktxh_assignment.service_layer.unit_of_work import AssignmentFilter, DecisionFilter
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound, PermissionDenied
from peers import CHU_TICH, ID, KE_HOACH, MTTQ, NHAP_LIEU, OTHER, FakeCatalog, FakeDocuments

RULES = svc.AssignmentRules(require_signed_decision=True, ack_reminder_days=5)
COMMUNES = ("10846", "11311", "10900")


def target(unit: str, code: str, value: str, **kw) -> Assignment:
    return Assignment(
        id=str(uuid.uuid4()), decision_id="", assignee_unit_id=ID[unit],
        subject=Target(indicator_code=code, period=kw.pop("period", ""), target_value=value, **kw),
    )


async def outbox_types(db) -> list[str]:
    if hasattr(db, "published"):  # the in-memory unit of work of the unit tests
        return list(db.published)
    async with db.engine.connect() as conn:
        return list((await conn.execute(sa.select(tables.outbox.c.event_type).order_by(tables.outbox.c.created_at))).scalars())


async def province_decision(uow_factory, **header) -> tuple:
    items = [target(c, "HP.DT", v) for c, v in zip(COMMUNES, ("100", "80", "60"), strict=True)]
    items += [target(c, "HP.NGHEO", "2.5") for c in COMMUNES]
    h = Header(number="125/QĐ-UBND", title="Giao chỉ tiêu KT-XH năm 2026", issued_on=date(2026, 1, 5),
               year=2026, legal_basis="Nghị quyết 45/NQ-HĐND", front_unit_ids=(ID["31.MTTQ"],), **header)
    d = await svc.create_decision(svc.CreateDecision(ID["31.STC"], h, items), uow_factory(), FakeCatalog(), KE_HOACH)
    return d, items


async def test_the_province_assigns_a_commune_acknowledges_and_an_adjustment_supersedes(uow_factory, assignment_db):
    d, _ = await province_decision(uow_factory)
    assert d.status is DecisionStatus.DRAFT and len(d.assignments) == 6
    assert {a.subject.unit_of_measure for a in d.assignments} == {"ha", "%"}  # copied from the catalog

    # a draft is the issuer's: a commune sees nothing of it
    with pytest.raises(NotFound):
        await svc.get_decision(d.id, uow_factory(), NHAP_LIEU)
    items, _, total = await svc.list_assignments(AssignmentFilter(), uow_factory(), NHAP_LIEU)
    assert total == 0

    # issuing needs a validly signed document
    with pytest.raises(InvalidArgument) as refused:
        await svc.issue_decision(svc.IssueDecision(d.id, "unsigned", d.version), uow_factory(), FakeDocuments(), RULES, KE_HOACH)
    assert refused.value.violations[0].field == "document_id"
    assert (await svc.get_decision(d.id, uow_factory(), KE_HOACH)).status is DecisionStatus.DRAFT
    d = await svc.issue_decision(svc.IssueDecision(d.id, "signed", d.version), uow_factory(), FakeDocuments(), RULES, KE_HOACH)
    assert d.status is DecisionStatus.ISSUED
    types = await outbox_types(assignment_db)
    assert types.count("ktxh.assignment.v1.AssignmentIssued") == 6
    assert types.count("ktxh.assignment.v1.DecisionIssued") == 1

    # Hà Tây's clerk (an office of the commune) sees the commune's two targets, nothing else
    mine, _, total = await svc.list_assignments(AssignmentFilter(), uow_factory(), NHAP_LIEU)
    assert total == 2 and {a.assignee_unit_id for a in mine} == {ID["10846"]}
    seen = await svc.get_decision(d.id, uow_factory(), NHAP_LIEU)
    assert {a.assignee_unit_id for a in seen.assignments} == {ID["10846"]}  # not the other communes'
    theirs, _, _ = await svc.list_assignments(AssignmentFilter(), uow_factory(), OTHER)
    assert {a.assignee_unit_id for a in theirs} == {ID["11311"]}
    with pytest.raises(NotFound):
        await svc.get_assignment(mine[0].id, uow_factory(), OTHER)
    # the Front committee named on the decision reads all six, read-only
    front, _, total = await svc.list_assignments(AssignmentFilter(), uow_factory(), MTTQ)
    assert total == 6
    with pytest.raises(PermissionDenied):
        await svc.acknowledge_assignment(svc.AcknowledgeAssignment(mine[0].id), uow_factory(), MTTQ)

    # only the assignee's users acknowledge; who and when are kept
    area = next(a for a in mine if a.subject.indicator_code == "HP.DT")
    with pytest.raises(NotFound):
        await svc.acknowledge_assignment(svc.AcknowledgeAssignment(area.id), uow_factory(), OTHER)
    with pytest.raises(PermissionDenied):  # the province sees it but is not the assignee
        await svc.acknowledge_assignment(svc.AcknowledgeAssignment(area.id), uow_factory(), KE_HOACH)
    acked = await svc.acknowledge_assignment(svc.AcknowledgeAssignment(area.id, "Đã nhận"), uow_factory(), NHAP_LIEU)
    assert acked.status is AssignmentStatus.ACKNOWLEDGED and acked.acknowledged_by == "nhap_lieu"
    with pytest.raises(Conflict):
        await svc.acknowledge_assignment(svc.AcknowledgeAssignment(area.id), uow_factory(), CHU_TICH)

    # an original decision may not assign the same subject again...
    again, _ = await province_decision(uow_factory)
    with pytest.raises(Conflict):
        await svc.issue_decision(svc.IssueDecision(again.id, "signed"), uow_factory(), FakeDocuments(), RULES, KE_HOACH)
    # ...a later decision adjusting it does, from its effective date
    h = Header(number="300/QĐ-UBND", title="Điều chỉnh chỉ tiêu 2026", issued_on=date(2026, 6, 20),
               effective_from=date(2026, 7, 1), year=2026, adjusts_decision_id=d.id)
    adj = await svc.create_decision(
        svc.CreateDecision(ID["31.STC"], h, [target("10846", "HP.DT", "120")]), uow_factory(), FakeCatalog(), KE_HOACH
    )
    adj = await svc.issue_decision(svc.IssueDecision(adj.id, "signed"), uow_factory(), FakeDocuments(), RULES, KE_HOACH)
    assert "ktxh.assignment.v1.AssignmentAdjusted" in await outbox_types(assignment_db)

    history = await svc.list_assignment_history(area.id, uow_factory(), NHAP_LIEU)
    assert [(a.decision_number, a.subject.target_value, a.status) for a in history] == [
        ("125/QĐ-UBND", "100", AssignmentStatus.SUPERSEDED), ("300/QĐ-UBND", "120", AssignmentStatus.ISSUED),
    ]
    assert history[0].effective_to == date(2026, 7, 1)

    async def in_force(day: date) -> dict[str, str]:
        items, _, _ = await svc.list_assignments(AssignmentFilter(in_force_on=day), uow_factory(), NHAP_LIEU)
        return {a.subject.indicator_code: a.subject.target_value for a in items}

    assert await in_force(date(2026, 3, 1)) == {"HP.DT": "100", "HP.NGHEO": "2.5"}
    assert await in_force(date(2026, 9, 1)) == {"HP.DT": "120", "HP.NGHEO": "2.5"}

    # revoking the adjustment puts the earlier target back in force
    adj = await svc.revoke_decision(svc.RevokeDecision(adj.id, "Ban hành nhầm"), uow_factory(), KE_HOACH)
    assert await in_force(date(2026, 9, 1)) == {"HP.DT": "100", "HP.NGHEO": "2.5"}
    restored = await svc.get_assignment(area.id, uow_factory(), NHAP_LIEU)
    assert restored.status is AssignmentStatus.ACKNOWLEDGED and restored.effective_to is None


async def test_a_commune_cascades_to_its_offices_with_a_shortfall_warning(uow_factory):
    d, _ = await province_decision(uow_factory)
    await svc.issue_decision(svc.IssueDecision(d.id, "signed"), uow_factory(), FakeDocuments(), RULES, KE_HOACH)

    h = Header(number="12/QĐ-UBND", title="Giao chỉ tiêu cho các phòng", issued_on=date(2026, 1, 20), year=2026)
    items = [target("10846.PKT", "HP.DT", "60"), target("10846.PVHXH", "HP.DT", "30"),
             target("10846.PKT", "HP.NGHEO", "2.0"), target("10846.PVHXH", "HP.NGHEO", "3.0")]
    mine = await svc.create_decision(svc.CreateDecision(ID["10846"], h, items), uow_factory(), FakeCatalog(), CHU_TICH)
    rows = {r.target.indicator_code: r for r in await svc.check_cascade_for(mine.id, uow_factory(), FakeCatalog(), CHU_TICH)}
    area = rows["HP.DT"]
    assert (area.aggregation, area.own_target, area.sub_total, area.shortfall) == ("sum", "100", "90", "10")
    assert "thấp hơn" in area.warning and "10 ha" in area.warning
    rate = rows["HP.NGHEO"]  # one office is more ambitious than 2.5 %: rates are compared, no warning
    assert (rate.aggregation, rate.own_target, rate.sub_total, rate.warning) == ("compared", "2.5", "", "")
    # warnings never block issuing
    issued = await svc.issue_decision(svc.IssueDecision(mine.id, "signed"), uow_factory(), FakeDocuments(), RULES, CHU_TICH)
    assert issued.status is DecisionStatus.ISSUED

    # the commune may not assign to another commune's units, nor issue for the province
    with pytest.raises(InvalidArgument) as bad:
        await svc.create_decision(
            svc.CreateDecision(ID["10846"], h, [target("11311.PKT", "HP.DT", "5")]), uow_factory(), FakeCatalog(), CHU_TICH
        )
    assert bad.value.violations[0].field == "assignments[0].assignee_unit_id"
    with pytest.raises(InvalidArgument):
        await svc.create_decision(svc.CreateDecision(ID["31.STC"], h, []), uow_factory(), FakeCatalog(), CHU_TICH)
    # a data-entry clerk creates nothing
    with pytest.raises(PermissionDenied):
        await svc.create_decision(svc.CreateDecision(ID["10846"], h, []), uow_factory(), FakeCatalog(), NHAP_LIEU)


async def test_catalog_references_and_dimension_members_are_validated(uow_factory):
    h = Header(number="1/QĐ", issued_on=date(2026, 1, 5), year=2026)
    items = [
        target("10846", "HP.KHONG_CO", "1"),
        target("10846", "HP.THU", "50", members=(DimensionChoice("NGUON", "XX"),)),
        Assignment(id="t", decision_id="", assignee_unit_id=ID["10846"], subject=TaskSubject("kt-missing")),
    ]
    with pytest.raises(InvalidArgument) as err:
        await svc.create_decision(svc.CreateDecision(ID["31.STC"], h, items), uow_factory(), FakeCatalog(), KE_HOACH)
    assert [v.field for v in err.value.violations] == [
        "assignments[0].target.key.indicator_code", "assignments[1].target.key.members",
        "assignments[2].task.key_task_id",
    ]
    ok = await svc.create_decision(
        svc.CreateDecision(ID["31.STC"], h, [target("10846", "HP.THU", "50", members=(DimensionChoice("NGUON", "DP"),))]),
        uow_factory(), FakeCatalog(), KE_HOACH,
    )
    assert ok.assignments[0].subject.unit_of_measure == "triệu đồng"
    listed, _, total = await svc.list_decisions(DecisionFilter(), uow_factory(), KE_HOACH)
    assert total == 1 and listed[0].id == ok.id


async def test_a_repeated_idempotency_key_answers_the_first_decision(uow_factory):
    h = Header(number="7/QĐ", issued_on=date(2026, 1, 5), year=2026)
    cmd = svc.CreateDecision(ID["31.STC"], h, [], idempotency_key="k-1")
    first = await svc.create_decision(cmd, uow_factory(), FakeCatalog(), KE_HOACH)
    again = await svc.create_decision(cmd, uow_factory(), FakeCatalog(), KE_HOACH)
    assert again.id == first.id
    other = svc.CreateDecision(ID["31.STC"], Header(number="8/QĐ", year=2026), [], idempotency_key="k-1")
    with pytest.raises(Conflict):
        await svc.create_decision(other, uow_factory(), FakeCatalog(), KE_HOACH)
    _, _, total = await svc.list_decisions(DecisionFilter(), uow_factory(), KE_HOACH)
    assert total == 1


async def test_unacknowledged_assignments_are_reminded_once(uow_factory, assignment_db):
    d, _ = await province_decision(uow_factory)
    d = await svc.issue_decision(svc.IssueDecision(d.id, "signed"), uow_factory(), FakeDocuments(), RULES, KE_HOACH)
    first = next(a for a in d.assignments if a.assignee_unit_id == ID["10846"])
    await svc.acknowledge_assignment(svc.AcknowledgeAssignment(first.id), uow_factory(), NHAP_LIEU)
    issued = datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert await svc.remind_unacknowledged(issued + timedelta(days=4), uow_factory("system"), RULES) == 0
    assert await svc.remind_unacknowledged(issued + timedelta(days=6), uow_factory("system"), RULES) == 5
    assert await svc.remind_unacknowledged(issued + timedelta(days=9), uow_factory("system"), RULES) == 0
    types = await outbox_types(assignment_db)
    assert types.count("ktxh.assignment.v1.AssignmentAcknowledgementOverdue") == 5
