"""Giao – nhận in a real browser (Debian's Chromium driven by Playwright), on the distributed stack
(`test_assignments_api.py` tries the same chain in both modes).

The province's planning officer builds a decision for three communes on the units × indicators
grid by pasting a block from Excel (the unreadable cells are marked and fixed first), opens the
households targets to the city's Front, tries to issue it without a signed PDF and reads the
refusal, attaches a PDF signed by the test CA (the signer and "valid" are shown) and issues it.
On such a decision (issued through the API, so that each test stays short) Xã Hà Tây's leader sees only Hà Tây's targets,
acknowledges one with a note, opens its history, and passes the targets on to its four offices
(the shortfall of the households target is highlighted); another commune's target is not
reachable from Hà Tây. The city's Front committee sees the targets opened to it, read-only. axe-core finds no serious or critical violation on any of these screens.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages

SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS
HOUSEHOLDS = "HP2081.XIII.10"  # hộ kinh doanh đăng ký mới (hộ)
POVERTY = "HP2081.XIII.11"  # tỷ lệ hộ nghèo (%)
# Each test gives targets for a year no other test uses: an issued target stays in force, and a
# second original decision for the same unit, figure and year is refused (it must adjust it).
# Signed early in 2026, so that it is in force today (the cascade compares with it).
YEAR = 2028


@pytest.fixture
def target(distributed_target):
    """The screens are the same in both modes and `test_assignments_api.py` runs the chain on
    both backends: the browser runs once, on the distributed stack (PostgreSQL, the broker, the
    independent OIDC provider's sign-in page)."""
    return distributed_target


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/assignment-{name}.png", full_page=True)


def _api(target, username: str) -> httpx.Client:
    # Playwright's sync API runs an event loop in this thread: sign in from another thread.
    with ThreadPoolExecutor(1) as pool:
        token = pool.submit(asyncio.run, target.sign_in(username)).result()
    return httpx.Client(base_url=target.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _no_serious_a11y_violation(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    assert pages.axe_violations(page) == []


def _paste(page: Page, text: str) -> None:
    """Ctrl+V of a block copied from a spreadsheet (tab-separated, one line per row)."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")


def _cell(page: Page, row: int, field: str):
    return page.get_by_test_id("targets-grid").locator(".tabulator-row").nth(row).locator(
        f'.tabulator-cell[tabulator-field="{field}"]')


def _type_into(page: Page, row: int, field: str, text: str) -> None:
    cell = _cell(page, row, field)
    cell.dblclick()
    editor = cell.locator("input")
    editor.fill(text)
    editor.press("Enter")
    expect(cell).to_have_text(text)


def _pick_unit(page: Page, name: str, code: str) -> None:
    """Tick a unit in the "Đơn vị nhận" tree (searching it by name, as a user does)."""
    box = page.get_by_test_id("targets-units")
    box.click()
    page.keyboard.type(name)
    node = page.locator(".ant-select-tree-treenode:visible").filter(has_text=f"{name} ({code})")
    expect(node.first).to_be_visible(timeout=TIMEOUT)
    pages.settle(page)
    node.first.locator(".ant-select-tree-checkbox").click()
    page.keyboard.press("Escape")
    expect(box).to_contain_text(name)


def _add_indicator(page: Page, code: str, name: str) -> None:
    """Find an indicator by its code in "Thêm một chỉ tiêu" and take the first match (Enter)."""
    page.get_by_test_id("targets-indicator").click()
    page.keyboard.type(code)
    option = page.locator(".ant-select-item-option-active:visible")
    expect(option).to_contain_text(code, timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("targets-grid").locator(".tabulator-col-title").filter(has_text=name)).to_have_count(1, timeout=TIMEOUT)
    page.keyboard.press("Escape")


def _communes(target) -> list[dict]:
    """Xã Hà Tây, Phường Thuỷ Nguyên (the demo communes) and one more commune of the province."""
    with _api(target, "ke_hoach") as api:
        units = []
        token = ""
        while True:
            r = api.get("/api/v1/org-units", params={"kind": "commune", "page_size": 500, "page_token": token})
            assert r.status_code == 200, r.text
            units += r.json()["items"]
            token = r.json()["next_page_token"]
            if not token:
                break
    by_code = {u["code"]: u for u in units}
    third = next(u for u in units if u["code"] not in ("10846", "11560"))
    return [by_code["10846"], by_code["11560"], third]


def test_province_pastes_a_block_signs_and_issues_a_decision(target, document_ca, browser_page):
    page = browser_page
    hatay, thuy_nguyen, third = _communes(target)
    number = f"{uuid.uuid4().hex[:4].upper()}/QĐ-UBND"

    # ------------------------------------------------------------------ the province drafts
    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    page.get_by_test_id("nav-decisions").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Quyết định giao", timeout=TIMEOUT)
    _no_serious_a11y_violation(page)
    page.get_by_test_id("decision-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Soạn quyết định giao", timeout=TIMEOUT)
    page.get_by_test_id("decision-number").fill(number)
    page.get_by_test_id("decision-title").fill("Về việc giao chỉ tiêu kinh tế – xã hội năm 2027")
    page.get_by_test_id("decision-signer").fill("Chủ tịch Trần Văn Tâm")
    page.get_by_test_id("decision-legal-basis").fill("Nghị quyết số 15/NQ-HĐND ngày 10/12/2025 của HĐND thành phố")
    pages.fill_date(page, "decision-issued-on", "05/01/2027")
    pages.choose(page, "decision-year", "2027")

    for unit in (hatay, thuy_nguyen, third):
        _pick_unit(page, unit["name"], unit["code"])
    _add_indicator(page, HOUSEHOLDS, "hộ kinh doanh đăng ký mới")
    _add_indicator(page, POVERTY, "Tỷ lệ hộ nghèo")
    grid = page.get_by_test_id("targets-grid")
    expect(grid.locator(".tabulator-row")).to_have_count(3, timeout=TIMEOUT)
    expect(_cell(page, 0, "unit_name")).to_have_text(hatay["name"])
    _no_serious_a11y_violation(page)

    # a 3 × 2 block from Excel: Vietnamese decimals, a range, one unreadable and one ambiguous cell
    _cell(page, 0, "c0").click()
    _paste(page, "120\t2,5\n80\tkhông rõ\n1.234\t3 – 4\n")
    expect(_cell(page, 0, "c0")).to_have_text("120")
    expect(_cell(page, 0, "c1")).to_have_text("2,5")
    expect(_cell(page, 2, "c1")).to_have_text("3 – 4")
    bad = _cell(page, 1, "c1")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_have_attribute("title", "“không rõ” không phải là số.")
    expect(_cell(page, 2, "c0")).to_have_attribute("title", re.compile("không rõ nghĩa"))
    problems = page.get_by_test_id("targets-problems")
    expect(problems.locator("li")).to_have_count(2)
    expect(page.get_by_test_id("decision-save")).to_be_disabled()
    _shot(page, "paste-errors")

    _type_into(page, 1, "c1", "1,8")
    _type_into(page, 2, "c0", "1234")
    expect(page.get_by_test_id("targets-problems")).to_have_count(0)
    # the city's Front committee (proposed) oversees the households targets of every commune
    expect(pages.selected_label(page, "front-unit")).to_have_text("Ủy ban MTTQ Việt Nam thành phố")
    page.get_by_test_id("front-keys").click()
    option = page.locator(".ant-select-item-option:visible").filter(has_text="hộ kinh doanh")
    expect(option).to_be_visible(timeout=TIMEOUT)
    pages.settle(page)
    option.click()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("front-keys")).to_contain_text("hộ kinh doanh")

    page.get_by_test_id("decision-save").click()
    saved = page.get_by_test_id("page-title").filter(has_text=f"Quyết định {number}")
    error = page.get_by_test_id("decision-save-error")
    expect(saved.or_(error)).to_be_visible(timeout=TIMEOUT)
    assert error.count() == 0, error.inner_text()
    expect(saved).to_be_visible()
    expect(page.get_by_test_id("decision-status")).to_have_text("Dự thảo")
    decision_id = page.url.rsplit("/", 1)[-1]
    with _api(target, "ke_hoach") as api:
        stored = api.get(f"/api/v1/assignment-decisions/{decision_id}").json()
    cells = sorted((a["assignee_unit_id"], a["target"]["key"]["indicator_code"], a["target"]["target_value"],
                    a["target"]["target_value_max"]) for a in stored["assignments"])
    opened = {(a["assignee_unit_id"], a["target"]["key"]["indicator_code"]) for a in stored["assignments"] if a["front_unit_ids"]}
    assert opened == {(u["id"], HOUSEHOLDS) for u in (hatay, thuy_nguyen, third)}
    assert cells == sorted([
        (hatay["id"], HOUSEHOLDS, "120", ""), (hatay["id"], POVERTY, "2.5", ""),
        (thuy_nguyen["id"], HOUSEHOLDS, "80", ""), (thuy_nguyen["id"], POVERTY, "1.8", ""),
        (third["id"], HOUSEHOLDS, "1234", ""), (third["id"], POVERTY, "3", "4"),
    ])

    # ------------------------------------------------------------------ issue: refused unsigned, then signed
    page.get_by_test_id("decision-issue").click()
    refusal = page.get_by_test_id("decision-issue-error")
    expect(refusal).to_be_visible(timeout=TIMEOUT)
    expect(refusal).to_contain_text(re.compile("ký số|chữ ký|văn bản", re.IGNORECASE))
    expect(page.get_by_test_id("decision-status")).to_have_text("Dự thảo")
    _shot(page, "issue-refused")

    signed = sign_pdf(plain_pdf(f"Quyet dinh {number}"), document_ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
    page.get_by_test_id("decision-pdf").set_input_files(
        files=[{"name": "quyet-dinh-giao-2027.pdf", "mimeType": "application/pdf", "buffer": signed}])
    expect(page.get_by_test_id("signature-status-tag")).to_have_text("Chữ ký số hợp lệ", timeout=TIMEOUT)
    expect(page.get_by_test_id("signature-signer")).to_contain_text("Trần Văn Tâm")
    page.get_by_test_id("decision-issue").click()
    issued = page.get_by_test_id("decision-status").filter(has_text="Đã ban hành")
    expect(issued.or_(refusal)).to_be_visible(timeout=TIMEOUT)  # the earlier refusal is gone on click
    assert refusal.count() == 0, refusal.inner_text()
    expect(issued).to_be_visible()
    # an issued decision is read-only; it can only be adjusted by a new decision
    expect(page.get_by_test_id("decision-save")).to_have_count(0)
    expect(page.get_by_test_id("decision-number")).to_be_disabled()
    expect(page.get_by_test_id("decision-adjust")).to_be_visible()
    _shot(page, "issued")
    _no_serious_a11y_violation(page)



def _issued_decision(target, document_ca, communes: list[dict]) -> tuple[str, str, dict]:
    """A decision issued through the API as the browser test above issues it: households and
    poverty-rate targets for three communes, the households opened to the city's Front."""
    number = f"{uuid.uuid4().hex[:4].upper()}/QĐ-UBND"
    with _api(target, "ke_hoach") as api:
        units = api.get("/api/v1/org-units", params={"q": "31.MTTQ", "page_size": 20}).json()["items"]
        front = next(u for u in units if u["code"] == "31.MTTQ")
        province = api.get("/api/v1/org-units", params={"q": "31", "kind": "province", "page_size": 20}).json()["items"][0]

        def target_of(unit: dict, code: str, value: str) -> dict:
            return {"kind": "indicator_target", "assignee_unit_id": unit["id"], "role": "lead",
                    "front_unit_ids": [front["id"]] if code == HOUSEHOLDS else [],
                    "target": {"key": {"indicator_code": code, "members": [], "kind": "target"},
                               "period": {"kind": "year", "year": YEAR}, "target_value": value, "comparison": "at_least"}}

        values = [("120", "2.5"), ("80", "1.8"), ("1234", "3")]
        r = api.post("/api/v1/assignment-decisions", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
            "number": number, "title": f"Về việc giao chỉ tiêu kinh tế – xã hội năm {YEAR}", "issued_on": "2026-01-05",
            "issuer_unit_id": province["id"], "signer": "Chủ tịch Trần Văn Tâm", "year": YEAR,
            "assignments": [t for unit, (h, p) in zip(communes, values)
                            for t in (target_of(unit, HOUSEHOLDS, h), target_of(unit, POVERTY, p))],
        })
        assert r.status_code == 201, r.text
        decision = r.json()
        signed = sign_pdf(plain_pdf(f"Quyet dinh {number}"), document_ca.issue("Trần Văn Tâm"))
        r = api.post("/api/v1/documents", files={"file": ("qd.pdf", signed, "application/pdf")}, data={
            "owner_type": "assignment_decision", "owner_id": decision["id"], "owner_org_unit_code": "31", "kind": "decision"})
        assert r.status_code == 201, r.text
        r = api.post(f"/api/v1/assignment-decisions/{decision['id']}/issue",
                     json={"document_id": r.json()["id"], "version": decision["version"]})
        assert r.status_code == 200, r.text
        other = next(a for a in r.json()["assignments"] if a["assignee_unit_id"] == communes[1]["id"])
    return decision["id"], number, other


def test_ha_tay_acknowledges_and_cascades_and_the_front_oversees(target, document_ca, browser_page):
    page = browser_page
    hatay, thuy_nguyen, third = _communes(target)
    decision_id, number, other = _issued_decision(target, document_ca, [hatay, thuy_nguyen, third])

    # ------------------------------------------------------------------ Xã Hà Tây receives
    pages.sign_in(page, target.base_url, "chu_tich", "demo")
    page.get_by_test_id("nav-received").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Được giao", timeout=TIMEOUT)
    pages.choose(page, "received-year", str(YEAR))
    group = page.get_by_test_id("received-group").filter(has_text=number)
    expect(group).to_be_visible(timeout=TIMEOUT)
    rows = group.get_by_test_id("received-row")
    expect(rows).to_have_count(2)  # Hà Tây's two targets, nothing of the other communes
    assert sorted(group.get_by_test_id("received-value").all_inner_texts()) == ["120 hộ", "2,5 %"]
    expect(group).not_to_contain_text("Phường Thuỷ Nguyên")
    expect(rows.get_by_test_id("assignment-status")).to_have_text(["Chưa nhận", "Chưa nhận"])
    _no_serious_a11y_violation(page)

    rows.first.get_by_test_id("received-ack").click()
    page.get_by_test_id("ack-note").fill("Xã Hà Tây đã nhận, triển khai ngay.")
    _no_serious_a11y_violation(page)
    page.get_by_test_id("ack-confirm").click()
    expect(rows.first.get_by_test_id("assignment-status")).to_have_text("Đã nhận", timeout=TIMEOUT)
    expect(rows.first).to_contain_text("chu_tich")
    _shot(page, "received")

    rows.first.get_by_test_id("received-link").click()
    expect(page.get_by_test_id("received-item-ack")).to_contain_text("Xã Hà Tây đã nhận", timeout=TIMEOUT)
    history = page.get_by_test_id("history-entry")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(f"Quyết định {number}")
    expect(history.first).to_contain_text("05/01/2026")
    _shot(page, "history")
    _no_serious_a11y_violation(page)

    # ------------------------------------------------------------------ Hà Tây passes them on to its offices
    page.get_by_test_id("nav-received").click()
    pages.choose(page, "received-year", str(YEAR))
    group = page.get_by_test_id("received-group").filter(has_text=number)
    expect(group).to_be_visible(timeout=TIMEOUT)
    group.get_by_test_id("received-cascade").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Soạn quyết định giao", timeout=TIMEOUT)
    expect(pages.selected_label(page, "decision-issuer")).to_have_text(hatay["name"])
    grid = page.get_by_test_id("targets-grid")
    expect(grid.locator(".tabulator-row")).to_have_count(4, timeout=TIMEOUT)  # the commune's four offices
    expect(grid.locator(".tabulator-col-title")).to_have_text(["STT", "Đơn vị nhận", re.compile("hộ kinh doanh"), re.compile("Tỷ lệ hộ nghèo")])
    page.get_by_test_id("decision-number").fill(f"{number}-HT")
    _cell(page, 0, "c0").click()
    _paste(page, "30\t2\n30\t2,5\n20\t2\n10\t2,2\n")  # 90 households of 120: short by 30
    page.get_by_test_id("decision-save").click()
    cascade = page.get_by_test_id("cascade-row").filter(has_text="hộ kinh doanh")
    expect(cascade).to_be_visible(timeout=TIMEOUT)
    expect(cascade).to_have_class(re.compile(r"\bcascade-row-warning\b"))
    expect(cascade.get_by_test_id("cascade-warning")).not_to_have_text("Đủ")
    expect(page.get_by_test_id("cascade-warning-summary")).to_contain_text("chưa đủ")
    _shot(page, "cascade")
    _no_serious_a11y_violation(page)

    # another commune's target is not reachable from Hà Tây, even by its address
    page.goto(f"{target.base_url}/#/duoc-giao/{other['id']}")
    expect(page.get_by_test_id("received-item-error")).to_contain_text("Không tìm thấy", timeout=TIMEOUT)

    # ------------------------------------------------------------------ the Front oversees, read-only
    pages.sign_out(page)
    pages.sign_in(page, target.base_url, "mttq", "demo")
    expect(page.get_by_test_id("nav-decisions")).to_have_count(0)
    page.get_by_test_id("nav-received").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Giao – nhận được mở cho Mặt trận giám sát", timeout=TIMEOUT)
    pages.choose(page, "received-year", str(YEAR))
    group = page.get_by_test_id("received-group").filter(has_text=number)
    expect(group).to_be_visible(timeout=TIMEOUT)
    # the three households targets opened to the Front; the poverty rates were not
    expect(group.get_by_test_id("received-row")).to_have_count(3)
    expect(group.get_by_test_id("received-row")).to_contain_text(["hộ kinh doanh"] * 3)
    expect(page.get_by_test_id("received-ack")).to_have_count(0)
    expect(page.get_by_test_id("received-cascade")).to_have_count(0)
    _shot(page, "front")
    _no_serious_a11y_violation(page)

    # nor through the API
    with _api(target, "chu_tich") as api:
        r = api.get("/api/v1/assignments", params={"decision_id": decision_id})
        assert r.status_code == 200, r.text
        assert {a["assignee_unit_id"] for a in r.json()["items"]} == {hatay["id"]}
