"""What each oversight event says, in Vietnamese, to which unit, with which link."""

from __future__ import annotations

from ktxh.oversight.v1 import events_pb2, oversight_pb2
from ktxh_notification.adapters.sources import oversight as source
from ktxh_notification.adapters.sources import sources
from notification_support import CITY, HA_TAY, SIBLING, MemoryState, MemoryUnits, Unit, envelope

FRONT = Unit("u-mttq", "31.MTTQ", "Ủy ban MTTQ Việt Nam thành phố", "front", CITY.id)
NAMES = MemoryUnits(MemoryState({u.id: u for u in (CITY, HA_TAY, SIBLING, FRONT)}))


def _rec(code: str, unit: str, due: str = "2026-11-20") -> oversight_pb2.Recommendation:
    return oversight_pb2.Recommendation(
        id=f"r-{code}", code=code, text=f"Kiến nghị số {code}", addressee_unit_id=unit, due_date=due,
        front_unit_id=FRONT.id, filed_to_unit_id=CITY.id, oversight_report_id="bc-1")


async def test_a_comment_reaches_the_unit_and_its_answer_the_front() -> None:
    c = oversight_pb2.Comment(
        id="yk-1", front_unit_id=FRONT.id, addressee_unit_id=HA_TAY.id, text="Tỷ lệ hộ nghèo chưa giảm.",
        subject=oversight_pb2.SubjectRef(kind=oversight_pb2.SUBJECT_KIND_ASSIGNMENT, id="a-1", label="Tỷ lệ hộ nghèo"))
    message = events_pb2.CommentPosted(comment=c)
    (draft,) = await source.comment_posted(message, envelope(message, aggregate="comment"), NAMES)
    assert (draft.unit_id, draft.link) == (HA_TAY.id, "#/giam-sat/y-kien/yk-1")
    assert draft.title == "Ủy ban MTTQ Việt Nam thành phố góp ý kiến về Tỷ lệ hộ nghèo"
    answer = oversight_pb2.Response(id="tl-1", comment_id="yk-1", responder_unit_id=HA_TAY.id, text="Đã rà soát.")
    message = events_pb2.CommentResponded(comment=c, response=answer)
    (draft,) = await source.comment_responded(message, envelope(message, aggregate="comment"), NAMES)
    assert (draft.unit_id, draft.title) == (FRONT.id, "Xã Hà Tây đã trả lời ý kiến về Tỷ lệ hộ nghèo")


async def test_a_filed_report_reaches_the_committee_and_each_addressed_unit() -> None:
    r = oversight_pb2.OversightReport(
        id="bc-1", front_unit_id=FRONT.id, title="Giám sát giảm nghèo", filed_to_unit_id=CITY.id,
        recommendations=[_rec("1", HA_TAY.id), _rec("2", SIBLING.id, "2026-11-10")])
    message = events_pb2.OversightReportFiled(oversight_report=r)
    drafts = await source.report_filed(message, envelope(message, aggregate="oversight_report"), NAMES)
    assert [(d.unit_id, d.link) for d in drafts] == [
        (CITY.id, "#/giam-sat/bao-cao/bc-1"), (HA_TAY.id, "#/giam-sat/kien-nghi/r-1"),
        (SIBLING.id, "#/giam-sat/kien-nghi/r-2")]
    assert drafts[0].title == "Ủy ban MTTQ Việt Nam thành phố gửi báo cáo giám sát: Giám sát giảm nghèo"
    assert drafts[2].body == "Kiến nghị 2: Kiến nghị số 2, hạn trả lời 10/11/2026. Mở để trả lời."


async def test_recommendation_follow_up_notices() -> None:
    message = events_pb2.RecommendationOverdue(recommendation=_rec("2", SIBLING.id, "2026-11-10"))
    drafts = await source.recommendation_overdue(message, envelope(message), NAMES)
    assert [(d.unit_id, d.title) for d in drafts] == [
        (SIBLING.id, "Kiến nghị 2 đã quá hạn trả lời (10/11/2026)"),
        (CITY.id, "Xã An Lão quá hạn trả lời kiến nghị 2 của Ủy ban MTTQ Việt Nam thành phố")]
    message = events_pb2.RecommendationDue(recommendation=_rec("1", HA_TAY.id))
    (draft,) = await source.recommendation_due(message, envelope(message), NAMES)
    assert (draft.unit_id, draft.title) == (HA_TAY.id, "Kiến nghị 1 sắp đến hạn trả lời (20/11/2026)")
    answered = events_pb2.RecommendationAnswered(
        recommendation=_rec("1", HA_TAY.id), response=oversight_pb2.Response(text="Đã làm xong."))
    (draft,) = await source.recommendation_answered(answered, envelope(answered), NAMES)
    assert (draft.unit_id, draft.title) == (FRONT.id, "Xã Hà Tây đã trả lời kiến nghị 1")
    resolved = events_pb2.RecommendationResolved(recommendation=_rec("1", HA_TAY.id))
    (draft,) = await source.recommendation_resolved(resolved, envelope(resolved), NAMES)
    assert draft.title == "Kiến nghị 1 đã được Ủy ban MTTQ Việt Nam thành phố ghi nhận giải quyết"


def test_the_oversight_topics_are_sources() -> None:
    topics = {(s.service, s.aggregate) for s in sources()}
    assert {("oversight", "comment"), ("oversight", "oversight_report")} <= topics
