"""Issue 11, point 2 through the gateway with real tokens, in both modes: the province assigns
Xã Hà Tây targets and a key task for 2033 by a signed decision; the consolidating office opens
the October report *without sending a form* and gets the form the service built from the
catalog's indicator set (each indicator with the office the seed's table names) and the
assignments in force, with the targets beside the figures, the full-year estimate asked, and
the key task as a progress row. Bad input is refused naming the field. (2033: a year no other
test uses, as the distributed stack is shared.)"""

from __future__ import annotations

import asyncio
import time

import httpx
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from ktxh_testing.submission_form import seed_001_lines

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

API = "/api/v1"
YEAR = 2033
PERIOD = f"{YEAR}-M10"
GTSX = "HP2081.XIII.01"  # flow, by price basis
POOR = "HP2081.XIII.11"  # a rate
COMPARATIVE = [{"dimension_code": "price_basis", "member_code": "comparative"}]


def _client(target: Target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, timeout=120,
                             headers={"Authorization": f"Bearer {token}"})


async def _until(call, ok, seconds: float = 240) -> httpx.Response:
    """Services learn units from the catalog's events: a fresh stack may need a moment."""
    deadline = time.monotonic() + seconds
    while True:
        r = await call()
        if ok(r) or time.monotonic() > deadline:
            return r
        await asyncio.sleep(0.5)


async def _issue_targets(province: httpx.AsyncClient, ca) -> None:
    units = (await province.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
    by_code = {u["code"]: u["id"] for u in units}
    ha_tay = by_code["10846"]
    body = {
        "number": f"7/{YEAR}/QĐ-UBND", "title": f"Giao chỉ tiêu năm {YEAR} cho Xã Hà Tây",
        "issued_on": f"{YEAR}-01-05", "issuer_unit_id": by_code["31.STC"], "signer": "Chủ tịch",
        "year": YEAR,
        "assignments": [
            {"assignee_unit_id": ha_tay, "target": {"key": {"indicator_code": GTSX, "members": COMPARATIVE},
                                                    "target_value": "1500", "comparison": "at_least"}},
            {"assignee_unit_id": ha_tay, "target": {"key": {"indicator_code": POOR}, "target_value": "1.2",
                                                    "target_value_max": "2", "comparison": "range"}},
            {"assignee_unit_id": ha_tay, "task": {"key_task_id": "NV.HATAY.2026.01",
                                                  "deadline": f"{YEAR}-12-15"}},
        ],
    }
    r = await _until(lambda: province.post(f"{API}/assignment-decisions", json=body),
                     lambda r: r.status_code != 422 or "unit_id" not in r.text)
    assert r.status_code == 201, r.text
    draft = r.json()
    pdf = sign_pdf(plain_pdf("QĐ giao 2033"), ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
    r = await province.post(f"{API}/documents", files={"file": ("qd.pdf", pdf, "application/pdf")}, data={
        "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
        "kind": "decision", "title": "QĐ giao 2033"})
    assert r.status_code == 201, r.text
    r = await province.post(f"{API}/assignment-decisions/{draft['id']}/issue",
                            json={"document_id": r.json()["id"], "version": draft["version"]})
    assert r.status_code == 200, r.text


async def test_the_form_is_built_from_the_indicator_set_and_the_assignments(target: Target, document_ca) -> None:
    async with _client(target, await target.sign_in("ke_hoach")) as province, \
            _client(target, await target.sign_in("tong_hop")) as tong_hop, \
            _client(target, await target.sign_in("nhap_lieu")) as nhap_lieu:
        await _issue_targets(province, document_ca)

        # no lines, no calendar: the service builds the form
        body = {"org_unit_code": "10846", "period_code": PERIOD}
        r = await _until(lambda: tong_hop.post(f"{API}/submissions", json=body),
                         lambda r: r.status_code == 201)
        assert r.status_code == 201, r.text
        sub = r.json()
        assert (sub["calendar_code"], sub["deadline"]) == ("LICH.HP2081", f"{YEAR}-10-19")
        # the 28 indicators of seed 001, each entered by the office its table names
        expected = {ln["indicator_code"]: ln["office_code"] for ln in seed_001_lines()}
        assert {ln["indicator_code"]: ln["office_code"] for ln in sub["lines"]} == expected
        lines = {ln["indicator_code"]: ln for ln in sub["lines"]}
        # required: the monthly ones (October is a monthly report); half-yearly ones optional
        assert lines["HP2081.XIII.12"]["required"] and not lines[GTSX]["required"]
        assert (lines[GTSX]["time_aggregation"], lines[POOR]["time_aggregation"]) == ("flow", "rate")
        assert lines[GTSX]["estimate"]  # October: the full-year estimate is asked
        assert [(t["key_task_code"], t["deadline"], t["status"]) for t in sub["task_progress"]] == [
            ("NV.HATAY.2026.01", f"{YEAR}-12-15", "not_started")]

        # beside each figure: its target (a value, or a range)
        r = await nhap_lieu.get(f"{API}/submissions/{sub['id']}")
        assert r.status_code == 200, r.text
        context = {(c["key"]["indicator_code"], tuple(m["member_code"] for m in c["key"]["members"]),
                    c["key"]["kind"]): c for c in r.json()["context"]}
        gtsx = context[(GTSX, ("comparative",), "actual")]
        assert (gtsx["target_value"], gtsx["previous_year_value"], gtsx["year_to_date_value"]) == ("1500", "", "")
        assert context[(GTSX, ("comparative",), "estimate")]["target_value"] == "1500"
        poor = context[(POOR, (), "actual")]
        assert (poor["target_low"], poor["target_high"], poor["target_value"]) == ("1.2", "2", "")
        assert context[("HP2081.XIII.12", (), "actual")]["target_value"] == ""

        # a figure entered shows its year to date (a stock: the latest value)
        key = {"indicator_code": "HP2081.XIII.24", "members": [], "kind": "actual"}
        r = await nhap_lieu.post(f"{API}/submissions/{sub['id']}/figures",
                                 json={"figures": [{"key": key, "value": "37"}]})
        assert r.status_code == 200, r.text
        after = (await nhap_lieu.get(f"{API}/submissions/{sub['id']}")).json()["context"]
        assert next(c for c in after if c["key"] == key)["year_to_date_value"] == "37"

        # bad input: named fields, nothing written
        r = await tong_hop.post(f"{API}/submissions", json={"org_unit_code": "10846", "period_code": "2025-M01"})
        assert r.status_code == 422, r.text  # the set is in force from 03/06/2026; nothing assigned
        assert r.json()["errors"][0]["field"] == "period_code"
        assert "không có chỉ số nào phải báo cáo Tháng 1/2025" in r.json()["detail"]
        r = await tong_hop.post(f"{API}/submissions", json={"org_unit_code": "10846", "period_code": "2033-M13"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period_code"
        listed = (await tong_hop.get(f"{API}/submissions", params={"period_code": "2025-M01"})).json()
        assert listed["items"] == []
