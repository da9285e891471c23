"""Site-wide URLs owned by small apps (forms, feeds) that are not Wagtail pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("methodists.urls")),
    path("", include("contests.urls")),
]
