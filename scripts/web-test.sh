#!/usr/bin/env bash
# Tests the web portal: installs its npm packages when needed, type-checks and builds it into
# web/dist, runs the unit tests (Vitest), then the end-to-end walk-through in Chromium against a
# real `atelier serve` (web/e2e/run.mjs). Usage: scripts/web-test.sh [BUILD_DIR] (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"

if ! command -v node >/dev/null 2>&1; then
  echo "web-test: node is missing (run scripts/deps.sh)" >&2
  exit 1
fi

cd web
# npm ci only when node_modules is missing or package-lock.json changed since the last install
# (npm writes node_modules/.package-lock.json at each install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
npm test

export ATELIER_BIN="${ATELIER_BIN:-$(cd .. && pwd)/$build/apps/atelier/atelier}"
node e2e/run.mjs
