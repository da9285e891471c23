"""gunicorn for production: `gunicorn imc_site.wsgi:application -c gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are recycled to bound memory growth; with the app preloaded in the master a new worker is
# a cheap fork, not a second import of Django and Wagtail (measured: at 2,000 requests a worker was
# replaced every ~11 s during a voting spike, each costing about a second of CPU).
preload_app = True
max_requests = 20000
max_requests_jitter = 0  # replaced by the staggering in post_fork


def post_fork(server, worker):
    """Workers are never replaced together: worker k (counted by gunicorn's spawn counter `age`) is
    recycled after max_requests × (1 + k / workers) requests, so with even load the replacements are
    spread evenly (measured before: both workers recycled within ~1 s of each other, 16 times in one
    benchmark, each time a p99 spike of 0.6–1 s). Each new worker takes the next offset."""
    count = max(server.cfg.workers, 1)
    worker.max_requests = stagger(server.cfg.max_requests, worker.age, count)


def stagger(base: int, age: int, count: int) -> int:
    if base <= 0:
        return base  # recycling switched off
    return base + (age % count) * (base // count)


accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# The longest request line gunicorn accepts (its maximum; the default is 4094). Anything up to it
# reaches the site, which answers an over-long address with its own Russian 414 page
# (core.middleware); nginx's large_client_header_buffers (8k) stops longer ones first (README).
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
