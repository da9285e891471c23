"""Small machine-facing views of the home app."""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes | None:
    path = finders.find("img/favicon.ico")
    if not path:
        return None
    with open(path, "rb") as handle:
        return handle.read()


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico for browsers and crawlers that ask for it at the root, without a redirect."""
    data = _favicon_bytes()
    if data is None:
        raise Http404("favicon.ico")
    return HttpResponse(data, content_type="image/x-icon")
