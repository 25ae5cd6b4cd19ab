"""What each assignment event says, in Vietnamese, to which unit, with which link."""

from __future__ import annotations

from ktxh.assignment.v1 import assignment_pb2, events_pb2
from ktxh_notification.adapters.sources import assignment as source
from ktxh_notification.adapters.sources import sources
from notification_support import HA_TAY, PROVINCE, MemoryState, MemoryUnits, envelope, target

NAMES = MemoryUnits(MemoryState({HA_TAY.id: HA_TAY}))


def test_numbers_and_dates_read_the_vietnamese_way():
    assert [source._number(v) for v in ("1250", "1250000.5", "-3.25", "0", "không rõ")] == [
        "1.250", "1.250.000,5", "-3,25", "0", "không rõ"]
    assert source._date("2026-12-15") == "15/12/2026" and source._date("") == ""


async def test_a_key_task_and_a_range_target():
    task = assignment_pb2.Assignment(
        id="a-task", decision_id="qd-1", kind=assignment_pb2.AssignmentKind.ASSIGNMENT_KIND_KEY_TASK,
        assignee_unit_id=HA_TAY.id, year=2026, province_code=PROVINCE,
        task=assignment_pb2.TaskAssignment(key_task_id="nv-1", deadline="2026-12-15"))
    message = events_pb2.AssignmentIssued(assignment=task, decision_number="125/QĐ-UBND")
    env = envelope(message)
    (draft,) = await source.issued(message, env, NAMES)
    assert draft.title == "Đơn vị được giao nhiệm vụ trọng tâm theo Quyết định 125/QĐ-UBND"
    assert draft.body == "Nhiệm vụ trọng tâm năm 2026, hạn 15/12/2026. Mở để xem và xác nhận đã nhận."
    assert (draft.unit_id, draft.link, draft.event_id) == (HA_TAY.id, "#/duoc-giao/a-task", env.event_id)

    ranged = target(HA_TAY.id, value="95")
    ranged.target.target_value_max = "100"
    message = events_pb2.AssignmentIssued(assignment=ranged)
    (draft,) = await source.issued(message, envelope(message), NAMES)
    assert draft.title == "Đơn vị được giao chỉ tiêu theo quyết định mới"
    assert draft.body.startswith("Chỉ tiêu HP2081.XIII.01 năm 2026: 95–100.")


async def test_an_acknowledgement_goes_to_the_assigning_unit_and_names_the_receiver():
    a = target(HA_TAY.id, assigner="u-stc", decision_id="qd-9")
    a.acknowledgement.acknowledged_by = "chu_tich"
    message = events_pb2.AssignmentAcknowledged(assignment=a)
    (draft,) = await source.acknowledged(message, envelope(message), NAMES)
    assert (draft.unit_id, draft.title, draft.link) == (
        "u-stc", "Xã Hà Tây đã xác nhận đã nhận chỉ tiêu được giao", "#/quyet-dinh-giao/qd-9")
    unknown = target("u-nowhere", assigner="u-stc")
    message = events_pb2.AssignmentAcknowledged(assignment=unknown)
    (draft,) = await source.acknowledged(message, envelope(message), NAMES)
    assert draft.title == "Đơn vị được giao đã xác nhận đã nhận chỉ tiêu được giao"
    message = events_pb2.AssignmentAcknowledged(assignment=target(HA_TAY.id, assigner=""))
    assert await source.acknowledged(message, envelope(message), NAMES) == []


def test_the_sources_cover_the_assignment_topic():
    only = next(s for s in sources() if s.service == "assignment")
    assert (only.service, only.aggregate) == ("assignment", "assignment")
    assert {cls.DESCRIPTOR.name for cls in only.mappings} == {
        "AssignmentIssued", "AssignmentAdjusted", "AssignmentCancelled", "AssignmentAcknowledged",
        "AssignmentAcknowledgementOverdue"}


