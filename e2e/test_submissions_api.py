"""Issue 11's "Done when" through the gateway on PostgreSQL (the distributed stack, real
tokens): the three offices of Xã Hà Tây fill in the 28 indicators of seed 001 for October
2026, each only its own; the consolidating office returns one figure with a comment; it is
corrected; the chairman approves; the province accepts; the history shows every step with
who, when, before and after. An office cannot write another office's figure and a commune
never reads another commune's report."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from ktxh_testing.submission_form import (
    PKT,
    PVHXH,
    TTHCC,
    figure_keys,
    sample_value,
    seed_001_lines,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

API = "/api/v1"
CALENDAR = "LICH.HP2081"
OFFICE_USERS = {PKT: "nhap_lieu", PVHXH: "nhap_lieu_vhxh", TTHCC: "nhap_lieu_hcc"}
BHYT = {"indicator_code": "HP2081.XIII.16", "members": [], "kind": "actual"}


async def _client(target, username: str) -> httpx.AsyncClient:
    token = await target.sign_in(username)
    return httpx.AsyncClient(base_url=target.base_url, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})


async def _until(call, ok=lambda r: r.status_code in (200, 201), tries: int = 120) -> httpx.Response:
    """The submission service learns units and calendars from the catalog's events."""
    for _ in range(tries):
        r = await call()
        if ok(r):
            return r
        await asyncio.sleep(0.5)
    raise AssertionError(f"never ready: {r.status_code} {r.text[:300]}")


def _entries(office: str, figures: dict) -> list[dict]:
    out = []
    for row, line in enumerate(seed_001_lines(), start=1):
        if line["office_code"] != office:
            continue
        for k in figure_keys(line):
            key = {**k, "kind": "actual"}
            out.append({"key": key, "value": sample_value(line, row),
                        "expected_version": figures.get(_text(key), {}).get("version", 0)})
    return out


def _text(key: dict) -> str:
    return key["indicator_code"] + "".join(
        f"|{m['dimension_code']}={m['member_code']}" for m in key["members"])


def _figures(sub: dict) -> dict[str, dict]:
    return {_text(f["key"]): f for f in sub["figures"]}


