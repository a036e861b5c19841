# Shared helpers for the demo and test scripts. Source it; don't run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

step() { printf '\n\033[1;32m==>\033[0m \033[1m%s\033[0m\n' "$*"; }

# pnpm at the version pinned in package.json (corepack reads the hash-pinned packageManager).
ensure_pnpm() {
  local want
  want=$(node -p 'require("./package.json").packageManager.split("@")[1].split("+")[0]')
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
    corepack enable 2>/dev/null || npm install -g "pnpm@$want"
  fi
  [ "$(pnpm --version)" = "$want" ] || { echo "pnpm $want is required (found $(pnpm --version))" >&2; exit 1; }
}

install_dependencies() {
  ensure_pnpm
  pnpm install --frozen-lockfile --prefer-offline
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      step "installing Chromium from apt (Playwright cannot download browsers here)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "End-to-end tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
      exit 1
    fi
  fi
}
