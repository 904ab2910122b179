#!/usr/bin/env bash
# HTTP benchmark: `atelier serve` (full middleware chain, access log on) against nginx (one worker,
# access log on) serving the same bodies, measured in the same run with the same wrk settings.
# Prints a Markdown table for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-2}"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

atelier_port=$(free_port)
ATELIER_DATA_DIR="$work/data" ATELIER_WEB_ROOT="$work/web" \
  "$build/apps/atelier/atelier" serve --listen "127.0.0.1:$atelier_port" 2>"$work/atelier.log" >/dev/null &
pids+=($!)

nginx_port=$(free_port)
version_body=$(ATELIER_DATA_DIR="$work/data" "$build/apps/atelier/atelier" version | awk '{print $2}')
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    default_type application/json;
    location = /health/live { return 200 '{"status":"ok"}'; }
    location = /api/v1/version { return 200 '{"name":"atelier","version":"$version_body"}'; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

wait_for() {
  for _ in $(seq 100); do
    curl -sf "$1" >/dev/null && return 0
    sleep 0.1
  done
  echo "bench: $1 did not come up" >&2
  exit 1
}
wait_for "http://127.0.0.1:$atelier_port/health/live"
wait_for "http://127.0.0.1:$nginx_port/health/live"

# Prints "req/s p50 p99" for one wrk run.
measure() {
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$1")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$rps $p50 $p99"
}

echo "| route | server | req/s | p50 | p99 | ratio to nginx |"
echo "|---|---|---:|---:|---:|---:|"
for route in /api/v1/version /health/live; do
  # Warm both up, then measure nginx first and atelier second, back to back.
  wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$nginx_port$route" >/dev/null
  wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$atelier_port$route" >/dev/null
  read -r n_rps n_p50 n_p99 < <(measure "http://127.0.0.1:$nginx_port$route")
  read -r a_rps a_p50 a_p99 < <(measure "http://127.0.0.1:$atelier_port$route")
  ratio=$(python3 -c "print(f'{$a_rps / $n_rps:.2f}')")
  echo "| \`$route\` | nginx (1 worker) | $n_rps | $n_p50 | $n_p99 | 1.00 |"
  echo "| \`$route\` | atelier | $a_rps | $a_p50 | $a_p99 | $ratio |"
done

# Authentication: the same tiny route with and without a verified bearer token, and log-ins
# (argon2id at interactive limits) per second.
curl -s -o /dev/null -X POST "http://127.0.0.1:$atelier_port/api/v1/auth/register" \
  -H 'Content-Type: application/json' \
  -d '{"email":"bench@atelier.example","password":"Chantier-Ouvert-2026","name":"Bench","org_name":"Bench"}'
token=$(curl -s -X POST "http://127.0.0.1:$atelier_port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@atelier.example","password":"Chantier-Ouvert-2026"}' |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
if [ -n "$token" ]; then
  read -r u_rps u_p50 u_p99 < <(measure "http://127.0.0.1:$atelier_port/api/v1/version")
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$atelier_port/api/v1/version")
  t_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  t_p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  t_p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  ratio=$(python3 -c "print(f'{$t_rps / $u_rps:.2f}')")
  echo "| \`/api/v1/version\` | atelier, no credentials | $u_rps | $u_p50 | $u_p99 | 1.00 (reference) |"
  echo "| \`/api/v1/version\` | atelier, bearer JWT verified | $t_rps | $t_p50 | $t_p99 | $ratio |"
  out=$(wrk -t2 -c4 -d"$duration" --latency -s bench/login.lua "http://127.0.0.1:$atelier_port/api/v1/auth/login")
  echo "| \`POST /api/v1/auth/login\` (argon2id) | atelier, 4 connections | $(awk '/Requests\/sec/ {print $2}' <<<"$out") | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | |"
  # Writes: each request is a transaction that inserts the row and its event in the outbox
  # (SQLite, WAL, synchronous=NORMAL), against the authenticated read above as the reference.
  post() {
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -s bench/post_json.lua "$1" -- "$2" "$token"
  }
  out=$(post "http://127.0.0.1:$atelier_port/api/v1/projects" \
    '{"code":"B-{n}","name":"Chantier {n}","client":"Bench","address":"1 rue du Banc","start_date":"2027-01-04"}')
  p_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  ratio=$(python3 -c "print(f'{$p_rps / $t_rps:.2f}')")
  echo "| \`POST /api/v1/projects\` | atelier | $p_rps | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $ratio of the authenticated read |"
  # Tasks, all on one project: each request also appends the task to its Kanban column and bumps
  # the plan's input, and the scheduler recomputes the growing plan behind the burst. The project
  # is made first and measured once the tasks service has learnt it from its event.
  project=$(curl -s -X POST "http://127.0.0.1:$atelier_port/api/v1/projects" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"code":"BENCH-TASKS","name":"Chantier de mesure","client":"Bench","address":"1 rue du Banc","start_date":"2027-01-04"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("id", ""))')
  tasks_url="http://127.0.0.1:$atelier_port/api/v1/projects/$project"
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$tasks_url/tasks?limit=1")" = 200 ] && break
    sleep 0.1
  done
  out=$(post "$tasks_url/tasks" '{"name":"Tâche {n}","duration_days":3}')
  k_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  ratio=$(python3 -c "print(f'{$k_rps / $t_rps:.2f}')")
  echo "| \`POST /api/v1/projects/{id}/tasks\` (one project) | atelier | $k_rps | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $ratio of the authenticated read |"
  # How long the schedule of that project takes to catch up once the burst is over.
  start=$(date +%s.%N)
  catchup="the schedule of the task project did not catch up within 120 s"
  for _ in $(seq 1200); do
    schedule=$(curl -s -H "Authorization: Bearer $token" "$tasks_url/schedule")
    if grep -q '"stale":false' <<<"$schedule"; then
      count=$(python3 -c 'import json, sys; print(len(json.load(sys.stdin)["tasks"]))' <<<"$schedule")
      catchup="the schedule of the task project caught up $(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')") s after the burst, $count tasks"
      break
    fi
    sleep 0.1
  done
