"""The Front's oversight through the gateway with real tokens (issue 14, "Done when"), on the
all-in-one: the city's Front (mttq) sees the poverty-rate targets opened to it, comments on Xã
Hà Tây's, the commune answers (notified in its inbox); the Front files an oversight report
with a signed PDF and two recommendations to two communes; Hà Tây answers its recommendation
and the Front resolves it, the other passes its due date and shows as overdue on the Front's
and the People's Committee's boards. The access matrix covers who may do what."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

import httpx
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

API = "/api/v1"
POOR = "HP2081.XIII.11"  # Tỷ lệ hộ nghèo
YEAR = 2031  # a year no other test assigns


def _client(target: Target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120)


async def _pdf(client: httpx.AsyncClient, ca, owner_type: str, owner_unit: str, title: str) -> str:
    data = sign_pdf(plain_pdf(title), ca.issue("Nguyễn Thị Hoa", organization="Ủy ban MTTQ Việt Nam thành phố"))
    r = await client.post(f"{API}/documents", files={"file": (f"{title}.pdf", data, "application/pdf")}, data={
        "owner_type": owner_type, "owner_id": title, "owner_org_unit_code": owner_unit, "kind": "decision" if owner_type == "assignment_decision" else "oversight",
        "title": title})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _eventually(probe, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(what)
        await asyncio.sleep(0.5)


POOR_OCTOBER = "3.1"


async def _october_report_accepted(target: Target) -> None:
    """Xã Hà Tây's October report with the poverty rate, through its chain to the province."""
    clients = {u: _client(target, await target.sign_in(u)) for u in ("tong_hop", "nhap_lieu", "chu_tich", "ke_hoach")}
    try:
        line = {"indicator_code": POOR, "name": "Tỷ lệ hộ nghèo", "office_code": "10846.PKT",
                "value_type": "percent", "unit": "%", "required": True, "dimensions": []}
        r = await clients["tong_hop"].post(f"{API}/submissions", json={
            "org_unit_code": "10846", "period_code": f"{YEAR}-M10", "calendar_code": "LICH.HP2081", "lines": [line]})
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        r = await clients["nhap_lieu"].post(f"{API}/submissions/{sid}/figures", json={"figures": [
            {"key": {"indicator_code": POOR, "members": [], "kind": "actual"}, "value": POOR_OCTOBER}]})
        assert r.status_code == 200, r.text
        r = await clients["nhap_lieu"].post(f"{API}/submissions/{sid}/deliver", json={"office_code": "10846.PKT"})
        assert r.status_code == 200, r.text
        for who, step in (("tong_hop", "consolidate"), ("chu_tich", "approve"), ("chu_tich", "send"),
                          ("ke_hoach", "accept")):
            r = await clients[who].post(f"{API}/submissions/{sid}/{step}", json={})
            assert r.status_code == 200, (step, r.text)
    finally:
        for c in clients.values():
            await c.aclose()


async def _figure(client: httpx.AsyncClient, unit_code: str) -> str | None:
    r = await client.get(f"{API}/rollups", params={"org_unit_code": unit_code, "period_code": f"{YEAR}-M10",
                                                   "indicator_codes": POOR})
    assert r.status_code == 200, r.text
    rows = [row for row in r.json()["rows"] if row["key"]["indicator_code"] == POOR and row["value"]]
    return rows[0]["value"] if rows else None


