"""Settings of the load benchmark (benchmarks/load.py): production settings
(DEBUG off) served over plain HTTP on 127.0.0.1, plus two floor views.

What differs from production, and why:

- DEBUG is forced off and a throw-away SECRET_KEY is used when none is set.
- Cookies are not marked Secure: the benchmark talks plain HTTP to gunicorn on
  127.0.0.1, and a client does not send Secure cookies over plain HTTP.
- The rate limit on the report form (people/auth/ratelimit.py) is raised: the
  benchmark files thousands of reports from one employee and one address in
  minutes, which production rightly refuses after 20 an hour.
- ``ROOT_URLCONF`` adds the floor views (config/urls_benchmark.py).
"""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-0123456789abcdef")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "config.urls_benchmark"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False
HANDVAT_RATE_LIMITS = {
    **HANDVAT_RATE_LIMITS,  # noqa: F405
    "cases:report_new": (1_000_000, 1_000_000, 3600),
}
