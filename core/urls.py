"""core's own URLs (apps' URLs are included by imc_site/urls.py: core imports no app)."""

from django.urls import path

from .middleware import uri_too_long

urlpatterns = [
    # nginx's `error_page 414` shows this page for addresses too long to reach gunicorn (README)
    path("errors/414/", uri_too_long, name="uri_too_long"),
]
