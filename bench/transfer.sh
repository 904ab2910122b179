#!/usr/bin/env bash
# Documents: upload and download of one large file through `atelier serve` against `cp` and `dd`
# of the same file on the same disk, in the same run. Prints a Markdown table for
# docs/performance.md. Usage: bench/transfer.sh [BUILD_DIR] (TRANSFER_MB, default 1024).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
size_mb="${TRANSFER_MB:-1024}"

work=$(mktemp -d "${TMPDIR:-/tmp}/atelier-transfer.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
ATELIER_DATA_DIR="$work/data" ATELIER_WEB_ROOT="$work/web" ATELIER_ACCESS_LOG=false \
  ATELIER_DOCUMENTS_MAX_UPLOAD_BYTES=$(((size_mb + 1) << 20)) \
  "$build/apps/atelier/atelier" serve --listen "127.0.0.1:$port" >/dev/null 2>"$work/atelier.log" &
pid=$!
for _ in $(seq 100); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.1; done

curl -sf -o /dev/null -X POST "$url/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"bench@atelier.example","password":"Chantier-Ouvert-2026","name":"Bench","org_name":"Bench"}'
token=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@atelier.example","password":"Chantier-Ouvert-2026"}' |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')

# Random bytes: nothing along the way can compress them. Written once, then read from the page
# cache by every contender alike.
head -c "$((size_mb << 20))" /dev/urandom >"$work/file.bin"
sync

seconds() { python3 -c "import time; print(time.monotonic())"; }
mbps() { python3 -c "print(f'{$size_mb / ($2 - $1):.0f}')"; }

t0=$(seconds); cp "$work/file.bin" "$work/copy.bin"; sync; t1=$(seconds)
cp_rate=$(mbps "$t0" "$t1"); rm -f "$work/copy.bin"
t0=$(seconds); dd if="$work/file.bin" of="$work/dd.bin" bs=4M conv=fsync status=none; t1=$(seconds)
dd_rate=$(mbps "$t0" "$t1"); rm -f "$work/dd.bin"

# curl -T streams the file; --data-binary would read all of it into memory first.
t0=$(seconds)
id=$(curl -sf -X POST "$url/api/v1/documents?name=large.bin" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/octet-stream' -T "$work/file.bin" |
  sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
t1=$(seconds)
up_rate=$(mbps "$t0" "$t1")
t0=$(seconds)
curl -sf -o "$work/down.bin" -H "Authorization: Bearer $token" "$url/api/v1/documents/$id/content"
sync; t1=$(seconds)
down_rate=$(mbps "$t0" "$t1")
cmp -s "$work/file.bin" "$work/down.bin" || { echo "transfer: the download differs from the upload" >&2; exit 1; }

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo "| transfer of ${size_mb} MiB | MiB/s | ratio to \`cp\` | ratio to \`dd conv=fsync\` |"
echo "|---|---:|---:|---:|"
echo "| \`cp\` + sync (reference) | $cp_rate | 1.00 | $(ratio "$cp_rate" "$dd_rate") |"
echo "| \`dd bs=4M conv=fsync\` | $dd_rate | $(ratio "$dd_rate" "$cp_rate") | 1.00 |"
echo "| upload \`POST /api/v1/documents\` (SHA-256, fsync, blob store) | $up_rate | $(ratio "$up_rate" "$cp_rate") | $(ratio "$up_rate" "$dd_rate") |"
echo "| download \`GET .../content\` (sendfile) + sync | $down_rate | $(ratio "$down_rate" "$cp_rate") | $(ratio "$down_rate" "$dd_rate") |"
