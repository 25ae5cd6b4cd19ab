"""Browser smoke test of the web UI's logic against an in-test fake gateway.

The fake (fake_ktxh.py) serves the real static files, a fake /config.json, a minimal OIDC
issuer and a fake org-unit API on a free port. Checks: PKCE parameters and code exchange,
tree rendering and lazy loading, diacritic-insensitive search, rename with If-Match (and the
412 / 422 problem+json paths), add with Idempotency-Key, role-dependent buttons, token
refresh and sign-out.

Run: ``uv run pytest e2e/browser/test_ui_smoke.py``. Needs /usr/bin/chromium (or
``KTXH_CHROMIUM``); set ``KTXH_SCREENSHOT_DIR`` to keep the screenshots.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_ktxh import FakeServer, s256
from pages import (
    axe_violations,
    clear_search,
    expect_unit_name,
    launch_chromium,
    rename_unit,
    reveal_unit,
    search_units,
    select_unit,
    selected_label,
    settle,
    sign_in,
    sign_out,
    stored_tokens,
    unit_row,
)
from playwright.sync_api import Browser, Page, expect, sync_playwright

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
B64URL_43 = re.compile(r"^[A-Za-z0-9_-]{43}$")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, fake: FakeServer) -> Iterator[Page]:
    fake.reset()
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KTXH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_until(predicate, timeout: float = 10.0, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.1)


# ---------------------------------------------------------------------------- sign-in


def test_sign_in_with_pkce_and_tree(page: Page, fake: FakeServer, tmp_path: Path) -> None:
    sign_in(page, fake.url, "admin", "demo")

    auth = fake.state.auth_requests[0]
    assert auth["response_type"] == "code"
    assert auth["client_id"] == "ktxh-web"
    assert auth["redirect_uri"] == f"{fake.url}/callback"
    assert "openid" in auth["scope"].split()
    assert auth["code_challenge_method"] == "S256"
    assert B64URL_43.match(auth["code_challenge"]), auth["code_challenge"]
    assert len(auth["state"]) >= 16 and len(auth["nonce"]) >= 16

    exchange = fake.state.token_requests[0]
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["redirect_uri"] == f"{fake.url}/callback"
    assert 43 <= len(exchange["code_verifier"]) <= 128
    assert s256(exchange["code_verifier"]) == auth["code_challenge"]

    # Back on "/" without code/state in the address bar; tokens kept in sessionStorage.
    expect(page).to_have_url(f"{fake.url}/")
    tokens = stored_tokens(page)
    assert tokens and tokens["access_token"] and tokens["refresh_token"]

    expect(page.get_by_test_id("user-name")).to_have_text("Nguyễn Văn Quản")
    roles = page.get_by_test_id("user-roles")
    expect(roles).to_contain_text("Quản trị tỉnh")
    expect(roles).to_contain_text("Quản trị hệ thống")
    expect(roles).not_to_contain_text("offline_access")
    expect(page.get_by_test_id("user-unit")).to_have_text("Thành phố Hải Phòng")

    # The tree: province expanded, kinds in Vietnamese, API called with the bearer token.
    expect(page.get_by_test_id("unit-tree")).to_have_attribute("role", "tree")
    root = page.get_by_test_id("unit-node-31")
    expect(root).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("unit-name-31")).to_have_text("Thành phố Hải Phòng")
    expect(page.get_by_test_id("tree-count")).to_have_text(re.compile(r"^\d[\d.]* đơn vị$"))
    # Offices stay unrendered until their commune is expanded.
    expect(page.get_by_test_id("unit-node-31016-PKT")).to_have_count(0)
    expect(unit_row(page, "31")).to_contain_text("Tỉnh/Thành phố")
    expect(reveal_unit(page, "31-STC")).to_contain_text("Sở/Ngành")
    expect(reveal_unit(page, "31-MTTQ")).to_contain_text("Ủy ban MTTQ")
    expect(reveal_unit(page, "31016")).to_contain_text("Xã/Phường")
    select_unit(page, "31016")
    expect(unit_row(page, "31016-PKT")).to_contain_text("Phòng/Ban")
    expect(page.get_by_test_id("detail-code")).to_have_text("31016")

    tree_calls = fake.state.requests("GET", "/api/v1/org-units/tree")
    assert tree_calls and tree_calls[0]["authorization"] == f"Bearer {tokens['access_token']}"
    screenshot(page, tmp_path, "ui-tree")


def test_callback_with_wrong_state_is_rejected(page: Page, fake: FakeServer) -> None:
    page.goto(f"{fake.url}/callback?code=abc&state=not-mine")
    expect(page.get_by_test_id("fatal-error")).to_be_visible()
    expect(page.get_by_test_id("fatal-error")).to_contain_text("Phiên đăng nhập không hợp lệ")
    assert fake.state.token_requests == []


def test_refreshes_token_before_expiry(page: Page, fake: FakeServer) -> None:
    fake.state.expires_in = 64  # renewal starts 60 s before expiry: after ~4 s
    sign_in(page, fake.url, "admin", "demo")
    wait_until(
        lambda: any(r["grant_type"] == "refresh_token" for r in fake.state.token_requests),
        message="a refresh_token grant",
    )
    first_refresh = next(r for r in fake.state.token_requests if r["grant_type"] == "refresh_token")
    assert first_refresh["client_id"] == "ktxh-web"
    # The new access token is used for later API calls.
    wait_until(
        lambda: (
            stored_tokens(page)["access_token"] in fake.state.access_tokens
            and len(fake.state.access_tokens) >= 2
        ),
        message="new tokens",
    )
    select_unit(page, "31087")  # lazy-loaded node → a fresh API call
    latest = stored_tokens(page)["access_token"]
    wait_until(
        lambda: fake.state.requests("GET", "/api/v1/org-units")[-1]["authorization"].startswith(
            "Bearer "
        ),
        message="api call",
    )
    assert fake.state.access_tokens[latest] == "admin"
    expect(page.get_by_test_id("session-expired")).to_be_hidden()


def test_sign_out_ends_the_session(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    id_token = stored_tokens(page)["id_token"]
    sign_out(page)
    logout = fake.state.logout_requests[0]
    assert logout["post_logout_redirect_uri"] == f"{fake.url}/"
    assert logout["id_token_hint"] == id_token
    assert logout["client_id"] == "ktxh-web"
    expect(page.get_by_test_id("signed-out")).to_be_visible()
    assert stored_tokens(page) is None
    # Signing in again from the "signed out" screen works.
    sign_in(page, fake.url, "admin", "demo")


# ---------------------------------------------------------------------------- tree


def test_lazy_children_are_fetched_by_parent_id(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    lazy = fake.state.unit_by_code("31087")  # its children are not in /tree
    reveal_unit(page, "31087")  # the tree is virtual: only rows in view are in the page
    node = page.get_by_test_id("unit-node-31087")
    expect(node).to_have_attribute("aria-expanded", "false")
    select_unit(page, "31087")
    expect(node).to_have_attribute("aria-expanded", "true")
    expect(unit_row(page, "31087-VP")).to_be_visible()
    calls = [
        r
        for r in fake.state.requests("GET", "/api/v1/org-units")
        if r["path"] == "/api/v1/org-units" and "parent_id" in r["query"]
    ]
    assert calls and calls[0]["query"]["parent_id"] == lazy["id"]


def test_search_ignores_diacritics_and_case(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    search_units(page, "HA TAY")
    expect(unit_row(page, "31016")).to_be_visible()
    expect(page.get_by_test_id("unit-name-31016").locator("mark")).to_have_text("Hà Tây")
    expect(unit_row(page, "31001")).to_have_count(0)  # Phường Hồng Bàng filtered out
    expect(page.get_by_test_id("search-summary")).to_contain_text("Tìm thấy")

    search_units(page, "dong hai")  # đ → d
    expect(unit_row(page, "31008")).to_be_visible()
    expect(page.get_by_test_id("unit-name-31008")).to_have_text("Phường Đông Hải")

    search_units(page, "kinh te ha tay")  # words in any position
    expect(unit_row(page, "31016-PKT")).to_be_visible()
    expect(page.get_by_test_id("unit-name-31016-PKT").locator("mark")).to_have_text(
        ["Kinh tế", "Hà Tây"]
    )

    search_units(page, "khong co don vi nay")
    expect(page.get_by_test_id("search-summary")).to_contain_text("Không tìm thấy")
    clear_search(page)
    expect(unit_row(page, "31001")).to_be_visible()


def test_keyboard_navigation(page: Page, fake: FakeServer) -> None:
    """Ant Design's tree is one focusable list (role=tree) with an active item."""
    sign_in(page, fake.url, "admin", "demo")
    tree = page.get_by_test_id("unit-tree")
    active = page.locator(".ant-tree-treenode-active")
    root = page.get_by_test_id("unit-node-31")
    tree.focus()
    expect(active).to_have_attribute("data-testid", "unit-node-31")
    page.keyboard.press("ArrowLeft")  # collapse
    expect(root).to_have_attribute("aria-expanded", "false")
    settle(page)  # a person reads the collapsed tree before pressing the next key
    page.keyboard.press("ArrowRight")  # expand
    expect(root).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")  # the first child
    expect(active).not_to_have_attribute("data-testid", "unit-node-31")
    first_child = active.get_attribute("data-testid")
    page.keyboard.press("Enter")  # selects it
    expect(page.get_by_test_id(first_child)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("detail-code")).to_have_text(first_child.removeprefix("unit-node-"))
    page.keyboard.press("ArrowUp")
    expect(active).to_have_attribute("data-testid", "unit-node-31")


