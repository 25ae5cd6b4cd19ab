#!/usr/bin/env python3
"""Import a KTXH realm into Keycloak through its admin API (idempotent).

    KEYCLOAK_URL=https://sso.example.vn KEYCLOAK_ADMIN_USERNAME=admin KEYCLOAK_ADMIN_PASSWORD=... \
    KTXH_REALM=ktxh-hp KTXH_PROVINCE_CODE=31 KTXH_PROVINCE_NAME="Thành phố Hải Phòng" \
    KTXH_WEB_URL=https://ktxh.haiphong.gov.vn KTXH_INTEGRATION_CLIENT_SECRET=... \
    python infra/keycloak/import_realm.py infra/keycloak/realm-template.json

- `${KTXH_NAME}` and `${KTXH_NAME:default}` placeholders are replaced from the environment
  (the same syntax Keycloak's `--import-realm` resolves); other `${...}` texts, such as
  Keycloak's own message keys `${username}`, are left alone. A placeholder without a value
  and without a default is an error.
- A missing realm is created whole. An existing realm is left as operators changed it;
  only what is missing (roles, clients, service-account users) is added by a partial
  import (`--if-exists OVERWRITE` replaces those resources instead, `FAIL` stops).

Admin credentials: KEYCLOAK_ADMIN_USERNAME / KEYCLOAK_ADMIN_PASSWORD (password grant on
`admin-cli`), or KEYCLOAK_ADMIN_CLIENT_ID / KEYCLOAK_ADMIN_CLIENT_SECRET (client
credentials of a client with realm-admin rights), in KEYCLOAK_ADMIN_REALM (master).
`--render` prints the resolved realm and exits (no Keycloak needed).
Needs python-keycloak (in every KTXH image).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("ktxh.import_realm")

PLACEHOLDER = re.compile(r"\$\{(KTXH_[A-Z0-9_]+)(?::([^}]*))?\}")
PARTIAL_IMPORT_KEYS = ("roles", "clients", "groups", "users", "identityProviders")


def resolve(text: str, env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        value = env.get(name)
        if value is None or value == "":
            if default is None:
                missing.append(name)
                return match.group(0)
            value = default
        return json.dumps(value, ensure_ascii=False)[1:-1]  # stays valid inside a JSON string

    resolved = PLACEHOLDER.sub(substitute, text)
    if missing:
        raise SystemExit(f"no value for realm placeholders: {sorted(set(missing))}")
    return resolved


def load_realm(path: Path) -> dict[str, Any]:
    return json.loads(resolve(path.read_text(encoding="utf-8")))


def admin_client(args: argparse.Namespace):
    from keycloak import KeycloakAdmin

    kwargs: dict[str, Any] = {
        "server_url": args.url.rstrip("/") + "/",
        "realm_name": args.admin_realm,
        "user_realm_name": args.admin_realm,
        "verify": os.environ.get("KEYCLOAK_CA_FILE") or True,
        "timeout": 30,
    }
    client_id = os.environ.get("KEYCLOAK_ADMIN_CLIENT_ID")
    if client_id:
        kwargs.update(
            client_id=client_id, client_secret_key=os.environ["KEYCLOAK_ADMIN_CLIENT_SECRET"]
        )
        kwargs["grant_type"] = "client_credentials"
    else:
        kwargs.update(
            username=os.environ["KEYCLOAK_ADMIN_USERNAME"],
            password=os.environ["KEYCLOAK_ADMIN_PASSWORD"],
        )
    deadline = time.monotonic() + args.wait_seconds
    while True:
        try:
            admin = KeycloakAdmin(**kwargs)
            admin.get_realms()
            return admin
        except Exception as exc:  # Keycloak still starting, or credentials wrong
            if time.monotonic() > deadline:
                raise SystemExit(f"Keycloak admin API at {args.url} not usable: {exc!r}") from exc
            log.info("waiting for Keycloak at %s: %r", args.url, exc)
            time.sleep(3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("realm_file", type=Path)
    parser.add_argument("--url", default=os.environ.get("KEYCLOAK_URL", "http://localhost:8080"))
    parser.add_argument("--admin-realm", default=os.environ.get("KEYCLOAK_ADMIN_REALM", "master"))
    parser.add_argument(
        "--if-exists",
        choices=["SKIP", "OVERWRITE", "FAIL"],
        default=os.environ.get("KTXH_REALM_IF_EXISTS", "SKIP"),
        help="what a partial import does with resources the existing realm already has",
    )
    parser.add_argument(
        "--render", action="store_true", help="print the resolved realm JSON and exit"
    )
    parser.add_argument(
        "--wait-seconds", type=float, default=float(os.environ.get("KEYCLOAK_WAIT_SECONDS", "180"))
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    realm = load_realm(args.realm_file)
    if args.render:
        json.dump(realm, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    admin = admin_client(args)
    name = realm["realm"]
    existing = {r["realm"] for r in admin.get_realms()}
    if name not in existing:
        admin.create_realm(realm, skip_exists=True)
        log.info("created realm %s", name)
        return 0
    payload: dict[str, Any] = {"ifResourceExists": args.if_exists}
    for key in PARTIAL_IMPORT_KEYS:
        if realm.get(key):
            payload[key] = realm[key]
    result = admin.partial_import_realm(name, payload)
    log.info(
        "realm %s exists: partial import (%s) added %s, overwrote %s, skipped %s",
        name,
        args.if_exists,
        result.get("added"),
        result.get("overwritten"),
        result.get("skipped"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
