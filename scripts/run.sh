#!/usr/bin/env bash
# Starts Atelier on the embedded default (SQLite and local files under ./data) in the foreground.
# Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
shift || true
if [ -f web/package.json ] && [ ! -f web/dist/index.html ]; then
  (cd web && npm ci --no-audit --no-fund && npm run build)
fi
echo "Starting Atelier (data in ./data; Ctrl-C to stop)..."
exec "$build/apps/atelier/atelier" serve "$@"
