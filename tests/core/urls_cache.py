"""A URLconf for tests/core/test_cache.py: the site's URLs plus a few views with known responses.

Every view but `undeclared` is declared public (@cache_public): the page cache's own rules must still
refuse what is personal or not a plain 200, whatever a view declares."""

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from core.cache import cache_public, mark_public, new_generation
from imc_site.urls import urlpatterns as site_urlpatterns


@cache_public
def plain(request):
    return HttpResponse("<p>plain</p>")


def undeclared(request):
    return HttpResponse("<p>undeclared</p>")


@cache_public
def with_form(request):
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'
    )


@cache_public
def not_found(request):
    return HttpResponseNotFound("missing")


@cache_public
def redirect(request):
    return HttpResponseRedirect("/")


@cache_public
def private(request):
    response = HttpResponse("private")
    response["Cache-Control"] = "private"
    return response


@cache_public
def sets_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("hello", "world")
    return response


@cache_public
def session_used(request):
    request.session["seen"] = True  # SessionMiddleware, below the page cache, sets the cookie afterwards
    return HttpResponse("session")


@cache_public
def published_meanwhile(request):
    new_generation()  # an editor publishes while this page renders (from rows read before the commit)
    return HttpResponse("<p>old rows</p>")


@cache_public
def posted(request):
    return HttpResponse(f"method={request.method}")


@cache_public(params=("a",))
def echo(request):
    return HttpResponse(f"a={request.GET.getlist('a')}")


@cache_public(params=("a",))
def reads_undeclared(request):
    return HttpResponse(f"a={request.GET.get('a')} b={request.GET.get('b')}")


@cache_public(params=("a",))
def reads_everything(request):
    return HttpResponse(f"all={sorted(request.GET.copy().items())}")


def whole_query(request):
    return mark_public(request, HttpResponse(f"all={sorted(request.GET.items())}"), params=None)


urlpatterns = [
    path("t/echo/", echo),
    path("t/undeclared-read/", reads_undeclared),
    path("t/everything/", reads_everything),
    path("t/whole/", whole_query),
    path("t/plain/", plain),
    path("t/undeclared/", undeclared),
    path("t/form/", with_form),
    path("t/missing/", not_found),
    path("t/redirect/", redirect),
    path("t/private/", private),
    path("t/cookie/", sets_cookie),
    path("t/session/", session_used),
    path("t/post/", posted),
    path("t/published-meanwhile/", published_meanwhile),
    *site_urlpatterns,
]
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
