"""The report workflow through the use cases on the in-memory unit of work: the "Done when"
chain of issue 11 for Xã Hà Tây, 10/2026, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.principal import AuthorizationError, Principal
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound, PermissionDenied
from ktxh_submission.domain.figures import Dimension, FigureKey, FormLine, ValueType
from ktxh_submission.domain.submissions import (
    FigureInput,
    Status,
    SubmissionAccepted,
    SubmissionReopened,
    SubmissionReturned,
    SubmissionSent,
)
from ktxh_submission.service_layer import submissions as svc
from ktxh_testing.submission_form import (
    PKT,
    PVHXH,
    TTHCC,
    figure_keys,
    sample_value,
    seed_001_lines,
)
from submission_fakes import SEED_001, FakeUnitOfWork, Store

USERS = {u.username: Principal(u.subject, u.username, u.display_name, u.roles, u.org_unit, u.province)
         for u in DEMO_USERS}


def user(name: str, **over) -> Principal:
    p = USERS[name]
    return Principal(p.subject, over.get("username", p.username), p.display_name,
                     over.get("roles", p.roles), over.get("org_unit", p.org_unit), p.province)


NHAP_PKT = USERS["nhap_lieu"]  # data entry, 10846.PKT
NHAP_VHXH = user("nhap_lieu", username="nhap_lieu_vhxh", org_unit=PVHXH)
NHAP_HCC = user("nhap_lieu", username="nhap_lieu_hcc", org_unit=TTHCC)
NHAP_OTHER = user("nhap_lieu", username="nhap_lieu_11311", org_unit="11311.PKT")
TONG_HOP, CHU_TICH, KE_HOACH = USERS["tong_hop"], USERS["chu_tich"], USERS["ke_hoach"]


def line_from(d: dict) -> FormLine:
    return FormLine(
        d["indicator_code"], d["name"], d["office_code"], ValueType(d["value_type"]), d["unit"],
        required=d["required"],
        dimensions=tuple(Dimension(x["code"], tuple(x["members"]), x["additive"])
                         for x in d["dimensions"]),
    )


LINES = [line_from(d) for d in seed_001_lines()]


def key(k: dict) -> FigureKey:
    return FigureKey(k["indicator_code"],
                     tuple((m["dimension_code"], m["member_code"]) for m in k["members"]))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 10, 12, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def env():
    store = Store([SEED_001])
    clock = Clock()
    settings = svc.Settings(clock=clock)
    return store, settings, clock


def uow(store):
    return FakeUnitOfWork(store)


async def open_report(store, settings, period="2026-M10"):
    return await svc.open_submission(
        svc.OpenSubmission("10846", period, "HP2081", tuple(LINES)), uow(store), TONG_HOP, settings
    )


def entries_for(office: str, sub) -> tuple[FigureInput, ...]:
    out = []
    for row, d in enumerate(seed_001_lines(), start=1):
        if d["office_code"] != office:
            continue
        for k in figure_keys(d):
            fk = key(k)
            fig = sub.figures.get(fk)
            out.append(FigureInput(fk, sample_value(d, row), expected_version=fig.version if fig else 0))
    return tuple(out)


async def test_done_when_chain_for_october_2026(env):
    store, settings, clock = env
    sub = await open_report(store, settings)
    assert (sub.status, sub.deadline.isoformat(), sorted(sub.sections)) == (
        Status.DRAFT, "2026-10-19", sorted([PKT, PVHXH, TTHCC]))
    # each office enters its own indicators and delivers its section
    for who, office in ((NHAP_PKT, PKT), (NHAP_VHXH, PVHXH), (NHAP_HCC, TTHCC)):
        sub = await svc.get_submission(sub.id, uow(store), who)
        sub = await svc.save_figures(svc.SaveFigures(sub.id, entries_for(office, sub)), uow(store),
                                     who, settings)
        sub = await svc.deliver_section(svc.DeliverSection(sub.id, office), uow(store), who, settings)
    # the consolidating office returns one figure of the PVHXH office with a comment
    bhyt = FigureKey("HP2081.XIII.16")
    sub = await svc.return_figure(svc.ReturnFigure(sub.id, bhyt, "Số BHYT chưa khớp với BHXH huyện"),
                                  uow(store), TONG_HOP, settings)
    assert sub.sections[PVHXH].status == "returned"
    with pytest.raises(Conflict, match="chưa chuyển số liệu: 10846.PVHXH"):
        await svc.consolidate_submission(svc.Transition(sub.id), uow(store), TONG_HOP, settings)
    # the office corrects it and delivers again
    clock.now = clock.now.replace(hour=10)
    old = sub.figures[bhyt]
    assert old.return_comment
    sub = await svc.save_figures(
        svc.SaveFigures(sub.id, (FigureInput(bhyt, "91,5", "Đã đối chiếu với BHXH",
                                             expected_version=old.version),),
                        reason="Sửa theo yêu cầu của Văn phòng"),
        uow(store), NHAP_VHXH, settings)
    assert sub.figures[bhyt].value == Decimal("91.5") and not sub.figures[bhyt].return_comment
    sub = await svc.deliver_section(svc.DeliverSection(sub.id, PVHXH), uow(store), NHAP_VHXH, settings)
    sub = await svc.consolidate_submission(svc.Transition(sub.id), uow(store), TONG_HOP, settings)
    sub = await svc.approve_submission(svc.Transition(sub.id), uow(store), CHU_TICH, settings)
    clock.now = datetime(2026, 10, 16, 9, tzinfo=UTC)
    sub = await svc.send_submission(svc.Transition(sub.id), uow(store), CHU_TICH, settings)
    assert sub.timeliness(clock.now.date()).label == "Đúng hạn"
    sub = await svc.accept_submission(svc.Transition(sub.id), uow(store), KE_HOACH, settings)
    assert sub.status is Status.ACCEPTED
    # history: every step and every changed figure with who, when, before and after
    h = await svc.history(sub.id, uow(store), TONG_HOP)
    assert [s.action.value for s in h.steps] == [
        "opened", "section_delivered", "section_delivered", "section_delivered",
        "figure_returned", "section_delivered", "consolidated", "approved", "sent", "accepted",
    ]
    assert [(s.actor, s.to_status.value) for s in h.steps[-4:]] == [
        ("tong_hop", "consolidated"), ("chu_tich", "approved"), ("chu_tich", "sent"),
        ("ke_hoach", "accepted")]
    fix = [c for c in h.changes if c.key == bhyt]
    assert [(c.actor, c.before, c.after, c.reason) for c in fix] == [
        ("nhap_lieu_vhxh", "(trống)", "66", ""),
        ("nhap_lieu_vhxh", "66", "91.5", "Sửa theo yêu cầu của Văn phòng"),
    ]
    assert fix[1].at == datetime(2026, 10, 12, 10, tzinfo=UTC)


async def test_an_office_never_writes_another_offices_figure(env):
    store, settings, _ = env
    sub = await open_report(store, settings)
    with pytest.raises(PermissionDenied, match="chỉ được nhập số liệu của phòng mình"):
        await svc.save_figures(
            svc.SaveFigures(sub.id, (FigureInput(FigureKey("HP2081.XIII.16"), "90"),)),
            uow(store), NHAP_PKT, settings)
    # another commune's officer does not even see the report
    with pytest.raises(NotFound):
        await svc.get_submission(sub.id, uow(store), NHAP_OTHER)
    listed, _, total = await svc.list_submissions(svc.SubmissionFilter(), uow(store), NHAP_OTHER)
    assert (listed, total) == ([], 0)
    # the Front sees no report until one is opened to it
    with pytest.raises(NotFound):
        await svc.get_submission(sub.id, uow(store), USERS["mttq"])


async def test_steps_need_their_role(env):
    store, settings, _ = env
    sub = await open_report(store, settings)
    t = svc.Transition(sub.id)
    with pytest.raises(AuthorizationError):
        await svc.consolidate_submission(t, uow(store), NHAP_PKT, settings)
    with pytest.raises(AuthorizationError, match="lãnh đạo đơn vị"):
        await svc.approve_submission(t, uow(store), TONG_HOP, settings)
    with pytest.raises(AuthorizationError, match="cấp trên"):
        await svc.accept_submission(t, uow(store), CHU_TICH, settings)
    with pytest.raises(AuthorizationError):
        await svc.save_figures(svc.SaveFigures(sub.id, ()), uow(store), USERS["lanh_dao"], settings)
    with pytest.raises(Conflict, match="đang ở trạng thái “đang nhập liệu”"):
        await svc.accept_submission(t, uow(store), KE_HOACH, settings)


async def test_concurrent_edits_of_one_figure_conflict_showing_both_values(env):
    store, settings, _ = env
    sub = await open_report(store, settings)
    k = FigureKey("HP2081.XIII.09")
    await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(k, "40"),)), uow(store), NHAP_PKT, settings)
    # a second person edited from the same empty form: conflict naming both values
    with pytest.raises(Conflict) as err:
        await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(k, "45"),)), uow(store),
                               TONG_HOP, settings)
    assert "nhap_lieu sửa thành 40 trong khi bạn nhập 45" in err.value.message
    assert err.value.violations[0].field == "figures[0].value"
    # a different figure saved from the same stale form is fine
    await svc.save_figures(svc.SaveFigures(sub.id, (FigureInput(FigureKey("HP2081.XIII.11"), "3.2"),)),
                           uow(store), TONG_HOP, settings)


async def test_bad_values_are_refused_with_the_indicator_and_rule_and_nothing_is_saved(env):
    store, settings, _ = env
    sub = await open_report(store, settings)
    with pytest.raises(InvalidArgument) as err:
        await svc.save_figures(svc.SaveFigures(sub.id, (
            FigureInput(FigureKey("HP2081.XIII.08"), "1200"),
            FigureInput(FigureKey("HP2081.XIII.09"), "120"),
            FigureInput(FigureKey("HP2081.XIII.10"), "3.5"),
            FigureInput(FigureKey("HP2081.XIII.11"), "abc"),
        )), uow(store), NHAP_PKT, settings)
    messages = {v.field: v.message for v in err.value.violations}
    assert "Tỷ lệ giải ngân vốn đầu tư công" in messages["figures[1].value"]
    assert "tỷ lệ phần trăm từ 0 đến 100" in messages["figures[1].value"]
    assert "phải là số nguyên" in messages["figures[2].value"]
    assert "“abc” không phải là số" in messages["figures[3].value"]
    stored = await svc.get_submission(sub.id, uow(store), NHAP_PKT)
    assert stored.figures == {}


async def test_sent_returned_accepted_reopened_events(env):
    store, settings, _ = env
    sub = await open_report(store, settings)
    for who, office in ((NHAP_PKT, PKT), (NHAP_VHXH, PVHXH), (NHAP_HCC, TTHCC)):
        sub = await svc.save_figures(svc.SaveFigures(sub.id, entries_for(office, sub)), uow(store), who, settings)
        sub = await svc.deliver_section(svc.DeliverSection(sub.id, office), uow(store), who, settings)
    events = []

    async def step(fn, who, reason=""):
        u = uow(store)
        out = await fn(svc.Transition(sub.id, reason=reason), u, who, settings)
        events.extend(type(e).__name__ for e in u.published)
        return out

    await step(svc.consolidate_submission, TONG_HOP)
    await step(svc.approve_submission, CHU_TICH)
    await step(svc.send_submission, TONG_HOP)
    with pytest.raises(InvalidArgument, match="Phải nêu lý do"):
        await step(svc.return_submission, KE_HOACH, "  ")
    returned = await step(svc.return_submission, KE_HOACH, "Thiếu số liệu HTX")
    assert returned.status is Status.RETURNED and returned.return_count == 1
    await step(svc.consolidate_submission, TONG_HOP)
    await step(svc.approve_submission, CHU_TICH)
    await step(svc.send_submission, CHU_TICH)
    await step(svc.accept_submission, KE_HOACH)
    await step(svc.reopen_submission, KE_HOACH, "Điều chỉnh theo số liệu thống kê")
    assert events == [SubmissionSent.__name__, SubmissionReturned.__name__, SubmissionSent.__name__,
                      SubmissionAccepted.__name__, SubmissionReopened.__name__]
