"""Build the web UI (gateway/web, React + Vite) and keep its API types in step with the gateway.

Usage (from anywhere inside the repo)::

    uv run python scripts/web.py build        # npm ci if needed, then vite build when sources changed
    uv run python scripts/web.py build --force
    uv run python scripts/web.py api          # regenerate gateway/web/src/lib/api-schema.d.ts
    uv run python scripts/web.py api --check  # exit 1 when the committed types are stale (CI)

The build writes into the gateway package (``gateway/src/ktxh_gateway/static``, not committed)
and records a hash of every input (sources, lock file, configs) in ``static/.build-hash``: an
unchanged tree is not built again. The API types come from the gateway's own OpenAPI document
(``create_app().openapi()``) through ``openapi-typescript``, so a renamed REST field becomes a
TypeScript error in the UI (``tsc --noEmit``, run by ``make test``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEB = REPO / "gateway" / "web"
OUT = REPO / "gateway" / "src" / "ktxh_gateway" / "static"
STAMP = OUT / ".build-hash"
SCHEMA_TS = WEB / "src" / "lib" / "api-schema.d.ts"
INPUTS = ["index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts"]


def _npm() -> str:
    npm = shutil.which("npm")
    if not npm:
        sys.exit("npm not found: run `bash scripts/ci-setup.sh` (installs Node.js 20 if missing)")
    return npm


def ensure_node_modules() -> None:
    """npm ci when node_modules does not match package.json + package-lock.json (the same stamp
    as scripts/ci-setup.sh writes)."""
    want = hashlib.sha256((WEB / "package.json").read_bytes() + (WEB / "package-lock.json").read_bytes()).hexdigest()
    stamp = WEB / "node_modules" / ".ktxh-installed"
    if (WEB / "node_modules" / "vite").is_dir() and stamp.is_file() and stamp.read_text().strip() == want:
        return
    print("[web] npm ci in gateway/web", flush=True)
    subprocess.run([_npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB, check=True)
    stamp.write_text(want + "\n")


def source_hash() -> str:
    h = hashlib.sha256()
    files = [WEB / name for name in INPUTS] + sorted(
        p for p in (WEB / "src").rglob("*") if p.is_file() and ".test." not in p.name
    )
    for path in files:
        h.update(str(path.relative_to(WEB)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def build(force: bool = False) -> None:
    ensure_node_modules()
    want = source_hash()
    if not force and STAMP.is_file() and STAMP.read_text().strip() == want and (OUT / "index.html").is_file():
        print("[web] UI up to date (sources unchanged)", flush=True)
        return
    print("[web] building the UI (vite build)", flush=True)
    subprocess.run([_npm(), "run", "--silent", "build"], cwd=WEB, check=True)
    STAMP.write_text(want)


def openapi_document() -> dict:
    os.environ.setdefault("KTXH_GATEWAY_DEMO_PASSWORD", "demo")
    from ktxh_gateway.app import create_app

    return create_app().openapi()


def generate_types(target: Path) -> None:
    ensure_node_modules()
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "openapi.json"
        doc.write_text(json.dumps(openapi_document(), ensure_ascii=False, indent=1))
        subprocess.run(
            [str(WEB / "node_modules" / ".bin" / "openapi-typescript"), str(doc), "-o", str(target)],
            cwd=WEB, check=True, stdout=subprocess.DEVNULL,
        )


def api(check: bool) -> int:
    if not check:
        generate_types(SCHEMA_TS)
        print(f"[web] wrote {SCHEMA_TS.relative_to(REPO)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "api-schema.d.ts"
        generate_types(fresh)
        if not SCHEMA_TS.is_file() or fresh.read_text() != SCHEMA_TS.read_text():
            print(f"[web] {SCHEMA_TS.relative_to(REPO)} is stale: run `make web-api`", file=sys.stderr)
            return 1
    print("[web] API types up to date")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--force", action="store_true")
    a = sub.add_parser("api")
    a.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.command == "build":
        build(args.force)
        return 0
    return api(args.check)


if __name__ == "__main__":
    sys.exit(main())
