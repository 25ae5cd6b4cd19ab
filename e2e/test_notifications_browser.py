"""Xã Hà Tây's leader in a real browser (Debian's Chromium driven by Playwright) on the
distributed stack: an AssignmentIssued event published to the Kafka-protocol broker shows as
the bell's unread count; the inbox (#/thong-bao) lists it in bold; opening it marks it read
and goes to the received item; "Đánh dấu tất cả đã đọc" clears the rest. No serious axe
violation on the inbox."""

from __future__ import annotations

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ktxh_platform.bus.kafka import KafkaBus

sys.path.insert(0, str(Path(__file__).parent / "browser"))
sys.path.insert(0, str(Path(__file__).parent))
import pages  # noqa: E402
from test_notifications_api import TOPIC, _issued  # noqa: E402

pytestmark = [pytest.mark.e2e]
SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS


@pytest.fixture
def browser_page():
    with sync_playwright() as pw:
        browser = pages.launch_chromium(pw)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/notifications-{name}.png", full_page=True)


def _run(coro):
    # Playwright's sync API runs an event loop in this thread: async work in another thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _publish(bootstrap: str, envelopes) -> None:
    bus = KafkaBus(bootstrap, client_id="e2e-assignment-browser")
    await bus.start()
    try:
        for env in envelopes:
            await bus.publish(TOPIC, env.aggregate_id.encode(), env.SerializeToString(), [])
    finally:
        await bus.stop()


async def _inbox_count(target, username: str) -> int:
    token = await target.sign_in(username)
    async with httpx.AsyncClient(base_url=target.base_url, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        return (await client.get("/api/v1/notifications")).json()["unread_count"]


async def _ha_tay_id(target) -> str:
    token = await target.sign_in("admin")
    async with httpx.AsyncClient(base_url=target.base_url, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        page = (await client.get("/api/v1/org-units", params={"q": "10846", "page_size": 50})).json()
        return next(u["id"] for u in page["items"] if u["code"] == "10846")


def test_the_bell_counts_and_the_inbox_marks_read(distributed_target, kafka_server, browser_page):
    target, page = distributed_target, browser_page
    before = _run(_inbox_count(target, "chu_tich"))
    ha_tay = _run(_ha_tay_id(target))
    first = _issued(ha_tay, "201/QĐ-UBND", "HP2081.XIII.01")
    second = _issued(ha_tay, "202/QĐ-UBND", "HP2081.XIII.05")
    _run(_publish(kafka_server.bootstrap_servers, [first, second]))

    pages.sign_in(page, target.base_url, "chu_tich", "demo")
    bell = page.get_by_test_id("notification-bell")
    # the bell asks on sign-in, every 30 s and on focus: reload until the consumer has caught up
    for _ in range(30):
        if bell.get_attribute("aria-label") == f"Thông báo: {before + 2} thông báo chưa đọc":
            break
        page.wait_for_timeout(1000)
        page.reload()
        expect(bell).to_be_visible(timeout=TIMEOUT)
    expect(bell).to_have_attribute("aria-label", f"Thông báo: {before + 2} thông báo chưa đọc")
    expect(bell.locator(".ant-badge-count")).to_be_visible()
    _shot(page, "bell")

    bell.click()
    expect(page).to_have_url(f"{target.base_url}/#/thong-bao")
    expect(page.get_by_role("heading", name="Thông báo", exact=True)).to_be_visible(timeout=TIMEOUT)
    newest = page.get_by_test_id("notification-item").first
    expect(newest).to_contain_text("Đơn vị được giao chỉ tiêu theo Quyết định 202/QĐ-UBND")
    expect(newest.locator("strong")).to_have_text("Đơn vị được giao chỉ tiêu theo Quyết định 202/QĐ-UBND")
    expect(page.get_by_test_id("notifications-unread")).to_have_text(f"{before + 2} thông báo chưa đọc")
    page.wait_for_load_state("networkidle")
    assert pages.axe_violations(page) == []
    _shot(page, "inbox")

    newest.get_by_role("button").click()  # opening it marks it read and follows its link
    expect(page).to_have_url(f"{target.base_url}/#/duoc-giao/{second.aggregate_id}")
    expect(bell).to_have_attribute("aria-label", f"Thông báo: {before + 1} thông báo chưa đọc", timeout=TIMEOUT)

    page.goto(f"{target.base_url}/#/thong-bao")
    expect(page.get_by_test_id("notification-item").first.locator("strong")).to_have_count(0, timeout=TIMEOUT)
    page.get_by_test_id("notifications-read-all").click()
    expect(page.get_by_test_id("notifications-unread")).to_have_text("Không có thông báo chưa đọc", timeout=TIMEOUT)
    expect(bell).to_have_attribute("aria-label", "Thông báo: không có thông báo chưa đọc", timeout=TIMEOUT)
    expect(page.locator('[data-testid="notification-item"] strong')).to_have_count(0)
    _shot(page, "all-read")
    assert _run(_inbox_count(target, "chu_tich")) == 0
    assert _run(_inbox_count(target, "nhap_lieu")) >= 2  # the office's clerk has read nothing