# ---------------------------------------------------------------------------- editing


def test_read_only_user_sees_no_edit_buttons(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "nhap_lieu", "demo")
    expect(page.get_by_test_id("user-roles")).to_have_text("Nhập liệu")
    expect(unit_row(page, "31001")).to_be_visible()
    expect(page.get_by_test_id("add-unit-button")).to_be_hidden()
    expect(page.get_by_test_id("rename-button")).to_have_count(0)
    expect(page.get_by_test_id("details-rename-button")).to_have_count(0)
    page.get_by_test_id("unit-tree").focus()
    page.keyboard.press("F2")
    expect(page.get_by_test_id("rename-form")).to_have_count(0)


def test_rename_sends_if_match_and_updates_label(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    unit = fake.state.unit_by_code("31001")
    version = unit["version"]
    rename_unit(page, "31001", "Phường Hồng Bàng (mới)")

    patch = fake.state.requests("PATCH")[-1]
    assert patch["path"] == f"/api/v1/org-units/{unit['id']}"
    assert patch["if_match"] == f'"{version}"'
    assert patch["json"] == {"name": "Phường Hồng Bàng (mới)"}
    assert unit["name"] == "Phường Hồng Bàng (mới)"
    expect_unit_name(page, "31001", "Phường Hồng Bàng (mới)")
    expect(page.get_by_test_id("toast")).to_contain_text("Đã đổi tên")
    expect(page.get_by_test_id("detail-version")).to_have_text(str(version + 1))

    # A second rename uses the new version.
    rename_unit(page, "31001", "Phường Hồng Bàng")
    assert fake.state.requests("PATCH")[-1]["if_match"] == f'"{version + 1}"'


def test_rename_stale_version_shows_412_message(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    unit = fake.state.unit_by_code("31002")
    unit["name"] = "Phường Hồng An (đã sửa ở nơi khác)"
    unit["version"] += 1  # someone else saved meanwhile

    rename_unit(page, "31002", "Phường Hồng An mới", expect_success=False)
    error = page.get_by_test_id("rename-error")
    expect(error).to_have_text(re.compile("Đơn vị đã được người khác sửa, vui lòng tải lại"))
    assert fake.state.requests("PATCH")[-1]["if_match"] == '"1"'

    # "Tải lại" fetches the latest version; saving again succeeds with it.
    error.get_by_test_id("reload-unit").click()
    expect(error).to_contain_text("Phường Hồng An (đã sửa ở nơi khác)")
    page.get_by_test_id("rename-save").click()
    expect(page.get_by_test_id("rename-form")).to_have_count(0)
    expect_unit_name(page, "31002", "Phường Hồng An mới")
    assert fake.state.requests("PATCH")[-1]["if_match"] == '"2"'


def test_rename_shows_problem_field_error(page: Page, fake: FakeServer, tmp_path: Path) -> None:
    sign_in(page, fake.url, "admin", "demo")
    rename_unit(page, "31003", "Phường <Ngô Quyền>", expect_success=False)
    expect(page.get_by_test_id("rename-error")).to_have_text(
        "Tên đơn vị không được chứa ký tự < hoặc >."
    )
    expect(page.get_by_test_id("rename-input")).to_have_attribute("aria-invalid", "true")
    screenshot(page, tmp_path, "ui-rename-error")
    page.get_by_test_id("rename-input").press("Escape")
    expect(page.get_by_test_id("rename-form")).to_have_count(0)
    expect_unit_name(page, "31003", "Phường Ngô Quyền")

    # Empty names are caught before any request.
    before = len(fake.state.requests("PATCH"))
    rename_unit(page, "31003", "   ", expect_success=False)
    expect(page.get_by_test_id("rename-error")).to_have_text("Vui lòng nhập tên đơn vị")
    assert len(fake.state.requests("PATCH")) == before


def test_add_unit_with_idempotency_key_and_field_errors(
    page: Page, fake: FakeServer, tmp_path: Path
) -> None:
    sign_in(page, fake.url, "admin", "demo")
    parent = fake.state.unit_by_code("31016")
    select_unit(page, "31016")
    page.get_by_test_id("add-unit-button").click()
    dialog = page.get_by_test_id("add-unit-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Mã")).to_be_focused()
    expect(selected_label(dialog, "add-parent")).to_have_text(f"{parent['name']} (31016)")
    expect(selected_label(dialog, "add-kind")).to_have_text("Phòng/Ban")  # default under a commune

    # Client-side: required fields.
    dialog.get_by_test_id("add-submit").click()
    expect(dialog.get_by_test_id("field-error-code")).to_have_text("Vui lòng nhập mã đơn vị.")
    expect(dialog.get_by_test_id("field-error-name")).to_have_text("Vui lòng nhập tên đơn vị.")
    assert fake.state.requests("POST") == []

    # Server-side: a duplicate code comes back as problem+json with a field error.
    dialog.get_by_label("Mã").fill("31016-PKT")
    dialog.get_by_role("textbox", name="Tên", exact=True).fill("Phòng Tư pháp xã Hà Tây")
    dialog.get_by_test_id("add-submit").click()
    expect(dialog.get_by_test_id("field-error-code")).to_have_text(
        "Mã đơn vị “31016-PKT” đã tồn tại."
    )
    expect(dialog.get_by_label("Mã")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_test_id("form-error")).to_contain_text("Dữ liệu không hợp lệ")
    expect(dialog.get_by_test_id("field-error-name")).to_be_hidden()
    first = fake.state.requests("POST")[-1]
    assert UUID_RE.match(first["idempotency_key"]), first["idempotency_key"]
    screenshot(page, tmp_path, "ui-add-error")

    dialog.get_by_label("Mã").fill("31016-PTP")
    dialog.get_by_test_id("add-submit").click()
    expect(dialog).to_be_hidden()
    second = fake.state.requests("POST")[-1]
    assert second["json"] == {
        "code": "31016-PTP",
        "name": "Phòng Tư pháp xã Hà Tây",
        "kind": "office",
        "parent_id": parent["id"],
    }
    assert UUID_RE.match(second["idempotency_key"])
    assert second["idempotency_key"] != first["idempotency_key"]
    expect_unit_name(page, "31016-PTP", "Phòng Tư pháp xã Hà Tây")
    expect(page.get_by_test_id("unit-node-31016-PTP")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("toast")).to_contain_text("Đã thêm đơn vị")


def test_reveal_unit_searches_collapsed_branches(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    row = reveal_unit(page, "31040-TTHCC")  # an office inside a collapsed commune
    expect(row).to_contain_text("Trung tâm Phục vụ hành chính công")


def test_tree_screen_has_no_serious_accessibility_violation(page: Page, fake: FakeServer) -> None:
    sign_in(page, fake.url, "admin", "demo")
    select_unit(page, "31016")
    assert axe_violations(page) == []
    page.get_by_test_id("add-unit-button").click()
    expect(page.get_by_test_id("add-unit-dialog")).to_be_visible()
    assert axe_violations(page) == []


def test_session_lost_while_a_form_is_open_keeps_what_was_typed(page: Page, fake: FakeServer) -> None:
    """The issuer forgets the session (tokens revoked) while "Thêm đơn vị" is filled in: the save
    is refused, a banner offers to sign in again in a pop-up; afterwards the same dialog, with
    everything typed, saves."""
    sign_in(page, fake.url, "admin", "demo")
    select_unit(page, "31016")
    page.get_by_test_id("add-unit-button").click()
    dialog = page.get_by_test_id("add-unit-dialog")
    dialog.get_by_label("Mã").fill("31016-PNV")
    dialog.get_by_role("textbox", name="Tên", exact=True).fill("Phòng Nội vụ xã Hà Tây")
    fake.state.access_tokens.clear()  # revoked at the issuer: no refresh either
    fake.state.refresh_tokens.clear()
    dialog.get_by_test_id("add-submit").click()
    banner = page.get_by_test_id("session-expired")
    expect(banner).to_be_visible()
    assert not [r for r in fake.state.requests("POST") if r["path"] == "/api/v1/org-units" and r["authorization"].removeprefix("Bearer ") in fake.state.access_tokens]

    with page.expect_popup() as info:
        banner.get_by_test_id("relogin-button").click()
    popup = info.value
    popup.locator('input[name="username"]').fill("admin")
    popup.locator('input[name="password"]').fill("demo")
    popup.get_by_role("button", name="Đăng nhập", exact=True).click()
    popup.wait_for_event("close")
    expect(banner).to_be_hidden()

    expect(dialog.get_by_label("Mã")).to_have_value("31016-PNV")  # nothing typed was lost
    dialog.get_by_test_id("add-submit").click()
    expect(dialog).to_be_hidden()
    expect_unit_name(page, "31016-PNV", "Phòng Nội vụ xã Hà Tây")
    saved = fake.state.requests("POST")[-1]
    assert saved["json"]["code"] == "31016-PNV" and saved["authorization"].removeprefix("Bearer ") in fake.state.access_tokens
