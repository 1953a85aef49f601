#!/usr/bin/env bash
# Serves the demo as production runs it: gunicorn (gunicorn.conf.py) under production settings, DEBUG off, static files
# from WhiteNoise, with a Celery worker and beat beside it. Same database and demo tenants as `make run`.
# Plain HTTP on *.localhost needs three explicit overrides of the production defaults; a real deployment sets none.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8001}"
PY=.venv/bin/python
mkdir -p .run

if [ ! -s .run/secret_key ]; then  # generated once, kept: sessions survive a restart
  (umask 077; "$PY" -c "import secrets; print(secrets.token_urlsafe(64))" > .run/secret_key)
fi
export DJANGO_SETTINGS_MODULE=cvplus.settings.production
SECRET_KEY="$(cat .run/secret_key)"
export SECRET_KEY
DATABASE_URL="${DATABASE_URL:-$("$PY" scripts/demo_database_url.py)}"
export DATABASE_URL
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,.localhost,127.0.0.1}"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false  # http://*.localhost only
export CVPLUS_SITE_SCHEME=http CVPLUS_SITE_PORT="$PORT"  # links in e-mails
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"

"$PY" manage.py collectstatic --noinput -v 0
echo "Django's deployment checklist (its warnings name exactly this local run's HTTP overrides):"
"$PY" manage.py check --deploy --fail-level ERROR

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if "$PY" -c "import sys; from cvplus.runtime import port_answers; sys.exit(0 if port_answers('127.0.0.1', 6379) else 1)" \
   || [ -n "${REDIS_URL:-}" ]; then
  # Two workers, so that a model training (minutes of CPU) never holds up the tasks people wait for (reading a CV,
  # an import, reminders): the default queue has its own processes.
  .venv/bin/celery -A cvplus worker -Q default --concurrency 2 -n default@%h --loglevel INFO > .run/prod-worker.log 2>&1 &
  pids+=($!)
  .venv/bin/celery -A cvplus worker -Q training --concurrency 1 -n training@%h --loglevel INFO > .run/prod-training-worker.log 2>&1 &
  pids+=($!)
  .venv/bin/celery -A cvplus beat --loglevel INFO --schedule .run/prod-celerybeat-schedule > .run/prod-beat.log 2>&1 &
  pids+=($!)
  echo "Celery workers (default and training queues) and beat started (logs in .run/prod-worker.log, .run/prod-training-worker.log, .run/prod-beat.log)."
else
  echo "Redis is not running: background tasks run inline inside the web processes."
fi

echo "CVPlus (production settings, DEBUG off) is starting on http://localhost:${PORT}/ (Ctrl-C to stop)."
.venv/bin/gunicorn -c gunicorn.conf.py --bind "0.0.0.0:${PORT}" &
pids+=($!)
wait "${pids[-1]}"
