"""Đánh giá in a real browser (Debian's Chromium driven by Playwright), in both modes.

On a round the province opened through the API (criteria set given to three communes in a
signed decision), Xã Hà Tây's consolidating office opens its sheet, reads the suggestions with
their evidence, changes a score with a reason, scores the manual criterion and sends it to its
leader, who submits it; the province's planning officer adjusts a score with a reason (the
self score stays beside it); the leadership finalizes; the review queue and the ranking show
the level; the leadership publishes the results and reads the published edition (the table of
units, the level counts, the XLSX). axe-core finds no serious or critical violation on these
screens.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages

SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS
YEAR = 2034  # a year no other test gives: the distributed stack is shared


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
        page.screenshot(path=f"{SHOTS}/evaluation-{name}.png", full_page=True)


def _api(target, username: str) -> httpx.Client:
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API runs a loop in this thread
        token = pool.submit(asyncio.run, target.sign_in(username)).result()
    return httpx.Client(base_url=target.base_url, timeout=120, headers={"Authorization": f"Bearer {token}"})


def _fresh_criteria_set(api: httpx.Client) -> str:
    """A copy of the seed's commune criteria set under a code of this run: a criteria set stays
    given to a unit until adjusted, so tests sharing a stack must not give the same one twice."""
    seed = api.get("/api/v1/criteria-sets/TC.XA.2026").json()
    code = f"TC.XA.E2E{uuid.uuid4().hex[:6].upper()}"
    body = {
        "code": code, "name": f"{seed['name']} ({code})", "year": seed["year"],
        "applies_to_kinds": seed["applies_to_kinds"], "valid_from": seed["valid_from"],
        "criteria": [{k: c[k] for k in ("code", "name", "guidance", "max_score", "scoring_method", "ordinal",
                                        "indicator_codes", "indicator_set_code")} for c in seed["criteria"]],
        "thresholds": [{"level": t["level"], "min_score": t["min_score"]} for t in seed["thresholds"]],
    }
    r = api.post("/api/v1/criteria-sets", json=body)
    assert r.status_code == 201, r.text
    return code


def _round(target, ca) -> tuple[str, str]:
    """A round for three communes (API); the round id and Xã Hà Tây's evaluation id."""
    with _api(target, "ke_hoach") as api:
        units = api.get("/api/v1/org-units", params={"kind": "commune", "page_size": 500}).json()["items"]
        by_code = {u["code"]: u["id"] for u in units}
        stc = api.get("/api/v1/org-units", params={"q": "31.STC"}).json()["items"]
        issuer = next(u["id"] for u in stc if u["code"] == "31.STC")
        communes = ["10846"] + sorted(c for c in by_code if c != "10846")[:2]
        set_code = _fresh_criteria_set(api)
        body = {"number": "10/QĐ-UBND", "title": f"Giao bộ tiêu chí năm {YEAR}", "issued_on": f"{YEAR}-01-05",
                "issuer_unit_id": issuer, "signer": "Chủ tịch", "year": YEAR,
                "assignments": [{"assignee_unit_id": by_code[c], "criteria": {"criteria_set_id": set_code}} for c in communes]}
        deadline = time.monotonic() + 60
        while True:  # the assignment service learns the units from the catalog's events
            r = api.post("/api/v1/assignment-decisions", json=body)
            if r.status_code != 422 or time.monotonic() > deadline or "unit_id" not in r.text:
                break
            time.sleep(0.5)
        assert r.status_code == 201, r.text
        draft = r.json()
        pdf = sign_pdf(plain_pdf("QĐ 10"), ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
        doc = api.post("/api/v1/documents", files={"file": ("qd10.pdf", pdf, "application/pdf")}, data={
            "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
            "kind": "decision", "title": "QĐ 10"}).json()["id"]
        r = api.post(f"/api/v1/assignment-decisions/{draft['id']}/issue", json={"document_id": doc, "version": draft["version"]})
        assert r.status_code == 200, r.text
        r = api.post("/api/v1/evaluation-rounds", json={
            "criteria_set_id": set_code, "year": YEAR, "self_evaluation_deadline": f"{YEAR + 1}-01-15",
            "evaluation_deadline": f"{YEAR + 1}-01-31", "report_period_codes": [f"{YEAR}-Q1", f"{YEAR}-Q2"],
            "name": f"Đánh giá cấp xã năm {YEAR}"})
        assert r.status_code == 201, r.text
        rnd = r.json()["id"]
        items = api.get("/api/v1/evaluations", params={"round_id": rnd}).json()["items"]
    return rnd, next(e["id"] for e in items if e["org_unit_code"] == "10846")


def _open_sheet(page: Page, target, username: str, evaluation_id: str) -> None:
    pages.sign_in(page, target.base_url, username, "demo")
    page.goto(f"{target.base_url}/#/phieu-danh-gia/{evaluation_id}")
    expect(page.get_by_test_id("score-table")).to_be_visible(timeout=TIMEOUT)


def test_commune_self_evaluates_province_adjusts_and_finalizes(target, document_ca, browser_page):
    page = browser_page
    round_id, ha_tay = _round(target, document_ca)

    # -------------------------------------------------------------- the commune's office
    pages.sign_in(page, target.base_url, "tong_hop", "demo")
    page.get_by_test_id("nav-evaluation").click()
    page.get_by_test_id("round-link").filter(has_text=f"Đánh giá cấp xã năm {YEAR}").click()
    queue = page.get_by_test_id("review-queue")
    expect(queue.get_by_test_id("evaluation-link")).to_have_count(1, timeout=TIMEOUT)  # its own commune only
    queue.get_by_test_id("evaluation-link").click()
    expect(page.get_by_test_id("score-table")).to_be_visible(timeout=TIMEOUT)
    reports = page.get_by_test_id("suggestion").filter(has_text="báo cáo")
    reports.locator("summary").click()
    expect(reports).to_contain_text(f"Báo cáo kỳ {YEAR}-Q1: không gửi")
    page.get_by_test_id("self-score-TC.XA.02").fill("22")
    page.get_by_test_id("self-score-TC.XA.04").fill("9")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_role("alert")).to_contain_text("Phải nêu lý do khi thay đổi điểm tiêu chí TC.XA.02", timeout=TIMEOUT)
    page.get_by_test_id("self-comment-TC.XA.02").fill("Hoàn thành 9/10 nhiệm vụ, một nhiệm vụ được gia hạn")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("history")).to_contain_text("tiêu chí TC.XA.02", timeout=TIMEOUT)
    _shot(page, "1-self-evaluation")
    pages.settle(page)
    assert pages.axe_violations(page) == []
    page.get_by_test_id("step-check").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Chờ lãnh đạo đơn vị gửi", timeout=TIMEOUT)
    self_total = page.get_by_test_id("self-total").inner_text()
    pages.sign_out(page)

    # -------------------------------------------------------------- the commune's leader
    _open_sheet(page, target, "chu_tich", ha_tay)
    page.get_by_test_id("step-submit").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Đã gửi, chờ đánh giá", timeout=TIMEOUT)
    pages.sign_out(page)

    # -------------------------------------------------------------- the province
    _open_sheet(page, target, "ke_hoach", ha_tay)
    page.get_by_test_id("score-TC.XA.04").fill("7")
    page.get_by_test_id("comment-TC.XA.04").fill("Phối hợp với các sở còn chậm")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("history")).to_contain_text("tiêu chí TC.XA.04: 9 → 7", timeout=TIMEOUT)
    expect(page.get_by_test_id("self-total")).to_have_text(self_total)  # the self score stays
    _shot(page, "2-province-adjusts")
    pages.sign_out(page)

    _open_sheet(page, target, "lanh_dao", ha_tay)
    page.get_by_test_id("step-finalize").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Đã có kết quả", timeout=TIMEOUT)
    expect(page.get_by_test_id("level")).not_to_be_empty()
    level = page.get_by_test_id("level").inner_text()
    page.goto(f"{target.base_url}/#/danh-gia/{round_id}")
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("Xã Hà Tây", timeout=TIMEOUT)
    expect(ranking).to_contain_text(level)
    _shot(page, "3-ranking")
    pages.settle(page)
    assert pages.axe_violations(page) == []

    # -------------------------------------------------------------- published results
    page.get_by_test_id("publish-note").fill(f"Quyết định công bố kết quả năm {YEAR}")
    page.get_by_test_id("publish-results").click()
    editions = page.get_by_test_id("editions")
    expect(editions.get_by_test_id("edition-link")).to_have_text("Công bố lần 1", timeout=TIMEOUT)
    editions.get_by_test_id("edition-link").click()
    table = page.get_by_test_id("edition-table")
    expect(table).to_contain_text("Xã Hà Tây", timeout=TIMEOUT)
    expect(table).to_contain_text(level)
    expect(page.get_by_test_id("edition")).to_contain_text(f"Quyết định công bố kết quả năm {YEAR}")
    expect(page.get_by_test_id("edition-counts")).to_contain_text(f"{level}: 1")
    with page.expect_download() as download:
        page.get_by_test_id("download-edition").click()
    assert download.value.suggested_filename.endswith("-lan-1.xlsx")
    _shot(page, "4-published-results")
    pages.settle(page)
    assert pages.axe_violations(page) == []
