"""Wagtail's page serving, with the site and the route remembered in the process until the next publish.

Finding the page for a URL costs Wagtail a query for the site, and one for each path segment plus
one for the page's own type — on every request, for a tree that changes only when an editor
publishes. Both results are kept per cache generation (core.cache), which every publish, move,
delete and Site save replaces; what Wagtail then does with the page (view restrictions, serve()) is
unchanged.
"""

from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site

from .cache import cached_for_generation


def site_for_request(request):
    """Site.find_for_request, remembered per host and port (local to the process: cheap to build)."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        key = f"site:{request._get_raw_host()}:{request.get_port()}"
        request._wagtail_site = cached_for_generation(
            request, key, lambda: Site._find_for_request(request), shared=False
        )
    return request._wagtail_site


def _route(request, site, path):
    components = [component for component in path.split("/") if component]
    try:
        result = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    if isinstance(result.page, RoutablePageMixin) and result.args:
        # The view is bound to this page instance; keep the resolver match routable pages read.
        return result, getattr(request, "routable_resolver_match", None)
    return result, None


def serve(request, path):
    """wagtail.views.serve, fed the remembered route for GET and HEAD."""
    site = site_for_request(request)
    if site is not None and request.method in ("GET", "HEAD"):
        cached = cached_for_generation(
            request, f"route:{site.pk}:{path}", lambda: _route(request, site, path) or False, shared=False
        )
        if cached:
            result, resolver_match = cached
            request._wagtail_route_for_request = result
            if resolver_match is not None:
                request.routable_resolver_match = resolver_match
        else:
            request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)
