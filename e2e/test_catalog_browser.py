"""A planning officer in a real browser (Debian's Chromium driven by Playwright) on the catalog
screens, against the distributed stack: searches an indicator without diacritics, opens it and reads its
history; changes an indicator's aggregation from next month and sees both versions; imports an
indicator set from an XLSX file through the dry-run screen (every row error listed, "Nhập"
enabled only once the file is clean); exports a set. A data-entry clerk sees no edit control.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import pages

POVERTY = "HP2081.XIII.11"
POVERTY_NAME = "Tỷ lệ hộ nghèo theo chuẩn đa chiều"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOTS = os.environ.get("KTXH_SCREENSHOT_DIR")
TIMEOUT = pages.TIMEOUT_MS


@pytest.fixture
def target(distributed_target):
    """The screens are the same in both modes and `test_catalog_api.py` tries every catalog
    behaviour on both backends: the browser runs once, on the distributed stack (PostgreSQL,
    the independent OIDC provider's sign-in page)."""
    return distributed_target


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/catalog-{name}.png", full_page=True)


def _token(target, username: str) -> str:
    # Playwright's sync API runs an event loop in this thread: sign in from another thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, target.sign_in(username)).result()


def _api(target, username: str = "ke_hoach") -> httpx.Client:
    return httpx.Client(base_url=target.base_url, timeout=60,
                        headers={"Authorization": f"Bearer {_token(target, username)}"})


def _today() -> date:
    return datetime.now(timezone(timedelta(hours=7))).date()


def _vn(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _go(page: Page, nav: str) -> None:
    """Click an entry of the left navigation ("Chỉ số", "Bộ chỉ số"...)."""
    page.get_by_test_id("side-nav").get_by_role("link", name=nav, exact=True).click()
    expect(page.get_by_test_id("catalog-title")).to_have_text(nav, timeout=TIMEOUT)


def _search(page: Page, text: str) -> None:
    page.get_by_test_id("catalog-search").fill(text)


def _no_serious_a11y_violation(page: Page) -> None:
    """axe-core injected into the page: no serious or critical violation on this screen."""
    page.wait_for_load_state("networkidle")
    assert pages.axe_violations(page) == []


# ------------------------------------------------------------------------------ browse


def test_officer_searches_without_diacritics_and_reads_the_history(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Chỉ số")
    expect(page.get_by_test_id("catalog-add")).to_be_visible()
    _search(page, "ho ngheo")
    row = page.get_by_test_id(f"catalog-row-{POVERTY}")
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("catalog-summary")).to_contain_text("Tìm thấy")
    # the match is highlighted in the Vietnamese name
    expect(row.locator("mark").first).to_have_text(re.compile("hộ nghèo", re.IGNORECASE))
    _shot(page, "search")
    _no_serious_a11y_violation(page)

    page.get_by_test_id(f"catalog-link-{POVERTY}").click()
    expect(page.get_by_test_id("item-title")).to_have_text(POVERTY_NAME, timeout=TIMEOUT)
    expect(page.get_by_test_id("value-spatial_aggregation")).to_have_text("Tỷ lệ của tổng (tử số / mẫu số)")
    expect(page.get_by_test_id("value-numerator_code")).to_contain_text("HP2081.TP.HO_NGHEO")
    expect(page.get_by_test_id("value-polarity")).to_have_text("Thấp hơn là tốt")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Lịch sử thay đổi")
    expect(history.get_by_test_id("history-item-1")).to_contain_text("Phiên bản 1")
    expect(history.get_by_test_id("history-range-1")).to_contain_text("Hiệu lực từ 03/06/2026")
    expect(page.get_by_test_id("indicator-sets-of")).to_contain_text("HP2081")
    _shot(page, "detail")
    _no_serious_a11y_violation(page)

    # back to the list keeps the search
    page.go_back()
    expect(page.get_by_test_id("catalog-search")).to_have_value("ho ngheo")
    expect(page.get_by_test_id(f"catalog-row-{POVERTY}")).to_be_visible()


def test_officer_changes_the_aggregation_from_next_month_and_sees_both_versions(target, browser_page):
    page = browser_page
    today = _today()
    nxt = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    code = f"E2E.UI.{uuid.uuid4().hex[:6].upper()}"
    with _api(target) as api:
        r = api.post("/api/v1/indicators", json={
            "code": code, "name": "Số hộ được hỗ trợ sinh kế", "unit_of_measure": "hộ",
            "value_type": "integer", "frequencies": ["half_year", "year"], "spatial_aggregation": "sum",
            "time_aggregation": "flow", "polarity": "higher_is_better", "group_code": "XIII",
            "valid_from": today.isoformat(),
        })
        assert r.status_code == 201, r.text

    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Chỉ số")
    _search(page, "ho tro sinh ke")
    page.get_by_test_id(f"catalog-link-{code}").click()
    expect(page.get_by_test_id("value-spatial_aggregation")).to_have_text("Tổng", timeout=TIMEOUT)

    page.get_by_test_id("edit-button").click()
    form = page.get_by_test_id("catalog-form")
    expect(form).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("form-code")).to_have_js_property("readOnly", True)
    pages.choose(page, "form-spatial_aggregation", "Lớn nhất")
    pages.choose(page, "form-time_aggregation", "Số cuối kỳ")
    pages.fill_date(page, "form-effective-from", nxt)
    page.get_by_test_id("form-reason").fill("Theo hướng dẫn mới: lấy số lớn nhất")
    _shot(page, "edit")
    _no_serious_a11y_violation(page)
    page.get_by_test_id("form-submit").click()

    # back on the detail: today the old rule is still in force, the history shows both versions
    expect(page.get_by_test_id("item-title")).to_have_text("Số hộ được hỗ trợ sinh kế", timeout=TIMEOUT)
    expect(page.get_by_test_id("toast")).to_contain_text(f"có hiệu lực từ {_vn(nxt)}")
    expect(page.get_by_test_id("value-spatial_aggregation")).to_have_text("Tổng")
    expect(page.get_by_test_id("history-range-1")).to_have_text(
        f"Hiệu lực từ {_vn(today)} đến {_vn(nxt - timedelta(days=1))}")
    expect(page.get_by_test_id("history-range-2")).to_have_text(f"Hiệu lực từ {_vn(nxt)}")
    expect(page.get_by_test_id("history-item-2")).to_contain_text("Sắp có hiệu lực")
    change = page.get_by_test_id("history-change-2-spatial_aggregation")
    expect(change).to_contain_text("Tổng hợp theo đơn vị")
    expect(change).to_contain_text("Lớn nhất")
    expect(page.get_by_test_id("history-item-2")).to_contain_text("Theo hướng dẫn mới")
    _shot(page, "history")

    # each version can be opened
    page.get_by_test_id("history-view-2").click()
    expect(page.get_by_test_id("as-of-banner")).to_contain_text(_vn(nxt), timeout=TIMEOUT)
    expect(page.get_by_test_id("value-spatial_aggregation")).to_have_text("Lớn nhất")
    expect(page.get_by_test_id("value-time_aggregation")).to_have_text("Số cuối kỳ")
    page.get_by_test_id("history-view-1").click()
    expect(page.get_by_test_id("value-spatial_aggregation")).to_have_text("Tổng", timeout=TIMEOUT)


def test_officer_creates_with_the_form_fixes_the_refused_field_and_retires(target, browser_page):
    page = browser_page
    code = f"E2E.UI.TL.{uuid.uuid4().hex[:6].upper()}"
    name = "Tỷ lệ hộ nghèo được hỗ trợ nhà ở"
    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Chỉ số")
    page.get_by_test_id("catalog-add").click()
    expect(page.get_by_test_id("catalog-form")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("form-code").fill(code)
    page.get_by_test_id("form-name").fill(name)
    page.get_by_test_id("form-unit_of_measure").fill("%")
    pages.choose(page, "form-value_type", "Tỷ lệ (%)")
    expect(page.get_by_test_id("form-frequencies-year")).to_be_checked()
    pages.choose(page, "form-spatial_aggregation", "Tỷ lệ của tổng (tử số / mẫu số)")
    pages.choose(page, "form-time_aggregation", "Tính lại từ thành phần")
    page.get_by_test_id("form-submit").click()

    # refused by the catalog: a ratio needs its numerator and denominator, named on the fields
    expect(page.get_by_test_id("catalog-form-error")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("catalog-field-error-numerator_code")).to_contain_text("tử số")
    expect(page.get_by_test_id("catalog-field-error-denominator_code")).to_contain_text("mẫu số")
    expect(page.get_by_test_id("form-numerator_code")).to_have_attribute("aria-invalid", "true")
    _shot(page, "form-errors")
    _no_serious_a11y_violation(page)
    page.get_by_test_id("form-numerator_code").fill("HP2081.TP.HO_NGHEO")
    page.get_by_test_id("form-denominator_code").fill("HP2081.TP.SO_HO")
    page.get_by_test_id("form-scale").fill("100")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("item-title")).to_have_text(name, timeout=TIMEOUT)
    expect(page.get_by_test_id("item-code")).to_have_text(code)
    expect(page.get_by_test_id("value-numerator_code")).to_contain_text("Số hộ nghèo")

    # retire: nothing is deleted, the history says from when
    page.get_by_test_id("retire-button").click()
    dialog = page.get_by_test_id("retire-dialog")
    expect(dialog).to_be_visible()
    _no_serious_a11y_violation(page)
    dialog.get_by_test_id("retire-reason").fill("Tạo nhầm")
    dialog.get_by_test_id("retire-confirm").click()
    tomorrow = _vn(_today() + timedelta(days=1))
    expect(page.get_by_test_id("retired-banner")).to_contain_text(f"ngừng sử dụng từ ngày {tomorrow}", timeout=TIMEOUT)
    expect(page.get_by_test_id("history-item-2")).to_contain_text("Ngừng sử dụng")
    expect(page.get_by_test_id("retire-button")).to_have_count(0)
    expect(page.get_by_test_id("item-status")).to_contain_text(f"Hiệu lực đến {_vn(_today())}")


# ------------------------------------------------------------------------------ import / export


def _workbook(exported: bytes, set_code: str, new_code: str, *, broken: bool) -> tuple[bytes, dict[str, int]]:
    """The exported 2081 workbook as a new set with one more indicator; ``broken`` spoils two
    cells. Returns the file and the Excel rows of the two cells."""
    wb = load_workbook(io.BytesIO(exported))
    for row in wb["Bộ chỉ số"].iter_rows():
        if row[0].value == "Mã bộ chỉ số":
            row[1].value = set_code
        if row[0].value == "Tên bộ chỉ số":
            row[1].value = f"Bộ chỉ số thử nghiệm giao diện {set_code}"
    sheet = wb["Chỉ số"]
    header = next(i for i, r in enumerate(sheet.iter_rows(values_only=True), 1) if "Mã chỉ số" in r)
    col = {v: j + 1 for j, v in enumerate(next(sheet.iter_rows(min_row=header, max_row=header, values_only=True))) if v}
    first = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, col["STT"]).value == 1)
    new = sheet.max_row + 1
    for name, value in {
        "STT": 29, "Mã chỉ số": new_code, "Tên chỉ số": "Số lao động được hỗ trợ việc làm",
        "Đơn vị tính": "người", "Kiểu giá trị": "Số nguyên", "Tần suất": "6 tháng / Năm",
        "Tổng hợp theo đơn vị": "Tổng", "Tổng hợp theo thời gian": "Cộng dồn", "Chiều tốt": "Cao hơn là tốt",
        "Nhóm": "XIII", "Đơn vị thực hiện": "Phòng Văn hoá - Xã hội",
    }.items():
        sheet.cell(new, col[name]).value = value
    if broken:
        sheet.cell(first, col["Chiều tốt"]).value = "Càng cao càng tốt"
        sheet.cell(new, col["Tổng hợp theo thời gian"]).value = "Cộng cả năm"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), {"first": first, "new": new}


