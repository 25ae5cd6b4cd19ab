"""Key-task progress, attachments and the upper level's board through the use cases on the
in-memory unit of work (issue 11, points 2 and 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.principal import AuthorizationError, Principal
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound, PermissionDenied
from ktxh_submission.domain.figures import FormLine
from ktxh_submission.domain.forms import AssignedTask, CatalogIndicator, IndicatorSetInfo, SetItem
from ktxh_submission.domain.submissions import Status
from ktxh_submission.domain.tasks import TaskInput
from ktxh_submission.service_layer import submissions as svc
from ktxh_submission.service_layer.ports import DocumentInfo, Peers, TaskRef
from submission_fakes import SEED_001, FakeAssignments, FakeCatalog, FakeUnitOfWork, Store

USERS = {u.username: Principal(u.subject, u.username, u.display_name, u.roles, u.org_unit, u.province)
         for u in DEMO_USERS}
TONG_HOP, KE_HOACH, CHU_TICH = USERS["tong_hop"], USERS["ke_hoach"], USERS["chu_tich"]
NHAP_PKT, MTTQ = USERS["nhap_lieu"], USERS["mttq"]


def other(name: str, unit: str, base: str = "nhap_lieu") -> Principal:
    p = USERS[base]
    return Principal(p.subject + name, name, name, p.roles, unit, p.province)


NHAP_VHXH = other("nhap_lieu_vhxh", "10846.PVHXH")
TASKS = [AssignedTask("kt-1", "NV.01", "Thu thập 28 chỉ số", date(2026, 12, 31), "VP"),
         AssignedTask("kt-2", "NV.02", "Chuyển đổi số", None, "PVHXH")]


class Docs:
    def __init__(self) -> None:
        self.docs = {
            "d-1": DocumentInfo("d-1", "Thuyết minh tháng 10", "thuyet-minh.pdf", "10846.VP"),
            "d-2": DocumentInfo("d-2", "Báo cáo của xã khác", "khac.pdf", "11311"),
        }

    async def get(self, document_id, principal):
        return self.docs.get(document_id)


class Clock:
    now = datetime(2026, 10, 12, 8, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def env():
    store = Store([SEED_001])
    settings = svc.Settings(clock=Clock())
    peers = Peers(FakeCatalog([IndicatorSetInfo("HP2081", (SetItem("HP2081.XIII.12", "PKT"),), "VP", "HP2081")],
                              [CatalogIndicator("HP2081.XIII.12", "Số nhà ở")], TASKS),
                  FakeAssignments({"id-10846": ([], [TaskRef("kt-1"), TaskRef("kt-2")])}), Docs())
    return store, settings, peers


async def test_task_progress_is_saved_by_its_office_with_locking_and_history(env) -> None:
    store, settings, peers = env
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", ""), FakeUnitOfWork(store),
                                    TONG_HOP, settings, peers)
    assert [(t.key_task_code, t.office_code) for t in sub.tasks] == [
        ("NV.01", "10846.VP"), ("NV.02", "10846.PVHXH")]

    save = svc.SaveTaskProgress(sub.id, (TaskInput("NV.02", "in_progress", 40, "Đã số hoá 40% hồ sơ",
                                                   "Thiếu máy quét", "Bổ sung kinh phí"),))
    done = await svc.save_task_progress(save, FakeUnitOfWork(store), NHAP_VHXH, settings)
    row = next(t for t in done.tasks if t.key_task_code == "NV.02")
    assert (row.status.value, row.percent_done, row.version, row.updated_by) == (
        "in_progress", 40, 1, "nhap_lieu_vhxh")
    # another office cannot report the task of PVHXH
    with pytest.raises(PermissionDenied, match="chỉ được báo cáo nhiệm vụ của phòng mình"):
        await svc.save_task_progress(svc.SaveTaskProgress(sub.id, (TaskInput("NV.02", "done", 100, expected_version=1),)),
                                     FakeUnitOfWork(store), NHAP_PKT, settings)
    # the stale save: both states shown, nothing written
    with pytest.raises(Conflict, match=r"vừa được nhap_lieu_vhxh sửa \(Đang thực hiện, 40%\)"):
        await svc.save_task_progress(svc.SaveTaskProgress(sub.id, (TaskInput("NV.02", "done", 100),)),
                                     FakeUnitOfWork(store), TONG_HOP, settings)
    # bad input named per field, all or nothing
    with pytest.raises(InvalidArgument) as err:
        await svc.save_task_progress(svc.SaveTaskProgress(sub.id, (
            TaskInput("NV.01", "done", 90), TaskInput("NV.09", "done", 100),
            TaskInput("NV.02", "xong", 100, expected_version=1))), FakeUnitOfWork(store), TONG_HOP, settings)
    assert [v.field for v in err.value.violations] == [
        "tasks[0].percent_done", "tasks[1].key_task_code", "tasks[2].status"]
    assert "đã hoàn thành thì tỷ lệ hoàn thành phải là 100%" in err.value.violations[0].message
    # the consolidating office reports every row
    await svc.save_task_progress(svc.SaveTaskProgress(sub.id, (TaskInput("NV.02", "done", 100, "Xong", "", "", 1),)),
                                 FakeUnitOfWork(store), TONG_HOP, settings)
    h = await svc.history(sub.id, FakeUnitOfWork(store), CHU_TICH)
    assert [(c.key_task_code, c.before["percent_done"], c.after["percent_done"], c.actor, c.version)
            for c in h.task_changes] == [("NV.02", 0, 40, "nhap_lieu_vhxh", 1), ("NV.02", 40, 100, "tong_hop", 2)]
    # not while the report is past the unit's hands
    store.subs[sub.id].status = Status.SENT
    with pytest.raises(Conflict, match="không sửa được tiến độ nhiệm vụ"):
        await svc.save_task_progress(svc.SaveTaskProgress(sub.id, (TaskInput("NV.01", "in_progress", 10),)),
                                     FakeUnitOfWork(store), TONG_HOP, settings)


async def test_attachments_are_checked_with_the_document_service(env) -> None:
    store, settings, peers = env
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", ""), FakeUnitOfWork(store),
                                    TONG_HOP, settings, peers)
    cmd = svc.ChangeAttachment(sub.id, "d-1")
    done = await svc.add_attachment(cmd, FakeUnitOfWork(store), TONG_HOP, settings, peers)
    assert [(a.document_id, a.file_name, a.added_by) for a in done.attachments] == [
        ("d-1", "thuyet-minh.pdf", "tong_hop")]
    again = await svc.add_attachment(cmd, FakeUnitOfWork(store), TONG_HOP, settings, peers)
    assert len(again.attachments) == 1 and again.version == done.version  # twice: no change
    for doc, message in (("d-404", "Không tìm thấy tài liệu d-404"), ("d-2", "thuộc đơn vị 11311"),
                         ("", "Cần chọn tài liệu")):
        with pytest.raises(InvalidArgument, match=message) as err:
            await svc.add_attachment(svc.ChangeAttachment(sub.id, doc), FakeUnitOfWork(store),
                                     TONG_HOP, settings, peers)
        assert err.value.violations[0].field == "document_id"
    # another commune's officer never reaches the report
    with pytest.raises(NotFound):
        await svc.add_attachment(cmd, FakeUnitOfWork(store), other("x", "11311.PKT"), settings, peers)
    with pytest.raises(AuthorizationError):
        await svc.add_attachment(cmd, FakeUnitOfWork(store), MTTQ, settings, peers)
    done = await svc.remove_attachment(cmd, FakeUnitOfWork(store), TONG_HOP, settings)
    assert done.attachments == [] and store.subs[sub.id].attachments == []
    with pytest.raises(InvalidArgument, match="không có tài liệu đính kèm d-1"):
        await svc.remove_attachment(cmd, FakeUnitOfWork(store), TONG_HOP, settings)


async def test_the_board_lists_every_child_unit_sent_late_or_missing(env) -> None:
    store, settings, _ = env
    line = FormLine("HP2081.XIII.12", "Số nhà ở", "10846.PKT", required=False)
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "HP2081", (line,)),
                                    FakeUnitOfWork(store), TONG_HOP, settings)
    stored = store.subs[sub.id]
    stored.status, stored.sent_at = Status.SENT, datetime(2026, 10, 21, 9, tzinfo=UTC)  # 2 days late
    settings.clock.now = datetime(2026, 10, 23, 8, tzinfo=UTC)
    board = await svc.submission_board(svc.GetBoard("2026-M10", "HP2081", "31"), FakeUnitOfWork(store),
                                       KE_HOACH, settings)
    assert board.schedule.deadline == date(2026, 10, 19)
    assert [(u.org_unit_code, u.org_unit_name, u.status, u.timeliness.state, u.timeliness.days_late)
            for u in board.units] == [
        ("10846", "Xã Hà Tây", Status.SENT, "late", 2),
        ("11311", "Xã Tiên Lãng", None, "missing", 4)]
    assert board.units[1].timeliness.label == "Chưa gửi, quá hạn 4 ngày"
    # a commune's chairman asking for the province's board: only what the scope reaches
    with pytest.raises(NotFound):
        await svc.submission_board(svc.GetBoard("2026-M10", "HP2081", "31"), FakeUnitOfWork(store),
                                   CHU_TICH, settings)
    with pytest.raises(InvalidArgument):
        await svc.submission_board(svc.GetBoard("2026-M13", "HP2081", "31"), FakeUnitOfWork(store),
                                   KE_HOACH, settings)
