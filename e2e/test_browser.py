"""A person in a real browser (Debian's Chromium driven by Playwright): signs in through the
OIDC authorization-code flow with PKCE, sees the unit tree, renames a unit. Both modes: the
built-in sign-in of the all-in-one system, and the independent OIDC provider of the distributed
stack."""

from __future__ import annotations

import asyncio
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages  # noqa: E402


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="vi-VN")
    yield context.new_page()
    context.close()


def _api_unit(target, token: str, code: str) -> dict:
    r = httpx.get(f"{target.base_url}/api/v1/org-units", params={"q": code},
                  headers={"Authorization": f"Bearer {token}"}, timeout=20)
    return next(u for u in r.json()["items"] if u["code"] == code)


def _token(target, username: str) -> str:
    # Playwright's sync API runs an event loop in this thread: sign in from another thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, target.sign_in(username)).result()


def test_admin_signs_in_and_renames_a_unit(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "admin", "demo")
    expect(page.get_by_test_id("user-name")).to_have_attribute("title", re.compile(r"\badmin\b"))
    new_name = f"Phòng Kinh tế ({target.name})"
    pages.rename_unit(page, "10846.PKT", new_name)
    pages.expect_unit_name(page, "10846.PKT", new_name)

    token = _token(target, "admin")
    unit = _api_unit(target, token, "10846.PKT")
    assert unit["name"] == new_name and unit["version"] >= 2

    page.reload()  # what the browser shows survives a reload: it came from the server
    pages.wait_for_tree(page)
    pages.expect_unit_name(page, "10846.PKT", new_name)


def test_clerk_sees_the_tree_but_cannot_change_it(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "nhap_lieu", "demo")
    pages.reveal_unit(page, "10846.PKT")
    expect(page.get_by_test_id("rename-button")).to_have_count(0)
    expect(page.get_by_test_id("add-unit-button")).to_be_hidden()
    expect(page.get_by_test_id("details-rename-button")).to_have_count(0)
