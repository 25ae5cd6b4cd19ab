"""`POST /api/v1/data-values` through the gateway on PostgreSQL (the distributed stack, real
tokens): issue 11's "Done when" — a 10,000-row JSON payload with 50 bad rows reports exactly
those 50 rows and stores the rest; posting it again changes nothing — plus the CSV form, bad
input (a broken CSV, wrong JSON types, an unknown media type), a unit outside the caller's
scope refused like an unknown one, an office limited to its own indicators, and the
Idempotency-Key. Its reports are Xã Hà Tây's for 2037 (no other test uses that year)."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

API = "/api/v1"
CALENDAR = "LICH.HP2081"
PERIODS = ["2037-M01", "2037-M02", "2037-M03", "2037-M04", "2037-M05"]
LINES_PER_REPORT = 2000  # the most a form takes
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lines() -> list[dict]:
    out = [{"indicator_code": f"BULK.{i:04d}", "name": f"Chỉ số thử {i}", "office_code": "10846.PKT",
            "value_type": "number", "unit": "", "required": False, "dimensions": []}
           for i in range(LINES_PER_REPORT - 1)]
    out.append({"indicator_code": "BULK.TYLE", "name": "Tỷ lệ thử", "office_code": "10846.PVHXH",
                "value_type": "percent", "unit": "%", "required": False, "dimensions": []})
    return out


async def _client(target, username: str) -> httpx.AsyncClient:
    token = await target.sign_in(username)
    return httpx.AsyncClient(base_url=target.base_url, timeout=120,
                             headers={"Authorization": f"Bearer {token}"})


async def _open(client: httpx.AsyncClient, period: str) -> str:
    body = {"org_unit_code": "10846", "period_code": period, "calendar_code": CALENDAR,
            "lines": lines()}
    for _ in range(120):  # the service learns units and calendars from the catalog's events
        r = await client.post(f"{API}/submissions", json=body)
        if r.status_code in (200, 201):
            return r.json()["id"]
        await asyncio.sleep(0.5)
    raise AssertionError(r.text)


async def test_ten_thousand_rows_with_fifty_bad_ones(distributed_target) -> None:
    tong_hop = await _client(distributed_target, "tong_hop")
    nhap_lieu = await _client(distributed_target, "nhap_lieu")
    mttq = await _client(distributed_target, "mttq")
    try:
        ids = [await _open(tong_hop, p) for p in PERIODS]
        rows = [{"org_unit_code": "10846", "period_code": p, "key": f"BULK.{i:04d}", "value": i + 0.5}
                for p in PERIODS for i in range(LINES_PER_REPORT - 1)]
        rows += [{"org_unit_code": "10846", "period_code": p, "key": "BULK.TYLE/actual",
                  "value": "12,5", "note": "Theo điều tra"} for p in PERIODS]
        assert len(rows) == 10_000
        bad_rows = {}
        for n, i in enumerate(range(7, 10_000, 200)):  # 50 rows spread over the payload
            kind = n % 5
            bad = dict(rows[i])
            if kind == 0:
                bad["org_unit_code"] = "11311"  # another commune: outside tong_hop's scope
            elif kind == 1:
                bad["value"] = "mười hai"
            elif kind == 2:
                bad["key"] = "KHONG.CO"
            elif kind == 3:
                bad["period_code"] = "2037-M13"
            else:
                bad["period_code"] = "2037-M06"  # no report opened for June
            rows[i] = bad
            bad_rows[i + 1] = ("org_unit_code", "value", "key", "period_code", "period_code")[kind]

        r = await tong_hop.post(f"{API}/data-values", params={"dry_run": "true"}, json={"data_values": rows})
        assert r.status_code == 200, r.text
        dry = r.json()
        assert (dry["dry_run"], dry["imported"], dry["updated"], dry["ignored"]) == (True, 9950, 0, 0)
        assert {x["row"]: x["field"] for x in dry["refused"]} == bad_rows
        first = (await tong_hop.get(f"{API}/submissions/{ids[0]}")).json()
        assert first["figures"] == []  # a dry run writes nothing

        r = await tong_hop.post(f"{API}/data-values", json={"data_values": rows})
        done = r.json()
        assert (done["dry_run"], done["imported"], done["ignored"]) == (False, 9950, 0), r.text
        assert done["refused"] == dry["refused"]
        reasons = {x["row"]: x["reason"] for x in done["refused"]}
        assert reasons[8] == "Không tìm thấy đơn vị 11311 trong phạm vi của bạn"
        assert reasons[208].endswith("“mười hai” không phải là số")
        assert "KHONG.CO không có trong báo cáo" in reasons[408]
        assert reasons[808] == "Đơn vị 10846 chưa mở báo cáo Tháng 6/2037"
        stored = {p: (await tong_hop.get(f"{API}/submissions/{i}")).json() for p, i in zip(PERIODS, ids)}
        assert sum(len(s["figures"]) for s in stored.values()) == 9950
        fig = next(f for f in stored["2037-M01"]["figures"] if f["key"]["indicator_code"] == "BULK.0003")
        assert (fig["value"], fig["version"], fig["updated_by"]) == ("3.5", 1, "tong_hop")

        r = await tong_hop.post(f"{API}/data-values", json={"data_values": rows})
        again = r.json()
        assert (again["imported"], again["updated"], again["ignored"], len(again["refused"])) == (0, 0, 9950, 50)
        after = (await tong_hop.get(f"{API}/submissions/{ids[0]}")).json()
        assert after["version"] == stored["2037-M01"]["version"]  # nothing changed

        # CSV: header = the JSON field names; a changed value is an update kept in the history
        csv_body = ("org_unit_code,period_code,key,value,note\n"
                    "10846,2037-M01,BULK.0003,\"4,25\",Điều chỉnh\n"
                    "10846,2037-M01,BULK.0004,4.5\n").encode()
        r = await tong_hop.post(f"{API}/data-values", content=csv_body,
                                headers={"Content-Type": "text/csv; charset=utf-8"})
        assert r.status_code == 200, r.text
        assert (r.json()["updated"], r.json()["refused"]) == (1, [
            {"row": 3, "field": "", "reason": "Dòng có 4 ô, tiêu đề có 5 cột"}])
        h = (await tong_hop.get(f"{API}/submissions/{ids[0]}/history")).json()
        last = h["changes"][-1]
        assert (last["before"], last["after"], last["actor"], last["reason"]) == (
            "3.5", "4.25", "tong_hop", "Nhập hàng loạt")

        # bad input: a clear problem naming the field, nothing written
        r = await tong_hop.post(f"{API}/data-values", content=b"ma,ky\n1,2\n",
                                headers={"Content-Type": "text/csv"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "csv", r.text
        r = await tong_hop.post(f"{API}/data-values", json={"data_values": [
            {"org_unit_code": "10846", "period_code": "2037-M01", "key": "BULK.0001", "value": {"x": 1}}]})
        assert r.status_code == 422, r.text
        assert {e["field"] for e in r.json()["errors"]} >= {"data_values.0.value.str"} or any(
            e["field"].startswith("data_values.0.value") for e in r.json()["errors"])
        r = await tong_hop.post(f"{API}/data-values", content=b"<x/>", headers={"Content-Type": "application/xml"})
        assert r.status_code == 415, r.text

        # an office writes only its own indicators; the Front writes nothing
        r = await nhap_lieu.post(f"{API}/data-values", json={"data_values": [
            {"org_unit_code": "10846", "period_code": "2037-M02", "key": "BULK.0001", "value": "1"},
            {"org_unit_code": "10846", "period_code": "2037-M02", "key": "BULK.TYLE", "value": "99"},
        ]})
        out = r.json()
        assert (out["updated"], [(x["row"], x["field"]) for x in out["refused"]]) == (1, [(2, "key")]), r.text
        assert "chỉ được nhập số liệu của phòng mình" in out["refused"][0]["reason"]
        r = await mttq.post(f"{API}/data-values", json={"data_values": []})
        assert r.status_code == 403

        # Idempotency-Key: the same request answers the first summary; other rows → 409
        one = {"data_values": [{"org_unit_code": "10846", "period_code": "2037-M03",
                                "key": "BULK.0010", "value": "77"}]}
        key = {"Idempotency-Key": "data-values-e2e-2037"}
        first = (await tong_hop.post(f"{API}/data-values", json=one, headers=key)).json()
        replay = (await tong_hop.post(f"{API}/data-values", json=one, headers=key)).json()
        assert first == replay and first["updated"] == 1
        one["data_values"][0]["value"] = "78"
        r = await tong_hop.post(f"{API}/data-values", json=one, headers=key)
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "idempotency_key"

        # the report as an Excel workbook, filled in offline and read back (dry run first)
        r = await tong_hop.get(f"{API}/submissions/{ids[4]}/xlsx")
        assert r.status_code == 200 and r.headers["content-type"] == XLSX, r.text
        assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%2010846" in r.headers["content-disposition"]
        wb = load_workbook(io.BytesIO(r.content))
        ws = wb["Báo cáo"]
        header = {c.value: c.column for c in ws[6]}
        keys = {ws.cell(n, header["Khoá số liệu"]).value: n for n in range(7, ws.max_row + 1)}
        assert len(keys) == LINES_PER_REPORT
        ws.cell(keys["BULK.0001/actual"], header["Giá trị"]).value = 42
        ws.cell(keys["BULK.TYLE/actual"], header["Giá trị"]).value = 101
        buf = io.BytesIO()
        wb.save(buf)
        upload = {"file": ("bao-cao.xlsx", buf.getvalue(), XLSX)}
        r = await tong_hop.post(f"{API}/submissions/{ids[4]}/xlsx", params={"dry_run": "true"}, files=upload)
        assert r.status_code == 200, r.text
        dry = r.json()
        assert (dry["dry_run"], dry["updated"], [x["row"] for x in dry["refused"]]) == (
            True, 1, [keys["BULK.TYLE/actual"]])
        r = await tong_hop.post(f"{API}/submissions/{ids[4]}/xlsx", files=upload)
        assert (r.json()["updated"], r.json()["dry_run"]) == (1, False), r.text
        fig = next(f for f in (await tong_hop.get(f"{API}/submissions/{ids[4]}")).json()["figures"]
                   if f["key"]["indicator_code"] == "BULK.0001")
        assert (fig["value"], fig["version"]) == ("42", 2)
        r = await tong_hop.post(f"{API}/submissions/{ids[4]}/xlsx",
                                files={"file": ("x.xlsx", b"not a workbook", XLSX)})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file", r.text
    finally:
        for c in (tong_hop, nhap_lieu, mttq):
            await c.aclose()
