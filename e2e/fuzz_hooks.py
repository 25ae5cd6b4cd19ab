"""Schemathesis hooks for `test_api_fuzz.py` (loaded through SCHEMATHESIS_HOOKS): a real access
token of the demo user `KTXH_FUZZ_USER` from the all-in-one's built-in issuer, refreshed before
it expires (tokens live 5 minutes; a fuzz run may take longer)."""

from __future__ import annotations

import os

import httpx
import schemathesis


@schemathesis.auth(refresh_interval=120)
class DemoUserToken:
    def get(self, case, context):  # noqa: ANN001, ANN201 - schemathesis' auth protocol
        response = httpx.post(
            f"{os.environ['KTXH_FUZZ_ISSUER']}/protocol/openid-connect/token",
            data={"grant_type": "password", "client_id": "ktxh-web",
                  "username": os.environ["KTXH_FUZZ_USER"], "password": "demo"},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def set(self, case, data, context):  # noqa: ANN001, ANN201
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
