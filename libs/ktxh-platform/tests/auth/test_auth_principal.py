import ast
from pathlib import Path

import pytest
from ktxh_platform.auth import principal as principal_module
from ktxh_platform.auth.demo_users import DEMO_USERS, demo_subject
from ktxh_platform.auth.principal import (
    ALL_ROLES,
    DATA_ENTRY,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    AuthenticationError,
    AuthorizationError,
    Principal,
    require_roles,
)
from ktxh_platform.domain import PermissionDenied, Unauthenticated

NHAP_LIEU = Principal(
    subject="5f0c3f0e-0000-4000-8000-000000000001",
    username="nhập_liệu",
    display_name="Cán bộ nhập liệu, Phòng Kinh tế xã Hà Tây",
    roles=frozenset({DATA_ENTRY, "x,y"}),
    org_unit="10846.PKT",
    province="31",
)


def test_metadata_relays_the_token_and_nothing_else():
    p = Principal(NHAP_LIEU.subject, NHAP_LIEU.username, "x", NHAP_LIEU.roles, "10846.PKT", "31",
                  token="aaa.bbb.ccc")
    assert p.to_metadata() == [("authorization", "Bearer aaa.bbb.ccc")]
    assert p == NHAP_LIEU.__class__(p.subject, p.username, "x", p.roles, "10846.PKT", "31")
    assert "aaa.bbb.ccc" not in repr(p)


def test_a_principal_without_token_relays_nothing():
    assert NHAP_LIEU.to_metadata() == []
    assert not hasattr(Principal, "from_metadata")  # x-principal-* metadata is never read


def test_require_roles():
    assert require_roles(NHAP_LIEU, DATA_ENTRY, PROVINCE_ADMIN) is NHAP_LIEU
    assert NHAP_LIEU.has_any_role(PROVINCE_ADMIN, DATA_ENTRY)
    assert not NHAP_LIEU.has_any_role()
    with pytest.raises(AuthorizationError) as denied:
        require_roles(NHAP_LIEU, PROVINCE_ADMIN)
    assert isinstance(denied.value, PermissionDenied)
    assert denied.value.message == "Bạn không có quyền thực hiện thao tác này."
    for nobody in (None, Principal.anonymous()):
        with pytest.raises(AuthenticationError) as unauth:
            require_roles(nobody, DATA_ENTRY)
        assert unauth.value.reason == "missing" and isinstance(unauth.value, Unauthenticated)


def test_authentication_error_has_vietnamese_default_message():
    e = AuthenticationError("expired")
    assert e.reason == "expired" and "hết hạn" in e.message and "expired" in str(e)


def test_demo_users_match_conventions():
    by_name = {u.username: u for u in DEMO_USERS}
    assert list(by_name) == [
        "admin",
        "ke_hoach",
        "nhap_lieu",
        "nhap_lieu_vhxh",
        "nhap_lieu_hcc",
        "tong_hop",
        "chu_tich",
        "mttq",
        "lanh_dao",
        "tich_hop",
    ]
    assert by_name["admin"].display_name == "Quản trị viên thành phố"
    assert by_name["admin"].roles == {"province_admin", "system_admin"}
    assert {u: (by_name[u].org_unit) for u in by_name} == {
        "admin": "31",
        "ke_hoach": "31.STC",
        "nhap_lieu": "10846.PKT",
        "nhap_lieu_vhxh": "10846.PVHXH",
        "nhap_lieu_hcc": "10846.TTHCC",
        "tong_hop": "10846.VP",
        "chu_tich": "10846",
        "mttq": "31.MTTQ",
        "lanh_dao": "31",
        "tich_hop": "31",
    }
    assert all(u.province == "31" and u.roles <= ALL_ROLES for u in DEMO_USERS)
    assert by_name["admin"].subject == demo_subject("admin") != demo_subject("mttq")


def test_principal_module_imports_only_stdlib_and_platform_domain():
    tree = ast.parse(Path(principal_module.__file__).read_text())
    imported = {
        (n.module or "") if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in (n.names if isinstance(n, ast.Import) else [None])
    }
    third_party = {
        m
        for m in imported
        if m.split(".")[0]
        not in {"__future__", "collections", "dataclasses", "types", "urllib", "ktxh_platform"}
    }
    assert not third_party
    assert all(m.startswith("ktxh_platform.domain") for m in imported if "ktxh_platform" in m)
