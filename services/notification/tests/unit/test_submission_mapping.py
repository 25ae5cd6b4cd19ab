"""What the submission service's deadline reminders say, in Vietnamese, to which unit."""

from __future__ import annotations

from ktxh.common.v1 import types_pb2
from ktxh.submission.v1 import events_pb2
from ktxh_notification.adapters.sources import sources
from ktxh_notification.adapters.sources import submission as source
from notification_support import HA_TAY, MemoryState, MemoryUnits, envelope

NAMES = MemoryUnits(MemoryState({HA_TAY.id: HA_TAY}))
OCTOBER = types_pb2.Period(code="2026-M10", year=2026, number=10)


async def test_an_internal_deadline_near_before_the_report_is_opened():
    m = events_pb2.SubmissionDeadlineApproaching(
        org_unit_id=HA_TAY.id, org_unit_code="10846", period=OCTOBER, period_label="Tháng 10/2026",
        calendar_code="LICH.HP2081", step="office_entry",
        step_name="Các phòng cung cấp số liệu cho Văn phòng", responsible="office",
        due_date="2026-10-16", days_left=1)
    env = envelope(m)
    (draft,) = await source.approaching(m, env, NAMES)
    assert draft.unit_id == HA_TAY.id
    assert draft.title == "Sắp đến hạn báo cáo Tháng 10/2026 (ngày mai)"
    assert draft.body == ("Hạn nội bộ: Các phòng cung cấp số liệu cho Văn phòng Tháng 10/2026 là "
                          "ngày 16/10/2026. Đơn vị chưa mở báo cáo kỳ này.")
    assert (draft.link, draft.event_id) == ("#/bao-cao", env.event_id)


async def test_the_official_deadline_and_the_overdue_report_link_to_it():
    m = events_pb2.SubmissionDeadlineApproaching(
        org_unit_id=HA_TAY.id, period=OCTOBER, period_label="Tháng 10/2026", step="official",
        due_date="2026-10-19", days_left=0, submission_id="s-1")
    (draft,) = await source.approaching(m, envelope(m), NAMES)
    assert (draft.title, draft.body, draft.link) == (
        "Sắp đến hạn báo cáo Tháng 10/2026 (hôm nay)",
        "Hạn gửi báo cáo Tháng 10/2026 là ngày 19/10/2026.", "#/bao-cao/s-1")
    late = events_pb2.SubmissionOverdue(
        org_unit_id=HA_TAY.id, period=OCTOBER, period_label="Tháng 10/2026",
        due_date="2026-10-19", days_late=3, submission_id="s-1")
    (draft,) = await source.overdue(late, envelope(late), NAMES)
    assert (draft.title, draft.body) == (
        "Quá hạn gửi báo cáo Tháng 10/2026",
        "Báo cáo Tháng 10/2026 chưa gửi: hạn gửi là ngày 19/10/2026, đã quá 3 ngày.")


def test_the_sources_cover_the_submission_topic():
    mine = next(s for s in sources() if s.service == "submission")
    assert mine.aggregate == "submission"
    assert {cls.DESCRIPTOR.name for cls in mine.mappings} == {
        "SubmissionDeadlineApproaching", "SubmissionOverdue"}
