"""Site-wide URLs owned by small apps (forms, feeds) that are not Wagtail pages."""

from django.urls import include, path

from .middleware import uri_too_long

urlpatterns = [
    # nginx's `error_page 414` shows this page for addresses too long to reach gunicorn (README)
    path("errors/414/", uri_too_long, name="uri_too_long"),
    path("", include("methodists.urls")),
    path("", include("contests.urls")),
]
