"""What each evaluation event says, in Vietnamese, to which unit, with which link."""

from __future__ import annotations

from ktxh.common.v1 import types_pb2
from ktxh.evaluation.v1 import evaluation_pb2, events_pb2
from ktxh_notification.adapters.sources import evaluation as source
from ktxh_notification.adapters.sources import sources
from notification_support import HA_TAY, MemoryState, MemoryUnits, envelope

NAMES = MemoryUnits(MemoryState({HA_TAY.id: HA_TAY}))


def _evaluation(**extra) -> evaluation_pb2.Evaluation:
    e = evaluation_pb2.Evaluation(id="ev-1", org_unit_id=HA_TAY.id, total_score="87.50", version=4,
                                  completion_level=types_pb2.COMPLETION_LEVEL_GOOD, **extra)
    e.period.year = 2026
    return e


async def test_the_unit_hears_the_round_its_result_and_the_answer():
    assert "evaluation" in [s.service for s in sources()]
    rnd = evaluation_pb2.EvaluationRound(id="r-1", year=2026, name="Đánh giá cấp xã năm 2026",
                                         self_evaluation_deadline="2027-01-15")
    rnd.units.add(org_unit_id=HA_TAY.id, org_unit_code="10846")
    message = events_pb2.RoundOpened(round=rnd)
    (draft,) = await source.round_opened(message, envelope(message, aggregate="evaluation"), NAMES)
    assert (draft.unit_id, draft.title, draft.link) == (HA_TAY.id, "Mở đợt đánh giá năm 2026", "#/danh-gia/r-1")
    assert draft.body == "Đánh giá cấp xã năm 2026. Hạn tự đánh giá: 15/01/2027."

    message = events_pb2.EvaluationFinalized(evaluation=_evaluation())
    (draft,) = await source.finalized(message, envelope(message, aggregate="evaluation"), NAMES)
    assert draft.title == "Đã có kết quả đánh giá năm 2026"
    assert draft.body.startswith("Tổng điểm 87,5: Hoàn thành tốt nhiệm vụ.")
    assert draft.link == "#/phieu-danh-gia/ev-1"

    answered = _evaluation()
    answered.review.answer = "Nâng tiêu chí 4 lên 8 điểm."
    message = events_pb2.ReviewAnswered(evaluation=answered)
    (draft,) = await source.review_answered(message, envelope(message, aggregate="evaluation"), NAMES)
    assert draft.body == "Nâng tiêu chí 4 lên 8 điểm. Tổng điểm sau xem xét: 87,5."