async def test_front_comments_reports_and_follows_recommendations(allinone_target: Target, document_ca) -> None:
    target = allinone_target
    async with _client(target, await target.sign_in("ke_hoach")) as province:
        units = (await province.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
        by_code = {u["code"]: u["id"] for u in units}
        other_code = min(u["code"] for u in units if u["kind"] == "commune" and u["code"] != "10846")
        ha_tay, other, front = by_code["10846"], by_code[other_code], by_code["31.MTTQ"]
        body = {"number": "31/QĐ-GS", "title": "Giao chỉ tiêu giảm nghèo", "issued_on": f"{YEAR}-01-05",
                "issuer_unit_id": by_code["31.STC"], "year": YEAR, "front_unit_ids": [front],
                "assignments": [{"assignee_unit_id": u, "target": {"key": {"indicator_code": POOR}, "target_value": "2.5",
                                                                  "comparison": "at_most"}} for u in (ha_tay, other)]}
        for _ in range(120):
            r = await province.post(f"{API}/assignment-decisions", json=body)
            if r.status_code != 422 or "unit_id" not in r.text:
                break
            await asyncio.sleep(0.5)
        assert r.status_code == 201, r.text
        draft = r.json()
        doc = await _pdf(province, document_ca, "assignment_decision", "31", "QĐ giảm nghèo 2031")
        r = await province.post(f"{API}/assignment-decisions/{draft['id']}/issue", json={"document_id": doc, "version": draft["version"]})
        assert r.status_code == 200, r.text
        given = {a["assignee_unit_id"]: a["id"] for a in r.json()["assignments"]}

    async with _client(target, await target.sign_in("mttq")) as mttq:
        # what the Front oversees: the targets opened to its committee
        opened = (await mttq.get(f"{API}/assignments", params={"front_unit_id": front, "year": YEAR})).json()["items"]
        assert {a["assignee_unit_id"] for a in opened} == {ha_tay, other}

        async def post_comment() -> httpx.Response | None:  # the service learns the units from the catalog's events
            r = await mttq.post(f"{API}/comments", json={
                "subject": {"kind": "assignment", "id": given[ha_tay], "label": "Tỷ lệ hộ nghèo – Xã Hà Tây"},
                "text": "Tỷ lệ hộ nghèo tháng 10 chưa giảm theo chỉ tiêu; đề nghị xã giải trình."})
            return r if r.status_code != 403 or "chưa được giao" not in r.text else None
        r = await _eventually(post_comment, "the oversight service never learned the Front committee")
        assert r.status_code == 201, r.text
        comment = r.json()
        assert comment["addressee_unit_id"] == ha_tay and comment["status"] == "open"
        first_text = comment["text"]
        r = await mttq.patch(f"{API}/comments/{comment['id']}", json={"text": first_text + " Kèm số liệu."},
                             headers={"If-Match": f'"{comment["version"]}"'})
        assert r.status_code == 200, r.text
        assert [e["text"] for e in r.json()["edits"]] == [first_text]

    async with _client(target, await target.sign_in("chu_tich")) as commune:
        mine = (await commune.get(f"{API}/comments", params={"addressee_unit_id": ha_tay})).json()["items"]
        assert comment["id"] in {c["id"] for c in mine}
        r = await commune.post(f"{API}/comments/{comment['id']}/responses",
                               json={"text": "Xã đã rà soát lại 12 hộ; tỷ lệ tháng 11 giảm còn 2,6 %."})
        assert r.status_code == 201, r.text
        inbox = await _eventually(lambda: _notices(commune, "góp ý kiến"), "no notice of the comment")
        assert any(n["link"] == f"#/giam-sat/y-kien/{comment['id']}" for n in inbox)

    await _october_report_accepted(target)  # Hà Tây's October figure, which the Front will cite

    overdue_day = (date.today() - timedelta(days=2)).isoformat()
    async with _client(target, await target.sign_in("mttq")) as mttq:
        # the Front reads the October figure of what was opened to it, from the reporting service
        r = await _eventually(lambda: _figure(mttq, "10846"), "the Front never saw Hà Tây's October figure")
        assert r == POOR_OCTOBER
        seen = (await mttq.get(f"{API}/comments/{comment['id']}")).json()
        assert seen["status"] == "responded" and seen["responses"][0]["text"].startswith("Xã đã rà soát")
        r = await mttq.delete(f"{API}/comments/{comment['id']}", headers={"If-Match": f'"{seen["version"]}"'})
        assert r.status_code == 409  # never deleted once answered
        answered = await _eventually(lambda: _notices(mttq, "đã trả lời ý kiến"), "the Front was not told of the answer")
        assert answered

        r = await mttq.post(f"{API}/oversight-reports", json={
            "title": "Giám sát thực hiện chỉ tiêu giảm nghèo", "period": {"kind": "month", "year": YEAR, "number": 10},
            "as_of": f"{YEAR}-11-05", "overseen_unit_ids": [ha_tay, other],
            "findings": "Hai xã chưa đạt chỉ tiêu giảm nghèo tháng 10.",
            "recommendations": [
                {"code": "1", "text": "Rà soát danh sách hộ nghèo.", "addressee_unit_id": ha_tay, "due_date": "2099-12-31"},
                {"code": "2", "text": "Báo cáo số liệu hộ nghèo.", "addressee_unit_id": other, "due_date": overdue_day},
            ]})
        assert r.status_code == 201, r.text
        report = r.json()
        # only this test's targets: other tests share the stack and open tasks to the Front too
        ours = [c for c in report["citations"] if c["assignment_id"] in given.values()]
        cited = {(c["org_unit_id"], c["key"]["indicator_code"], c["target_value"]) for c in ours}
        assert {(ha_tay, POOR, "2.5"), (other, POOR, "2.5")} <= cited
        values = {c["org_unit_id"]: c["value"] for c in ours}
        assert values == {ha_tay: POOR_OCTOBER, other: ""}  # the number it saw; none reported by the other
        assert {c["period_code"] for c in ours} == {f"{YEAR}-M10"}
        pdf = await _pdf(mttq, document_ca, "oversight_report", "31.MTTQ", "Báo cáo giám sát giảm nghèo")
        r = await mttq.post(f"{API}/oversight-reports/{report['id']}/file", json={"document_id": pdf, "version": report["version"]})
        assert r.status_code == 200, r.text
        filed = r.json()
        assert filed["status"] == "filed" and filed["filed_to_unit_id"] == by_code["31"] and filed["document_id"] == pdf
        recs = {x["code"]: x for x in filed["recommendations"]}
        assert recs["2"]["overdue"] is True and recs["1"]["overdue"] is False

    async with _client(target, await target.sign_in("tong_hop")) as office:  # Hà Tây's consolidating office
        r = await office.post(f"{API}/recommendations/{recs['1']['id']}/responses",
                              json={"text": "Đã rà soát xong, danh sách 12 hộ kèm theo."})
        assert r.status_code == 201, r.text
        r = await office.post(f"{API}/recommendations/{recs['2']['id']}/responses", json={"text": "Không phải xã tôi"})
        assert r.status_code == 404  # addressed to another commune: not even visible

    async with _client(target, await target.sign_in("mttq")) as mttq:
        r = await mttq.post(f"{API}/recommendations/{recs['1']['id']}/accept", json={"remark": "Đạt yêu cầu"})
        assert r.status_code == 200 and r.json()["status"] == "resolved", r.text
        front_board = (await mttq.get(f"{API}/recommendations/board")).json()["rows"]

    async with _client(target, await target.sign_in("lanh_dao")) as committee:  # the People's Committee
        assert (await committee.get(f"{API}/oversight-reports/{report['id']}")).status_code == 200
        city_board = (await committee.get(f"{API}/recommendations/board")).json()["rows"]
        late = (await committee.get(f"{API}/recommendations", params={"overdue": "true", "oversight_report_id": report["id"]})).json()
        assert [x["code"] for x in late["items"]] == ["2"]

    for rows in (front_board, city_board):
        by_unit = {r["addressee_unit_id"]: r for r in rows}
        assert by_unit[ha_tay]["resolved"] >= 1 and by_unit[other]["overdue"] >= 1


async def _notices(client: httpx.AsyncClient, phrase: str) -> list[dict]:
    items = (await client.get(f"{API}/notifications", params={"page_size": 100})).json().get("items", [])
    return [n for n in items if phrase in n["title"]]
