"""The access policy, pure: roles × resources × actions, and the scope each grant reaches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ktxh_platform.access import GRANTS, Action, Resource, Scope, authorize, may
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.principal import ALL_ROLES, AuthenticationError, AuthorizationError, Principal

USERS = {u.username: Principal(u.subject, u.username, u.display_name, u.roles, u.org_unit, u.province)
         for u in DEMO_USERS}
SECURITY_MD = Path(__file__).parents[4] / "docs" / "security.md"


def test_every_role_is_in_the_policy():
    assert set(GRANTS) == ALL_ROLES


@pytest.mark.parametrize("username", ["admin", "ke_hoach", "lanh_dao", "tich_hop"])
def test_province_roles_read_across_their_province(username):
    assert authorize(USERS[username], Resource.ORG_UNIT, Action.READ) == Scope(province="31")
    assert authorize(USERS[username], Resource.CATALOG, Action.READ).province_wide


def test_unit_roles_read_their_home_unit_and_the_chain_above_it():
    scope = authorize(USERS["nhap_lieu"], Resource.ORG_UNIT, Action.READ)
    assert scope == Scope(province="31", unit_code="10846.PKT", home=True, ancestors=True)
    assert not authorize(USERS["nhap_lieu"], Resource.CATALOG, Action.READ).ancestors


def test_a_data_entry_officer_writes_figures_of_their_own_office_only():
    scope = authorize(USERS["nhap_lieu"], Resource.FIGURES, Action.WRITE)
    assert scope.unit_code == "10846.PKT" and not scope.home
    consolidating = authorize(USERS["tong_hop"], Resource.FIGURES, Action.APPROVE)
    assert consolidating.unit_code == "10846.VP" and consolidating.home  # acts for Xã Hà Tây


def test_the_front_reads_what_was_opened_comments_and_never_changes_figures():
    mttq = USERS["mttq"]
    assert authorize(mttq, Resource.ASSIGNMENT, Action.READ).opened_only
    assert authorize(mttq, Resource.FIGURES, Action.READ).opened_only
    assert authorize(mttq, Resource.DOCUMENT, Action.READ).opened_only
    assert authorize(mttq, Resource.DOCUMENT, Action.WRITE).opened_only
    assert not authorize(mttq, Resource.COMMENT, Action.WRITE).opened_only
    authorize(mttq, Resource.OVERSIGHT_REPORT, Action.WRITE)
    for resource in (Resource.FIGURES, Resource.ASSIGNMENT, Resource.CATALOG, Resource.ORG_UNIT):
        with pytest.raises(AuthorizationError):
            authorize(mttq, resource, Action.WRITE)


@pytest.mark.parametrize("username", ["ke_hoach", "nhap_lieu", "tong_hop", "chu_tich", "mttq",
                                      "lanh_dao", "tich_hop"])
def test_only_administrators_change_org_units(username):
    with pytest.raises(AuthorizationError):
        authorize(USERS[username], Resource.ORG_UNIT, Action.WRITE)


def test_integration_accounts_read_only_what_their_role_grants():
    tich_hop = USERS["tich_hop"]
    assert may(tich_hop, Resource.REPORT, Action.READ)
    assert not may(tich_hop, Resource.FIGURES, Action.WRITE)
    assert not may(tich_hop, Resource.COMMENT, Action.READ)
    with pytest.raises(AuthorizationError):
        authorize(tich_hop, Resource.CATALOG, Action.WRITE)


def test_missing_claims_grant_nothing():
    with pytest.raises(AuthenticationError):
        authorize(Principal.anonymous(), Resource.CATALOG, Action.READ)
    no_province = Principal("s", "x", "x", frozenset({"province_admin"}), "31", None)
    with pytest.raises(AuthorizationError):
        authorize(no_province, Resource.CATALOG, Action.READ)
    no_unit = Principal("s", "x", "x", frozenset({"data_entry"}), None, "31")
    with pytest.raises(AuthorizationError):
        authorize(no_unit, Resource.FIGURES, Action.READ)
    unknown_role = Principal("s", "x", "x", frozenset({"superuser"}), "31", "31")
    with pytest.raises(AuthorizationError):
        authorize(unknown_role, Resource.ORG_UNIT, Action.READ)


def test_a_province_role_wins_over_a_unit_role():
    both = Principal("s", "x", "x", frozenset({"data_entry", "leadership"}), "10846.PKT", "31")
    assert authorize(both, Resource.FIGURES, Action.READ).province_wide


def test_docs_matrix_matches_the_policy():
    """docs/security.md's matrix is the policy, cell for cell."""
    text = SECURITY_MD.read_text(encoding="utf-8")
    table = text.split("<!-- policy-matrix -->")[1].split("<!-- /policy-matrix -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    header = next(line for line in table.splitlines() if line.startswith("| role"))
    resources = [Resource(c.strip().strip("`")) for c in header.split("|")[2:-1]]
    documented = {}
    for row in rows:
        cells = [c.strip() for c in row.split("|")[1:-1]]
        role = cells[0].strip("`")
        documented[role] = {
            r: frozenset(Action(a) for a in re.findall(r"[a-z]+", cell) if a != "—")
            for r, cell in zip(resources, cells[1:], strict=True)
        }
    expected = {role: {r: GRANTS[role].get(r, frozenset()) for r in resources} for role in GRANTS}
    assert documented == expected


def test_reports_are_entered_by_offices_and_approved_up_the_chain():
    entry = authorize(USERS["nhap_lieu"], Resource.SUBMISSION, Action.WRITE)
    assert entry.unit_code == "10846.PKT" and not entry.home  # its own office's figures
    assert authorize(USERS["nhap_lieu"], Resource.SUBMISSION, Action.READ).home  # the commune's report
    assert authorize(USERS["tong_hop"], Resource.SUBMISSION, Action.APPROVE).home
    assert authorize(USERS["chu_tich"], Resource.SUBMISSION, Action.APPROVE).unit_code == "10846"
    # the upper level accepts across the province; leadership and integration only read
    assert authorize(USERS["ke_hoach"], Resource.SUBMISSION, Action.APPROVE).province_wide
    for name in ("lanh_dao", "tich_hop"):
        with pytest.raises(AuthorizationError):
            authorize(USERS[name], Resource.SUBMISSION, Action.APPROVE)
    assert authorize(USERS["mttq"], Resource.SUBMISSION, Action.READ).opened_only
