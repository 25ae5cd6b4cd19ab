"""The documented 20 MB import travels end to end (gateway → gRPC → catalog service), and a
larger one is a 413 problem. gRPC's default 4 MB message limit would refuse it in between."""

from __future__ import annotations

import json

import httpx
import pytest

from ktxh_gateway.limits import MAX_UPLOAD_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


async def test_a_20_mb_import_reaches_the_service(allinone_target) -> None:
    target = allinone_target
    token = await target.sign_in("ke_hoach")
    item = {"code": "X", "name": "Chỉ số thử", "description": "mô tả " * 40}
    items = [dict(item, code=f"TEST.{i:06d}") for i in range(1)]
    body = {"kind": "indicators", "items": items}
    filler = MAX_UPLOAD_BYTES - len(json.dumps(body).encode()) - 1024
    body["items"][0]["description"] = "x" * filler
    content = json.dumps(body).encode()
    assert MAX_UPLOAD_BYTES - 2048 < len(content) <= MAX_UPLOAD_BYTES
    async with httpx.AsyncClient(base_url=target.base_url, timeout=120,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        r = await client.post("/api/v1/catalog/import", params={"dry_run": "true"},
                              files={"file": ("catalog.json", content, "application/json")})
        # the service read the whole file and judged its content (a dry run writes nothing)
        assert r.status_code in (200, 422), r.text[:500]
        assert r.headers["content-type"].startswith(("application/json", "application/problem+json"))
        if r.status_code == 422:
            assert "quá lớn" not in r.text
        too_big = content + b" " * 4096
        r = await client.post("/api/v1/catalog/import", params={"dry_run": "true"},
                              files={"file": ("catalog.json", too_big, "application/json")})
        assert r.status_code == 413, r.text[:300]
        assert r.json()["status"] == 413
