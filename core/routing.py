"""Wagtail's page serving, with the site and the route to each URL remembered until the next publish.

Finding the page for a URL costs Wagtail a query for the site, one for each path segment plus one
for the page's own type, and two for its view restrictions — on every request, for a tree that
changes only when an editor publishes. What those queries find is kept per cache generation
(core.cache), which every publish, move, delete, Site save and view-restriction save replaces:

- the site as its field values, and each URL's route as identities — the page's id and specific
  class, the sub-path a routable page resolves, whether any view restriction applies. Never a model
  instance: one kept in the process would be shared by concurrent requests (threads) and carry one
  request's state into the next.
- Each request then loads its own page by primary key, with its own foreign keys (one query), and
  resolves a routable page's sub-path again (no query); Wagtail serves it as usual (serve()), and
  its view-restriction check costs no query when the route found none (BasePage.get_view_restrictions).
- The sites' root paths, which every page URL is computed from (Wagtail reads them from the shared
  cache, a Redis round trip per request): kept per generation, as the tree paths under a view
  restriction are for lists (core.models.public).
"""

from dataclasses import dataclass

from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from .cache import cached_for_generation

SITE_FIELDS = tuple(field.attname for field in Site._meta.concrete_fields)


def site_for_request(request):
    """Site.find_for_request, remembered per host and port as the site's values; an instance per request."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        key = f"site:{request._get_raw_host()}:{request.get_port()}"
        values = cached_for_generation(request, key, lambda: _site_values(request), shared=False)
        request._wagtail_site = Site.from_db("default", SITE_FIELDS, values) if values else None
    return request._wagtail_site


def _site_values(request):
    site = Site._find_for_request(request)
    return tuple(getattr(site, name) for name in SITE_FIELDS) if site is not None else False


@dataclass(frozen=True)
class Route:
    """Where a URL leads, by identity: kept in the process, shared by its threads, so immutable."""

    page_id: int
    page_class: type
    subpath: str | None  # what a routable page resolves itself ("/week/"); None for a plain page
    restricted: bool  # a view restriction applies to the page or an ancestor
    related: tuple[str, ...]  # the page's own foreign keys, loaded with it


def shown_relations(page_class) -> tuple[str, ...]:
    """The page type's own foreign keys (an event's venue, a news item's image), but those it says it
    never shows (BasePage.relations_not_shown): loaded in the same query as the page."""
    hidden = set(getattr(page_class, "relations_not_shown", ()))
    return tuple(
        field.name
        for field in page_class._meta.concrete_fields
        if field.many_to_one
        and field.model is not Page
        and not field.model._meta.app_label.startswith("wagtail")
        and field.name not in hidden
    )


def _find_route(request, site, path):
    components = [component for component in path.split("/") if component]
    try:
        result = site.root_page.localized.specific.route(request, components)
    except Http404:
        return False
    page = result.page
    subpath = None
    if isinstance(page, RoutablePageMixin):
        # The components below the page itself, as RoutablePageMixin.route resolved them.
        own = len(page.url_path.strip("/").split("/")) - len(site.root_page.url_path.strip("/").split("/"))
        rest = components[own:]
        subpath = "/" + "".join(f"{component}/" for component in rest)
    restricted = Page.get_view_restrictions(page).exists()  # Wagtail's own check, not BasePage's shortcut
    return Route(page.pk, type(page), subpath, restricted, shown_relations(type(page)))


def _route_result(request, route: Route):
    """The route for this request, with a page instance of its own; None when the page went away."""
    pages = route.page_class._default_manager.select_related(*route.related)
    # By its key, unordered: ordering (first(), a Meta.ordering) makes Django hash every selected column
    # to compile the ORDER BY — a third of this query's CPU for a page with its images.
    found = list(pages.filter(pk=route.page_id, live=True).order_by()[:1])
    if not found:
        return None
    page = found[0]
    if not route.restricted:
        page._no_view_restrictions = True  # read by BasePage.get_view_restrictions
    if route.subpath is None:
        return RouteResult(page)
    try:
        match = page.resolve_subpage(route.subpath)
    except Http404:
        return None
    request.routable_resolver_match = match  # as RoutablePageMixin.route leaves it
    return RouteResult(page, args=(match.func, match.args, match.kwargs))


def site_root_paths(request):
    """Site.get_site_root_paths(), kept per generation (a Site saved, a page moved or published starts a
    new one); set on the request, where Page.get_url() looks first."""
    paths = cached_for_generation(request, "site-root-paths", Site.get_site_root_paths, shared=False)
    request._wagtail_cached_site_root_paths = paths
    return paths


def serve(request, path):
    """wagtail.views.serve, fed the remembered route for GET and HEAD."""
    site = site_for_request(request)
    if site is not None and request.method in ("GET", "HEAD"):
        site_root_paths(request)
        route = cached_for_generation(
            request, f"route:{site.pk}:{path}", lambda: _find_route(request, site, path), shared=False
        )
        result = _route_result(request, route) if route else None
        if not route or result is not None:  # else unpublished or deleted since: Wagtail looks again
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)
