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
echo "== layers: domain code imports no framework"
uv run lint-imports
echo "== tests"
uv run pytest "$@"
