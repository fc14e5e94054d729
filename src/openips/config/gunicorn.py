"""gunicorn settings for production, tuned by environment variables (docs/operations.md):

    gunicorn -c python:openips.config.gunicorn openips.config.wsgi

Workers are stateless: sessions, audit and every record live in PostgreSQL, so any number of
servers can stand behind a load balancer. Static files are served by WhiteNoise from each."""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Threads let a worker overlap database waits; two processes per core cover the rest.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # exports stream, so no request needs long
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The load balancer terminates TLS and says so in X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The path without its query string: a search's words (names, NHS numbers) stay out of the logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
