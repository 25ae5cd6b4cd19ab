"""Giao – nhận through the gateway with real tokens, in both modes (issue 10, "Done when"): the
province drafts the 2026 targets of the seed-001 indicators for three communes, cannot issue
without a validly signed PDF, issues with one; Xã Hà Tây sees only its own and acknowledges;
it passes targets on to its offices with a shortfall warning; the province adjusts one target
mid-year by a second decision; the history shows both and "in force on" differs by date."""

from __future__ import annotations

import asyncio
import time

import httpx

from ktxh_testing.pdf_signing import plain_pdf, sign_pdf

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

API = "/api/v1"
PROBLEM = "application/problem+json"
GTSX = "HP2081.XIII.01"  # Tổng giá trị sản xuất: additive (sum), triệu đồng, by price basis
POOR = "HP2081.XIII.11"  # Tỷ lệ hộ nghèo: a rate (not summed), lower is better


def _client(target: Target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def gtsx(unit: str, value: str) -> dict:
    return {"assignee_unit_id": unit, "target": {
        "key": {"indicator_code": GTSX, "members": [{"dimension_code": "price_basis", "member_code": "comparative"}]},
        "target_value": value, "comparison": "at_least"}}


def poor(unit: str, value: str) -> dict:
    return {"assignee_unit_id": unit, "target": {"key": {"indicator_code": POOR}, "target_value": value,
                                                 "comparison": "at_most"}}


async def _signed_document(client: httpx.AsyncClient, ca, owner_unit: str, title: str, signed: bool = True) -> str:
    pdf = plain_pdf(title)
    data = sign_pdf(pdf, ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng")) if signed else pdf
    r = await client.post(f"{API}/documents", files={"file": (f"{title}.pdf", data, "application/pdf")}, data={
        "owner_type": "assignment_decision", "owner_id": title, "owner_org_unit_code": owner_unit,
        "kind": "decision", "title": title})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _create(client: httpx.AsyncClient, body: dict) -> dict:
    """POST a draft; the assignment service learns new units from the catalog's events, so a
    freshly started stack may need a moment before every unit is known."""
    deadline = time.monotonic() + 60
    while True:
        r = await client.post(f"{API}/assignment-decisions", json=body)
        if r.status_code != 422 or time.monotonic() > deadline or "unit_id" not in r.text:
            assert r.status_code == 201, r.text
            return r.json()
        await asyncio.sleep(0.5)


async def test_assign_acknowledge_cascade_and_adjust(target: Target, document_ca) -> None:
    async with _client(target, await target.sign_in("ke_hoach")) as province:
        units = (await province.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
        by_code = {u["code"]: u["id"] for u in units}
        communes = ["10846"] + sorted(u["code"] for u in units if u["kind"] == "commune" and u["code"] != "10846")[:2]
        ha_tay, other = by_code["10846"], by_code[communes[1]]

        body = {
            "number": "125/QĐ-UBND", "title": "Về việc giao chỉ tiêu kinh tế – xã hội năm 2026",
            "issued_on": "2026-01-05", "issuer_unit_id": by_code["31.STC"], "signer": "Chủ tịch Trần Văn Tâm",
            "year": 2026, "legal_basis": "Nghị quyết 45/NQ-HĐND ngày 10/12/2025",
            "front_unit_ids": [by_code["31.MTTQ"]],
            "assignments": [gtsx(by_code[c], v) for c, v in zip(communes, ("1000", "800", "600"), strict=True)]
            + [poor(by_code[c], "2.5") for c in communes]
            + [{"assignee_unit_id": ha_tay, "task": {"key_task_id": "NV.HATAY.2026.01", "deadline": "2026-12-15",
                                                     "milestones": [{"name": "Hoàn thành khảo sát", "due_date": "2026-06-30"}]}},
               {"assignee_unit_id": ha_tay, "criteria": {"criteria_set_id": "TC.XA.2026"}}],
        }
        draft = await _create(province, body)
        assert draft["status"] == "draft" and len(draft["assignments"]) == 8
        assert {a["target"]["unit_of_measure"] for a in draft["assignments"] if a["target"]} == {"triệu đồng", "%"}
        decision_id = draft["id"]

        # an unknown indicator is refused naming the row's field
        r = await province.post(f"{API}/assignment-decisions", json={**body, "assignments": [
            {"assignee_unit_id": ha_tay, "target": {"key": {"indicator_code": "KHONG.CO"}, "target_value": "1"}}]})
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["errors"][0]["field"] == "assignments[0].target.key.indicator_code"

        # issuing without a validly signed PDF is refused, in Vietnamese, naming document_id
        unsigned = await _signed_document(province, document_ca, "31", "QĐ 125 chưa ký", signed=False)
        r = await province.post(f"{API}/assignment-decisions/{decision_id}/issue",
                                json={"document_id": unsigned, "version": draft["version"]})
        assert r.status_code == 422, r.text
        problem = r.json()
        assert problem["errors"][0]["field"] == "document_id" and "chữ ký số" in problem["detail"]
        signed = await _signed_document(province, document_ca, "31", "QĐ 125 đã ký")
        r = await province.post(f"{API}/assignment-decisions/{decision_id}/issue",
                                json={"document_id": signed, "version": draft["version"]})
        assert r.status_code == 200, r.text
        issued = r.json()
        assert issued["status"] == "issued" and issued["document_id"] == signed
        assert {a["status"] for a in issued["assignments"]} == {"issued"}
        theirs = next(a for a in issued["assignments"] if a["assignee_unit_id"] == other)

    async with _client(target, await target.sign_in("nhap_lieu")) as clerk:
        # Xã Hà Tây's clerk sees the commune's four items and nothing of the other communes
        mine = (await clerk.get(f"{API}/assignments", params={"year": 2026})).json()
        assert mine["total"] == 4 and {a["assignee_unit_id"] for a in mine["items"]} == {ha_tay}
        seen = (await clerk.get(f"{API}/assignment-decisions/{decision_id}")).json()
        assert {a["assignee_unit_id"] for a in seen["assignments"]} == {ha_tay}
        r = await clerk.get(f"{API}/assignments/{theirs['id']}")
        assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
        assert (await clerk.get(f"{API}/assignments", params={"assignee_unit_id": other})).json()["total"] == 0
        task = next(a for a in mine["items"] if a["kind"] == "key_task")
        assert task["task"]["milestones"] == [{"name": "Hoàn thành khảo sát", "due_date": "2026-06-30"}]

        own_gtsx = next(a for a in mine["items"] if a["target"] and a["target"]["key"]["indicator_code"] == GTSX)
        r = await clerk.post(f"{API}/assignments/{own_gtsx['id']}/acknowledge", json={"note": "Đã nhận"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "acknowledged" and r.json()["acknowledgement"]["acknowledged_by"] == "nhap_lieu"
        r = await clerk.post(f"{API}/assignments/{theirs['id']}/acknowledge", json={})
        assert r.status_code == 404

    async with _client(target, await target.sign_in("mttq")) as front:
        r = (await front.get(f"{API}/assignments", params={"decision_id": decision_id})).json()
        assert r["total"] == 8  # opened to the Front committee named on the decision, read-only
        r = await front.post(f"{API}/assignments/{own_gtsx['id']}/acknowledge", json={})
        assert r.status_code == 403

    async with _client(target, await target.sign_in("chu_tich")) as commune:
        offices = [by_code["10846.PKT"], by_code["10846.PVHXH"]]
        cascade = await _create(commune, {
            "number": "15/QĐ-UBND", "title": "Giao chỉ tiêu năm 2026 cho các phòng", "issued_on": "2026-01-20",
            "issuer_unit_id": ha_tay, "year": 2026,
            "assignments": [gtsx(offices[0], "500"), gtsx(offices[1], "400"),
                            poor(offices[0], "2.0"), poor(offices[1], "3.0")]})
        rows = (await commune.get(f"{API}/assignment-decisions/{cascade['id']}/cascade-check")).json()["rows"]
        by_indicator = {r["key"]["indicator_code"]: r for r in rows}
        short = by_indicator[GTSX]
        assert (short["aggregation"], short["own_target"], short["sub_total"], short["shortfall"]) == ("sum", "1000", "900", "100")
        assert "thấp hơn" in short["warning"]
        rate = by_indicator[POOR]
        assert (rate["aggregation"], rate["warning"]) == ("compared", "")
        doc = await _signed_document(commune, document_ca, "10846", "QĐ 15 xã Hà Tây")
        r = await commune.post(f"{API}/assignment-decisions/{cascade['id']}/issue",
                               json={"document_id": doc, "version": cascade["version"]})
        assert r.status_code == 200, r.text  # the warning does not block

    async with _client(target, await target.sign_in("ke_hoach")) as province:
        adjusting = await _create(province, {
            "number": "300/QĐ-UBND", "title": "Điều chỉnh chỉ tiêu năm 2026", "issued_on": "2026-06-20",
            "effective_from": "2026-07-01", "issuer_unit_id": by_code["31.STC"], "year": 2026,
            "adjusts_decision_id": decision_id, "assignments": [gtsx(ha_tay, "1200")]})
        doc = await _signed_document(province, document_ca, "31", "QĐ 300 điều chỉnh")
        r = await province.post(f"{API}/assignment-decisions/{adjusting['id']}/issue",
                                json={"document_id": doc, "version": adjusting["version"]})
        assert r.status_code == 200, r.text
        r = await province.patch(f"{API}/assignment-decisions/{decision_id}", headers={"If-Match": '"2"'},
                                 json={"title": "Sửa sau khi ban hành"})
        assert r.status_code == 409  # an issued decision is never edited in place

    async with _client(target, await target.sign_in("nhap_lieu")) as clerk:
        history = (await clerk.get(f"{API}/assignments/{own_gtsx['id']}/history")).json()["items"]
        assert [(h["decision_number"], h["target"]["target_value"], h["status"], h["effective_from"], h["effective_to"])
                for h in history] == [("125/QĐ-UBND", "1000", "superseded", "2026-01-05", "2026-07-01"),
                                      ("300/QĐ-UBND", "1200", "issued", "2026-07-01", None)]

        async def in_force(day: str) -> str:
            items = (await clerk.get(f"{API}/assignments", params={"in_force_on": day, "assignee_unit_id": ha_tay,
                                                                    "kind": "indicator_target"})).json()["items"]
            return next(a["target"]["target_value"] for a in items if a["target"]["key"]["indicator_code"] == GTSX)

        assert await in_force("2026-03-01") == "1000"
        assert await in_force("2026-09-01") == "1200"
