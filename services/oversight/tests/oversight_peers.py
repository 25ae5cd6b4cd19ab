"""Fakes of the services the oversight service calls (assignment, reporting, document) and the
demo people, shared by the oversight tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ktxh_oversight.domain.model import Period
from ktxh_oversight.service_layer.ports import AssignmentInfo, Figure, TaskProgress
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    FRONT_MEMBER,
    LEADERSHIP,
    PLANNING_OFFICER,
    UNIT_LEADER,
    Principal,
)
from ktxh_platform.domain import InvalidArgument

# code -> (id, kind, parent code)
TREE = {
    "31": ("u-31", "province", None),
    "31.STC": ("u-stc", "agency", "31"),
    "31.MTTQ": ("u-mttq", "front", "31"),
    "10846": ("u-hatay", "commune", "31"),
    "10846.PKT": ("u-hatay-pkt", "office", "10846"),
    "10846.VP": ("u-hatay-vp", "office", "10846"),
    "10846.MTTQ": ("u-hatay-mttq", "front", "10846"),
    "11311": ("u-other", "commune", "31"),
    "11311.VP": ("u-other-vp", "office", "11311"),
}
ID = {code: v[0] for code, v in TREE.items()}

MTTQ = Principal("s-mt", "mttq", "MTTQ", frozenset({FRONT_MEMBER}), "31.MTTQ", "31")
MTTQ_XA = Principal("s-mtx", "mttq_xa", "MTTQ xã", frozenset({FRONT_MEMBER}), "10846.MTTQ", "31")
CHU_TICH = Principal("s-ct", "chu_tich", "Chủ tịch", frozenset({UNIT_LEADER}), "10846", "31")
TONG_HOP = Principal("s-th", "tong_hop", "Tổng hợp", frozenset({CONSOLIDATOR}), "10846.VP", "31")
NHAP_LIEU = Principal("s-nl", "nhap_lieu", "Nhập liệu", frozenset({DATA_ENTRY}), "10846.PKT", "31")
OTHER_LEADER = Principal("s-ol", "chu_tich_khac", "Chủ tịch xã khác", frozenset({UNIT_LEADER}), "11311", "31")
OTHER_VP = Principal("s-ov", "tong_hop_khac", "Tổng hợp xã khác", frozenset({CONSOLIDATOR}), "11311.VP", "31")
KE_HOACH = Principal("s-kh", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "31.STC", "31")
LANH_DAO = Principal("s-ld", "lanh_dao", "Lãnh đạo", frozenset({LEADERSHIP}), "31", "31")

OCT = Period("MONTH", 2026, 10, "2026-M10")

# Assignments opened to the province Front committee (front_unit_ids = [u-mttq]).
POVERTY_HA_TAY = AssignmentInfo(
    id="a-ngheo-hatay", assignee_unit_id=ID["10846"], kind="indicator_target", status="ACKNOWLEDGED",
    label="HP.NGHEO", indicator_code="HP.NGHEO", period=Period("YEAR", 2026, 0, "2026"),
    target_value="2.5", unit_of_measure="%",
)
TASK_HA_TAY = AssignmentInfo(
    id="a-task-hatay", assignee_unit_id=ID["10846"], kind="key_task", status="ISSUED",
    key_task_id="kt-1", deadline="2026-12-31",
)
POVERTY_OTHER = AssignmentInfo(
    id="a-ngheo-other", assignee_unit_id=ID["11311"], kind="indicator_target", status="ISSUED",
    label="HP.NGHEO", indicator_code="HP.NGHEO", target_value="3", unit_of_measure="%",
)
NOT_OPENED = AssignmentInfo(  # a target of Hà Tây not naming the Front
    id="a-thu-hatay", assignee_unit_id=ID["10846"], kind="indicator_target", status="ISSUED",
    indicator_code="HP.THU", target_value="100",
)


class FakeAssignments:
    """What the assignment service shows each caller: the Front sees only what names its
    committee; others see nothing here (the oversight service asks only for the Front)."""

    def __init__(self) -> None:
        self.opened_to = {ID["31.MTTQ"]: [POVERTY_HA_TAY, TASK_HA_TAY, POVERTY_OTHER]}

    async def get(self, assignment_id: str, principal: Principal) -> AssignmentInfo | None:
        committee = ID.get(principal.org_unit or "")
        return next((a for a in self.opened_to.get(committee, []) if a.id == assignment_id), None)

    async def opened(self, front_unit_id: str, assignee_unit_id: str, on: date | None,
                     principal: Principal) -> list[AssignmentInfo]:
        if ID.get(principal.org_unit or "") != front_unit_id:
            return []
        return [a for a in self.opened_to.get(front_unit_id, []) if a.assignee_unit_id == assignee_unit_id]


class FakeReporting:
    """October figures of the read model: Hà Tây's poverty rate 2.9 %, year to date 2.9."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    async def figures(self, unit_id: str, period: Period, indicator_codes: Iterable[str],
                      principal: Principal) -> dict[tuple[str, tuple[tuple[str, str], ...]], Figure]:
        self.calls.append((unit_id, period.code))
        if unit_id == ID["10846"] and period.code == "2026-M10" and "HP.NGHEO" in indicator_codes:
            return {("HP.NGHEO", ()): Figure("2.9", "2.9")}
        return {}


    async def task_progress(self, unit_id: str, as_of, principal: Principal) -> dict[str, TaskProgress]:
        """Hà Tây reported key task kt-1 in progress, 60 % done (reporting's key-task summary)."""
        if unit_id == ID["10846"]:
            return {"kt-1": TaskProgress("in_progress", 60, "Chuyển đổi số cấp xã")}
        return {}


class FakeDocuments:
    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        if document_id != "signed":
            raise InvalidArgument.single("document_id", f"Văn bản {document_id} chưa có chữ ký số hợp lệ")
