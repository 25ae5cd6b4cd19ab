"""Notices from the oversight service's events (topics `ktxh.oversight.comment.v1` and
`ktxh.oversight.oversight_report.v1`): the Front's comments and recommendations reach the unit
concerned; its answers reach the Front committee; a filed report reaches the People's Committee
it is filed to and every unit a recommendation is addressed to; reminders before and after a
recommendation's due date reach the addressed unit (overdue also the People's Committee)."""

from __future__ import annotations

import re

from ktxh.common.v1 import envelope_pb2
from ktxh.oversight.v1 import events_pb2, oversight_pb2

from ktxh_notification.adapters.sources.base import Source, occurred_at
from ktxh_notification.domain.notices import NoticeDraft
from ktxh_notification.service_layer.unit_of_work import UnitDirectory

COMMENTS = "#/giam-sat/y-kien"
RECOMMENDATIONS = "#/giam-sat/kien-nghi"
REPORTS = "#/giam-sat/bao-cao"
FRONT = "Ủy ban MTTQ"


def _date(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _about(c: oversight_pb2.Comment) -> str:
    return f" về {c.subject.label}" if c.subject.label else ""


def _notice(envelope: envelope_pb2.EventEnvelope, *, unit_id: str, key: str, title: str, body: str,
            link: str) -> NoticeDraft:
    return NoticeDraft(
        unit_id=unit_id, group_key=f"oversight:{key}:{envelope.event_id}", title=title, body=body, link=link,
        event_id=envelope.event_id, event_type=envelope.type, occurred_at=occurred_at(envelope),
    )


async def _front(units: UnitDirectory, unit_id: str) -> str:
    return await units.name(unit_id) or FRONT


async def comment_posted(m: events_pb2.CommentPosted, env: envelope_pb2.EventEnvelope,
                         units: UnitDirectory) -> list[NoticeDraft]:
    c = m.comment
    return [_notice(env, unit_id=c.addressee_unit_id, key="comment", link=f"{COMMENTS}/{c.id}",
                    title=f"{await _front(units, c.front_unit_id)} góp ý kiến{_about(c)}",
                    body=f"{_short(c.text)} Mở để trả lời.")]


async def comment_edited(m: events_pb2.CommentEdited, env: envelope_pb2.EventEnvelope,
                         units: UnitDirectory) -> list[NoticeDraft]:
    c = m.comment
    return [_notice(env, unit_id=c.addressee_unit_id, key="comment-edited", link=f"{COMMENTS}/{c.id}",
                    title=f"{await _front(units, c.front_unit_id)} đã sửa ý kiến{_about(c)}",
                    body=f"Nội dung mới: {_short(c.text)} (nội dung trước vẫn được lưu)")]


async def comment_responded(m: events_pb2.CommentResponded, env: envelope_pb2.EventEnvelope,
                            units: UnitDirectory) -> list[NoticeDraft]:
    c, r = m.comment, m.response
    who = await units.name(r.responder_unit_id) or "Đơn vị được góp ý"
    return [_notice(env, unit_id=c.front_unit_id, key="comment-answered", link=f"{COMMENTS}/{c.id}",
                    title=f"{who} đã trả lời ý kiến{_about(c)}", body=_short(r.text))]


async def report_filed(m: events_pb2.OversightReportFiled, env: envelope_pb2.EventEnvelope,
                       units: UnitDirectory) -> list[NoticeDraft]:
    r = m.oversight_report
    front = await _front(units, r.front_unit_id)
    out = []
    if r.filed_to_unit_id:
        out.append(_notice(env, unit_id=r.filed_to_unit_id, key="report", link=f"{REPORTS}/{r.id}",
                           title=f"{front} gửi báo cáo giám sát: {r.title}",
                           body=f"{len(r.recommendations)} kiến nghị. Mở để xem kết quả giám sát."))
    for x in r.recommendations:
        due = f", hạn trả lời {_date(x.due_date)}" if x.due_date else ""
        out.append(_notice(env, unit_id=x.addressee_unit_id, key=f"recommendation:{x.id}",
                           link=f"{RECOMMENDATIONS}/{x.id}",
                           title=f"{front} kiến nghị đơn vị (báo cáo giám sát: {r.title})",
                           body=f"Kiến nghị {x.code}: {_short(x.text)}{due}. Mở để trả lời."))
    return out


async def recommendation_answered(m: events_pb2.RecommendationAnswered, env: envelope_pb2.EventEnvelope,
                                  units: UnitDirectory) -> list[NoticeDraft]:
    x, r = m.recommendation, m.response
    who = await units.name(x.addressee_unit_id) or "Đơn vị nhận kiến nghị"
    return [_notice(env, unit_id=x.front_unit_id, key="recommendation-answered", link=f"{RECOMMENDATIONS}/{x.id}",
                    title=f"{who} đã trả lời kiến nghị {x.code}",
                    body=f"{_short(r.text)} Mở để ghi nhận đã giải quyết hoặc mở lại.")]


async def recommendation_resolved(m: events_pb2.RecommendationResolved, env: envelope_pb2.EventEnvelope,
                                  units: UnitDirectory) -> list[NoticeDraft]:
    x = m.recommendation
    return [_notice(env, unit_id=x.addressee_unit_id, key="recommendation-resolved", link=f"{RECOMMENDATIONS}/{x.id}",
                    title=f"Kiến nghị {x.code} đã được {await _front(units, x.front_unit_id)} ghi nhận giải quyết",
                    body=_short(x.decision_remark or x.text))]


async def recommendation_reopened(m: events_pb2.RecommendationReopened, env: envelope_pb2.EventEnvelope,
                                  units: UnitDirectory) -> list[NoticeDraft]:
    x = m.recommendation
    due = f" Hạn trả lời: {_date(x.due_date)}." if x.due_date else ""
    return [_notice(env, unit_id=x.addressee_unit_id, key="recommendation-reopened", link=f"{RECOMMENDATIONS}/{x.id}",
                    title=f"{await _front(units, x.front_unit_id)} mở lại kiến nghị {x.code}",
                    body=f"{_short(x.decision_remark)}{due}")]


async def recommendation_due(m: events_pb2.RecommendationDue, env: envelope_pb2.EventEnvelope,
                             units: UnitDirectory) -> list[NoticeDraft]:
    x = m.recommendation
    return [_notice(env, unit_id=x.addressee_unit_id, key="recommendation-due", link=f"{RECOMMENDATIONS}/{x.id}",
                    title=f"Kiến nghị {x.code} sắp đến hạn trả lời ({_date(x.due_date)})",
                    body=f"{_short(x.text)} Mở để trả lời.")]


async def recommendation_overdue(m: events_pb2.RecommendationOverdue, env: envelope_pb2.EventEnvelope,
                                 units: UnitDirectory) -> list[NoticeDraft]:
    x = m.recommendation
    who = await units.name(x.addressee_unit_id) or "Đơn vị nhận kiến nghị"
    out = [_notice(env, unit_id=x.addressee_unit_id, key="recommendation-overdue", link=f"{RECOMMENDATIONS}/{x.id}",
                   title=f"Kiến nghị {x.code} đã quá hạn trả lời ({_date(x.due_date)})",
                   body=f"{_short(x.text)} Mở để trả lời.")]
    if x.filed_to_unit_id and x.filed_to_unit_id != x.addressee_unit_id:
        out.append(_notice(env, unit_id=x.filed_to_unit_id, key="recommendation-overdue",
                           link=f"{RECOMMENDATIONS}/{x.id}",
                           title=f"{who} quá hạn trả lời kiến nghị {x.code} của {await _front(units, x.front_unit_id)}",
                           body=_short(x.text)))
    return out


COMMENT_SOURCE = Source(
    service="oversight",
    aggregate="comment",
    mappings={
        events_pb2.CommentPosted: comment_posted,
        events_pb2.CommentEdited: comment_edited,
        events_pb2.CommentResponded: comment_responded,
    },
)

REPORT_SOURCE = Source(
    service="oversight",
    aggregate="oversight_report",
    mappings={
        events_pb2.OversightReportFiled: report_filed,
        events_pb2.RecommendationAnswered: recommendation_answered,
        events_pb2.RecommendationResolved: recommendation_resolved,
        events_pb2.RecommendationReopened: recommendation_reopened,
        events_pb2.RecommendationDue: recommendation_due,
        events_pb2.RecommendationOverdue: recommendation_overdue,
    },
)
