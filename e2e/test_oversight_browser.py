"""The Front's oversight in a real browser (Debian's Chromium driven by Playwright), on the
all-in-one — issue 14's "Done when" as a new user would go through it:

the city's Front member (mttq) sees the poverty-rate targets opened to its committee for the
chosen month's year, each with that month's figure read from the reporting read model (none
here: "Chưa có số liệu", and no refusal; the figures themselves are checked by the component
test), and comments on Xã Hà Tây's; the commune's leader (chu_tich) finds the comment and answers; the
Front reads the answer, drafts an oversight report citing the targets of both communes with a
recommendation to each (one already past its due date) and files it; Hà Tây's consolidating
office (tong_hop) answers its recommendation; the Front resolves it; the board of the Front
and of the People's Committee (lanh_dao) show one resolved and one overdue. The targets are
issued through the API first (the assignment screens have their own browser test). axe-core
finds no serious or critical violation on the screens visited.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages

SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS
POVERTY = "HP2081.XIII.11"  # Tỷ lệ hộ nghèo (%)
YEAR = 2032  # a year no other test assigns


@pytest.fixture
def browser_page():
    with sync_playwright() as pw:
        browser = pages.launch_chromium(pw)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/oversight-{name}.png", full_page=True)


def _api(target, username: str) -> httpx.Client:
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API runs a loop in this thread
        token = pool.submit(asyncio.run, target.sign_in(username)).result()
    return httpx.Client(base_url=target.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _issue_targets(target, ca, year: int = YEAR) -> tuple[dict, dict]:
    """Poverty-rate targets for Xã Hà Tây and another commune, opened to the city's Front."""
    with _api(target, "ke_hoach") as api:
        units = api.get("/api/v1/org-units", params={"page_size": 500}).json()["items"]
        by_code = {u["code"]: u for u in units}
        other = next(u for u in sorted(units, key=lambda u: u["code"]) if u["kind"] == "commune" and u["code"] != "10846")
        body = {"number": f"32/{year}/QĐ-GS", "title": "Giao chỉ tiêu giảm nghèo", "issued_on": f"{year}-01-05",
                "issuer_unit_id": by_code["31.STC"]["id"], "year": year, "front_unit_ids": [by_code["31.MTTQ"]["id"]],
                "assignments": [{"assignee_unit_id": u["id"], "target": {"key": {"indicator_code": POVERTY},
                                                                        "target_value": "2.5", "comparison": "at_most"}}
                                for u in (by_code["10846"], other)]}
        for _ in range(120):
            r = api.post("/api/v1/assignment-decisions", json=body)
            if r.status_code != 422 or "unit_id" not in r.text:
                break
            time.sleep(0.5)
        assert r.status_code == 201, r.text
        draft = r.json()
        pdf = sign_pdf(plain_pdf("QĐ 32"), ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
        r = api.post("/api/v1/documents", files={"file": ("qd.pdf", pdf, "application/pdf")}, data={
            "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
            "kind": "decision", "title": "QĐ 32"})
        assert r.status_code == 201, r.text
        r = api.post(f"/api/v1/assignment-decisions/{draft['id']}/issue", json={"document_id": r.json()["id"], "version": draft["version"]})
        assert r.status_code == 200, r.text
    return by_code["10846"], other



def _open_oversight(page: Page, title: str) -> None:
    page.get_by_test_id("nav-oversight").click()
    expect(page.get_by_test_id("page-title")).to_have_text(title, timeout=TIMEOUT)


def _no_serious_a11y_violation(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    # a table still loading (or fading out of it) is drawn at half opacity: check what the user
    # reads once it has loaded
    page.wait_for_function("() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning')",
                           timeout=TIMEOUT)
    page.mouse.move(0, 0)  # a row left hovered by the last click is shaded: check the page at rest
    assert pages.axe_violations(page) == []


def _pick(page: Page, testid: str, name: str) -> None:
    """Type a unit's name into an Ant Design Select and take the matching option."""
    page.get_by_test_id(testid).last.click()
    page.keyboard.type(name)
    option = page.locator(f'.ant-select-item-option[title="{name}"]:visible')
    expect(option.first).to_be_visible(timeout=TIMEOUT)
    pages.settle(page)
    option.first.click()


def test_front_comments_reports_and_follows_recommendations(allinone_target, document_ca, browser_page):
    page, target = browser_page, allinone_target
    hatay, other = _issue_targets(target, document_ca)
    overdue_day = date.today() - timedelta(days=3)

    # ----------------------------------------------------------- the Front sees and comments
    pages.sign_in(page, target.base_url, "mttq", "demo")
    _open_oversight(page, "Nội dung giám sát")
    opened = page.get_by_test_id("opened-list").locator("tbody tr")
    pages.fill_date(page, "figures-month", f"10/{YEAR}")
    for unit in (hatay, other):  # the Front may read the figures of what is opened to it: none yet
        expect(opened.filter(has_text=unit["name"]).get_by_test_id("figure-none")).to_have_text("Chưa có số liệu", timeout=TIMEOUT)
    expect(page.get_by_test_id("figure-error")).to_have_count(0)
    expect(page.get_by_test_id("opened-list")).to_contain_text(f"Thực hiện tháng 10/{YEAR}")
    row = page.get_by_test_id("opened-list").locator("tr").filter(has_text=hatay["name"]).filter(has_text="Tỷ lệ hộ nghèo")
    expect(row.first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("opened-list").locator("tr").filter(has_text=other["name"]).first).to_be_visible()
    _no_serious_a11y_violation(page)
    _shot(page, "1-front-oversees")
    row.first.get_by_test_id("comment-open").click()
    page.get_by_test_id("comment-text").fill("Tỷ lệ hộ nghèo tháng 10 chưa giảm theo chỉ tiêu; đề nghị xã giải trình.")
    page.get_by_test_id("comment-send").click()
    expect(page.get_by_test_id("comment-body")).to_contain_text("đề nghị xã giải trình", timeout=TIMEOUT)
    expect(page.get_by_test_id("no-response")).to_be_visible()
    pages.sign_out(page)

    # ----------------------------------------------------------- the commune answers
    pages.sign_in(page, target.base_url, "chu_tich", "demo")
    _open_oversight(page, "Ý kiến, kiến nghị của Mặt trận")
    page.get_by_test_id("comment-list").get_by_test_id("comment-link").filter(has_text=hatay["name"]).first.click()
    page.get_by_test_id("answer-text").fill("Xã đã rà soát lại 12 hộ; tỷ lệ tháng 11 giảm còn 2,6 %.")
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("comment-response")).to_contain_text("rà soát lại 12 hộ", timeout=TIMEOUT)
    expect(page.get_by_test_id("oversight-status").first).to_have_text("Đã trả lời")
    _no_serious_a11y_violation(page)
    _shot(page, "2-commune-answers")
    pages.sign_out(page)

    # ----------------------------------------------------------- the Front reads, reports, files
    pages.sign_in(page, target.base_url, "mttq", "demo")
    _open_oversight(page, "Nội dung giám sát")
    page.get_by_test_id("comment-list").get_by_test_id("comment-link").filter(has_text=hatay["name"]).first.click()
    expect(page.get_by_test_id("comment-response")).to_contain_text("rà soát lại 12 hộ", timeout=TIMEOUT)
    page.get_by_test_id("oversight-tab-bao-cao").click()
    page.get_by_test_id("report-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Lập báo cáo giám sát", timeout=TIMEOUT)
    page.get_by_test_id("report-title").fill("Giám sát thực hiện chỉ tiêu giảm nghèo")
    pages.fill_date(page, "report-month", f"10/{YEAR}")
    pages.fill_date(page, "report-asof", f"05/11/{YEAR}")
    _pick(page, "report-units", hatay["name"])
    _pick(page, "report-units", other["name"])
    page.keyboard.press("Escape")
    page.get_by_test_id("report-findings").fill("Hai xã chưa đạt chỉ tiêu giảm nghèo tháng 10.")
    page.get_by_test_id("rec-text").nth(0).fill(f"Rà soát danh sách hộ nghèo năm {YEAR}, báo cáo kết quả.")
    _pick(page, "rec-unit", hatay["name"])
    page.get_by_test_id("rec-due").nth(0).fill("2099-12-31")
    page.get_by_test_id("rec-add").click()
    page.get_by_test_id("rec-text").nth(1).fill("Báo cáo số liệu hộ nghèo tháng 10.")
    _pick(page, "rec-unit", other["name"])
    page.get_by_test_id("rec-due").nth(1).fill(overdue_day.isoformat())
    _shot(page, "3-report-draft")
    page.get_by_test_id("report-save").click()
    citations = page.get_by_test_id("citations")
    expect(citations.locator("tr").filter(has_text=hatay["name"]).first).to_contain_text("2,5", timeout=TIMEOUT)
    expect(citations).to_contain_text(f"{YEAR}-M10")
    page.get_by_test_id("report-file").click()
    expect(page.get_by_test_id("oversight-status").first).to_have_text("Đã gửi", timeout=TIMEOUT)
    expect(page.get_by_test_id("recommendation-list").locator("tr").filter(has_text=other["name"])).to_contain_text("Quá hạn")
    _no_serious_a11y_violation(page)
    _shot(page, "4-report-filed")
    pages.sign_out(page)

    # ----------------------------------------------------------- the commune's office answers
    pages.sign_in(page, target.base_url, "tong_hop", "demo")
    _open_oversight(page, "Ý kiến, kiến nghị của Mặt trận")
    page.get_by_test_id("recommendation-link").filter(has_text=f"Rà soát danh sách hộ nghèo năm {YEAR}").first.click()
    page.get_by_test_id("rec-answer").fill("Đã rà soát xong; danh sách 12 hộ gửi kèm.")
    page.get_by_test_id("rec-answer-send").click()
    expect(page.get_by_test_id("recommendation-response")).to_contain_text("Đã rà soát xong", timeout=TIMEOUT)
    expect(page.get_by_test_id("oversight-status").first).to_have_text("Đã trả lời")
    _shot(page, "5-office-answers")
    pages.sign_out(page)

    # ----------------------------------------------------------- the Front resolves; the boards
    pages.sign_in(page, target.base_url, "mttq", "demo")
    _open_oversight(page, "Nội dung giám sát")
    page.get_by_test_id("oversight-tab-kien-nghi").click()
    page.get_by_test_id("recommendation-link").filter(has_text=f"Rà soát danh sách hộ nghèo năm {YEAR}").first.click()
    page.get_by_test_id("rec-remark").fill("Đạt yêu cầu.")
    page.get_by_test_id("rec-accept").click()
    expect(page.get_by_test_id("oversight-status").first).to_have_text("Đã giải quyết", timeout=TIMEOUT)
    page.get_by_test_id("oversight-tab-kien-nghi").click()
    _expect_board(page, hatay["name"], other["name"])
    _no_serious_a11y_violation(page)
    _shot(page, "6-front-board")
    pages.sign_out(page)

    pages.sign_in(page, target.base_url, "lanh_dao", "demo")
    _open_oversight(page, "Ý kiến, kiến nghị của Mặt trận")
    page.get_by_test_id("oversight-tab-kien-nghi").click()
    _expect_board(page, hatay["name"], other["name"])
    _shot(page, "7-committee-board")


def _expect_board(page: Page, resolved_unit: str, overdue_unit: str) -> None:
    board = page.get_by_test_id("board")
    expect(board.locator("tr").filter(has_text=resolved_unit).get_by_test_id("board-resolved")).not_to_have_text("0", timeout=TIMEOUT)
    expect(board.locator("tr").filter(has_text=overdue_unit).get_by_test_id("board-overdue")).not_to_have_text("0")
