"""A real token issuer for service tests: the platform's built-in development issuer (the one
``make run`` serves) in its own uvicorn server on a free port, so a service under test fetches
its JWKS over HTTP and validates tokens exactly as in production.

    with TokenIssuer() as issuer:
        settings_for("catalog", oidc_issuer=issuer.issuer, ...)
        stub.GetOrgUnit(req, metadata=issuer.metadata("nhap_lieu"))

Besides the demo users' tokens it mints the tokens an attacker or a misconfiguration would
send: expired, signed by another key, issued for another issuer or another province.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

import uvicorn
from fastapi import FastAPI

from ktxh_platform.auth.demo_users import DEMO_USERS, DemoUser
from ktxh_platform.auth.dev_issuer import DevIssuer
from ktxh_testing.servers import free_port, wait_for_port

REALM = "ktxh"


class TokenIssuer:
    def __init__(self, *, realm: str = REALM, audience: str = "ktxh-api") -> None:
        self.realm = realm
        self.audience = audience
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base_url}/realms/{realm}"
        self._dir = Path(tempfile.mkdtemp(prefix="ktxh-issuer-"))
        self.users = {u.username: u for u in DEMO_USERS}
        self._dev = self._issuer(self._dir / "key.pem")
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def _issuer(self, key: Path, **options: Any) -> DevIssuer:
        return DevIssuer(
            self.realm, DEMO_USERS, password="demo", key_path=key, base_url=self.base_url,
            audience=options.pop("audience", self.audience), **options,
        )

    def __enter__(self) -> Self:
        app = FastAPI()
        app.include_router(self._dev.router)
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None,
                           access_log=False, lifespan="off")
        )
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_for_port("127.0.0.1", self.port, timeout=15)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    # -- tokens -----------------------------------------------------------------------------

    def user(self, username: str, **changes: Any) -> DemoUser:
        return replace(self.users[username], **changes)

    def token(self, who: str | DemoUser, **options: Any) -> str:
        """A valid access token of a demo user (or any `DemoUser`) from this issuer."""
        user = self.users[who] if isinstance(who, str) else who
        dev = self._issuer(self._dir / "key.pem", **options) if options else self._dev
        return dev.issue_tokens(user, issuer=self.issuer, client_id="ktxh-web")["access_token"]

    def metadata(self, who: str | DemoUser) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token(who)}")]

    def expired_token(self, who: str = "admin") -> str:
        """Signed by the right key for the right audience, but expired ten minutes ago."""
        return self.token(who, access_token_ttl=-600)

    def other_audience_token(self, who: str = "admin") -> str:
        return self.token(who, audience="another-system")

    def foreign_key_token(self, who: str = "admin") -> str:
        """Claims this issuer but signed with a key it never published (a forgery)."""
        dev = self._issuer(self._dir / f"other-{time.monotonic_ns()}.pem")
        return dev.issue_tokens(self.users[who], issuer=self.issuer, client_id="ktxh-web")[
            "access_token"
        ]

    def other_issuer_token(self, who: str = "admin") -> str:
        """Signed by this issuer's key but naming another issuer (another realm)."""
        other = self.issuer.replace(f"/realms/{self.realm}", "/realms/another-province")
        return self._dev.issue_tokens(self.users[who], issuer=other, client_id="ktxh-web")[
            "access_token"
        ]

    def other_province_token(self, who: str = "admin", province: str = "01") -> str:
        """A genuine token of this issuer for a user of another province."""
        return self.token(self.user(who, province=province, org_unit=province))
