"""gunicorn's configuration for CVPlus (read from the working directory: `gunicorn -c gunicorn.conf.py`).

Every number can be changed from the environment; the README's "Running CVPlus in production" explains them.
"""

import os

# gunicorn is the production server: production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.production")

wsgi_app = "cvplus.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
proc_name = "cvplus"

# One process per core, four threads each. A request mixes CPU (templates, LightGBM predictions, which run with one
# thread) with waits on PostgreSQL, Redis and Stripe: processes use the cores, threads overlap the waits. More
# processes than cores would only add memory (each loads numpy, pandas and LightGBM).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
workers = int(os.environ.get("WEB_CONCURRENCY", _cores))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Each thread holds at most one database connection at a time: a pool of `threads` per process never makes a request
# wait, and PostgreSQL sees at most workers × threads connections from the web (cvplus/settings/production.py).
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))

# A worker whose main loop stops answering for 30 s is killed and replaced. On SIGTERM, requests in flight get 30 s
# to finish. Keep-alive stays short: the proxy in front holds the clients' connections.
timeout = int(os.environ.get("GUNICORN_TIMEOUT_S", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT_S", "30"))
keepalive = 5

# Recycling workers after N requests (max_requests) is off by default: with gthread workers, each recycle left
# requests unanswered (bench/security_prod.py: 16 of ~2,600 wrk requests in 10 s timed out with 1,000, none with 0;
# gunicorn issue 3038). Nothing in CVPlus is known to leak; caches are bounded. GUNICORN_MAX_REQUESTS=N turns it on
# (with 10 % jitter, so the workers do not restart together) for a deployment that needs it.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# No preload: the application is imported in each worker after the fork, so no database pool, pool thread or Redis
# socket can be created in the master and shared by its children, and SIGHUP reloads new code. Preloading would
# save little memory here: reference counting soon copies the shared pages.
preload_app = False

# The heartbeat file on a RAM disk: a slow or full disk must not make workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented advice

# Access log on stdout: client (and the proxy's X-Forwarded-For), host, request, status, size, time in ms.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s fwd=%({x-forwarded-for}i)s host=%({host}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'

# No control socket: its default path is one per user, so a second gunicorn on the machine (tests, `make prod` beside
# a deployment) would take it over. Workers are managed with signals (HUP reload, TERM stop, TTIN/TTOU scale).
control_socket_disable = True
