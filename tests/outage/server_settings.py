"""The site as production runs it for the outage tests (its own PostgreSQL cluster or Redis): the test settings
(no collectstatic, mail into memory) with production's database connection (persistent, DATABASE_URL),
the page cache on in Redis under this run's own key prefix, and the human check in test mode (not
what these tests are about)."""

import os

from imc_site.settings import base
from imc_site.settings.test import *  # noqa: F403
from imc_site.settings.test import CACHES

DATABASES = base.DATABASES  # production's: persistent connections (conn_max_age), no TEST name
PAGE_CACHE_SECONDS = 300
CACHES["default"]["KEY_PREFIX"] = os.environ["IMC_OUTAGE_CACHE_PREFIX"]
ALTCHA_TEST_MODE = True
# The Redis outage test waits for the breaker to close again (core/redisbreaker.py): seconds, not 30.
REDIS_BREAKER_OPEN_SECONDS = float(os.environ.get("IMC_OUTAGE_BREAKER_SECONDS", "30"))
