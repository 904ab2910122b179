-- wrk script: POST a log-in with the demo account that bench/run.sh creates.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@atelier.example","password":"Chantier-Ouvert-2026"}'
