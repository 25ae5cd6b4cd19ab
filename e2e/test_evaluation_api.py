"""Đánh giá through the gateway with real tokens, in both modes (issue 13): the province gives the
communes' criteria set (its rules — mandatory criteria, partial credit — declared in the
catalog) in a signed decision and opens a round; each commune gets suggested scores with their
evidence; Xã Hà Tây's consolidating office changes scores with reasons and sends to its leader,
who submits; the province adjusts one, finalizes, ranks; the commune asks for review once and
gets an answer; the score sheet exports to XLSX; the leadership reopens and corrects a result;
the results are published as frozen editions (revision 1 stays as it was after revision 2)."""

from __future__ import annotations

import asyncio
import io
import time
import uuid

import httpx
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from openpyxl import load_workbook

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

API = "/api/v1"
YEAR = 2033  # a year no other test gives: the distributed stack is shared


def _client(target: Target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120)


async def _fresh_criteria_set(province: httpx.AsyncClient) -> str:
    """A copy of the seed's commune criteria set under a code of this run: a criteria set stays
    given to a unit until adjusted, so tests sharing a stack must not give the same one twice."""
    seed = (await province.get(f"{API}/criteria-sets/TC.XA.2026")).json()
    code = f"TC.XA.E2E{uuid.uuid4().hex[:6].upper()}"
    body = {
        "code": code, "name": f"{seed['name']} ({code})", "year": seed["year"],
        "applies_to_kinds": seed["applies_to_kinds"], "valid_from": seed["valid_from"],
        "criteria": [{k: c[k] for k in ("code", "name", "guidance", "max_score", "scoring_method", "ordinal",
                                        "indicator_codes", "indicator_set_code", "mandatory")} for c in seed["criteria"]],
        "thresholds": [{"level": t["level"], "min_score": t["min_score"]} for t in seed["thresholds"]],
    }
    body["criteria"][0]["partial_credit"] = "stepped"  # TC.XA.01, indicator achievement
    r = await province.post(f"{API}/criteria-sets", json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "criteria[0].credit_steps", r.text
    body["criteria"][0]["credit_steps"] = [{"min_achievement": "90", "credit": "75"}, {"min_achievement": "70", "credit": "50"}]
    r = await province.post(f"{API}/criteria-sets", json=body)
    assert r.status_code == 201, r.text
    stored = {c["code"]: c for c in r.json()["criteria"]}
    assert stored["TC.XA.01"]["partial_credit"] == "stepped" and len(stored["TC.XA.01"]["credit_steps"]) == 2
    assert stored["TC.XA.03"]["mandatory"] and not stored["TC.XA.04"]["mandatory"]  # from the seed
    return code


async def _issue_criteria(province: httpx.AsyncClient, ca, by_code: dict, communes: list[str], set_code: str) -> None:
    body = {
        "number": "9/QĐ-UBND", "title": f"Giao bộ tiêu chí đánh giá năm {YEAR}", "issued_on": f"{YEAR}-01-05",
        "issuer_unit_id": by_code["31.STC"], "signer": "Chủ tịch Trần Văn Tâm", "year": YEAR,
        "assignments": [{"assignee_unit_id": by_code[c], "criteria": {"criteria_set_id": set_code}} for c in communes]}
    deadline = time.monotonic() + 60  # the assignment service learns the units from the catalog's events
    while True:
        r = await province.post(f"{API}/assignment-decisions", json=body)
        if r.status_code != 422 or time.monotonic() > deadline or "unit_id" not in r.text:
            break
        await asyncio.sleep(0.5)
    assert r.status_code == 201, r.text
    draft = r.json()
    pdf = sign_pdf(plain_pdf("QĐ 9"), ca.issue("Trần Văn Tâm", organization="UBND thành phố Hải Phòng"))
    r = await province.post(f"{API}/documents", files={"file": ("qd9.pdf", pdf, "application/pdf")}, data={
        "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
        "kind": "decision", "title": "QĐ 9"})
    assert r.status_code == 201, r.text
    r = await province.post(f"{API}/assignment-decisions/{draft['id']}/issue",
                            json={"document_id": r.json()["id"], "version": draft["version"]})
    assert r.status_code == 200, r.text


async def test_round_self_evaluation_evaluation_ranking_review_and_sheet(target: Target, document_ca) -> None:
    async with _client(target, await target.sign_in("ke_hoach")) as province:
        units = (await province.get(f"{API}/org-units", params={"page_size": 500})).json()["items"]
        by_code = {u["code"]: u["id"] for u in units}
        communes = ["10846"] + sorted(u["code"] for u in units if u["kind"] == "commune" and u["code"] != "10846")[:2]
        set_code = await _fresh_criteria_set(province)
        await _issue_criteria(province, document_ca, by_code, communes, set_code)

        r = await province.post(f"{API}/evaluation-rounds", json={
            "criteria_set_id": set_code, "year": YEAR, "self_evaluation_deadline": f"{YEAR + 1}-01-15",
            "evaluation_deadline": f"{YEAR + 1}-01-10"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "evaluation_deadline"
        r = await province.post(f"{API}/evaluation-rounds", json={
            "criteria_set_id": set_code, "year": YEAR, "self_evaluation_deadline": f"{YEAR + 1}-01-15",
            "evaluation_deadline": f"{YEAR + 1}-01-31", "report_period_codes": [f"{YEAR}-Q1", f"{YEAR}-Q2"]})
        assert r.status_code == 201, r.text
        rnd = r.json()
        # the rules come from the catalog (no mandatory_criterion_codes given to the round)
        assert [c["code"] for c in rnd["criteria"] if c["mandatory"]] == ["TC.XA.03"]
        assert rnd["criteria"][0]["partial_credit"] == "stepped"
        assert rnd["criteria_set_code"] == set_code
        assert sorted(u["org_unit_code"] for u in rnd["units"]) == sorted(communes)
        assert [c["code"] for c in rnd["criteria"]] == ["TC.XA.01", "TC.XA.02", "TC.XA.03", "TC.XA.04"]
        assert rnd["max_total_score"] == "100"

        page = (await province.get(f"{API}/evaluations", params={"round_id": rnd["id"]})).json()
        assert page["total"] == 3 and {e["status"] for e in page["items"]} == {"draft"}
        ha_tay_id = next(e["id"] for e in page["items"] if e["org_unit_code"] == "10846")

    async with _client(target, await target.sign_in("tong_hop")) as office:
        mine = (await office.get(f"{API}/evaluations", params={"round_id": rnd["id"]})).json()
        assert [e["org_unit_code"] for e in mine["items"]] == ["10846"]  # its own commune only
        e = (await office.get(f"{API}/evaluations/{ha_tay_id}")).json()
        by_code_score = {s["criterion_code"]: s for s in e["scores"]}
        reports = by_code_score["TC.XA.03"]
        # no report sent for the round's periods: 0 points, each missing period named
        assert reports["suggested_score"] == "0.00" and reports["mandatory"]
        assert [x["label"] for x in reports["evidence"]] == [
            f"Báo cáo kỳ {YEAR}-Q1: không gửi", f"Báo cáo kỳ {YEAR}-Q2: không gửi"]
        assert by_code_score["TC.XA.04"]["suggested_score"] == ""  # manual

        r = await office.put(f"{API}/evaluations/{ha_tay_id}/self-scores", json={
            "version": e["version"], "scores": [{"criterion_code": "TC.XA.02", "score": "22"}]})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "scores[0].comment"
        r = await office.put(f"{API}/evaluations/{ha_tay_id}/self-scores", json={
            "version": e["version"], "scores": [
                {"criterion_code": "TC.XA.01", "score": "46", "comment": "Số liệu năm đã được Thống kê xác nhận"},
                {"criterion_code": "TC.XA.02", "score": "22", "comment": "Hoàn thành 9/10 nhiệm vụ đúng hạn"},
                {"criterion_code": "TC.XA.04", "score": "9"}]})
        assert r.status_code == 200, r.text
        e = r.json()
        assert e["self_total_score"] == "77.00"
        r = await office.post(f"{API}/evaluations/{ha_tay_id}/submit", json={"version": e["version"]})
        assert r.status_code == 403  # sending to the province is the leader's step
        r = await office.post(f"{API}/evaluations/{ha_tay_id}/check", json={"version": e["version"]})
        assert r.status_code == 200 and r.json()["status"] == "checked", r.text
        e = r.json()

    async with _client(target, await target.sign_in("chu_tich")) as leader:
        r = await leader.post(f"{API}/evaluations/{ha_tay_id}/submit", json={"version": e["version"]})
        assert r.status_code == 200 and r.json()["status"] == "submitted", r.text
        e = r.json()

    async with _client(target, await target.sign_in("ke_hoach")) as province:
        r = await province.put(f"{API}/evaluations/{ha_tay_id}/scores", json={
            "version": e["version"], "scores": [
                {"criterion_code": "TC.XA.04", "score": "7", "comment": "Phối hợp với các sở còn chậm"}]})
        assert r.status_code == 200, r.text
        e = r.json()
        s4 = next(s for s in e["scores"] if s["criterion_code"] == "TC.XA.04")
        assert (s4["self_score"], s4["score"]) == ("9", "7")  # the self score stays beside it
        r = await province.post(f"{API}/evaluations/{ha_tay_id}/finalize", json={"version": e["version"]})
        assert r.status_code == 403  # finalizing is the leadership's (approve)

    async with _client(target, await target.sign_in("lanh_dao")) as leadership:
        r = await leadership.post(f"{API}/evaluations/{ha_tay_id}/finalize", json={"version": e["version"]})
        assert r.status_code == 200, r.text
        e = r.json()
        # 46 + 22 + 0 + 7 = 75 ≥ 70: "hoàn thành tốt"
        assert (e["status"], e["total_score"], e["completion_level"]) == ("finalized", "75.00", "good")
        ranking = (await leadership.get(f"{API}/evaluation-rounds/{rnd['id']}/rankings")).json()
        assert [(x["rank"], x["org_unit_code"], x["completion_level"]) for x in ranking["rankings"]] == [
            (1, "10846", "good")]
        assert ranking["count_by_level"]["COMPLETION_LEVEL_GOOD"] == 1

    async with _client(target, await target.sign_in("chu_tich")) as leader:
        r = await leader.post(f"{API}/evaluations/{ha_tay_id}/review-request",
                              json={"version": e["version"], "reason": "Tiêu chí 4: đã phối hợp tốt với Sở Tài chính"})
        assert r.status_code == 200 and r.json()["status"] == "review_requested", r.text
        e = r.json()

    async with _client(target, await target.sign_in("ke_hoach")) as province:
        r = await province.put(f"{API}/evaluations/{ha_tay_id}/scores", json={
            "version": e["version"], "scores": [
                {"criterion_code": "TC.XA.04", "score": "8", "comment": "Chấp nhận một phần đề nghị"}]})
        assert r.status_code == 200, r.text
        e = r.json()
    async with _client(target, await target.sign_in("lanh_dao")) as leadership:
        r = await leadership.post(f"{API}/evaluations/{ha_tay_id}/review-answer",
                                  json={"version": e["version"], "reason": "Nâng tiêu chí 4 lên 8 điểm"})
        assert r.status_code == 200, r.text
        e = r.json()
        assert (e["status"], e["total_score"], e["review"]["answer"]) == (
            "finalized", "76.00", "Nâng tiêu chí 4 lên 8 điểm")
        changes = [(h["action"], h["criterion_code"], h["before"], h["after"], h["by"]) for h in e["history"]
                   if h["action"] == "score"]
        assert changes == [("score", "TC.XA.04", "9", "7", "ke_hoach"), ("score", "TC.XA.04", "7", "8", "ke_hoach")]

    async with _client(target, await target.sign_in("chu_tich")) as leader:
        r = await leader.post(f"{API}/evaluations/{ha_tay_id}/review-request",
                              json={"version": e["version"], "reason": "Lần hai"})
        assert r.status_code == 409 and "một lần" in r.json()["detail"]
        r = await leader.get(f"{API}/evaluations/{ha_tay_id}/xlsx")
        assert r.status_code == 200, r.text
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        assert rows[1][0].startswith("Phụ lục 2 (cấp xã)")
        assert rows[6][:4] == ["TC.XA.01", "Kết quả thực hiện các chỉ số, chỉ tiêu kinh tế - xã hội được giao", 50, 0]
        total = next(r for r in rows if r[1] == "Tổng cộng")
        assert (total[2], total[5], total[7]) == (100, 77, 76)
        assert next(r for r in rows if r[1] == "Xếp loại")[7] == "Hoàn thành tốt nhiệm vụ"
        r = await leader.get(f"{API}/evaluations/{ha_tay_id}/pdf")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF-")

        # The leadership reopens the final result to correct it (a reason is required), the
        # planning office adjusts, the leadership finalizes again.
        r = await leader.post(f"{API}/evaluations/{ha_tay_id}/reopen", json={"version": e["version"], "reason": "x"})
        assert r.status_code == 403  # a commune's leader cannot
    async with _client(target, await target.sign_in("lanh_dao")) as leadership:
        r = await leadership.post(f"{API}/evaluations/{ha_tay_id}/reopen", json={"version": e["version"]})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        # Results published as edition 1 (Hà Tây final at 76, the two other communes without a result)
        r = await leadership.post(f"{API}/evaluation-rounds/{rnd['id']}/editions", json={"note": "QĐ 15/QĐ-UBND"})
        assert r.status_code == 201, r.text
        first = r.json()
        assert (first["revision"], first["unit_count"]) == (1, 3)
        top = first["rows"][0]
        assert (top["rank"], top["org_unit_code"], top["total_score"]) == (1, "10846", "76.00")
        assert [g["code"] for g in first["groups"]] == ["TC.XA.01", "TC.XA.02", "TC.XA.03", "TC.XA.04"]
        assert first["rows"][0]["group_scores"] == ["46.00", "22.00", "0.00", "8.00"]
        r = await leadership.post(f"{API}/evaluations/{ha_tay_id}/reopen",
                                  json={"version": e["version"], "reason": "Nhập nhầm điểm tiêu chí 4"})
        assert r.status_code == 200 and r.json()["status"] == "submitted", r.text
        e = r.json()
    async with _client(target, await target.sign_in("ke_hoach")) as province:
        r = await province.post(f"{API}/evaluation-rounds/{rnd['id']}/editions", json={})
        assert r.status_code == 403  # publishing is the leadership's
        r = await province.put(f"{API}/evaluations/{ha_tay_id}/scores", json={
            "version": e["version"], "scores": [{"criterion_code": "TC.XA.04", "score": "10", "comment": "Sửa nhầm"}]})
        assert r.status_code == 200, r.text
        e = r.json()
    async with _client(target, await target.sign_in("lanh_dao")) as leadership:
        r = await leadership.post(f"{API}/evaluations/{ha_tay_id}/finalize", json={"version": e["version"]})
        assert r.status_code == 200 and r.json()["total_score"] == "78.00", r.text
        r = await leadership.post(f"{API}/evaluation-rounds/{rnd['id']}/editions", json={})
        assert r.status_code == 201 and r.json()["revision"] == 2, r.text
        # edition 1 never changes
        again = (await leadership.get(f"{API}/evaluation-rounds/{rnd['id']}/editions/1")).json()
        assert again["rows"][0]["total_score"] == "76.00" and again["note"] == "QĐ 15/QĐ-UBND"
        listed = (await leadership.get(f"{API}/evaluation-rounds/{rnd['id']}/editions")).json()["items"]
        assert [x["revision"] for x in listed] == [2, 1]
        r = await leadership.get(f"{API}/evaluation-rounds/{rnd['id']}/editions/3")
        assert r.status_code == 404
    async with _client(target, await target.sign_in("chu_tich")) as leader:
        mine = (await leader.get(f"{API}/evaluation-rounds/{rnd['id']}/editions/2")).json()
        assert [(x["org_unit_code"], x["total_score"]) for x in mine["rows"]] == [("10846", "78.00")]  # its own row
        r = await leader.get(f"{API}/evaluation-rounds/{rnd['id']}/editions/2/xlsx")
        assert r.status_code == 200, r.text
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[0][0].endswith("CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU") and rows[5][:3] == (1, "10846", "Xã Hà Tây")
        assert rows[5][-2:] == (78, "Hoàn thành tốt nhiệm vụ")
        r = await leader.get(f"{API}/evaluation-rounds/{rnd['id']}/editions/2/pdf")
        assert r.status_code == 200 and r.content.startswith(b"%PDF-")
