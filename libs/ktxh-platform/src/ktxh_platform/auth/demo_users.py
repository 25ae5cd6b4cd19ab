"""Demo users of the development issuer (docs/conventions.md, "Identity"). Standard library only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    FRONT_MEMBER,
    INTEGRATION,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    UNIT_LEADER,
)

# Org-unit codes of the demo province (Hải Phòng).
PROVINCE_CODE = "31"
UNIT_PROVINCE = "31"  # Thành phố Hải Phòng
UNIT_STC = "31.STC"  # Sở Tài chính
UNIT_MTTQ = "31.MTTQ"  # Ủy ban MTTQ Việt Nam thành phố
UNIT_XA_HA_TAY = "10846"  # Xã Hà Tây
UNIT_HA_TAY_PKT = "10846.PKT"  # Phòng Kinh tế
UNIT_HA_TAY_PVHXH = "10846.PVHXH"  # Phòng Văn hóa - Xã hội
UNIT_HA_TAY_TTHCC = "10846.TTHCC"  # Trung tâm Phục vụ hành chính công
UNIT_HA_TAY_VP = "10846.VP"  # Văn phòng HĐND và UBND

_SUBJECT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ktxh:demo-user")


def demo_subject(username: str) -> str:
    """Stable `sub` of a demo user (uuid5 of the username), the same on every start."""
    return str(uuid.uuid5(_SUBJECT_NAMESPACE, username))


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    display_name: str
    roles: frozenset[str]
    org_unit: str | None
    province: str | None = PROVINCE_CODE

    @property
    def subject(self) -> str:
        return demo_subject(self.username)


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "admin", "Quản trị viên thành phố", frozenset({PROVINCE_ADMIN, SYSTEM_ADMIN}), UNIT_PROVINCE
    ),
    DemoUser(
        "ke_hoach", "Chuyên viên kế hoạch Sở Tài chính", frozenset({PLANNING_OFFICER}), UNIT_STC
    ),
    DemoUser(
        "nhap_lieu",
        "Cán bộ nhập liệu Phòng Kinh tế xã Hà Tây",
        frozenset({DATA_ENTRY}),
        UNIT_HA_TAY_PKT,
    ),
    DemoUser(
        "nhap_lieu_vhxh",
        "Cán bộ nhập liệu Phòng Văn hoá - Xã hội xã Hà Tây",
        frozenset({DATA_ENTRY}),
        UNIT_HA_TAY_PVHXH,
    ),
    DemoUser(
        "nhap_lieu_hcc",
        "Cán bộ nhập liệu Trung tâm Phục vụ hành chính công xã Hà Tây",
        frozenset({DATA_ENTRY}),
        UNIT_HA_TAY_TTHCC,
    ),
    DemoUser(
        "tong_hop",
        "Chuyên viên tổng hợp Văn phòng HĐND và UBND xã Hà Tây",
        frozenset({CONSOLIDATOR}),
        UNIT_HA_TAY_VP,
    ),
    DemoUser("chu_tich", "Chủ tịch UBND xã Hà Tây", frozenset({UNIT_LEADER}), UNIT_XA_HA_TAY),
    DemoUser(
        "mttq", "Ủy viên Ủy ban MTTQ Việt Nam thành phố", frozenset({FRONT_MEMBER}), UNIT_MTTQ
    ),
    DemoUser("lanh_dao", "Lãnh đạo UBND thành phố", frozenset({LEADERSHIP}), UNIT_PROVINCE),
    DemoUser("tich_hop", "Hệ thống tích hợp", frozenset({INTEGRATION}), UNIT_PROVINCE),
)

# Confidential client of other government systems (client credentials grant), as in
# infra/keycloak/realm-ktxh.json; its service account acts for the province.
INTEGRATION_CLIENT_ID = "ktxh-integration"
INTEGRATION_SERVICE_ACCOUNT = DemoUser(
    "service-account-ktxh-integration",
    "Tài khoản dịch vụ tích hợp (ktxh-integration)",
    frozenset({INTEGRATION}),
    UNIT_PROVINCE,
)
