"""A URLconf for tests/core/test_cache.py: the site's URLs plus a few views with known responses."""

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from imc_site.urls import urlpatterns as site_urlpatterns


def plain(request):
    return HttpResponse("<p>plain</p>")


def with_form(request):
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'
    )


def not_found(request):
    return HttpResponseNotFound("missing")


def redirect(request):
    return HttpResponseRedirect("/")


def private(request):
    response = HttpResponse("private")
    response["Cache-Control"] = "private"
    return response


def sets_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("hello", "world")
    return response


def posted(request):
    return HttpResponse(f"method={request.method}")


urlpatterns = [
    path("t/plain/", plain),
    path("t/form/", with_form),
    path("t/missing/", not_found),
    path("t/redirect/", redirect),
    path("t/private/", private),
    path("t/cookie/", sets_cookie),
    path("t/post/", posted),
    *site_urlpatterns,
]
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
