"""Serving the web UI built from ``gateway/web`` (React + Vite) into ``static/``.

* ``/assets/*``: files whose names carry a content hash — cached for a year, ``immutable``;
* ``/`` and ``/callback`` (the OIDC redirect): the ``index.html`` shell with
  ``Cache-Control: no-cache``, so a new release is picked up at once;
* ``/sw.js``: the service worker that keeps the shell for offline use (data entry reloaded
  without a connection, docs/web.md), ``no-cache`` too (browsers check it on every visit). Screens are addressed by
  the URL fragment (``/#/chi-so/HP2081.XIII.11``), so no other path needs the shell.

The build output is not committed: ``make run`` builds it (``scripts/web.py build``), the image
builds it in a Node stage. Without a build the gateway still serves the API and says so on
``/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


class _HashedAssets(StaticFiles):
    async def get_response(self, path: str, scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def mount_web(app: FastAPI, static: Path = STATIC) -> None:
    index = static / "index.html"
    if (static / "assets").is_dir():
        app.mount("/assets", _HashedAssets(directory=static / "assets"), name="assets")

    async def shell(request: Request) -> Response:
        if not index.is_file():
            return HTMLResponse(
                "<!doctype html><meta charset=utf-8><title>KTXH</title>"
                "<p>Giao diện web chưa được build: chạy <code>make run</code> "
                "(hoặc <code>uv run python scripts/web.py build</code>).</p>",
                status_code=503,
                headers={"Cache-Control": "no-cache"},
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    worker = static / "sw.js"

    async def service_worker(request: Request) -> Response:
        if not worker.is_file():
            return Response(status_code=404)
        return FileResponse(worker, media_type="text/javascript",
                            headers={"Cache-Control": "no-cache"})

    app.add_api_route("/sw.js", service_worker, methods=["GET"], include_in_schema=False)
    app.add_api_route("/", shell, methods=["GET"], include_in_schema=False)
    app.add_api_route("/callback", shell, methods=["GET"], include_in_schema=False)