fi
echo
[ -n "${catchup:-}" ] && echo "After the task burst, $catchup."
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores; atelier $(grep -c '"event":"http.request"' "$work/atelier.log" || true) access-log lines written."

if [ -x "$build/bench/kernel_bench" ]; then
  echo
  echo "Kernel micro benchmarks (ns per operation; baselines measured in the same run):"
  "$build/bench/kernel_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E '^BM_'
fi

if [ -x "$build/bench/token_bench" ]; then
  echo
  echo "Access tokens (Ed25519 JWT; SHA-256 of the same token as the reference):"
  "$build/bench/token_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E '^BM_'
fi

if [ -x "$build/bench/critical_path_bench" ]; then
  echo
  echo "Critical path method (CPU time; std::sort and a bare topological sort of the same size as references):"
  "$build/bench/critical_path_bench" --benchmark_min_time=0.2 2>/dev/null | grep -E '^BM_'
fi

if [ -x "$build/bench/ocr_bench" ]; then
  echo
  echo "OCR of A4 pages at 300 dpi (seconds per page; the tesseract command on the same files as the reference):"
  OMP_THREAD_LIMIT=1 "$build/bench/ocr_bench" 2>/dev/null | grep -E '^BM_'
fi

if [ -x "$build/bench/visiobook_bench" ]; then
  echo
  echo "VisioBook (ms per page of 2,000 characters, panel ms, narration and encode real-time factors; the ffmpeg command on the same panels and WAV as the encoder's reference):"
  "$build/bench/visiobook_bench" 2>/dev/null | grep -E '^BM_'
fi

echo
echo "Documents: one large file uploaded and downloaded, against cp and dd on the same disk:"
bench/transfer.sh "$build"
