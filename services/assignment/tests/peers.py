"""Fakes of the other services (catalog, document) and the demo people, shared by the unit and
integration tests of the assignment service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ktxh_assignment.domain.cascade import IndicatorInfo
from ktxh_assignment.domain.decisions import AssignmentKind
from ktxh_platform.auth.principal import (
    DATA_ENTRY,
    FRONT_MEMBER,
    PLANNING_OFFICER,
    UNIT_LEADER,
    Principal,
)
from ktxh_platform.domain import InvalidArgument

# Unit ids of the test tree: code -> (id, kind, parent code)
TREE = {
    "31": ("u-31", "province", None),
    "31.STC": ("u-stc", "agency", "31"),
    "31.MTTQ": ("u-mttq", "front", "31"),
    "10846": ("u-hatay", "commune", "31"),
    "10846.PKT": ("u-hatay-pkt", "office", "10846"),
    "10846.PVHXH": ("u-hatay-pvhxh", "office", "10846"),
    "11311": ("u-other", "commune", "31"),
    "11311.PKT": ("u-other-pkt", "office", "11311"),
    "10900": ("u-third", "commune", "31"),
}
ID = {code: v[0] for code, v in TREE.items()}

KE_HOACH = Principal("s-kh", "ke_hoach", "Kế hoạch", frozenset({PLANNING_OFFICER}), "31.STC", "31")
NHAP_LIEU = Principal("s-nl", "nhap_lieu", "Nhập liệu", frozenset({DATA_ENTRY}), "10846.PKT", "31")
CHU_TICH = Principal("s-ct", "chu_tich", "Chủ tịch", frozenset({UNIT_LEADER}), "10846", "31")
OTHER = Principal("s-ot", "nhap_lieu_khac", "Nhập liệu xã khác", frozenset({DATA_ENTRY}), "11311.PKT", "31")
MTTQ = Principal("s-mt", "mttq", "MTTQ", frozenset({FRONT_MEMBER}), "31.MTTQ", "31")

INDICATORS = {
    "HP.DT": IndicatorInfo("HP.DT", "ha", True, "higher_is_better", {}),  # diện tích (sum)
    "HP.NGHEO": IndicatorInfo("HP.NGHEO", "%", False, "lower_is_better", {}),  # tỷ lệ hộ nghèo
    "HP.THU": IndicatorInfo("HP.THU", "triệu đồng", True, "higher_is_better",
                            {"NGUON": {"TW": "", "DP": "triệu đồng"}}),
}


class FakeCatalog:
    def __init__(self) -> None:
        self.calls = 0

    async def indicators(self, codes: Iterable[str], as_of: date, principal: Principal) -> dict[str, IndicatorInfo]:
        self.calls += 1
        return {c: INDICATORS[c] for c in codes if c in INDICATORS}

    async def missing(self, kind: AssignmentKind, ids: Iterable[str], principal: Principal) -> set[str]:
        known = {"kt-1", "kh-1", "tc-1"}
        return {i for i in ids if i not in known}


class FakeDocuments:
    """Document ``signed`` carries a valid signature; every other one is refused as the
    document service refuses it."""

    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        if document_id != "signed":
            raise InvalidArgument.single("document_id", f"Văn bản {document_id} chưa có chữ ký số hợp lệ")