def test_officer_imports_a_set_through_the_dry_run_screen(target, browser_page, tmp_path):
    page = browser_page
    suffix = uuid.uuid4().hex[:6].upper()
    set_code, new_code = f"E2E.UI.SET.{suffix}", f"E2E.UI.VL.{suffix}"
    with _api(target) as api:
        r = api.get("/api/v1/indicator-sets/HP2081/export", params={"format": "xlsx"})
        assert r.status_code == 200, r.text
    broken, rows = _workbook(r.content, set_code, new_code, broken=True)
    fixed, _ = _workbook(r.content, set_code, new_code, broken=False)
    (tmp_path / "bo-chi-so-loi.xlsx").write_bytes(broken)
    (tmp_path / "bo-chi-so.xlsx").write_bytes(fixed)

    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Bộ chỉ số")
    page.get_by_test_id("catalog-import").click()
    apply = page.get_by_test_id("import-apply")
    expect(apply).to_be_disabled(timeout=TIMEOUT)

    # 1. the broken file: every error listed by row and column, "Nhập" stays disabled
    page.get_by_test_id("import-file").set_input_files(str(tmp_path / "bo-chi-so-loi.xlsx"))
    expect(page.get_by_test_id("import-file-name")).to_contain_text("bo-chi-so-loi.xlsx")
    page.get_by_test_id("import-check").click()
    errors = page.get_by_test_id("import-error-list")
    expect(errors).to_be_visible(timeout=TIMEOUT)
    expect(errors).to_contain_text(f"Dòng {rows['first']}, cột Chiều tốt:")
    expect(errors).to_contain_text(f"Dòng {rows['new']}, cột Tổng hợp theo thời gian:")
    expect(page.get_by_test_id("import-errors")).to_contain_text("Chưa có gì được nhập")
    expect(apply).to_be_disabled()
    _shot(page, "import-errors")
    _no_serious_a11y_violation(page)

    # 2. the fixed file: clean dry run with the plan, then "Nhập"
    page.get_by_test_id("import-file").set_input_files(str(tmp_path / "bo-chi-so.xlsx"))
    expect(page.get_by_test_id("import-result")).to_be_empty()
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-valid")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"import-plan-{set_code}")).to_contain_text("Thêm mới")
    expect(page.get_by_test_id(f"import-plan-{new_code}")).to_contain_text("Thêm mới")
    expect(apply).to_be_enabled()
    _shot(page, "import-plan")
    apply.click()
    expect(page.get_by_test_id("import-done")).to_contain_text("Đã nhập xong", timeout=TIMEOUT)
    page.get_by_test_id("import-open-set").click()
    expect(page.get_by_test_id("item-code")).to_have_text(set_code, timeout=TIMEOUT)
    expect(page.get_by_test_id("set-items").locator("tbody tr")).to_have_count(29)
    expect(page.get_by_test_id("set-items")).to_contain_text("Số lao động được hỗ trợ việc làm")


