#!/usr/bin/env bash
# `make test`: install everything the tests need (uv, Python packages, Chromium, the npm OIDC
# provider), check contracts and layering, then run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci-setup.sh
export PATH="$HOME/.local/bin:$PATH"
echo "== contracts: generated code up to date, buf lint"
uv run python scripts/proto.py --check
uv run buf lint
echo "== layers: import-linter contracts (.importlinter), no import cycle anywhere"
uv run lint-imports
uv run python scripts/check_import_cycles.py
echo "== tests"
uv run pytest "$@"
