"""Page-object helpers for the KTXH web UI (Playwright, sync API).

Used by the UI smoke test against the in-test fake (test_ui_smoke.py) and meant for the
end-to-end browser tests against the real gateway. Selectors are the UI's ``data-testid``s:

* ``unit-tree`` (the ``role=tree`` list), ``unit-node-<code>`` (its ``treeitem``),
  ``unit-row-<code>``, ``unit-name-<code>``, ``unit-code-<code>``
* ``unit-search``, ``search-summary``, ``tree-count``, ``as-of``
* ``rename-button`` (in a row), ``rename-form``, ``rename-input``, ``rename-save``,
  ``rename-cancel``, ``rename-error``, ``reload-unit``
* ``add-unit-button``, ``add-unit-dialog``, ``add-code``, ``add-name``, ``add-short-name``,
  ``add-kind`` (Select), ``add-parent`` (TreeSelect), ``add-valid-from``, ``add-submit``, ``add-cancel``,
  ``field-error-<field>``, ``form-error``
* ``user-name``, ``user-roles``, ``user-unit``, ``logout``, ``login-button``, ``signed-out``,
  ``session-expired``, ``fatal-error``, ``unit-details``, ``detail-<key>``, ``toast``

Controls are Ant Design's: ``choose`` picks an option of a Select by its Vietnamese label,
``fill_date`` types a date into a DatePicker (dd/mm/yyyy), ``axe_violations`` runs axe-core
in the page. The helpers use the sync API: call them from plain (non-async) pytest tests.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

CHROMIUM_PATH = os.environ.get("KTXH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
AXE = Path(__file__).resolve().parents[2] / "gateway" / "web" / "node_modules" / "axe-core" / "axe.min.js"
KIND_LABELS = {
    "province": "Tỉnh/Thành phố", "district": "Huyện (cũ)", "commune": "Xã/Phường",
    "agency": "Sở/Ngành", "office": "Phòng/Ban", "front": "Ủy ban MTTQ",
}


def launch_chromium(playwright: Playwright, **kwargs: Any) -> Browser:
    """The system Chromium (never a Playwright-downloaded one) with the project's flags."""
    return playwright.chromium.launch(
        executable_path=kwargs.pop("executable_path", CHROMIUM_PATH),
        headless=True,
        args=CHROMIUM_ARGS + list(kwargs.pop("args", [])),
        **kwargs,
    )


def choose(page: Page, testid: str, label: str, scope: Page | Locator | None = None) -> None:
    """Pick the option labelled ``label`` of the Ant Design Select ``testid`` (as a user does:
    open the list, click the option)."""
    where = scope or page
    where.get_by_test_id(testid).click()
    option = page.locator(f'.ant-select-item-option[title="{label}"]:visible')
    expect(option).to_be_visible()
    settle(page)  # the list slides in: a click while it moves can land on another row
    option.click()
    expect(selected_label(where, testid)).to_have_text(label)


def selected_label(page: Page | Locator, testid: str) -> Locator:
    """The text an Ant Design Select / TreeSelect shows for its value."""
    return page.get_by_test_id(testid).locator(".ant-select-content, .ant-select-selection-item").first


def date_input(page: Page | Locator, testid: str) -> Locator:
    return page.locator(f'input[data-testid="{testid}"], [data-testid="{testid}"] input').first


def fill_date(page: Page | Locator, testid: str, value: date | str) -> None:
    """Type a date into an Ant Design DatePicker (dd/mm/yyyy) and confirm with Enter."""
    text = value.strftime("%d/%m/%Y") if isinstance(value, date) else value
    box = date_input(page, testid)
    box.click()
    box.fill(text)
    box.press("Enter")


def stored_tokens(page: Page) -> dict[str, Any] | None:
    """The tokens oidc-client-ts keeps in sessionStorage (``oidc.user:<issuer>:<client>``)."""
    raw = page.evaluate(
        "() => { const k = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));"
        " return k ? sessionStorage.getItem(k) : null; }"
    )
    return json.loads(raw) if raw else None


def settle(page: Page) -> None:
    """Wait until every finite CSS animation and transition has finished (spinners never do)."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect?.getComputedTiming().iterations === Infinity)",
        timeout=TIMEOUT_MS,
    )
    # and two frames, so pending renders are committed and painted
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core (from the UI's npm packages) run on the page; violations of the given impact.

    Runs once every CSS animation and transition has finished: a dialog fading in has
    half-transparent text, which axe would rightly measure as too little contrast."""
    settle(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await window.axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5],
         "why": [n.get("failureSummary", "") for n in v["nodes"]][:2]}
        for v in result if v["impact"] in impacts
    ]


def _tree_items(page: Page) -> Locator:
    return page.get_by_test_id("unit-tree").locator('[role="treeitem"]')


