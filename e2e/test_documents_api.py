"""Documents through the gateway with real tokens, in both modes (all-in-one: SQLite and a
local folder; distributed: PostgreSQL and an S3 API server with object lock)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import httpx

from ktxh_testing.pdf_signing import plain_pdf, sign_pdf

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

PROBLEM = "application/problem+json"
DECISION = {"owner_type": "assignment_decision", "owner_id": "qd-e2e", "owner_org_unit_code": "31",
            "kind": "decision", "title": "Quyết định giao chỉ tiêu năm 2026"}


def _client(target: Target, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=target.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


async def _upload(client: httpx.AsyncClient, data: bytes, name: str, form: dict | None = None) -> httpx.Response:
    return await client.post("/api/v1/documents", data=form or DECISION,
                             files={"file": (name, data, "application/pdf")})


async def test_a_signed_decision_is_stored_verified_and_downloaded(target: Target, document_ca):
    signed = sign_pdf(plain_pdf("Quyet dinh 1131"), document_ca.issue("Nguyễn Văn An", organization="UBND thành phố Hải Phòng"))
    async with _client(target, await target.sign_in("admin")) as admin:
        r = await _upload(admin, signed, "Quyết định 1131 giao chỉ tiêu.pdf")
        assert r.status_code == 201, r.text
        doc = r.json()
        current = doc["current"]
        assert current["content_type"] == "application/pdf"
        assert current["sha256"] == hashlib.sha256(signed).hexdigest()
        assert current["retain_until"]  # a decision is under a retention lock
        signature = current["signature"]
        assert (signature["status"], signature["status_label"]) == ("valid", "Chữ ký số hợp lệ")
        assert signature["signatures"][0]["signer_name"] == "Nguyễn Văn An"

        r = await admin.get(current["content_url"])
        assert r.status_code == 200 and r.content == signed
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["etag"] == f'"{current["sha256"]}"'
        assert f"filename*=UTF-8''{quote('Quyết định 1131 giao chỉ tiêu.pdf', safe='')}" in r.headers["content-disposition"]
        r = await admin.get(current["content_url"], headers={"If-None-Match": f'"{current["sha256"]}"'})
        assert r.status_code == 304

        # a new version keeps the first one
        r = await admin.post(f"/api/v1/documents/{doc['id']}/versions", headers={"If-Match": '"1"'},
                             files={"file": ("Bản chưa ký.pdf", plain_pdf("ban moi"), "application/pdf")})
        assert r.status_code == 201, r.text
        assert [(v["number"], v["signature"]["status"]) for v in r.json()["versions"]] == [(1, "valid"), (2, "unsigned")]
        r = await admin.get(f"/api/v1/documents/{doc['id']}/content", params={"version": 1})
        assert r.content == signed

    # a commune officer can neither read nor list the province's decision
    async with _client(target, await target.sign_in("nhap_lieu")) as commune:
        r = await commune.get(f"/api/v1/documents/{doc['id']}/content")
        assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
        r = await commune.get("/api/v1/documents", params={"owner_id": "qd-e2e"})
        assert r.json()["total"] == 0
        r = await _upload(commune, plain_pdf(), "x.pdf")
        assert r.status_code == 403 and "ngoài phạm vi" in r.json()["detail"]


async def test_changed_after_signing_and_untrusted_are_flagged(target: Target, document_ca):
    from ktxh_testing.pdf_signing import TestCA

    tampered = bytearray(sign_pdf(plain_pdf("Chi tieu 100"), document_ca.issue("Nguyễn Văn An")))
    tampered[tampered.index(b"Chi tieu 100") + 9] = ord("9")
    untrusted = sign_pdf(plain_pdf(), TestCA("Unknown CA").issue("Người lạ"))
    async with _client(target, await target.sign_in("admin")) as admin:
        r = await _upload(admin, bytes(tampered), "sua.pdf")
        assert r.status_code == 201
        assert r.json()["current"]["signature"]["status_label"] == "Văn bản đã bị thay đổi sau khi ký"
        r = await _upload(admin, untrusted, "la.pdf")
        assert r.json()["current"]["signature"]["status"] == "untrusted"


async def test_bad_uploads_are_refused_with_clear_messages(target: Target):
    async with _client(target, await target.sign_in("admin")) as admin:
        before = (await admin.get("/api/v1/documents")).json()["total"]
        r = await _upload(admin, b"MZ\x90\x00" + b"\0" * 4000, "Quyết định.pdf")
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["errors"][0]["field"] == "file"
        assert "tệp chạy Windows" in r.json()["detail"]

        big = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 + 1)
        r = await _upload(admin, big, "lon.pdf")
        assert r.status_code == 413 and r.json()["detail"] == "Tệp quá lớn: tối đa 20 MB"

        # the same without Content-Length (chunked): refused while streaming, not after
        boundary = "ktxh-e2e-boundary"

        async def chunked():
            yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"owner_type\"\r\n\r\nx\r\n"
                   f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.pdf\"\r\n"
                   "Content-Type: application/pdf\r\n\r\n").encode()
            for _ in range(21):
                yield b"0" * (1024 * 1024)
            yield f"\r\n--{boundary}--\r\n".encode()

        r = await admin.post("/api/v1/documents", content=chunked(),
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert r.status_code == 413, r.text
        assert r.json()["errors"] == [{"field": "file", "message": "Tệp quá lớn: tối đa 20 MB"}]

        r = await admin.post("/api/v1/documents", data={"kind": "decision"},
                             files={"file": ("a.pdf", plain_pdf(), "application/pdf")})
        assert r.status_code == 422
        assert {e["field"] for e in r.json()["errors"]} == {"owner_type", "owner_org_unit_code"}
        assert (await admin.get("/api/v1/documents")).json()["total"] == before
