#!/usr/bin/env bash
# Starts Atelier on the embedded default (SQLite and local files under ./data) with a demo
# account, prints where to go and how to log in, and stays in the foreground: Ctrl-C stops it
# gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
shift || true
if [ -f web/package.json ] && [ ! -f web/dist/index.html ]; then
  (cd web && npm ci --no-audit --no-fund && npm run build)
fi

listen="${ATELIER_LISTEN:-127.0.0.1:8080}"
url="http://$listen"
"$build/apps/atelier/atelier" serve --listen "$listen" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"' INT TERM

for _ in $(seq 100); do
  curl -sf "$url/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { wait "$pid"; exit $?; }
  sleep 0.1
done

# The demo account: created on the first run, kept in ./data afterwards (409 then).
demo_email="visite@atelier.example"
demo_password="Chantier-Ouvert-2026"
curl -s -o /dev/null -X POST "$url/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$demo_email\",\"password\":\"$demo_password\",\"name\":\"Camille Martin\",\"org_name\":\"Démo Bâtiment\"}" || true

# Demo projects in the demo organisation (409 on later runs: they exist already).
token=$(curl -s -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$demo_email\",\"password\":\"$demo_password\"}" |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
if [ -n "$token" ]; then
  for project in \
    '{"code":"RES-TILLEULS","name":"Résidence Les Tilleuls","client":"SCI Les Tilleuls","address":"12 rue des Tilleuls, 69003 Lyon","start_date":"2026-09-01","end_date":"2027-12-17","budget_minor":485000000,"currency":"EUR"}' \
    '{"code":"ECOLE-JAURES","name":"Rénovation école Jean Jaurès","client":"Ville de Villeurbanne","address":"4 avenue Jean Jaurès, 69100 Villeurbanne","start_date":"2027-01-11","budget_minor":126000000,"currency":"EUR"}'; do
    curl -s -o /dev/null -X POST "$url/api/v1/projects" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "$project" || true
  done
fi

cat <<MSG

  Atelier is running at $url/
  Demo login: $demo_email / $demo_password
    (POST $url/api/v1/auth/login with that email and password gives a token)
  Data is kept in ./data. Ctrl-C stops it.

MSG
wait "$pid"
