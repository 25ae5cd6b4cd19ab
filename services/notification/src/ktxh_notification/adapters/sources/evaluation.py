"""Notices from the evaluation service's events (topic `ktxh.evaluation.evaluation.v1`,
docs/evaluation.md).

Each evaluated unit hears that a round opened (with its self-evaluation deadline), that its
result is final (total and level), and the answer to its review request. Links open the
round's review queue or the unit's sheet.
"""

from __future__ import annotations

import re

from ktxh.common.v1 import envelope_pb2, types_pb2
from ktxh.evaluation.v1 import events_pb2

from ktxh_notification.adapters.sources.base import Source, occurred_at
from ktxh_notification.domain.notices import NoticeDraft
from ktxh_notification.service_layer.unit_of_work import UnitDirectory

LEVEL = {
    types_pb2.COMPLETION_LEVEL_EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_GOOD: "Hoàn thành tốt nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_COMPLETED: "Hoàn thành nhiệm vụ",
    types_pb2.COMPLETION_LEVEL_NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}


def _date(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def _score(text: str) -> str:
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text


def _draft(envelope: envelope_pb2.EventEnvelope, unit_id: str, key: str, title: str, body: str,
           link: str) -> NoticeDraft:
    return NoticeDraft(
        unit_id=unit_id, group_key=f"evaluation:{key}", title=title, body=body, link=link,
        group_body=body, group_link=link, event_id=envelope.event_id, event_type=envelope.type,
        occurred_at=occurred_at(envelope),
    )


async def round_opened(
    m: events_pb2.RoundOpened, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    r = m.round
    return [_draft(
        envelope, u.org_unit_id, f"round:{r.id}:{u.org_unit_id}", f"Mở đợt đánh giá năm {r.year}",
        f"{r.name}. Hạn tự đánh giá: {_date(r.self_evaluation_deadline)}.", f"#/danh-gia/{r.id}",
    ) for u in r.units]


async def finalized(
    m: events_pb2.EvaluationFinalized, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    e = m.evaluation
    level = LEVEL.get(e.completion_level, "chưa xếp loại")
    return [_draft(
        envelope, e.org_unit_id, f"finalized:{e.id}:{e.version}", f"Đã có kết quả đánh giá năm {e.period.year}",
        f"Tổng điểm {_score(e.total_score)}: {level}. Đơn vị có thể đề nghị xem xét lại một lần trong hạn.",
        f"#/phieu-danh-gia/{e.id}",
    )]


async def review_answered(
    m: events_pb2.ReviewAnswered, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    e = m.evaluation
    return [_draft(
        envelope, e.org_unit_id, f"answered:{e.id}", "Đã trả lời đề nghị xem xét lại kết quả đánh giá",
        f"{e.review.answer} Tổng điểm sau xem xét: {_score(e.total_score)}.", f"#/phieu-danh-gia/{e.id}",
    )]


SOURCE = Source(
    service="evaluation",
    aggregate="evaluation",
    mappings={
        events_pb2.RoundOpened: round_opened,
        events_pb2.EvaluationFinalized: finalized,
        events_pb2.ReviewAnswered: review_answered,
    },
)
