#!/usr/bin/env python3
"""Derive the production realm template from the development realm.

    python infra/keycloak/make_realm_template.py          # writes infra/keycloak/realm-template.json

`realm-ktxh.json` (development: demo users, fixed ids, localhost redirects) stays the one
place where roles, clients and token mappers are defined. The template keeps all of that
and changes what must differ per province and in production:

- no demo users (only the integration client's service-account user);
- no fixed "id"/"containerId" values, so several province realms can live in one Keycloak;
- `${KTXH_...}` placeholders for realm name, display name, province, web URL and the
  integration client secret. Keycloak's own `--import-realm` resolves them from the
  environment, and so does infra/keycloak/import_realm.py (used by the Helm chart);
- production password policy.

tests/charts/test_infra_sync.py fails when the template is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "realm-ktxh.json"
TARGET = HERE / "realm-template.json"

PASSWORD_POLICY = "length(12) and notUsername and notEmail and passwordHistory(5)"


def _strip_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_ids(v) for k, v in node.items() if k not in ("id", "containerId")}
    if isinstance(node, list):
        return [_strip_ids(v) for v in node]
    return node


def build(dev: dict[str, Any]) -> dict[str, Any]:
    realm = _strip_ids(dev)
    realm["realm"] = "${KTXH_REALM}"
    realm["displayName"] = "KTXH - ${KTXH_PROVINCE_NAME}"
    realm["displayNameHtml"] = "<b>KTXH</b> ${KTXH_PROVINCE_NAME}"
    realm["attributes"] = {
        **realm.get("attributes", {}),
        "ktxh.province": "${KTXH_PROVINCE_CODE}",
        "ktxh.provinceName": "${KTXH_PROVINCE_NAME}",
    }
    realm["passwordPolicy"] = PASSWORD_POLICY
    realm["resetPasswordAllowed"] = True

    for client in realm.get("clients", []):
        if client.get("publicClient") and client.get("standardFlowEnabled"):
            client["rootUrl"] = "${KTXH_WEB_URL}"
            client["redirectUris"] = ["${KTXH_WEB_URL}/*"]
            client["webOrigins"] = ["${KTXH_WEB_URL}"]
            attributes = client.setdefault("attributes", {})
            attributes["post.logout.redirect.uris"] = "${KTXH_WEB_URL}/*"
        if client.get("serviceAccountsEnabled") and not client.get("publicClient"):
            client["secret"] = "${KTXH_INTEGRATION_CLIENT_SECRET}"
            client.get("attributes", {}).pop("client.secret.creation.time", None)

    users = []
    for user in realm.get("users", []):
        if not user.get("serviceAccountClientId"):
            continue  # demo users stay in the development realm
        attributes = user.setdefault("attributes", {})
        if "province" in attributes:
            attributes["province"] = ["${KTXH_PROVINCE_CODE}"]
        if "org_unit" in attributes:
            attributes["org_unit"] = ["${KTXH_PROVINCE_CODE}"]
        users.append(user)
    realm["users"] = users
    return realm


def render(dev: dict[str, Any]) -> str:
    return json.dumps(build(dev), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    TARGET.write_text(render(json.loads(SOURCE.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
