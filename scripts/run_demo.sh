#!/usr/bin/env bash
# Starts the web server, and when Redis answers a Celery worker and beat beside it. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if "$PY" -c "import sys; from cvplus.runtime import port_answers; sys.exit(0 if port_answers('127.0.0.1', 6379) else 1)" \
   || [ -n "${REDIS_URL:-}" ]; then
  mkdir -p .run
  # Two workers, so that a model training (minutes of CPU) never holds up the tasks people wait for (reading a CV,
  # an import, reminders): the default queue has its own processes.
  .venv/bin/celery -A cvplus worker -Q default --concurrency 2 -n default@%h --loglevel INFO > .run/worker.log 2>&1 &
  pids+=($!)
  .venv/bin/celery -A cvplus worker -Q training --concurrency 1 -n training@%h --loglevel INFO > .run/training-worker.log 2>&1 &
  pids+=($!)
  .venv/bin/celery -A cvplus beat --loglevel INFO --schedule .run/celerybeat-schedule > .run/beat.log 2>&1 &
  pids+=($!)
  echo "Celery workers (default and training queues) and beat started (logs in .run/worker.log, .run/training-worker.log, .run/beat.log)."
else
  echo "Redis is not running: background tasks run inline inside the web process."
fi

echo "CVPlus is starting on http://localhost:${PORT}/ (Ctrl-C to stop)."
"$PY" manage.py runserver "0.0.0.0:${PORT}" --noreload &
pids+=($!)
wait "${pids[-1]}"
