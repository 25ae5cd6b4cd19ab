#!/usr/bin/env bash
# `make test`: install everything the tests need (uv, Python packages, Chromium, the npm OIDC
# provider, the web UI's npm packages), check contracts, the UI's API types and layering, run the
# UI's type check and component tests, build the UI, then run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci-setup.sh
export PATH="$HOME/.local/bin:$PATH"
echo "== contracts: generated code up to date, buf lint"
uv run python scripts/proto.py --check
uv run buf lint
echo "== web UI: API types up to date, type check, component tests, build"
uv run python scripts/web.py api --check
(cd gateway/web && npx tsc --noEmit && npx vitest run --reporter=dot)
uv run python scripts/web.py build
echo "== layers: import-linter contracts (.importlinter), no import cycle anywhere"
uv run lint-imports
uv run python scripts/check_import_cycles.py
echo "== tests"
uv run pytest "$@"
