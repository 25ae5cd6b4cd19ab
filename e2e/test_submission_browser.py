"""Báo cáo kỳ in a real browser (Debian's Chromium driven by Playwright) on the all-in-one.

The economic office's data-entry officer of Xã Hà Tây opens the commune's report from "Báo cáo
kỳ", types two figures with the keyboard (Vietnamese decimals) and pastes a block of three
copied from Excel: saved as typed, read back through the API. The network is then cut in the
middle of the entry: two more figures are typed, the screen says "Mất kết nối" and "Đang chờ gửi
(2)", the page is reloaded without network and still shows them waiting; the network comes
back and both arrive, once each. The consolidating office changes a figure in its own browser
while the officer's page still shows the old one: the officer's next save on that figure shows
both values and the officer keeps theirs. axe-core finds no serious or critical violation.

Then the chain through the screens: the office hands over its section, the consolidating office
finds the report in "Chờ duyệt", returns one figure with a comment, the office corrects it and
hands over again, the consolidating office consolidates, the chairman approves and sends, the
province accepts, the history lists every step with who did it, and the province's board
("Tình hình gửi báo cáo") shows Hà Tây's report accepted.

Then the rest of the report beside the figures, on a report the service builds from a key task
assigned to Hà Tây (lead office: the economic office): the officer reports the task's progress
with the keyboard only, the consolidating office saves the same row meanwhile, the officer's
next save shows both states and the officer keeps theirs; another office reads the row only; the
officer attaches a PDF, downloads it and removes it. A figure's explanatory note typed in the
grid is stored with it.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from ktxh_testing.submission_form import (
    PKT,
    PVHXH,
    TTHCC,
    figure_keys,
    sample_value,
    seed_001_lines,
)
from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS
CALENDAR = "LICH.HP2081"
# periods no other test opens for Xã Hà Tây (one report per unit and period)
ENTRY_PERIOD = "2029-M07"
CHAIN_PERIOD = "2029-M08"
TASK_YEAR = 2036  # a year no other test assigns: the built form has only this test's key task
TASK = f"NV.HATAY.{TASK_YEAR}.01"
SHELL_CACHE = "ktxh-shell-v1"


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/submission-{name}.png", full_page=True)


def _api(target, username: str) -> httpx.Client:
    # Playwright's sync API runs an event loop in this thread: sign in from another thread.
    with ThreadPoolExecutor(1) as pool:
        token = pool.submit(asyncio.run, target.sign_in(username)).result()
    return httpx.Client(base_url=target.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _open_report(target, period: str) -> str:
    """The consolidating office opens the commune's report with seed 001's form."""
    with _api(target, "tong_hop") as api:
        body = {"org_unit_code": "10846", "period_code": period, "calendar_code": CALENDAR,
                "lines": seed_001_lines()}
        for _ in range(120):  # the service learns the units and calendars from the catalog's events
            r = api.post("/api/v1/submissions", json=body)
            if r.status_code in (200, 201):
                return r.json()["id"]
            time.sleep(0.5)
        raise AssertionError(r.text)


def _rows(target, sid: str) -> list[str]:
    """The rows of the data-entry grid in order, as the screen builds them: per line of the form,
    the actual figure keys the service lists in `context` (the line's total or its first
    dimension's members when it sends none); an estimate sits beside its actual figure."""
    with _api(target, "nhap_lieu") as api:
        sub = api.get(f"/api/v1/submissions/{sid}").json()
    context = [c["key"] for c in sub.get("context") or []]
    out = []
    for line in sub["lines"]:
        keys = [k for k in context if k["indicator_code"] == line["indicator_code"]]
        if keys:
            out += [_key(k) for k in keys if k["kind"] != "estimate"]
        else:
            out += [_key(k) for k in figure_keys(line)]
    return out


def _key(key: dict) -> str:
    return key["indicator_code"] + "".join(f"[{m['dimension_code']}={m['member_code']}]" for m in key["members"])


def _stored(target, username: str, sid: str) -> dict[str, str]:
    with _api(target, username) as api:
        r = api.get(f"/api/v1/submissions/{sid}")
        assert r.status_code == 200, r.text
        return {_key(f["key"]): f["value"] for f in r.json()["figures"]}


def _cell(page: Page, row: int, field: str = "value"):
    return page.get_by_test_id("entry-grid").locator(".tabulator-row").nth(row).locator(
        f'.tabulator-cell[tabulator-field="{field}"]')


def _type(page: Page, row: int, text: str) -> None:
    _cell(page, row).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def _saved(page: Page) -> None:
    expect(page.get_by_test_id("sync-status")).to_have_text("Đã lưu", timeout=TIMEOUT)
    expect(page.get_by_test_id("sync-pending")).to_have_count(0)


def _no_serious_a11y_violation(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    assert pages.axe_violations(page) == []


@pytest.fixture
def browser():
    with sync_playwright() as pw:
        b = pages.launch_chromium(pw)
        yield b
        b.close()


def _signed_in(browser, target, username: str) -> Page:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    pages.sign_in(page, target.base_url, username, "demo")
    return page


def test_keyboard_paste_offline_reload_and_a_conflict(allinone_target, browser):
    target = allinone_target
    sid = _open_report(target, ENTRY_PERIOD)
    keys = _rows(target, sid)

    page = _signed_in(browser, target, "nhap_lieu")
    page.get_by_test_id("nav-reports").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Báo cáo kỳ", timeout=TIMEOUT)
    page.locator(f'[data-testid="report-link"][href="#/bao-cao/{sid}"]').click()
    expect(page.get_by_test_id("page-title")).to_contain_text(re.compile(r"Báo cáo Tháng \d+/20\d\d – Xã Hà Tây"), timeout=TIMEOUT)
    expect(_cell(page, 0)).to_be_visible(timeout=TIMEOUT)
    # another office's rows are locked for this officer
    pvhxh_row = next(i for i, line_key in enumerate(keys) if line_key.startswith("HP2081.XIII.13"))
    expect(_cell(page, pvhxh_row)).to_have_class(re.compile("cell-locked"))

    # keyboard: a Vietnamese decimal, then the next row
    _type(page, 0, "1234,5")
    _type(page, 1, "12,5")
    # the explanatory note of a figure, typed in its row
    _cell(page, 1, "note").click()
    page.keyboard.type("Tăng do vụ đông mở rộng")
    page.keyboard.press("Enter")
    # a block of three copied from Excel
    _cell(page, 2).click()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(t) => navigator.clipboard.writeText(t)", "100\n200\n300")
    page.keyboard.press("Control+V")
    expect(_cell(page, 4)).to_have_text("300")
    _saved(page)
    stored = _stored(target, "nhap_lieu", sid)
    assert [stored.get(k) for k in keys[:5]] == ["1234.5", "12.5", "100", "200", "300"]
    with _api(target, "nhap_lieu") as api:
        notes = {_key(f["key"]): f["note"] for f in api.get(f"/api/v1/submissions/{sid}").json()["figures"]}
    assert notes[keys[1]] == "Tăng do vụ đông mở rộng"
    _shot(page, "entry-saved")

    # the offline shell is ready (service worker in control, the page and its code kept)
    page.wait_for_function(
        """async (name) => navigator.serviceWorker.controller !== null && (await (await caches.open(name)).keys())
             .some((r) => r.url.endsWith('/config.json'))""", arg=SHELL_CACHE, timeout=TIMEOUT)

    # the network goes down in the middle of the entry
    page.context.set_offline(True)
    _type(page, 5, "55")
    _type(page, 6, "66,25")
    expect(page.get_by_test_id("sync-status")).to_have_text("Mất kết nối", timeout=TIMEOUT)
    expect(page.get_by_test_id("sync-pending")).to_have_text("Đang chờ gửi (2)")
    page.reload()
    expect(_cell(page, 6)).to_have_text("66,25", timeout=TIMEOUT)
    expect(_cell(page, 5)).to_have_text("55")
    expect(page.get_by_test_id("sync-status")).to_have_text("Mất kết nối")
    expect(page.get_by_test_id("sync-pending")).to_have_text("Đang chờ gửi (2)")
    _shot(page, "entry-offline-reloaded")
    assert keys[5] not in _stored(target, "nhap_lieu", sid)
    page.context.set_offline(False)
    _saved(page)
    stored = _stored(target, "nhap_lieu", sid)
    assert (stored[keys[5]], stored[keys[6]]) == ("55", "66.25")
    with _api(target, "nhap_lieu") as api:
        changes = api.get(f"/api/v1/submissions/{sid}/history").json()["changes"]
    arrived = [_key(c["key"]) for c in changes if _key(c["key"]) in (keys[5], keys[6])]
    assert sorted(arrived) == sorted(keys[5:7])  # each figure once

    # two people on one figure: the consolidating office saves it in its own browser first
    other = _signed_in(browser, target, "tong_hop")
    other.goto(f"{target.base_url}/#/bao-cao/{sid}")
    expect(_cell(other, 0)).to_have_text("1.234,5", timeout=2 * TIMEOUT)  # a second browser loads the grid's code
    _type(other, 0, "777")
    _saved(other)
    _type(page, 0, "888")
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_have_count(1, timeout=TIMEOUT)
    expect(conflict.get_by_test_id("conflict-theirs")).to_have_text("777")
    expect(conflict.get_by_test_id("conflict-mine")).to_have_text("888")
    expect(conflict).to_contain_text("tong_hop")
    expect(page.get_by_test_id("sync-status")).to_have_text("Xung đột (1)")
    _shot(page, "entry-conflict")
    _no_serious_a11y_violation(page)
    page.get_by_test_id("conflict-keep-mine").click()
    _saved(page)
    assert _stored(target, "nhap_lieu", sid)[keys[0]] == "888"
    other.context.close()
    page.context.close()


def _fill_and_deliver(target, sid: str, office: str, username: str) -> None:
    """An office enters all its figures (seed 001's sample values) and hands them over, through the API."""
    with _api(target, username) as api:
        current = {_key(f["key"]): f["version"] for f in api.get(f"/api/v1/submissions/{sid}").json()["figures"]}
        entries = []
        for row, line in enumerate(seed_001_lines(), start=1):
            if line["office_code"] != office:
                continue
            for k in figure_keys(line):
                entries.append({"key": {**k, "kind": "actual"}, "value": sample_value(line, row),
                                "expected_version": current.get(_key(k), 0)})
        r = api.post(f"/api/v1/submissions/{sid}/figures", json={"figures": entries})
        assert r.status_code == 200, r.text
        r = api.post(f"/api/v1/submissions/{sid}/deliver", json={"office_code": office})
        assert r.status_code == 200, r.text


def _open_from_queue(page: Page, sid: str) -> None:
    page.get_by_test_id("nav-approvals").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Chờ duyệt", timeout=TIMEOUT)
    page.locator(f'[data-testid="report-link"][href="#/bao-cao/{sid}"]').click()
    expect(page.get_by_test_id("entry-status")).to_be_visible(timeout=TIMEOUT)


def test_the_chain_through_the_screens(allinone_target, browser):
    target = allinone_target
    sid = _open_report(target, CHAIN_PERIOD)
    for office, user in ((PVHXH, "nhap_lieu_vhxh"), (TTHCC, "nhap_lieu_hcc")):
        _fill_and_deliver(target, sid, office, user)
    with _api(target, "nhap_lieu") as api:  # the economic office's figures, entered, not handed over yet
        entries = [{"key": {**k, "kind": "actual"}, "value": sample_value(line, row)}
                   for row, line in enumerate(seed_001_lines(), start=1) if line["office_code"] == PKT
                   for k in figure_keys(line)]
        r = api.post(f"/api/v1/submissions/{sid}/figures", json={"figures": entries})
        assert r.status_code == 200, r.text

    # the economic office hands over its section on the screen
    page = _signed_in(browser, target, "nhap_lieu")
    page.goto(f"{target.base_url}/#/bao-cao/{sid}")
    page.get_by_test_id("action-deliver").click()
    expect(page.get_by_test_id(f"section-{PKT}")).to_contain_text("Đã chuyển Văn phòng", timeout=TIMEOUT)
    expect(page.get_by_test_id("action-deliver")).to_have_count(0)
    page.context.close()

    # the consolidating office finds it waiting, returns the BHYT figure with a comment
    page = _signed_in(browser, target, "tong_hop")
    _open_from_queue(page, sid)
    page.get_by_test_id("action-return_figure").click()
    page.get_by_test_id("return-figure-key").click()
    page.keyboard.type("bảo hiểm y tế")
    page.keyboard.press("Enter")
    page.get_by_test_id("action-text").fill("Số BHYT chưa khớp với BHXH; đề nghị đối chiếu")
    page.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id(f"section-{PVHXH}")).to_contain_text("Bị trả lại", timeout=TIMEOUT)

    # the office corrects it and hands over again (through the API: the screen is the same as above)
    with _api(target, "nhap_lieu_vhxh") as api:
        sub = api.get(f"/api/v1/submissions/{sid}").json()
        bhyt = next(f for f in sub["figures"] if f["key"]["indicator_code"] == "HP2081.XIII.16")
        assert bhyt["return_comment"] == "Số BHYT chưa khớp với BHXH; đề nghị đối chiếu"
        r = api.post(f"/api/v1/submissions/{sid}/figures", json={"figures": [
            {"key": bhyt["key"], "value": "91.5", "note": "Đã đối chiếu với BHXH", "expected_version": bhyt["version"]}]})
        assert r.status_code == 200, r.text
        assert api.post(f"/api/v1/submissions/{sid}/deliver", json={"office_code": PVHXH}).status_code == 200

    page.reload()
    expect(page.get_by_test_id(f"section-{PVHXH}")).to_contain_text("Đã chuyển Văn phòng", timeout=TIMEOUT)
    page.get_by_test_id("action-consolidate").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("Đã tổng hợp", timeout=TIMEOUT)
    page.context.close()

    # the chairman approves and sends
    page = _signed_in(browser, target, "chu_tich")
    _open_from_queue(page, sid)
    page.get_by_test_id("action-approve").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("Đã duyệt", timeout=TIMEOUT)
    page.get_by_test_id("action-send").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("Đã gửi cấp trên", timeout=TIMEOUT)
    page.context.close()

    # the province accepts; the history shows every step with who did it
    page = _signed_in(browser, target, "ke_hoach")
    _open_from_queue(page, sid)
    _no_serious_a11y_violation(page)
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("Đã tiếp nhận", timeout=TIMEOUT)
    expect(page.get_by_test_id("entry-timeliness")).not_to_be_empty()
    page.get_by_role("tab", name="Lịch sử").click()
    rows = page.get_by_test_id("history-steps").locator("tbody tr")

    def step(action: str):
        return rows.filter(has=page.get_by_role("cell", name=action, exact=True))

    expect(step("Tiếp nhận")).to_contain_text("ke_hoach", timeout=TIMEOUT)
    expect(step("Trả lại số liệu cho phòng")).to_contain_text("tong_hop")
    expect(step("Trả lại số liệu cho phòng")).to_contain_text("đề nghị đối chiếu")
    expect(step("Tổng hợp")).to_contain_text("tong_hop")
    expect(step("Duyệt")).to_contain_text("chu_tich")
    expect(step("Gửi cấp trên")).to_contain_text("chu_tich")
    expect(step("Chuyển phần số liệu")).to_have_count(4)  # three offices, one of them twice
    changes = page.get_by_test_id("history-changes").locator("tbody tr")
    expect(changes.filter(has_text="nhap_lieu_vhxh").filter(has_text="91,5").first).to_be_visible()
    _shot(page, "history")
    _no_serious_a11y_violation(page)

    # the province's board for the period: Hà Tây's report accepted
    page.get_by_test_id("nav-board").click()
    expect(page.get_by_test_id("board-unit")).to_have_value("31", timeout=TIMEOUT)
    pages.choose(page, "board-year", "2029")
    page.get_by_test_id("board-period").click()
    page.keyboard.type("Tháng 8/2029")
    page.keyboard.press("Enter")
    page.get_by_test_id("board-show").click()
    hatay = page.get_by_test_id("board-table").locator("tbody tr").filter(has_text="(10846)")
    expect(hatay).to_contain_text("Đã tiếp nhận", timeout=TIMEOUT)
    expect(page.get_by_test_id("board-counts")).to_contain_text("đã gửi")
    _shot(page, "board")
    _no_serious_a11y_violation(page)
    page.context.close()


def _assign_key_task(target, ca) -> str:
    """The province gives Hà Tây a key task led by its economic office; the consolidating
    office opens the report, built by the service (so with the task's progress row)."""
    with _api(target, "ke_hoach") as api:
        units = {u["code"]: u["id"] for u in api.get("/api/v1/org-units", params={"page_size": 500}).json()["items"]}
        r = api.post("/api/v1/key-tasks", json={
            "code": TASK, "title": "Hoàn thiện hạ tầng chợ xã", "year": TASK_YEAR, "deadline": f"{TASK_YEAR}-12-31",
            "lead_office": "PKT", "coordinating_offices": ["VP"]})
        assert r.status_code == 201, r.text
        body = {"number": f"9/{TASK_YEAR}/QĐ-UBND", "title": "Giao nhiệm vụ trọng tâm", "issued_on": f"{TASK_YEAR}-01-05",
                "issuer_unit_id": units["31.STC"], "year": TASK_YEAR,
                "assignments": [{"assignee_unit_id": units["10846"], "task": {"key_task_id": TASK, "deadline": f"{TASK_YEAR}-11-30"}}]}
        for _ in range(120):
            r = api.post("/api/v1/assignment-decisions", json=body)
            if r.status_code != 422:  # the services learn units and key tasks from the catalog's events
                break
            time.sleep(0.5)
        assert r.status_code == 201, r.text
        draft = r.json()
        pdf = sign_pdf(plain_pdf("QĐ 9"), ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
        r = api.post("/api/v1/documents", files={"file": ("qd.pdf", pdf, "application/pdf")}, data={
            "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
            "kind": "decision", "title": "QĐ 9"})
        assert r.status_code == 201, r.text
        r = api.post(f"/api/v1/assignment-decisions/{draft['id']}/issue", json={"document_id": r.json()["id"], "version": draft["version"]})
        assert r.status_code == 200, r.text
    with _api(target, "tong_hop") as api:
        for _ in range(120):  # the submission service asks the assignment service: no lag, but be patient with a fresh stack
            r = api.post("/api/v1/submissions", json={"org_unit_code": "10846", "period_code": f"{TASK_YEAR}-M10"})
            if r.status_code in (200, 201) and any(t["key_task_code"] == TASK for t in r.json()["task_progress"]):
                return r.json()["id"]
            time.sleep(0.5)
        raise AssertionError(r.text)


def _task_row(target, username: str, sid: str) -> dict:
    with _api(target, username) as api:
        return next(t for t in api.get(f"/api/v1/submissions/{sid}").json()["task_progress"] if t["key_task_code"] == TASK)


def test_key_task_progress_and_attachments(allinone_target, document_ca, browser):
    target = allinone_target
    sid = _assign_key_task(target, document_ca)
    assert _task_row(target, "nhap_lieu", sid)["office_code"] == PKT

    page = _signed_in(browser, target, "nhap_lieu")
    page.goto(f"{target.base_url}/#/bao-cao/{sid}")
    task = page.locator(f'[data-testid="task"][data-task="{TASK}"]')
    expect(task).to_contain_text("Hoàn thiện hạ tầng chợ xã", timeout=TIMEOUT)
    expect(task).to_contain_text("Phòng Kinh tế")

    # keyboard only: status by typing its name, then Tab through the fields and save
    task.get_by_label("Tình trạng").focus()
    page.keyboard.type("Đang thực")
    expect(page.locator('.ant-select-item-option-active[title="Đang thực hiện"]')).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(pages.selected_label(task, "task-status")).to_have_text("Đang thực hiện")
    fields = {"Tỷ lệ hoàn thành (%)": "40", "Kết quả đạt được": "Đã san nền, đổ móng",
              "Khó khăn, vướng mắc": "Thiếu vốn đối ứng", "Đề xuất, kiến nghị": "Đề nghị tỉnh bổ sung vốn"}
    for label, text in fields.items():
        page.keyboard.press("Tab")
        expect(task.get_by_label(label)).to_be_focused()
        page.keyboard.type(text)
    for label, text in fields.items():
        expect(task.get_by_label(label)).to_have_value(text)
    expect(task.get_by_test_id("task-unsaved")).to_be_visible()
    page.keyboard.press("Tab")
    expect(task.get_by_test_id("task-save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(task.get_by_test_id("task-unsaved")).to_have_count(0, timeout=TIMEOUT)
    row = _task_row(target, "nhap_lieu", sid)
    assert (row["status"], row["percent_done"], row["results"], row["difficulties"], row["proposals"], row["version"], row["updated_by"]) == (
        "in_progress", 40, "Đã san nền, đổ móng", "Thiếu vốn đối ứng", "Đề nghị tỉnh bổ sung vốn", 1, "nhap_lieu")

    # the consolidating office saves the row meanwhile; the officer's next save shows both
    with _api(target, "tong_hop") as api:
        r = api.post(f"/api/v1/submissions/{sid}/task-progress", json={"tasks": [{
            "key_task_code": TASK, "status": "in_progress", "percent_done": 60, "results": "Đã xây xong khung",
            "expected_version": 1}]})
        assert r.status_code == 200, r.text
    percent = task.get_by_label("Tỷ lệ hoàn thành (%)")
    percent.fill("55")
    task.get_by_test_id("task-save").click()
    conflict = task.get_by_test_id("task-conflict")
    expect(conflict.get_by_test_id("task-conflict-theirs")).to_have_text("Đang thực hiện, 60%", timeout=TIMEOUT)
    expect(conflict.get_by_test_id("task-conflict-mine")).to_have_text("Đang thực hiện, 55%")
    expect(conflict).to_contain_text("tong_hop")
    _shot(page, "task-conflict")
    conflict.get_by_test_id("task-keep-mine").click()
    expect(task.get_by_test_id("task-conflict")).to_have_count(0, timeout=TIMEOUT)
    row = _task_row(target, "nhap_lieu", sid)
    assert (row["percent_done"], row["results"], row["version"]) == (55, "Đã san nền, đổ móng", 3)

    # a PDF attached, listed, downloaded, removed
    page.get_by_test_id("attachments").locator("input[type=file]").set_input_files(
        {"name": "bien-ban-nghiem-thu.pdf", "mimeType": "application/pdf", "buffer": plain_pdf("Biên bản nghiệm thu")})
    link = page.get_by_test_id("attachment-download")
    expect(link).to_have_text("bien-ban-nghiem-thu.pdf", timeout=TIMEOUT)
    expect(page.get_by_test_id("attachment-list")).to_contain_text("nhap_lieu")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "bien-ban-nghiem-thu.pdf"
    with _api(target, "tong_hop") as api:  # the consolidating office sees it on the report
        assert [a["file_name"] for a in api.get(f"/api/v1/submissions/{sid}").json()["attachments"]] == ["bien-ban-nghiem-thu.pdf"]
    page.mouse.move(0, 0)  # the download link just clicked is drawn in its hover colour: check the page at rest
    _shot(page, "tasks-attachments")
    _no_serious_a11y_violation(page)
    page.get_by_test_id("attachment-remove").click()
    page.get_by_test_id("attachment-remove-confirm").click()
    expect(page.get_by_test_id("attachment-list")).to_contain_text("Chưa có tệp đính kèm", timeout=TIMEOUT)
    page.context.close()

    # another office reads the row, never edits it
    page = _signed_in(browser, target, "nhap_lieu_vhxh")
    page.goto(f"{target.base_url}/#/bao-cao/{sid}")
    task = page.locator(f'[data-testid="task"][data-task="{TASK}"]')
    expect(task.get_by_test_id("task-readonly")).to_be_visible(timeout=TIMEOUT)
    expect(task.get_by_label("Tỷ lệ hoàn thành (%)")).to_have_value("55")
    expect(task.get_by_test_id("task-save")).to_have_count(0)
    page.context.close()
