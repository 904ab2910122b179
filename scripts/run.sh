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

# The OCR pool runs one Tesseract engine per core; OpenMP threads inside each would only contend.
export OMP_THREAD_LIMIT="${OMP_THREAD_LIMIT:-1}"
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

# The demo project's plan, all through the API: two lots (projects service), ten tasks with links
# of several kinds and lags, a milestone, and a baseline once the schedule is computed. Skipped
# when the project already has tasks (./data keeps them from one run to the next).
api() {
  curl -s -X "$1" "$url$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+-d "$3"}
}
id_of() { sed -n 's/.*"id":"\([^"]*\)".*/\1/p'; }
demo_plan() {
  local project lots go elec
  project=$(api GET "/api/v1/projects?q=RES-TILLEULS" | id_of)
  [ -n "$project" ] || return 0
  # The tasks service learns the project from the projects service's events.
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      "$url/api/v1/projects/$project/tasks?limit=1")" = 200 ] && break
    sleep 0.1
  done
  api GET "/api/v1/projects/$project/tasks?limit=1" | grep -q '"items":\[\]' || return 0
  api POST "/api/v1/projects/$project/lots" \
    '{"code":"GO","name":"Gros œuvre","trade":"gros œuvre"}' >/dev/null
  api POST "/api/v1/projects/$project/lots" \
    '{"code":"ELEC","name":"Électricité","trade":"électricité"}' >/dev/null
  lots=$(api GET "/api/v1/projects/$project/lots")
  go=$(grep -o '"id":"[^"]*"[^{}]*"code":"GO"' <<<"$lots" | id_of)
  elec=$(grep -o '"id":"[^"]*"[^{}]*"code":"ELEC"' <<<"$lots" | id_of)
  local -A task
  local name days lot lot_json
  while IFS='|' read -r name days lot; do
    lot_json=null
    case "$lot" in
      GO) [ -n "$go" ] && lot_json="\"$go\"" ;;
      ELEC) [ -n "$elec" ] && lot_json="\"$elec\"" ;;
    esac
    task[$name]=$(api POST "/api/v1/projects/$project/tasks" \
      "{\"name\":\"$name\",\"duration_days\":$days,\"lot_id\":$lot_json}" | id_of)
  done <<'TASKS'
Installation de chantier|5|GO
Terrassement|8|GO
Fondations|12|GO
Élévation des murs|25|GO
Dalle haute|10|GO
Charpente|8|
Couverture|10|
Électricité (gaines)|12|ELEC
Plomberie|12|
Réception|0|
TASKS
  local from to type lag
  while IFS='|' read -r from to type lag; do
    api POST "/api/v1/projects/$project/links" \
      "{\"from\":\"${task[$from]}\",\"to\":\"${task[$to]}\",\"type\":\"$type\",\"lag_days\":$lag}" \
      >/dev/null
  done <<'LINKS'
Installation de chantier|Terrassement|FS|0
Terrassement|Fondations|FS|0
Fondations|Élévation des murs|FS|5
Élévation des murs|Dalle haute|SS|15
Dalle haute|Charpente|FS|3
Charpente|Couverture|SS|4
Couverture|Électricité (gaines)|FS|0
Électricité (gaines)|Plomberie|SS|2
Électricité (gaines)|Réception|FS|0
Plomberie|Réception|FF|0
LINKS
  # A baseline needs a computed schedule: the scheduler catches up within a moment.
  for _ in $(seq 100); do
    api GET "/api/v1/projects/$project/schedule" | grep -q '"stale":false' && break
    sleep 0.1
  done
  api POST "/api/v1/projects/$project/baselines" '{"name":"Marché signé"}' >/dev/null
}

# A VisioBook demo: the opening of Gautier's La morte amoureuse (public domain), turned into a
# storyboard and a narrated video by the server while you look around. Skipped when the demo
# organisation has a book already.
demo_book() {
  api GET "/api/v1/books?limit=1" | grep -q '"items":\[\]' || return 0
  local book source
  book=$(api POST "/api/v1/books" \
    '{"title":"La morte amoureuse","author":"Théophile Gautier","settings":{"style":"noir","target_minutes":2,"language":"fr"}}' |
    id_of)
  [ -n "$book" ] || return 0
  source=services/visiobook/tests/books/la_morte_amoureuse_fr.txt
  head -n 30 "$source" | curl -s -o /dev/null -X PUT "$url/api/v1/books/$book/source?name=la_morte_amoureuse.txt" \
    -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' --data-binary @-
  api POST "/api/v1/books/$book/runs" '{}' >/dev/null
}

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
  demo_plan || true
  demo_book || true
fi

cat <<MSG

  Atelier is running at $url/
  Demo login: $demo_email / $demo_password
    (POST $url/api/v1/auth/login with that email and password gives a token)
  Data is kept in ./data. Ctrl-C stops it.

MSG
wait "$pid"
