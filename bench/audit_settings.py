"""Production settings as the audit serves them: gunicorn alone stands in for nginx + gunicorn.

In production nginx serves /media/ and compresses responses (README, "Production"); here Django does
both, so that Lighthouse measures what a visitor of the real site gets. Nothing else differs.
"""

from imc_site.settings.production import *  # noqa: F403
from imc_site.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.audit_urls"
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]
