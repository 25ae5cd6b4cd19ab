"""The catalog REST API through the gateway, as a planning officer uses it, in both modes
(all-in-one on the embedded defaults; distributed on PostgreSQL, Kafka protocol, S3 and an
independent OIDC provider).

Search without diacritics, paging and filters; export of the 2081 indicator set; an XLSX import
whose dry run names every broken row and stores nothing, then the fixed file imported; an
indicator's aggregation revised from next month with both versions in the history and each one
readable "as of" its dates; the data-entry clerk refused; invalid definitions refused naming
the field.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from openpyxl import load_workbook

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POVERTY = "HP2081.XIII.11"
POVERTY_NAME = "Tỷ lệ hộ nghèo theo chuẩn đa chiều"
PATHS = ["indicators", "indicator-sets", "key-tasks", "thematic-plans", "criteria-sets",
         "period-targets", "report-templates", "calendars"]


def _client(target: Target, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=target.base_url, headers=headers, timeout=60)


def _today() -> date:
    """The date in Việt Nam (UTC+7): what the services call "today"."""
    return datetime.now(timezone(timedelta(hours=7))).date()


def _suffix() -> str:
    return uuid.uuid4().hex[:6].upper()


def _next_month(d: date) -> date:
    return (d.replace(day=1) + timedelta(days=32)).replace(day=1)


def _fields(r: httpx.Response) -> dict[str, str]:
    assert r.headers["content-type"].startswith(PROBLEM), r.text
    return {e["field"]: e["message"] for e in r.json().get("errors", [])}


def _indicator(code: str, **extra) -> dict:
    body = {
        "code": code, "name": "Số hộ được hỗ trợ nhà ở", "unit_of_measure": "hộ",
        "value_type": "integer", "frequencies": ["half_year", "year"],
        "spatial_aggregation": "sum", "time_aggregation": "flow", "polarity": "higher_is_better",
        "group_code": "XIII", "field": "Giảm nghèo - An sinh xã hội",
    }
    return {**body, **extra}


# ------------------------------------------------------------------------------ browse


async def test_search_ignores_diacritics_and_case(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        for q in ("ho ngheo", "HO NGHEO", "hộ nghèo", "Ho Ngheo da chieu"):
            r = await api.get("/api/v1/indicators", params={"q": q})
            assert r.status_code == 200, r.text
            found = {i["code"]: i["name"] for i in r.json()["items"]}
            assert found.get(POVERTY) == POVERTY_NAME, (q, found)
        r = await api.get("/api/v1/indicators", params={"q": "khong co chi so nao nhu the nay"})
        assert r.status_code == 200 and r.json()["items"] == [] and r.json()["total"] == 0
        # the indicator set is searchable the same way
        r = await api.get("/api/v1/indicator-sets", params={"q": "chi dao dieu hanh"})
        assert [s["code"] for s in r.json()["items"]] == ["HP2081"]


async def test_lists_are_paged_and_filtered(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        r = await api.get("/api/v1/indicators", params={"page_size": 10})
        assert r.status_code == 200, r.text
        first = r.json()
        assert len(first["items"]) == 10 and first["next_page_token"] and first["total"] >= 28
        r = await api.get("/api/v1/indicators", params={"page_size": 10, "page_token": first["next_page_token"]})
        second = r.json()
        assert {i["code"] for i in first["items"]}.isdisjoint(i["code"] for i in second["items"])

        r = await api.get("/api/v1/indicators", params={"group": "D", "page_size": 500})
        assert {i["group_code"] for i in r.json()["items"]} == {"D"}
        assert {"HP2081.D.01", "HP2081.D.02", "HP2081.D.03"} <= {i["code"] for i in r.json()["items"]}
        r = await api.get("/api/v1/indicators", params={"set": "HP2081", "frequency": "month", "page_size": 500})
        codes = {i["code"] for i in r.json()["items"]}
        assert "HP2081.XIII.12" in codes and POVERTY not in codes
        assert all("month" in i["frequencies"] for i in r.json()["items"])

        r = await api.get("/api/v1/indicators", params={"sector": "giam ngheo - an sinh xa hoi", "page_size": 500})
        items = r.json()["items"]
        assert items and {i["field"] for i in items} == {"Giảm nghèo - An sinh xã hội"}
        assert POVERTY in {i["code"] for i in items}

        r = await api.get("/api/v1/indicators", params={"frequency": "fortnight"})
        assert r.status_code == 422 and "frequency" in _fields(r)
        r = await api.get("/api/v1/indicators", params={"page_size": 10_000})
        assert r.status_code == 422 and "page_size" in _fields(r)


async def test_every_catalog_lists_and_reads_by_code_with_an_etag(target: Target):
    token = await target.sign_in("nhap_lieu")  # reading needs no managing role
    async with _client(target, token) as api:
        for path in PATHS:
            r = await api.get(f"/api/v1/{path}")
            assert r.status_code == 200, (path, r.text)
            page = r.json()
            assert page["total"] >= 1 and page["items"], path
            item = page["items"][0]
            r = await api.get(f"/api/v1/{path}/{item['code']}")
            assert r.status_code == 200, (path, r.text)
            assert r.headers["etag"] == f'"{item["version"]}"'
            assert r.json()["code"] == item["code"] and r.json()["valid_from"]
        r = await api.get("/api/v1/indicators/KHONG.TON.TAI")
        assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)


async def test_set_items_and_calendar_deadlines(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        s = (await api.get("/api/v1/indicator-sets/HP2081")).json()
        assert len(s["items"]) == 28 and s["legal_document"]["number"] == "2081/QĐ-UBND"
        assert s["applies_to_kinds"] == ["commune"] and s["calendar_code"]
        poverty = next(i for i in s["items"] if i["indicator_code"] == POVERTY)
        assert poverty["frequencies"] == ["half_year", "year"] and poverty["responsible_office"]

        r = await api.get(f"/api/v1/calendars/{s['calendar_code']}/deadlines", params={"period": "2026-M11"})
        assert r.status_code == 200, r.text
        d = r.json()
        # seed 001: monthly reports before the 20th; data from the 15th of the previous month to the 14th
        assert d["due_date"] == "2026-11-19"
        assert (d["cutoff_start"], d["cutoff_end"]) == ("2026-10-15", "2026-11-14")
        assert [x["due_date"] for x in d["internal_deadlines"]][:2] == ["2026-11-16", "2026-11-18"]
        r = await api.get("/api/v1/indicator-sets/HP2081/deadlines", params={"period": "2026-H1"})
        assert r.status_code == 200 and r.json()["due_date"] == "2026-06-14"
        r = await api.get(f"/api/v1/calendars/{s['calendar_code']}/deadlines", params={"period": "2026-M13"})
        assert r.status_code == 422 and "period" in _fields(r)


# ------------------------------------------------------------------------------ export / import


async def _export(api: httpx.AsyncClient, fmt: str) -> httpx.Response:
    r = await api.get("/api/v1/indicator-sets/HP2081/export", params={"format": fmt})
    assert r.status_code == 200, r.text
    return r


def _filename(disposition: str) -> str:
    m = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert m, disposition
    return unquote(m.group(1))


async def test_export_the_2081_set_as_xlsx_and_json(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        r = await _export(api, "xlsx")
        assert r.headers["content-type"].startswith(XLSX)
        disposition = r.headers["content-disposition"]
        assert disposition.startswith("attachment;") and 'filename="Bo chi so HP2081.xlsx"' in disposition
        assert _filename(disposition) == "Bộ chỉ số HP2081.xlsx"
        wb = load_workbook(io.BytesIO(r.content))
        assert {"Chỉ số", "Bộ chỉ số"} <= set(wb.sheetnames)
        sheet = wb["Chỉ số"]
        header = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if "Mã chỉ số" in row)
        rows = [row for row in sheet.iter_rows(min_row=header + 1, values_only=True) if row[0]]
        assert len(rows) == 28 and any(row[2] == POVERTY_NAME for row in rows)

        r = await _export(api, "json")
        assert r.headers["content-type"].startswith("application/json")
        assert _filename(r.headers["content-disposition"]) == "Bộ chỉ số HP2081.json"
        doc = r.json()
        assert doc["format"] == "ktxh-catalog"
        assert any(i["code"] == POVERTY for i in doc["indicators"])


def _header_columns(sheet) -> tuple[int, dict[str, int]]:
    for i, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if "Mã chỉ số" in row:
            return i, {v: j + 1 for j, v in enumerate(row) if v}
    raise AssertionError("no header row")


def _prepare_copy(xlsx: bytes, set_code: str, new_code: str, *, broken: bool) -> tuple[bytes, dict[str, int]]:
    """The exported 2081 workbook as a new set ``set_code`` with one more indicator
    ``new_code`` (STT 29); ``broken`` puts two mistakes in it. Returns the file and the rows
    of the broken cells."""
    wb = load_workbook(io.BytesIO(xlsx))
    info = wb["Bộ chỉ số"]
    for row in info.iter_rows():
        if row[0].value == "Mã bộ chỉ số":
            row[1].value = set_code
        if row[0].value == "Tên bộ chỉ số":
            row[1].value = f"Bộ chỉ số thử nghiệm {set_code}"
    sheet = wb["Chỉ số"]
    header, col = _header_columns(sheet)
    first = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, col["STT"]).value == 1)
    last = sheet.max_row + 1
    values = {
        "STT": 29, "Mã chỉ số": new_code, "Tên chỉ số": "Số hộ được hỗ trợ xây mới, sửa chữa nhà ở",
        "Đơn vị tính": "hộ", "Kiểu giá trị": "Số nguyên", "Tần suất": "6 tháng / Năm",
        "Tổng hợp theo đơn vị": "Tổng", "Tổng hợp theo thời gian": "Cộng dồn",
        "Chiều tốt": "Cao hơn là tốt", "Nhóm": "XIII", "Lĩnh vực": "Giảm nghèo - An sinh xã hội",
        "Đơn vị thực hiện": "Phòng Văn hoá - Xã hội",
    }
    for header_name, value in values.items():
        sheet.cell(last, col[header_name]).value = value
    if broken:
        sheet.cell(first, col["Chiều tốt"]).value = "Càng nhiều càng tốt"
        sheet.cell(last, col["Tổng hợp theo đơn vị"]).value = "Cộng hết lại"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), {"first": first, "new": last}


async def _import(api, content: bytes, *, dry_run: bool, **params) -> httpx.Response:
    return await api.post(
        "/api/v1/indicator-sets/import",
        params={"dry_run": str(dry_run).lower(), **params},
        files={"file": ("bo-chi-so.xlsx", content, XLSX)},
    )


async def test_import_dry_run_names_every_broken_row_then_the_fixed_file_imports(target: Target):
    token = await target.sign_in("ke_hoach")
    set_code, new_code = f"E2E.SET.{_suffix()}", f"E2E.NHA_O.{_suffix()}"
    async with _client(target, token) as api:
        exported = (await _export(api, "xlsx")).content
        broken, rows = _prepare_copy(exported, set_code, new_code, broken=True)

        r = await _import(api, broken, dry_run=True)
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["dry_run"] and not result["applied"] and not result["valid"]
        by_row = {(e["row"], e["column"]): e for e in result["errors"]}
        assert (rows["first"], "Chiều tốt") in by_row, result["errors"]
        assert (rows["new"], "Tổng hợp theo đơn vị") in by_row, result["errors"]
        located = by_row[(rows["first"], "Chiều tốt")]
        assert located["location"] == f"Dòng {rows['first']}, cột Chiều tốt"
        assert located["sheet"] == "Chỉ số"
        assert all(e["message"] for e in result["errors"])
        # nothing stored
        assert (await api.get(f"/api/v1/indicator-sets/{set_code}")).status_code == 404
        assert (await api.get(f"/api/v1/indicators/{new_code}")).status_code == 404

        # a real run of the broken file refuses with the same list and stores nothing either
        r = await _import(api, broken, dry_run=False)
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
        problem = r.json()
        assert problem["import"]["errors"] == result["errors"]
        assert any(f"Dòng {rows['new']}" in e["field"] for e in problem["errors"])
        assert (await api.get(f"/api/v1/indicator-sets/{set_code}")).status_code == 404

        # the officer fixes the two cells: the dry run is clean and says what will happen
        fixed, _ = _prepare_copy(exported, set_code, new_code, broken=False)
        r = await _import(api, fixed, dry_run=True)
        assert r.status_code == 200 and r.json()["valid"], r.text
        plan = {(p["kind"], p["code"]): p["action"] for p in r.json()["plan"]}
        assert plan[("indicator_set", set_code)] == "create"
        assert plan[("indicator", new_code)] == "create"
        assert plan[("indicator", POVERTY)] == "unchanged"
        assert (await api.get(f"/api/v1/indicator-sets/{set_code}")).status_code == 404

        effective = _today().isoformat()
        r = await _import(api, fixed, dry_run=False, effective_from=effective)
        assert r.status_code == 200, r.text
        done = r.json()
        assert done["applied"] and done["created_count"] == 2 and done["indicator_set_id"]

        s = await api.get(f"/api/v1/indicator-sets/{set_code}")
        assert s.status_code == 200 and len(s.json()["items"]) == 29
        assert s.json()["valid_from"] == effective
        ind = (await api.get(f"/api/v1/indicators/{new_code}")).json()
        assert ind["spatial_aggregation"] == "sum" and ind["time_aggregation"] == "flow"
        r = await api.get("/api/v1/indicators", params={"q": "ho tro xay moi sua chua nha o"})
        assert new_code in {i["code"] for i in r.json()["items"]}

        # importing the same file again changes nothing
        r = await _import(api, fixed, dry_run=True)
        assert {p["action"] for p in r.json()["plan"]} == {"unchanged"}


async def test_json_import_dry_run(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        doc = (await _export(api, "json")).json()
        doc["indicators"][0]["spatial_aggregation"] = "cong_het"
        r = await api.post("/api/v1/indicator-sets/import", params={"dry_run": "true"},
                           files={"file": ("bo.json", json.dumps(doc).encode(), "application/json")})
        assert r.status_code == 200, r.text
        assert not r.json()["valid"] and any("spatial_aggregation" in e["field"] for e in r.json()["errors"])
        r = await api.post("/api/v1/indicator-sets/import", params={"dry_run": "true"},
                           files={"file": ("x.txt", b"hello", "text/plain")})
        assert r.status_code == 422 and "file" in _fields(r)


# ------------------------------------------------------------------------------ versions


async def test_revise_aggregation_from_next_month_keeps_both_versions(target: Target):
    token = await target.sign_in("ke_hoach")
    today = _today()
    nxt = _next_month(today)
    code = f"E2E.HO_TRO.{_suffix()}"
    async with _client(target, token) as api:
        r = await api.post("/api/v1/indicators", json=_indicator(code, valid_from=today.isoformat()),
                           headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        assert r.headers["location"].endswith(f"/api/v1/indicators/{code}")
        assert r.headers["etag"] == '"1"'

        path = f"/api/v1/indicators/{code}"
        change = {"spatial_aggregation": "max", "time_aggregation": "stock",
                  "effective_from": nxt.isoformat(), "reason": "Báo cáo số lớn nhất theo hướng dẫn mới"}
        r = await api.patch(path, json=change)
        assert r.status_code == 428
        r = await api.patch(path, json=change, headers={"If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert r.headers["etag"] == '"2"'
        r = await api.patch(path, json={"name": "Ghi đè", "effective_from": nxt.isoformat()},
                            headers={"If-Match": '"1"'})
        assert r.status_code == 412 and r.headers["content-type"].startswith(PROBLEM)

        # both versions, each with its effective dates
        h = (await api.get(f"{path}/history")).json()
        assert [v["number"] for v in h["revisions"]] == [1, 2]
        first, second = h["revisions"]
        assert first["valid_from"] == today.isoformat()
        assert first["valid_to"] == (nxt - timedelta(days=1)).isoformat()
        assert second["valid_from"] == nxt.isoformat() and second["valid_to"] is None
        assert second["action"] == "revised" and second["author"] == "ke_hoach"
        assert second["reason"] == change["reason"]
        # one vocabulary: the definition and its changed fields use the REST field names and values
        assert {"spatial_aggregation", "time_aggregation"} <= set(second["changed_fields"])
        assert first["definition"]["spatial_aggregation"] == "sum"
        assert second["definition"]["spatial_aggregation"] == "max"
        assert second["definition"]["time_aggregation"] == change["time_aggregation"]

        # "as of" returns each version; today the old rule is still in force
        old = (await api.get(path, params={"as_of": today.isoformat()})).json()
        new = (await api.get(path, params={"as_of": nxt.isoformat()})).json()
        assert (old["spatial_aggregation"], old["time_aggregation"], old["revision"]) == ("sum", "flow", 1)
        assert (new["spatial_aggregation"], new["time_aggregation"], new["revision"]) == ("max", "stock", 2)
        assert (await api.get(path)).json()["spatial_aggregation"] == "sum"
        r = await api.get("/api/v1/indicators", params={"q": code, "as_of": nxt.isoformat()})
        assert [i["spatial_aggregation"] for i in r.json()["items"]] == ["max"]


async def test_create_is_idempotent_and_retire_keeps_the_history(target: Target):
    token = await target.sign_in("ke_hoach")
    code = f"E2E.NV.{_suffix()}"
    key = {"Idempotency-Key": str(uuid.uuid4())}
    task = {"code": code, "title": "Rà soát hộ nghèo, hộ cận nghèo cuối năm", "year": _today().year,
            "deadline": f"{_today().year}-12-31", "lead_office": "PVHXH",
            "coordinating_offices": ["PKT"], "indicator_codes": [POVERTY]}
    async with _client(target, token) as api:
        first = await api.post("/api/v1/key-tasks", json=task, headers=key)
        again = await api.post("/api/v1/key-tasks", json=task, headers=key)
        assert first.status_code == 201 and again.status_code in (200, 201), again.text
        assert again.json()["id"] == first.json()["id"]
        assert first.json()["indicator_codes"] == [POVERTY] and first.json()["indicator_ids"]

        path = f"/api/v1/key-tasks/{code}"
        r = await api.post(f"{path}/retire", json={"reason": "Đã gộp vào nhiệm vụ khác"})
        assert r.status_code == 428
        r = await api.post(f"{path}/retire", json={"reason": "Đã gộp vào nhiệm vụ khác"},
                           headers={"If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert r.json()["valid_to"] == _today().isoformat()  # last day in force: today
        tomorrow = (_today() + timedelta(days=1)).isoformat()
        r = await api.get("/api/v1/key-tasks", params={"q": code, "as_of": tomorrow})
        assert r.json()["items"] == []
        r = await api.get("/api/v1/key-tasks", params={"q": code, "as_of": tomorrow, "include_retired": "true"})
        assert [t["code"] for t in r.json()["items"]] == [code]
        assert (await api.get(path, params={"as_of": tomorrow})).json()["retired"] is True
        h = (await api.get(f"{path}/history")).json()
        assert [v["action"] for v in h["revisions"]] == ["created", "retired"]


# ------------------------------------------------------------------------------ refusals


async def test_data_entry_clerk_cannot_change_catalogs(target: Target):
    token = await target.sign_in("nhap_lieu")
    async with _client(target, token) as clerk:
        r = await clerk.post("/api/v1/indicators", json=_indicator(f"E2E.X.{_suffix()}"))
        assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
        r = await clerk.patch(f"/api/v1/indicators/{POVERTY}", json={"name": "Không được"},
                              headers={"If-Match": '"1"'})
        assert r.status_code == 403
        r = await clerk.post(f"/api/v1/indicators/{POVERTY}/retire", json={}, headers={"If-Match": '"1"'})
        assert r.status_code == 403
        r = await clerk.post("/api/v1/indicator-sets/import", params={"dry_run": "true"},
                             files={"file": ("x.xlsx", b"PK", XLSX)})
        assert r.status_code == 403
        assert (await clerk.get(f"/api/v1/indicators/{POVERTY}")).json()["name"] == POVERTY_NAME
        # reading and exporting stay open
        assert (await clerk.get("/api/v1/indicator-sets/HP2081/export")).status_code == 200


async def test_invalid_definitions_are_refused_naming_the_field(target: Target):
    token = await target.sign_in("ke_hoach")
    async with _client(target, token) as api:
        async def refused(path: str, body: dict, status: int = 422) -> dict[str, str]:
            r = await api.post(f"/api/v1/{path}", json=body)
            assert r.status_code == status, (body, r.text)
            return _fields(r)

        # a ratio indicator without numerator and denominator
        f = await refused("indicators", _indicator(f"E2E.TL.{_suffix()}", value_type="percent", unit_of_measure="%",
                                                    spatial_aggregation="ratio", time_aggregation="rate"))
        assert "numerator_code" in f and "denominator_code" in f
        # a formula referring to an unknown code
        f = await refused("indicators", _indicator(f"E2E.CT.{_suffix()}", value_type="percent", unit_of_measure="%",
                                                    spatial_aggregation="recompute", time_aggregation="rate",
                                                    formula="growth(KHONG.CO.MA)"))
        assert "KHONG.CO.MA" in f["formula"]
        # a duplicate code
        f = await refused("indicators", _indicator(POVERTY), status=409)
        assert "code" in f
        # a calendar deadline that does not exist (31 February)
        f = await refused("calendars", {"code": f"E2E.LICH.{_suffix()}", "name": "Lịch sai",
                                        "rules": [{"period_kind": "month", "due": {"month_offset": 0, "day": 31},
                                                   "before": True}]})
        assert any("31" in m for m in f.values()) and any("day" in k for k in f)
        # bad values caught by the gateway
        f = await refused("indicators", _indicator(f"E2E.Y.{_suffix()}", spatial_aggregation="cong_lai",
                                                    valid_from="2026-02-31"))
        assert {"spatial_aggregation", "valid_from"} <= set(f)
        f = await refused("indicators", _indicator(f"E2E.Z.{_suffix()}", colour="đỏ"))
        assert "colour" in f
        r = await api.patch(f"/api/v1/indicators/{POVERTY}", json={"effective_from": "2027-01-01"},
                            headers={"If-Match": '"1"'})
        assert r.status_code == 422 and "body" in _fields(r)


def test_rest_field_tables_follow_the_proto_comments():
    """Fields the proto marks "Not stored" / "Not used" / "Not supported" are hidden from REST;
    fields marked "Output only" (or resolved from codes) are read-only."""
    from ktxh_gateway.catalog.resources import HIDDEN, READ_ONLY

    proto = Path(__file__).parents[1] / "proto/ktxh/catalog/v1/catalog.proto"
    hidden: dict[str, set[str]] = {}
    read_only: dict[str, set[str]] = {}
    message, comment = None, []
    for line in proto.read_text().splitlines():
        s = line.strip()
        if m := re.match(r"^message (\w+) \{", s):
            message, comment = m.group(1), []
        elif s.startswith("//"):
            comment.append(s[2:].strip())
        elif (m := re.match(r"^(?:repeated |optional )?(?:map<[^>]+>|[\w.]+) (\w+) = \d+;", s)) and message:
            text = " ".join(comment)
            if not message.endswith(("Request", "Response")):
                if any(k in text for k in ("Not stored", "Not used", "Not supported")):
                    hidden.setdefault(message, set()).add(m.group(1))
                elif ("Output only" in text or "Input: used only" in text) and m.group(1) not in (
                        "audit", "retired", "revision"):
                    read_only.setdefault(message, set()).add(m.group(1))
            comment = []
        else:
            comment = []
    hidden_table = {k: set(v) - {"decimal_places"} for k, v in HIDDEN.items()}
    assert {k: v for k, v in hidden_table.items() if v} == hidden
    for message, fields in read_only.items():
        assert fields <= set(READ_ONLY.get(message, ())) | set(HIDDEN.get(message, ())), (message, fields)


@pytest.mark.parametrize("path", PATHS)
def test_openapi_documents_every_catalog(path: str):
    from ktxh_gateway.app import create_app

    spec = create_app().openapi()
    ops = spec["paths"][f"/api/v1/{path}"]
    assert {"get", "post"} <= set(ops)
    assert {"get", "patch", "put"} <= set(spec["paths"][f"/api/v1/{path}/{{code}}"])
    assert "post" in spec["paths"][f"/api/v1/{path}/{{code}}/retire"]
    assert "get" in spec["paths"][f"/api/v1/{path}/{{code}}/history"]
    assert all(op.get("summary") for op in ops.values())
    assert "403" in ops["post"]["responses"] and "422" in ops["post"]["responses"]
