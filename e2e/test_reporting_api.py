"""Issue 12's "Done when", the roll-up part, through the gateway on the distributed stack
(PostgreSQL, the Kafka-protocol broker, real tokens): Xã Hà Tây's September and October
reports are accepted; the province's report shows the new figures as soon as the reporting
consumer has the event, with a sum (flow), a rate recomputed as a ratio of sums (not a mean of
percentages) and a stock (last value); the commune reads its own subtree only and the Front
reads nothing that was not opened to it.

Uses year 2032 so no other test's reports mix in (the stack is shared by the whole run)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from ktxh_testing.submission_form import PKT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

API = "/api/v1"
CALENDAR = "LICH.HP2081"
THU = "HP2081.XIII.08"  # state budget revenue: sum, flow
TRAM = "HP2081.XIII.18"  # health stations meeting the standard: sum, stock
TTHC = "HP2081.XIII.22"  # procedures settled on time: ratio of HS_DUNG_HAN / HS_DA_GIAI_QUYET
DUNG_HAN, DA_GIAI_QUYET = "HP2081.TP.HS_DUNG_HAN", "HP2081.TP.HS_DA_GIAI_QUYET"
FIGURES = {
    "2032-M09": {THU: "100", TRAM: "1", DUNG_HAN: "90", DA_GIAI_QUYET: "100", TTHC: "90"},
    "2032-M10": {THU: "50", TRAM: "2", DUNG_HAN: "10", DA_GIAI_QUYET: "50", TTHC: "20"},
}


def _lines() -> list[dict]:
    types = {TRAM: "integer", TTHC: "percent"}
    return [{"indicator_code": code, "name": code, "office_code": PKT, "value_type": types.get(code, "number"),
             "unit": "", "required": True, "dimensions": []} for code in FIGURES["2032-M10"]]


async def _client(target, username: str) -> httpx.AsyncClient:
    token = await target.sign_in(username)
    return httpx.AsyncClient(base_url=target.base_url, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})


async def _until(call, ok, tries: int = 240, pause: float = 0.05) -> httpx.Response:
    for _ in range(tries):
        r = await call()
        if ok(r):
            return r
        await asyncio.sleep(pause)
    raise AssertionError(f"never ready: {r.status_code} {r.text[:300]}")


async def _report_accepted(clients: dict[str, httpx.AsyncClient], period: str) -> None:
    body = {"org_unit_code": "10846", "period_code": period, "calendar_code": CALENDAR, "lines": _lines()}
    r = await _until(lambda: clients["tong_hop"].post(f"{API}/submissions", json=body),
                     lambda r: r.status_code in (200, 201), pause=0.5)
    sid = r.json()["id"]
    figures = [{"key": {"indicator_code": k, "members": [], "kind": "actual"}, "value": v,
                "note": "Thay đổi theo tiến độ thực tế của tháng"}  # big changes need a note
               for k, v in FIGURES[period].items()]
    r = await clients["nhap_lieu"].post(f"{API}/submissions/{sid}/figures", json={"figures": figures})
    assert r.status_code == 200, r.text
    r = await clients["nhap_lieu"].post(f"{API}/submissions/{sid}/deliver", json={"office_code": PKT})
    assert r.status_code == 200, r.text
    for who, step in (("tong_hop", "consolidate"), ("chu_tich", "approve"), ("chu_tich", "send"),
                      ("ke_hoach", "accept")):
        r = await clients[who].post(f"{API}/submissions/{sid}/{step}", json={})
        assert r.status_code == 200, (step, r.text)


def _rows(response: httpx.Response) -> dict[str, dict]:
    return {row["key"]["indicator_code"]: row for row in response.json()["rows"] if row["is_total"]}


async def test_the_province_report_after_xa_ha_tay_is_accepted(distributed_target, capsys) -> None:
    target = distributed_target
    clients = {u: await _client(target, u) for u in ("tong_hop", "nhap_lieu", "chu_tich", "ke_hoach", "mttq")}
    ke_hoach = clients["ke_hoach"]
    codes = ",".join(FIGURES["2032-M10"])
    try:
        await _report_accepted(clients, "2032-M09")
        started = time.monotonic()
        await _report_accepted(clients, "2032-M10")
        accepted = time.monotonic()
        october = await _until(
            lambda: ke_hoach.get(f"{API}/rollups", params={
                "org_unit_code": "31", "period_code": "2032-M10", "indicator_codes": codes}),
            lambda r: r.status_code == 200 and _rows(r).get(THU, {}).get("value") == "50")
        shown = time.monotonic()
        with capsys.disabled():
            print(f"\n[reporting] accepted → in the province roll-up: {shown - accepted:.3f} s "
                  f"(whole chain {accepted - started:.2f} s)")
        rows = _rows(october)
        assert rows[THU]["year_to_date_value"] == "150"  # September + October
        assert rows[THU]["aggregation"] == "sum" and rows[THU]["time_aggregation"] == "flow"
        assert rows[TTHC]["value"] == "20" and rows[TTHC]["numerator"] == "10"

        # as of 31 October: the flow from January, the stock's last value, the rate recomputed
        as_of = _rows(await ke_hoach.get(f"{API}/rollups", params={
            "org_unit_code": "31", "period_code": "@2032-10-31", "indicator_codes": codes}))
        assert as_of[THU]["value"] == "150"
        assert as_of[TRAM]["value"] == "2"
        assert as_of[TTHC]["value"] == "66.666667"  # 100 / 150, not (90 % + 20 %) / 2 = 55 %
        assert (as_of[TTHC]["numerator"], as_of[TTHC]["denominator"]) == ("100", "150")

        series = (await ke_hoach.get(f"{API}/indicator-series", params={
            "org_unit_code": "31", "indicator_code": THU, "from": 2032, "to": 2032, "kind": "quarter"})).json()
        assert [p["value"] for p in series["points"]] == ["", "", "100", "50"]
        figures = (await ke_hoach.get(f"{API}/figures", params={
            "org_unit_code": "10846", "indicator_code": THU})).json()["items"]
        assert {(f["period_code"], f["value"]) for f in figures} >= {("2032-M09", "100"), ("2032-M10", "50")}

        # the commune reads its own roll-up, not the province's; the Front nothing unopened
        own = await clients["chu_tich"].get(f"{API}/rollups", params={
            "org_unit_code": "10846", "period_code": "2032-M10", "indicator_codes": THU})
        assert _rows(own)[THU]["value"] == "50"
        r = await clients["chu_tich"].get(f"{API}/rollups", params={"org_unit_code": "31", "period_code": "2032-M10"})
        assert r.status_code == 404
        r = await clients["mttq"].get(f"{API}/rollups", params={"org_unit_code": "10846", "period_code": "2032-M10"})
        assert r.status_code == 200 and r.json()["rows"] == []
        r = await ke_hoach.get(f"{API}/rollups", params={"org_unit_code": "31", "period_code": "2032-M13"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period_code"
    finally:
        for c in clients.values():
            await c.aclose()