def wait_for_tree(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the unit tree shows at least one unit."""
    expect(_tree_items(page).first).to_be_visible(timeout=timeout)


def sign_in(
    page: Page, base_url: str, username: str, password: str, timeout: float = TIMEOUT_MS
) -> None:
    """Open the app and sign in through the issuer's login form.

    Works with the built-in development issuer (fields ``username``/``password``, labelled
    "Tên đăng nhập"/"Mật khẩu", button "Đăng nhập") and with the fake in test_ui_smoke.py.
    Returns when the user's name is shown and the unit tree has loaded.
    """
    page.goto(base_url.rstrip("/") + "/")
    user_field = page.locator('input[name="username"]')
    user_name = page.get_by_test_id("user-name")
    login_button = page.get_by_test_id("login-button")
    any_of = 'input[name="username"]:visible, [data-testid="user-name"]:visible'
    expect(page.locator(f'{any_of}, [data-testid="login-button"]:visible').first).to_be_visible(
        timeout=timeout
    )
    if login_button.is_visible():  # the "signed out" screen after a previous sign-out
        login_button.click()
        expect(page.locator(any_of).first).to_be_visible(timeout=timeout)
    if user_field.is_visible():
        user_field.fill(username)
        page.locator('input[name="password"]').fill(password)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(user_name).not_to_be_empty(timeout=timeout)
    expect(user_name).to_be_visible(timeout=timeout)
    wait_for_tree(page, timeout)


def sign_out(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Click "Đăng xuất"; returns on the app's "signed out" screen or the issuer's login form."""
    page.get_by_test_id("logout").click()
    expect(
        page.locator('[data-testid="login-button"]:visible, input[name="username"]:visible').first
    ).to_be_visible(timeout=timeout)


def search_units(page: Page, text: str) -> None:
    """Type into "Tìm đơn vị" (diacritics and case are ignored; codes match by prefix)."""
    page.get_by_test_id("unit-search").fill(text)


def clear_search(page: Page) -> None:
    page.get_by_test_id("unit-search").fill("")


def unit_row(page: Page, code: str) -> Locator:
    return page.get_by_test_id(f"unit-row-{code}")


def reveal_unit(page: Page, code: str, timeout: float = TIMEOUT_MS) -> Locator:
    """Make a unit's row visible (searching by its code if it is inside a collapsed branch)."""
    wait_for_tree(page, timeout)
    row = unit_row(page, code)
    if row.count() == 0 or not row.is_visible():
        search_units(page, code)
    expect(row).to_be_visible(timeout=timeout)
    return row


def select_unit(page: Page, code: str) -> Locator:
    """Click a unit (selects it and expands it); returns its row."""
    row = reveal_unit(page, code)
    row.get_by_test_id(f"unit-name-{code}").click()
    expect(page.get_by_test_id(f"unit-node-{code}")).to_have_attribute("aria-selected", "true")
    return row


def rename_unit(
    page: Page,
    code: str,
    new_name: str,
    *,
    expect_success: bool = True,
    timeout: float = TIMEOUT_MS,
) -> None:
    """Rename a unit with the inline form ("Đổi tên" → input → "Lưu").

    With ``expect_success`` (default) waits until the form closes and the row shows the new
    name; otherwise returns right after submitting (then check ``rename-error``).
    """
    row = reveal_unit(page, code, timeout)
    row.hover()
    row.get_by_test_id("rename-button").click()
    form = page.get_by_test_id("rename-form")
    expect(form).to_be_visible(timeout=timeout)
    form.get_by_test_id("rename-input").fill(new_name)
    form.get_by_test_id("rename-save").click()
    if expect_success:
        expect(form).to_have_count(0, timeout=timeout)
        expect_unit_name(page, code, new_name, timeout=timeout)


def expect_unit_name(page: Page, code: str, name: str, timeout: float = TIMEOUT_MS) -> None:
    """Assert the tree shows ``name`` for the unit with ``code``."""
    reveal_unit(page, code, timeout)
    expect(page.get_by_test_id(f"unit-name-{code}")).to_have_text(name, timeout=timeout)


def open_add_unit(page: Page, parent_code: str | None = None) -> Locator:
    """Open "Thêm đơn vị" (with ``parent_code`` selected first, so it is the preselected parent)."""
    if parent_code:
        select_unit(page, parent_code)
    page.get_by_test_id("add-unit-button").click()
    dialog = page.get_by_test_id("add-unit-dialog")
    expect(dialog).to_be_visible()
    return dialog


def add_unit(
    page: Page,
    code: str,
    name: str,
    *,
    kind: str | None = None,
    parent_code: str | None = None,
    expect_success: bool = True,
    timeout: float = TIMEOUT_MS,
) -> None:
    """Create a unit through the dialog. ``kind`` is the API value (``commune``, ``office``...)."""
    dialog = open_add_unit(page, parent_code)
    dialog.get_by_test_id("add-code").fill(code)
    dialog.get_by_test_id("add-name").fill(name)
    if kind:
        choose(page, "add-kind", KIND_LABELS[kind], scope=dialog)
    if parent_code:
        expect(selected_label(dialog, "add-parent")).to_have_text(
            re.compile(rf"\({re.escape(parent_code)}\)$")
        )
    dialog.get_by_test_id("add-submit").click()
    if expect_success:
        expect(dialog).to_be_hidden(timeout=timeout)
        expect_unit_name(page, code, name, timeout=timeout)
