"""The site's URLs plus /media/, which nginx serves in production (audit only; see audit_settings)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from imc_site.urls import handler404, handler500  # noqa: F401
from imc_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