def test_export_buttons_download_vietnamese_file_names(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Bộ chỉ số")
    page.get_by_test_id("catalog-link-HP2081").click()
    expect(page.get_by_test_id("item-code")).to_have_text("HP2081", timeout=TIMEOUT)
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    assert info.value.suggested_filename == "Bộ chỉ số HP2081.xlsx"
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "Chỉ số" in wb.sheetnames
    with page.expect_download() as info:
        page.get_by_test_id("export-json").click()
    assert info.value.suggested_filename == "Bộ chỉ số HP2081.json"


def test_calendar_screen_computes_deadlines(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    _go(page, "Lịch báo cáo")
    page.locator('[data-testid^="catalog-link-"]').first.click()
    panel = page.get_by_test_id("deadline-panel")
    expect(panel).to_be_visible(timeout=TIMEOUT)
    pages.choose(page, "deadline-kind", "Tháng")
    page.get_by_test_id("deadline-number").fill("11")
    page.get_by_test_id("deadline-year").fill("2026")
    page.get_by_test_id("deadline-compute").click()
    expect(page.get_by_test_id("deadline-due")).to_have_text("19/11/2026", timeout=TIMEOUT)
    expect(page.get_by_test_id("deadline-cutoff")).to_have_text("15/10/2026 – 14/11/2026")
    _no_serious_a11y_violation(page)


def test_clerk_reads_catalogs_without_edit_controls(target, browser_page):
    page = browser_page
    pages.sign_in(page, target.base_url, "nhap_lieu", "demo")
    _go(page, "Chỉ số")
    expect(page.get_by_test_id("catalog-table")).to_be_visible()
    expect(page.get_by_test_id("catalog-add")).to_have_count(0)
    _search(page, "HP2081.XIII.11")
    page.get_by_test_id(f"catalog-link-{POVERTY}").click()
    expect(page.get_by_test_id("item-title")).to_have_text(POVERTY_NAME, timeout=TIMEOUT)
    expect(page.get_by_test_id("edit-button")).to_have_count(0)
    expect(page.get_by_test_id("retire-button")).to_have_count(0)
    _go(page, "Bộ chỉ số")
    expect(page.get_by_test_id("catalog-import")).to_have_count(0)
    for nav in ("Nhiệm vụ trọng tâm", "Kế hoạch chuyên đề", "Tiêu chí đánh giá", "Lịch báo cáo", "Mẫu báo cáo"):
        _go(page, nav)
        expect(page.locator('[data-testid^="catalog-row-"]').first).to_be_visible(timeout=TIMEOUT)
        _no_serious_a11y_violation(page)
    # the unit tree is still one click away
    page.get_by_test_id("nav-units").click()
    pages.wait_for_tree(page)
    _no_serious_a11y_violation(page)
    # nothing in the navigation leads a clerk to the import
    expect(page.get_by_test_id("nav-import")).to_have_count(0)


# ------------------------------------------------------------------------------ grid


def _paste(page: Page, text: str) -> None:
    """Ctrl+V of a block copied from a spreadsheet (tab-separated, one line per row)."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")


def _cell(page: Page, row: int, field: str):
    return page.get_by_test_id("targets-grid").locator(".tabulator-row").nth(row).locator(
        f'.tabulator-cell[tabulator-field="{field}"]')


def test_officer_pastes_a_block_of_targets_fixes_the_bad_cell_and_saves(target, browser_page):
    page = browser_page
    # targets of an office no other test gives targets to: the grid shows only these three
    prefix, unit = f"E2E.PT.{uuid.uuid4().hex[:6].upper()}", "10846.VP"
    with _api(target) as api:
        for i, indicator in enumerate(["HP2081.XIII.16", "HP2081.XIII.11", "HP2081.XIII.16"], 1):
            r = api.post("/api/v1/period-targets", json={
                "code": f"{prefix}.{i}", "indicator_code": indicator, "start_year": 2026, "end_year": 2030,
                "target_value": "1", "org_unit_code": unit, "note": "trước khi dán",
            })
            assert r.status_code == 201, r.text

    def stored(api: httpx.Client) -> list[tuple]:
        return [
            (t["end_year"], t["target_value"], t["target_low"] or None, t["target_high"] or None)
            for t in (api.get(f"/api/v1/period-targets/{prefix}.{i}").json() for i in (1, 2, 3))
        ]

    pages.sign_in(page, target.base_url, "ke_hoach", "demo")
    page.get_by_test_id("nav-period-targets").click()
    expect(page.get_by_test_id("catalog-title")).to_have_text("Chỉ tiêu giai đoạn 5 năm", timeout=TIMEOUT)
    page.get_by_test_id("catalog-grid").click()
    page.get_by_test_id("grid-unit").fill(unit)
    grid = page.get_by_test_id("targets-grid")
    expect(grid.locator(".tabulator-row")).to_have_count(3, timeout=TIMEOUT)
    expect(_cell(page, 0, "code")).to_have_text(f"{prefix}.1")
    _no_serious_a11y_violation(page)

    # a 3 × 4 block from Excel: Vietnamese decimal commas (and grouping dots), one bad cell;
    # a target is a value or a range (low–high), so each row fills one or the other
    _cell(page, 0, "end_year").click()
    _paste(page, "2030\t1.234,5\t\t\n"
                 "2030\t\t90,5\t99,9\n"
                 "2030\t\tabc\t15\n")
    expect(_cell(page, 0, "target_value")).to_have_text("1.234,5")
    expect(_cell(page, 1, "target_value")).to_have_text("")
    expect(_cell(page, 1, "target_high")).to_have_text("99,9")
    expect(_cell(page, 2, "target_high")).to_have_text("15")
    bad = _cell(page, 2, "target_low")
    expect(bad).to_have_text("abc")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_have_attribute("title", "“abc” không phải là số.")
    expect(bad).to_have_class(re.compile(r"\bcell-invalid\b"))
    expect(_cell(page, 1, "target_value")).to_have_class(re.compile(r"\bcell-dirty\b"))
    expect(page.get_by_test_id("grid-problems")).to_have_text("Dòng 3, cột Cận dưới: “abc” không phải là số.")
    expect(page.get_by_test_id("grid-save")).to_be_disabled()
    _shot(page, "grid-paste")
    with _api(target) as api:  # nothing saved yet
        assert stored(api) == [(2030, "1", None, None)] * 3

    # fixed by typing into the cell (double-click edits), then saved
    bad.dblclick()
    editor = bad.locator("input")
    editor.fill("10,5")
    editor.press("Enter")
    expect(bad).to_have_text("10,5")
    expect(bad).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("grid-problems")).to_have_count(0)
    save = page.get_by_test_id("grid-save")
    expect(save).to_be_enabled()
    save.click()
    expect(page.get_by_test_id("grid-saved").or_(page.get_by_test_id("grid-save-error"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("grid-save-error")).to_have_count(0)
    expect(page.get_by_test_id("grid-saved")).to_have_text("Đã lưu 3 chỉ tiêu.", timeout=TIMEOUT)
    _shot(page, "grid-saved")
    with _api(target) as api:
        after = stored(api)
    assert after[0] == (2030, "1234.5", None, None)
    assert [(e, low, high) for e, _, low, high in after[1:]] == [(2030, "90.5", "99.9"), (2030, "10.5", "15")]
