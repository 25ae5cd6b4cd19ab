"""pytest plugin (entry point ``pytest11: ktxh``): real servers as session fixtures.

Each server starts once per test session, the first time a test asks for it, and stops at the
end of the session. Tests that use one of them are marked ``integration`` automatically.

    def test_x(pg_server, kafka_server, s3_server, oidc_server): ...

| fixture        | yields                                                                          |
|----------------|---------------------------------------------------------------------------------|
| `pg_server`    | `PostgresServer`: url_asyncpg, url_sync, dsn, host, port, user, password, database |
| `pg_database`  | (per test) asyncpg URL of a fresh, empty database on `pg_server`                 |
| `kafka_server` | `KafkaServer`: bootstrap_servers, host, port                                     |
| `s3_server`    | `S3Server`: endpoint, url, access_key, secret_key, region, secure, client()      |
| `oidc_server`  | `OIDCServer`: issuer, port, realm, base_url, token_endpoint, jwks_uri, clients   |
| `oidc_token`   | async `(username, password="demo") -> access token` through the real login flow  |
| `free_port`    | the `free_port()` function                                                       |
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterator

import pytest

from ktxh_testing import servers

SERVER_FIXTURES = {
    "pg_server",
    "pg_database",
    "kafka_server",
    "s3_server",
    "oidc_server",
    "oidc_token",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: needs real servers (PostgreSQL, Kafka protocol broker, S3, OIDC)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def _ktxh_server_logs(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("ktxh-server-logs")


@pytest.fixture(scope="session")
def pg_server(_ktxh_server_logs) -> Iterator[servers.PostgresServer]:
    with servers.postgres("ktxh", log_file=_ktxh_server_logs / "postgres.log") as s:
        yield s


_db_counter = itertools.count(1)


@pytest.fixture
def pg_database(pg_server: servers.PostgresServer) -> Iterator[str]:
    """A fresh database for one test; yields its ``postgresql+asyncpg://`` URL."""
    name = f"t{next(_db_counter)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', "postgres")


@pytest.fixture(scope="session")
def kafka_server(_ktxh_server_logs) -> Iterator[servers.KafkaServer]:
    with servers.kafka(log_file=_ktxh_server_logs / "tansu.log") as s:
        yield s


@pytest.fixture(scope="session")
def s3_server() -> Iterator[servers.S3Server]:
    with servers.s3() as s:
        yield s


@pytest.fixture(scope="session")
def oidc_server(_ktxh_server_logs) -> Iterator[servers.OIDCServer]:
    with servers.oidc(log_file=_ktxh_server_logs / "oidc.log") as s:
        yield s


@pytest.fixture
def oidc_token(oidc_server: servers.OIDCServer) -> Callable[..., Awaitable[str]]:
    """``await oidc_token("nhap_lieu")`` -> a real access token (authorization code + PKCE)."""
    from ktxh_testing.oidc_login import login

    async def get(
        username: str,
        password: str | None = None,
        redirect_uri: str = "http://127.0.0.1:8000/callback",
    ) -> str:
        tokens = await login(
            oidc_server.issuer,
            oidc_server.web_client_id,
            username,
            password or oidc_server.demo_password,
            redirect_uri,
        )
        return tokens["access_token"]

    return get


@pytest.fixture(scope="session")
def token_issuer():
    """A running built-in issuer (`ktxh_testing.tokens.TokenIssuer`) for service tests."""
    from ktxh_testing.tokens import TokenIssuer

    with TokenIssuer() as issuer:
        yield issuer


@pytest.fixture(name="free_port", scope="session")
def free_port_fixture() -> Callable[..., int]:
    """The `ktxh_testing.servers.free_port` function: ``port = free_port()``."""
    return servers.free_port
