"""The gateway's limits without any service behind it: control characters 422 naming the
field, body size 413 problems, strict dates, 405 with every allowed method, and an
unreachable identity provider 503 with Retry-After."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ktxh_gateway.app import create_app
from ktxh_gateway.limits import MAX_JSON_BYTES, MAX_MULTIPART_BYTES, MULTIPART_OVERHEAD
from ktxh_gateway.settings import GatewaySettings
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.dev_issuer import DevIssuer
from ktxh_testing.servers import free_port

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def client(tmp_path: Path, token_issuer) -> Iterator[TestClient]:
    """The gateway on a running issuer; services unreachable (nothing may reach them)."""
    settings = GatewaySettings(data_dir=tmp_path, oidc_issuer=token_issuer.issuer,
                               catalog_addr=f"127.0.0.1:{free_port()}")
    with TestClient(create_app(settings), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {token_issuer.token('admin')}"
        yield c


def _fields(response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def test_control_characters_are_refused_naming_the_field(client: TestClient) -> None:
    r = client.post("/api/v1/org-units", json={"code": "A\x00B", "name": "Phòng\x07", "kind": "agency"})
    assert r.status_code == 422
    fields = _fields(r)
    assert set(fields) == {"code", "name"} and "ký tự điều khiển" in fields["code"]
    lone_surrogate = '{"code": "X1", "name": "a\\ud800b", "kind": "agency"}'
    r = client.post("/api/v1/org-units", content=lone_surrogate,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and set(_fields(r)) == {"name"}
    r = client.get("/api/v1/indicators", params={"q": "ho\x1fngheo"})
    assert r.status_code == 422 and set(_fields(r)) == {"q"}
    r = client.post("/api/v1/indicators", json={"code": "X\x00", "name": "x"})
    assert r.status_code == 422 and "code" in _fields(r)


def test_integers_beyond_the_proto_type_and_odd_dates_are_refused(client: TestClient) -> None:
    r = client.get("/api/v1/key-tasks", params={"year": "18446744073709551617"})
    assert r.status_code == 422 and set(_fields(r)) == {"year"}
    r = client.get("/api/v1/org-units", params={"as_of": "0"})
    assert r.status_code == 422 and _fields(r) == {"as_of": "Ngày không hợp lệ (dạng YYYY-MM-DD)"}
    r = client.get("/api/v1/calendars/LICH/deadlines", params={"period": ""})
    assert r.status_code == 422 and set(_fields(r)) == {"period"}


def test_bodies_over_the_limit_are_413_problems(client: TestClient) -> None:
    big = json.dumps({"code": "X", "name": "x" * MAX_JSON_BYTES, "kind": "agency"})
    r = client.post("/api/v1/org-units", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["title"] == "Nội dung gửi lên quá lớn" and r.json()["status"] == 413

    def chunks():  # no Content-Length: counted on the stream
        for _ in range(MAX_JSON_BYTES // 65536 + 2):
            yield b" " * 65536

    r = client.post("/api/v1/org-units", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    upload = b"{" + b" " * MAX_MULTIPART_BYTES + b"}"
    r = client.post("/api/v1/catalog/import", params={"dry_run": "true"},
                    files={"file": ("big.json", upload, "application/json")})
    assert r.status_code == 413


def test_a_whole_province_decision_fits_its_route_only(client: TestClient) -> None:
    """34,000 targets (~10 MB of JSON) go to the assignment-decision routes; 1 MB elsewhere."""
    from ktxh_gateway.limits import MAX_DECISION_JSON_BYTES

    row = {"assignee_unit_id": "u" * 36, "target": {"key": {"indicator_code": "HP2081.XIII.01"}, "target_value": "1000"}}
    body = json.dumps({"assignments": [row] * 34_000, "version": 1})
    assert MAX_JSON_BYTES < len(body) < MAX_DECISION_JSON_BYTES
    r = client.put("/api/v1/assignment-decisions/d1/assignments", content=body,
                   headers={"Content-Type": "application/json"})
    assert r.status_code != 413  # past the size check, on to authentication (unreachable here)
    r = client.post("/api/v1/org-units", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = client.put("/api/v1/assignment-decisions/d1/assignments", content=b" " * (MAX_DECISION_JSON_BYTES + 1),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "32 MB" in r.json()["detail"]


def test_the_upload_limit_is_configured_once_for_imports_and_documents(
    monkeypatch, tmp_path: Path, token_issuer
) -> None:
    monkeypatch.setenv("KTXH_GATEWAY_MAX_UPLOAD_BYTES", str(100 * 1024))
    app = create_app(GatewaySettings(data_dir=tmp_path, oidc_issuer=token_issuer.issuer,
                                     catalog_addr=f"127.0.0.1:{free_port()}",
                                     document_addr=f"127.0.0.1:{free_port()}"))
    with TestClient(app, base_url=BASE) as small:
        small.headers["Authorization"] = f"Bearer {token_issuer.token('admin')}"
        r = small.post("/api/v1/documents", data={"owner_type": "x", "owner_org_unit_code": "31"},
                       files={"file": ("a.pdf", b"%PDF-1.7\n" + b"0" * 90 * 1024, "application/pdf")})
        assert r.status_code != 413  # under the limit: on to the (unreachable) service
        file = b"%PDF-1.7\n" + b"0" * (MULTIPART_OVERHEAD + 101 * 1024)
        for url, params in (("/api/v1/documents", {}), ("/api/v1/catalog/import", {"dry_run": "true"})):
            r = small.post(url, params=params, files={"file": ("a.pdf", file, "application/pdf")})
            assert r.status_code == 413, (url, r.text)
            assert r.json()["errors"] == [{"field": "file", "message": "Tệp quá lớn: tối đa 100 KB"}]

            def chunks():  # chunked: refused while streaming
                yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
                yield from (b"0" * 65536 for _ in range(4))

            r = small.post(url, params=params, content=chunks(),
                           headers={"Content-Type": "multipart/form-data; boundary=b"})
            assert r.status_code == 413 and r.json()["detail"] == "Tệp quá lớn: tối đa 100 KB"


def test_405_lists_every_method_of_the_path(client: TestClient) -> None:
    r = client.request("DELETE", "/api/v1/org-units/abc")
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) == {"GET", "PATCH"}
    assert r.headers["content-type"].startswith("application/problem+json")


def test_unreachable_identity_provider_is_503_with_retry_after(tmp_path: Path) -> None:
    issuer = f"http://127.0.0.1:{free_port()}/realms/ktxh"  # nothing listens there
    token = DevIssuer("ktxh", DEMO_USERS, password="x").issue_tokens(
        DEMO_USERS[0], issuer=issuer, client_id="ktxh-web")["access_token"]
    settings = GatewaySettings(data_dir=tmp_path, oidc_issuer=issuer)
    with TestClient(create_app(settings)) as c:
        r = c.get("/api/v1/org-units", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 503
    assert r.headers["retry-after"] == "10"
    assert r.json()["detail"].startswith("Máy chủ đăng nhập tạm thời không truy cập được")


def test_a_text_over_its_limit_is_named_too_long_not_too_many_items() -> None:
    from ktxh_gateway.limits import text
    from ktxh_gateway.problems import _pydantic_message
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(text(5)).validate_python("Thuyết minh dài")
    except ValidationError as err:
        (error,) = err.errors()
    assert _pydantic_message(error) == "Quá dài (tối đa 5 ký tự)"
    try:
        TypeAdapter(list[int]).validate_python("x")
    except ValidationError as err:
        (error,) = err.errors()
    assert _pydantic_message(error) == "Phải là một danh sách"
