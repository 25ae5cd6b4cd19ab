"""The oversight use cases on SQLite and PostgreSQL (real migrations, real scope SQL), with the
other services faked: the Front comments on what was opened to it, the commune answers, a report
cites the October figures and is filed with two recommendations followed to the end."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from ktxh.oversight.v1 import events_pb2
from ktxh_oversight.adapters import tables
from ktxh_oversight.domain.model import (
    CitationKind,
    CommentStatus,
    RecommendationStatus,
    ReportContent,
    ReportStatus,
    SubjectKind,
    SubjectRef,
)
from ktxh_oversight.service_layer import oversight as svc
from ktxh_oversight.service_layer.unit_of_work import (
    CommentFilter,
    RecommendationFilter,
    ReportFilter,
)
from ktxh_platform.auth.principal import AuthorizationError
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound
from ktxh_platform.messaging import MessagingContext  # noqa: F401 - fixture type
from oversight_peers import (
    CHU_TICH,
    ID,
    KE_HOACH,
    LANH_DAO,
    MTTQ,
    MTTQ_XA,
    NHAP_LIEU,
    NOT_OPENED,
    OCT,
    OTHER_LEADER,
    OTHER_VP,
    POVERTY_HA_TAY,
    TONG_HOP,
    FakeAssignments,
    FakeDocuments,
    FakeReporting,
)

NOW = datetime(2026, 11, 5, 8, 0, tzinfo=UTC)


async def outbox(db) -> list[tuple[str, bytes]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(tables.outbox.c.event_type, tables.outbox.c.payload).order_by(tables.outbox.c.seq))
        return [(r.event_type, r.payload) for r in rows]


def poverty_comment(text: str = "Tỷ lệ hộ nghèo tháng 10 chưa giảm như chỉ tiêu; đề nghị xã giải trình.") -> svc.PostComment:
    return svc.PostComment(
        front_unit_id="", subject=SubjectRef(SubjectKind.ASSIGNMENT, POVERTY_HA_TAY.id, "Tỷ lệ hộ nghèo"),
        addressee_unit_id="", text=text,
    )


def report_content(**kw) -> ReportContent:
    values = {
        "title": "Báo cáo giám sát thực hiện chỉ tiêu giảm nghèo tháng 10/2026", "period": OCT, "subjects": (),
        "overseen_unit_ids": (ID["10846"], ID["11311"]),
        "findings": "Xã Hà Tây chưa đạt chỉ tiêu giảm nghèo; xã 11311 chưa báo cáo.",
        "recommendations": (
            ("1", "Rà soát danh sách hộ nghèo, báo cáo trước 20/11.", ID["10846"], date(2026, 11, 20)),
            ("2", "Báo cáo số liệu hộ nghèo tháng 10.", ID["11311"], date(2026, 11, 10)),
        ),
        "as_of": date(2026, 11, 5),
    }
    values.update(kw)
    return ReportContent(**values)


async def test_comment_thread_front_to_commune(uow_factory, oversight_db) -> None:
    assignments = FakeAssignments()
    c = await svc.post_comment(poverty_comment(), uow_factory("mttq"), assignments, MTTQ, NOW)
    assert c.addressee_unit_id == ID["10846"] and c.front_unit_id == ID["31.MTTQ"]

    # the commune's leader and its consolidating office see it; a sibling commune and a clerk do not
    for who in (CHU_TICH, TONG_HOP, KE_HOACH):
        items, _, total = await svc.list_comments(CommentFilter(), uow_factory(), who)
        assert [x.id for x in items] == [c.id] and total == 1, who.username
    assert (await svc.list_comments(CommentFilter(), uow_factory(), OTHER_LEADER))[2] == 0
    with pytest.raises(NotFound):
        await svc.get_comment(c.id, uow_factory(), OTHER_VP)
    with pytest.raises(AuthorizationError):  # a data-entry clerk has no comment grant
        await svc.get_comment(c.id, uow_factory(), NHAP_LIEU)
    # another Front committee does not see the province committee's comment
    assert (await svc.list_comments(CommentFilter(), uow_factory(), MTTQ_XA))[2] == 0

    # edits keep the earlier text
    first = c.text
    c = await svc.update_comment(c.id, first + " Kèm số liệu.", c.version, uow_factory("mttq"), MTTQ, NOW)
    assert c.text.endswith("Kèm số liệu.") and [e.text for e in c.edits] == [first]

    # only the unit concerned answers; the sibling commune cannot
    with pytest.raises(NotFound):
        await svc.post_response(svc.PostResponse("Không phải xã chúng tôi", comment_id=c.id), uow_factory(), OTHER_LEADER)
    with pytest.raises(AuthorizationError):  # the Front does not answer its own comment
        await svc.post_response(svc.PostResponse("x", comment_id=c.id), uow_factory(), MTTQ)
    r = await svc.post_response(
        svc.PostResponse("Xã đã rà soát lại 12 hộ, tỷ lệ tháng 11 giảm còn 2,6 %.", comment_id=c.id),
        uow_factory("chu_tich"), CHU_TICH, NOW,
    )
    assert r.responder_unit_id == ID["10846"]
    c = await svc.get_comment(c.id, uow_factory(), MTTQ)
    assert c.status is CommentStatus.RESPONDED and [x.text for x in c.responses] == [r.text]

    # once answered a comment is never deleted
    with pytest.raises(Conflict):
        await svc.delete_comment(c.id, c.version, uow_factory("mttq"), MTTQ)
    types = [t for t, _ in await outbox(oversight_db)]
    assert types == [
        "ktxh.oversight.v1.CommentPosted", "ktxh.oversight.v1.CommentEdited", "ktxh.oversight.v1.CommentResponded",
    ]


async def test_front_comments_only_on_what_was_opened_to_it(uow_factory) -> None:
    assignments = FakeAssignments()
    with pytest.raises(AuthorizationError, match="chưa được giao cho Ủy ban MTTQ"):
        await svc.post_comment(svc.PostComment(
            "", SubjectRef(SubjectKind.ASSIGNMENT, NOT_OPENED.id), "", "Ý kiến"), uow_factory(), assignments, MTTQ)
    with pytest.raises(AuthorizationError, match="chưa được giao"):  # the commune Front: nothing opened
        await svc.post_comment(poverty_comment(), uow_factory(), assignments, MTTQ_XA)
    with pytest.raises(AuthorizationError, match="Chỉ thành viên Ủy ban MTTQ"):  # units do not comment
        await svc.post_comment(poverty_comment(), uow_factory(), assignments, CHU_TICH)
    with pytest.raises(InvalidArgument) as err:
        await svc.post_comment(poverty_comment(text="  "), uow_factory(), assignments, MTTQ)
    assert err.value.violations[0].field == "text"
    # an indicator of a unit: allowed when a target of that indicator was opened
    c = await svc.post_comment(svc.PostComment(
        "", SubjectRef(SubjectKind.INDICATOR, "HP.NGHEO"), ID["11311"], "Đề nghị báo cáo số liệu"),
        uow_factory("mttq"), assignments, MTTQ)
    assert c.addressee_unit_id == ID["11311"]
    with pytest.raises(AuthorizationError):
        await svc.post_comment(svc.PostComment(
            "", SubjectRef(SubjectKind.INDICATOR, "HP.THU"), ID["10846"], "Thu ngân sách"),
            uow_factory("mttq"), assignments, MTTQ)
    # an unanswered comment may be withdrawn; then nobody sees it
    await svc.delete_comment(c.id, c.version, uow_factory("mttq"), MTTQ)
    with pytest.raises(NotFound):
        await svc.get_comment(c.id, uow_factory(), MTTQ)


async def test_report_cites_figures_and_recommendations_are_followed(uow_factory, oversight_db) -> None:
    assignments, reporting = FakeAssignments(), FakeReporting()
    draft = await svc.create_report(svc.DraftReport("", report_content()), uow_factory("mttq"), assignments,
                                    reporting, MTTQ, NOW)
    assert draft.status is ReportStatus.DRAFT
    cited = {(c.org_unit_id, c.kind, c.indicator_code or c.key_task_id): c for c in draft.citations}
    poverty = cited[(ID["10846"], CitationKind.TARGET, "HP.NGHEO")]
    assert (poverty.value, poverty.target_value, poverty.period_code) == ("2.9", "2.5", "2026-M10")
    task = cited[(ID["10846"], CitationKind.TASK, "kt-1")]
    assert (task.status, task.task_status, task.percent_done) == ("ISSUED", "in_progress", 60)  # as reported
    assert cited[(ID["11311"], CitationKind.TARGET, "HP.NGHEO")].value == ""  # not reported yet

    # a draft is the Front's only
    for who in (CHU_TICH, LANH_DAO):
        with pytest.raises(NotFound):
            await svc.get_report(draft.id, uow_factory(), who)
    with pytest.raises(InvalidArgument) as refused:  # a unit with nothing opened to the Front
        await svc.create_report(svc.DraftReport("", report_content(overseen_unit_ids=(ID["10846"], ID["31.STC"]))),
                                uow_factory(), assignments, reporting, MTTQ)
    assert refused.value.violations[0].field == "overseen_unit_ids[1]"
    assert "05/11/2026" in refused.value.violations[0].message

    # filing: a signature the document service refuses stops it; a signed PDF goes through
    with pytest.raises(InvalidArgument):
        await svc.file_report(draft.id, "unsigned", draft.version, uow_factory("mttq"), FakeDocuments(), MTTQ, NOW)
    filed = await svc.file_report(draft.id, "signed", draft.version, uow_factory("mttq"), FakeDocuments(), MTTQ, NOW)
    assert filed.status is ReportStatus.FILED and filed.filed_to_unit_id == ID["31"]
    with pytest.raises(Conflict):
        await svc.update_report(filed.id, report_content(title="Sửa"), filed.version, uow_factory("mttq"),
                                assignments, reporting, MTTQ)

    # the People's Committee of the same level reads it, so do the addressed communes
    for who in (LANH_DAO, CHU_TICH, OTHER_LEADER):
        assert (await svc.get_report(filed.id, uow_factory(), who)).id == filed.id
    recs = {r.code: r for r in filed.recommendations}
    # a commune sees only the recommendations addressed to it
    mine, _, _ = await svc.list_recommendations(RecommendationFilter(), uow_factory(), CHU_TICH)
    assert [v.recommendation.code for v in mine] == ["1"]

    # Hà Tây answers recommendation 1; the other commune does not even see it
    with pytest.raises(NotFound):
        await svc.post_response(svc.PostResponse("x", recommendation_id=recs["1"].id), uow_factory(), OTHER_LEADER)
    await svc.post_response(svc.PostResponse("Đã rà soát xong, danh sách kèm theo.", recommendation_id=recs["1"].id),
                            uow_factory("tong_hop"), TONG_HOP, NOW)
    v = await svc.get_recommendation(recs["1"].id, uow_factory(), MTTQ)
    assert v.recommendation.status is RecommendationStatus.ANSWERED and len(v.responses) == 1
    with pytest.raises(AuthorizationError):  # only the Front decides
        await svc.decide_recommendation(svc.DecideRecommendation(recs["1"].id, True), uow_factory(), CHU_TICH)
    with pytest.raises(InvalidArgument):  # reopening needs a reason
        await svc.decide_recommendation(svc.DecideRecommendation(recs["1"].id, False), uow_factory(), MTTQ)
    v = await svc.decide_recommendation(svc.DecideRecommendation(recs["1"].id, True, "Đạt yêu cầu"),
                                        uow_factory("mttq"), MTTQ)
    assert v.recommendation.status is RecommendationStatus.RESOLVED

    # recommendation 2 passes its due date (10/11) unanswered: overdue on both boards
    today = date(2026, 11, 12)
    for who in (MTTQ, LANH_DAO):
        board = await svc.recommendation_board("", today, uow_factory(), who)
        assert board == [(ID["10846"], 0, 0, 0, 1), (ID["11311"], 0, 0, 1, 0)], who.username
    overdue, _, _ = await svc.list_recommendations(RecommendationFilter(overdue_on=today), uow_factory(), LANH_DAO)
    assert [x.recommendation.code for x in overdue] == ["2"]

    # reminders: one "due soon" and one "overdue" notice per due date, never twice
    rules = svc.OversightRules(remind_before_days=3)
    assert await svc.remind_recommendations(date(2026, 11, 8), uow_factory("system"), rules) == 1
    assert await svc.remind_recommendations(date(2026, 11, 9), uow_factory("system"), rules) == 0
    assert await svc.remind_recommendations(today, uow_factory("system"), rules) == 1
    assert await svc.remind_recommendations(today, uow_factory("system"), rules) == 0

    events = await outbox(oversight_db)
    assert [t.rsplit(".", 1)[1] for t, _ in events] == [
        "OversightReportFiled", "RecommendationAnswered", "RecommendationResolved",
        "RecommendationDue", "RecommendationOverdue",
    ]
    from ktxh.common.v1 import envelope_pb2

    env = envelope_pb2.EventEnvelope.FromString(events[-1][1])
    overdue_event = events_pb2.RecommendationOverdue()
    env.payload.Unpack(overdue_event)
    assert overdue_event.recommendation.addressee_unit_id == ID["11311"]
    assert overdue_event.recommendation.report_title.startswith("Báo cáo giám sát")

    listed, _, total = await svc.list_reports(ReportFilter(overseen_unit_id=ID["11311"]), uow_factory(), KE_HOACH)
    assert [r.id for r in listed] == [filed.id] and total == 1
