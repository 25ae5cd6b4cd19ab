"""Report files, published editions and upward connectors through the gateway (all-in-one,
real tokens): the planning officer downloads Xã Hà Tây's report as XLSX and PDF, publishes it
twice (two revisions, both readable), configures a connector (refused with the fields named
when invalid, changed with If-Match); a data-entry officer sees none of the province's
connectors and cannot write them."""

from __future__ import annotations

import asyncio
import io
import uuid

import httpx
import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

API = "/api/v1"
PERIOD = "2031-M03"  # a period no other test uses: the stack is shared


async def _client(target, username: str) -> httpx.AsyncClient:
    token = await target.sign_in(username)
    return httpx.AsyncClient(base_url=target.base_url, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})


async def _until(call, tries: int = 120) -> httpx.Response:
    """The reporting service learns the units from the catalog's events."""
    for _ in range(tries):
        r = await call()
        if r.status_code in (200, 201):
            return r
        await asyncio.sleep(0.5)
    raise AssertionError(f"never ready: {r.status_code} {r.text[:300]}")


def _fields(r: httpx.Response) -> set[str]:
    return {e["field"] for e in r.json().get("errors", [])}


async def test_report_files_editions_and_connectors(allinone_target):
    planner = await _client(allinone_target, "ke_hoach")
    clerk = await _client(allinone_target, "nhap_lieu")
    async with planner, clerk:
        params = {"org_unit_code": "10846", "period_code": PERIOD}
        r = await _until(lambda: planner.get(f"{API}/report-exports",
                                             params={**params, "format": "xlsx"}))
        assert "spreadsheetml" in r.headers["content-type"]
        assert "bao-cao-indicators-10846-2031-M03.xlsx" in r.headers["content-disposition"]
        ws = load_workbook(io.BytesIO(r.content)).active
        assert ws["A1"].value == "XÃ HÀ TÂY"
        assert "Chỉ tiêu" in [c.value for c in ws[6]]
        r = await planner.get(f"{API}/report-exports", params={**params, "format": "pdf",
                                                               "kind": "matrix"})
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        r = await planner.get(f"{API}/report-exports", params={**params, "period_code": "2031-X"})
        assert r.status_code == 422 and "period_code" in _fields(r)

        # two publications: two revisions, both readable
        body = {"org_unit_code": "10846", "period_code": PERIOD}
        first = await planner.post(f"{API}/published-reports", json=body)
        assert first.status_code == 201, first.text
        second = (await planner.post(f"{API}/published-reports", json=body)).json()
        assert second["revision"] == first.json()["revision"] + 1
        page = (await planner.get(f"{API}/published-reports", params=params)).json()
        assert [e["revision"] for e in page["items"]][:2] == [second["revision"],
                                                              first.json()["revision"]]
        got = (await planner.get(f"{API}/published-reports/{first.json()['id']}")).json()
        assert got["table"]["period_label"] == "Tháng 3/2031"
        assert got["table"]["columns"][2]["label"] == "Chỉ tiêu"
        pdf = await planner.get(f"{API}/published-reports/{first.json()['id']}/file",
                                params={"format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert (await clerk.post(f"{API}/published-reports", json=body)).status_code == 403

        # connectors
        code = f"E2E{uuid.uuid4().hex[:6].upper()}"
        bad = await planner.post(f"{API}/connectors", json={
            "code": code, "name": "HTTTBC", "kind": "national_reporting",
            "endpoint": "ftp://nowhere",
            "mappings": [{"key": {"indicator_code": "HP2081.XIII.16"}, "external_code": "CP1",
                          "scale_factor": "nhiều"}]})
        assert bad.status_code == 422
        assert {"endpoint", "mappings[0].scale_factor"} <= _fields(bad), bad.text
        created = await planner.post(f"{API}/connectors", json={
            "code": code, "name": "Hệ thống thông tin báo cáo Chính phủ",
            "kind": "national_reporting", "endpoint": "https://baocao.example.vn/api/figures",
            "credentials_secret": "KTXH_HTTTBC_TOKEN", "external_unit_code": "31",
            "mappings": [{"key": {"indicator_code": "HP2081.XIII.16"}, "external_code": "CP1",
                          "external_unit": "%"}],
            "unit_mappings": {"10846": "HP-HT"}})
        assert created.status_code == 201, created.text
        connector = created.json()
        assert created.headers["etag"] == '"1"' and connector["unit_mappings"] == {"10846": "HP-HT"}
        again = await planner.post(f"{API}/connectors", json={
            "code": code, "name": "Trùng", "kind": "ioc", "endpoint": "https://ioc.example.vn"})
        assert again.status_code == 409
        url = f"{API}/connectors/{connector['id']}"
        changed = await planner.patch(url, json={"enabled": False}, headers={"If-Match": '"1"'})
        assert changed.status_code == 200 and changed.json()["enabled"] is False
        assert changed.json()["mappings"][0]["external_code"] == "CP1"  # the rest is kept
        stale = await planner.patch(url, json={"name": "Cũ"}, headers={"If-Match": '"1"'})
        assert stale.status_code == 409
        listed = (await planner.get(f"{API}/connectors", params={"page_size": 500})).json()
        assert code in {c["code"] for c in listed["items"]}
        log = await planner.get(f"{API}/transmissions", params={"connector_id": connector["id"]})
        assert log.status_code == 200 and log.json()["total"] == 0
        resend = await planner.post(f"{API}/transmissions/{uuid.uuid4()}/resend")
        assert resend.status_code == 404

        # historical figures: a dry run counts and refuses with the field named
        history = {"source": "Niên giám thống kê 2015", "data_values": [
            {"org_unit_code": "10846", "period_code": "2015-M10",
             "key": {"indicator_code": "HP2081.XIII.16"}, "value": "12.5"},
            {"org_unit_code": "KHONGCO", "period_code": "2015-M10",
             "key": {"indicator_code": "HP2081.XIII.16"}, "value": "1"}]}
        summary = await planner.post(f"{API}/historical-figures", json=history,
                                     params={"dry_run": "true"})
        assert summary.status_code == 200, summary.text
        assert summary.json()["imported"] == 1 and summary.json()["dry_run"] is True
        assert [(r["row"], r["field"]) for r in summary.json()["refused"]] == [
            (2, "org_unit_code")]
        assert (await clerk.post(f"{API}/historical-figures", json=history)).status_code == 403

        # a commune's data-entry officer sees no province connector and cannot write one
        assert (await clerk.get(f"{API}/connectors")).json()["total"] == 0
        assert (await clerk.get(url)).status_code == 404
        assert (await clerk.patch(url, json={"enabled": True},
                                  headers={"If-Match": '"2"'})).status_code == 403


async def test_key_task_summary_and_target_fulfilment(allinone_target):
    """The two report kinds of seed 000 beyond the indicator report: key tasks at a point in
    time and target fulfilment per unit, as JSON and as files (their figures from events are
    checked in services/reporting/tests/integration/test_key_tasks.py)."""
    planner = await _client(allinone_target, "ke_hoach")
    async with planner:
        r = await _until(lambda: planner.get(f"{API}/key-task-summary",
                                             params={"org_unit_code": "10846", "as_of": "2041-03-31"}))
        body = r.json()
        assert (body["org_unit_code"], body["as_of"], body["year"]) == ("10846", "2041-03-31", 2041)
        assert body["tasks"] == [] and body["overdue_count"] == 0  # nothing assigned for 2041
        r = await planner.get(f"{API}/key-task-summary", params={"org_unit_code": "10846", "as_of": "31/03/2041"})
        assert r.status_code == 422 and "as_of" in _fields(r)
        r = await planner.get(f"{API}/key-task-summary", params={"org_unit_code": "KHONG-CO"})
        assert r.status_code == 404

        r = await planner.get(f"{API}/target-fulfilment", params={"org_unit_code": "10846", "period_code": "2041"})
        assert r.status_code == 200, r.text
        rows = r.json()["rows"]
        assert rows[0]["org_unit_code"] == "10846" and rows[0]["is_total"] and rows[0]["assigned"] == 0
        r = await planner.get(f"{API}/target-fulfilment", params={"org_unit_code": "10846", "period_code": "2041-X"})
        assert r.status_code == 422 and "period_code" in _fields(r)

        r = await planner.get(f"{API}/report-exports", params={
            "org_unit_code": "10846", "period_code": "@2041-03-31", "kind": "key_tasks", "format": "xlsx"})
        assert r.status_code == 200, r.text
        ws = load_workbook(io.BytesIO(r.content)).active
        assert "Nhiệm vụ trọng tâm" in [c.value for c in ws[6]]
        r = await planner.get(f"{API}/report-exports", params={
            "org_unit_code": "10846", "period_code": "2041", "kind": "target_fulfilment", "format": "pdf"})
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
