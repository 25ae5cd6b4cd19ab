"""The gateway serves the built web UI: hashed assets cached for a year, the shell never cached,
the API's paths untouched, and a clear message when the UI has not been built."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ktxh_gateway.web import mount_web


def _app(static: Path) -> TestClient:
    app = FastAPI()

    @app.get("/api/v1/ping")
    async def ping() -> dict[str, str]:
        return {"ok": "yes"}

    mount_web(app, static)
    return TestClient(app)


def test_hashed_assets_are_immutable_and_the_shell_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-AbC123.js").write_text("console.log(1)")
    (tmp_path / "index.html").write_text("<!doctype html><title>KTXH</title>")
    client = _app(tmp_path)

    asset = client.get("/assets/index-AbC123.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/callback"):
        shell = client.get(path)
        assert shell.status_code == 200 and "<title>KTXH</title>" in shell.text
        assert shell.headers["cache-control"] == "no-cache"
    assert client.get("/assets/missing.js").status_code == 404
    assert "cache-control" not in client.get("/assets/missing.js").headers
    assert client.get("/api/v1/ping").json() == {"ok": "yes"}


def test_without_a_build_the_shell_says_how_to_build(tmp_path: Path) -> None:
    response = _app(tmp_path).get("/")
    assert response.status_code == 503
    assert "make run" in response.text


def test_the_offline_service_worker_is_served_as_javascript_and_never_cached(tmp_path: Path) -> None:
    client = _app(tmp_path)
    assert client.get("/sw.js").status_code == 404  # no build yet
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert "addEventListener" in worker.text