async def test_the_october_2026_chain_of_xa_ha_tay(distributed_target) -> None:
    target = distributed_target
    tong_hop = await _client(target, "tong_hop")
    offices = {o: await _client(target, u) for o, u in OFFICE_USERS.items()}
    chu_tich = await _client(target, "chu_tich")
    ke_hoach = await _client(target, "ke_hoach")
    mttq = await _client(target, "mttq")
    try:
        # the period and its deadlines (seed 001: before the 20th; offices 3 days earlier)
        r = await _until(lambda: tong_hop.get(f"{API}/periods/2026-M10",
                                              params={"calendar_code": CALENDAR}))
        period = r.json()
        assert (period["label"], period["deadline"]) == ("Tháng 10/2026", "2026-10-19")
        assert [(d["step"], d["due_date"]) for d in period["internal_deadlines"]][:2] == [
            ("office_entry", "2026-10-16"), ("consolidation", "2026-10-16")]
        months = (await tong_hop.get(f"{API}/periods", params={
            "calendar_code": CALENDAR, "kind": "month", "year": 2026})).json()["items"]
        assert [p["code"] for p in months][:2] == ["2026-M01", "2026-M02"] and len(months) == 12

        # the consolidating office opens the report with the form of seed 001
        body = {"org_unit_code": "10846", "period_code": "2026-M10", "calendar_code": CALENDAR,
                "lines": seed_001_lines()}
        r = await _until(lambda: tong_hop.post(f"{API}/submissions", json=body))
        sub = r.json()
        sid = sub["id"]
        assert (sub["status"], len(sub["lines"]), sorted(s["office_code"] for s in sub["sections"])) == (
            "draft", 28, sorted(OFFICE_USERS))

        # an office cannot write another office's figure
        r = await offices[PKT].post(f"{API}/submissions/{sid}/figures", json={
            "figures": [{"key": BHYT, "value": "90"}]})
        assert r.status_code == 403, r.text
        assert "chỉ được nhập số liệu của phòng mình" in r.json()["detail"]
        # a bad value is refused naming the indicator and the rule; nothing is stored
        r = await offices[PVHXH].post(f"{API}/submissions/{sid}/figures", json={
            "figures": [{"key": BHYT, "value": "120"}]})
        assert r.status_code == 422, r.text
        error = r.json()["errors"][0]
        assert error["field"] == "figures[0].value"
        assert "Tỷ lệ người dân tham gia bảo hiểm y tế" in error["message"]
        assert "0 đến 100" in error["message"]

        # each office enters its own indicators and hands them over
        for office, client in offices.items():
            r = await client.post(f"{API}/submissions/{sid}/figures",
                                  json={"figures": _entries(office, {})})
            assert r.status_code == 200, r.text
            r = await client.post(f"{API}/submissions/{sid}/deliver", json={"office_code": office})
            assert r.status_code == 200, r.text
        sub = r.json()
        assert all(s["status"] == "delivered" for s in sub["sections"])
        assert len(sub["figures"]) == sum(len(figure_keys(ln)) for ln in seed_001_lines())

        # the consolidating office returns the BHYT figure to its office
        r = await tong_hop.post(f"{API}/submissions/{sid}/return-figure", json={
            "key": BHYT, "comment": "Số BHYT chưa khớp với BHXH; đề nghị đối chiếu"})
        assert r.status_code == 200, r.text
        r = await chu_tich.post(f"{API}/submissions/{sid}/approve", json={})
        assert r.status_code == 409  # not consolidated yet
        bhyt = _figures((await offices[PVHXH].get(f"{API}/submissions/{sid}")).json())["HP2081.XIII.16"]
        assert bhyt["return_comment"] == "Số BHYT chưa khớp với BHXH; đề nghị đối chiếu"

        # two people on one figure: the stale save is refused showing both values
        r = await offices[PVHXH].post(f"{API}/submissions/{sid}/figures", json={
            "figures": [{"key": BHYT, "value": "91.5", "note": "Đã đối chiếu với BHXH",
                         "expected_version": bhyt["version"]}],
            "reason": "Sửa theo yêu cầu của Văn phòng"})
        assert r.status_code == 200, r.text
        r = await tong_hop.post(f"{API}/submissions/{sid}/figures", json={
            "figures": [{"key": BHYT, "value": "92", "expected_version": bhyt["version"]}]})
        assert r.status_code == 409, r.text
        assert "nhap_lieu_vhxh sửa thành 91.5 trong khi bạn nhập 92" in r.json()["detail"]
        r = await offices[PVHXH].post(f"{API}/submissions/{sid}/deliver", json={"office_code": PVHXH})
        assert r.status_code == 200, r.text

        # consolidated, approved by the chairman, sent, accepted by the province
        for client, step in ((tong_hop, "consolidate"), (chu_tich, "approve"),
                             (chu_tich, "send"), (ke_hoach, "accept")):
            r = await client.post(f"{API}/submissions/{sid}/{step}", json={})
            assert r.status_code == 200, (step, r.text)
        sub = r.json()
        assert sub["status"] == "accepted" and sub["sent_at"] and sub["accepted_at"]
        assert sub["timeliness"]["state"] in ("on_time", "late")

        # the history: every step and every changed figure, who, when, before, after
        h = (await chu_tich.get(f"{API}/submissions/{sid}/history")).json()
        assert [(s["action"], s["actor"]) for s in h["steps"]] == [
            ("opened", "tong_hop"), ("section_delivered", "nhap_lieu"),
            ("section_delivered", "nhap_lieu_vhxh"), ("section_delivered", "nhap_lieu_hcc"),
            ("figure_returned", "tong_hop"), ("section_delivered", "nhap_lieu_vhxh"),
            ("consolidated", "tong_hop"), ("approved", "chu_tich"), ("sent", "chu_tich"),
            ("accepted", "ke_hoach")]
        assert all(s["occurred_at"] for s in h["steps"])
        changes = [c for c in h["changes"] if c["key"]["indicator_code"] == "HP2081.XIII.16"]
        assert [(c["actor"], c["before"], c["after"], c["after_note"], c["reason"])
                for c in changes] == [
            ("nhap_lieu_vhxh", "(trống)", "66", "", ""),
            ("nhap_lieu_vhxh", "66", "91.5", "Đã đối chiếu với BHXH", "Sửa theo yêu cầu của Văn phòng")]
        assert changes[1]["occurred_at"] >= changes[0]["occurred_at"]

        # once accepted, only the upper level reopens it, with a reason
        r = await tong_hop.post(f"{API}/submissions/{sid}/reopen", json={"reason": "Sửa"})
        assert r.status_code == 403
        r = await ke_hoach.post(f"{API}/submissions/{sid}/reopen", json={"reason": ""})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"

        # another commune's report is out of Xã Hà Tây's reach; the Front sees none yet
        admin = await _client(target, "admin")
        units = (await admin.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
        sibling = next(u["code"] for u in sorted(units, key=lambda u: u["code"])
                       if u["kind"] == "commune" and u["code"] != "10846")
        other = (await ke_hoach.post(f"{API}/submissions", json={**body, "org_unit_code": sibling}))
        assert other.status_code == 201, other.text
        other_id = other.json()["id"]
        for client in (offices[PKT], tong_hop, chu_tich, mttq):
            assert (await client.get(f"{API}/submissions/{other_id}")).status_code == 404
            listed = (await client.get(f"{API}/submissions")).json()
            assert other_id not in {s["id"] for s in listed["items"]}
        assert (await mttq.get(f"{API}/submissions/{sid}")).status_code == 404
        listed = (await ke_hoach.get(f"{API}/submissions", params={"period_code": "2026-M10"})).json()
        assert {sid, other_id} <= {s["id"] for s in listed["items"]}
        await admin.aclose()
    finally:
        for c in (tong_hop, chu_tich, ke_hoach, mttq, *offices.values()):
            await c.aclose()
