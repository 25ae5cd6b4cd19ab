"""The dashboard in a real browser (Debian's Chromium driven by Playwright) on the all-in-one:
the planning officer loads November 2025 figures of two communes as historical figures, opens
#/tong-hop for the city, sees the city's total (the same number as the XLSX export), the
comparison across communes and the trend, then drills down to Xã Hà Tây and its own figure."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS
API = "/api/v1"
PERIOD = "2025-M11"  # after the 2025 communes began; no other test uses it (shared stack)
THU = "HP2081.XIII.08"  # Thu ngân sách nhà nước trên địa bàn


def _run(coro):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _seed(target) -> tuple[str, dict[str, str]]:
    """Historical November (and October) figures for Xã Hà Tây and a sibling commune; the city's XLSX value."""
    token = await target.sign_in("ke_hoach")
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        units = (await client.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
        city = next(u for u in units if u["code"] == "31")
        communes = [u for u in units if u["parent_id"] == city["id"] and u["kind"] == "commune"]
        sibling = next(u for u in communes if u["code"] != "10846")
        values = {"10846": "12.5", sibling["code"]: "7.25"}
        body = {"source": "e2e", "data_values": [
            {"org_unit_code": code, "period_code": period, "key": {"indicator_code": THU},
             "value": value if period == PERIOD else "10"}
            for code, value in values.items() for period in (PERIOD, "2025-M10")]}
        for _ in range(120):  # the reporting service learns the units from catalog events
            r = await client.post(f"{API}/historical-figures", params={"dry_run": "false"}, json=body)
            if r.status_code == 200 and not r.json()["refused"]:
                break
            await asyncio.sleep(0.5)
        assert r.status_code == 200 and not r.json()["refused"], r.text
        for _ in range(120):  # ... and the indicators' roll-up rules from the catalog's events
            rollup = (await client.get(f"{API}/rollups", params={
                "org_unit_code": "31", "period_code": PERIOD, "indicator_codes": THU})).json()
            if any(r["is_total"] and r["value"] for r in rollup.get("rows", [])):
                break
            await asyncio.sleep(0.5)
        xlsx = await client.get(f"{API}/report-exports", params={
            "org_unit_code": "31", "period_code": PERIOD, "indicator_codes": THU})
        ws = load_workbook(io.BytesIO(xlsx.content)).active
        heads = [c.value for c in ws[6]]
        city_value = ws.cell(8, heads.index("Thực hiện Tháng 11/2025") + 1).value
        return str(city_value), {**values, "sibling": sibling["code"], "sibling_name": sibling["name"]}


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/dashboard-{name}.png", full_page=True)


def test_dashboard_drills_down_from_the_city_to_a_commune(allinone_target):
    target = allinone_target
    city_value, seeded = _run(_seed(target))
    assert float(city_value) == pytest.approx(19.75)  # 12.5 + 7.25: a sum indicator
    with sync_playwright() as pw:
        browser = pages.launch_chromium(pw)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            pages.sign_in(page, target.base_url, "ke_hoach", "demo")
            page.goto(f"{target.base_url}/#/tong-hop/31?ky={PERIOD}")
            table = page.get_by_test_id("dashboard-table")
            row = table.get_by_test_id(f"row-{THU}")
            expect(row).to_be_visible(timeout=TIMEOUT)
            expect(row.get_by_test_id("cell-value")).to_have_text("19,75")  # = the XLSX
            expect(row).to_contain_text("Thu ngân sách")
            expect(page.get_by_role("heading", level=1)).to_contain_text("Thành phố Hải Phòng")
            expect(page.get_by_test_id("dashboard-completeness")).to_contain_text("đơn vị")
            row.click()
            expect(page.get_by_test_id("chart-compare").locator("svg")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_test_id("chart-trend").locator("svg")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_test_id(f"drill-{seeded['sibling']}")).to_have_text(seeded["sibling_name"])
            page.wait_for_timeout(500)  # let the charts' entry animation finish for the picture
            _shot(page, "city")

            page.get_by_test_id("drill-10846").click()
            expect(page).to_have_url(f"{target.base_url}/#/tong-hop/10846?ky={PERIOD}")
            expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Hà Tây", timeout=TIMEOUT)
            commune_row = page.get_by_test_id("dashboard-table").get_by_test_id(f"row-{THU}")
            expect(commune_row.get_by_test_id("cell-value")).to_have_text("12,5", timeout=TIMEOUT)
            page.wait_for_timeout(500)
            _shot(page, "commune")
        finally:
            context.close()
            browser.close()
