from django.urls import path

from . import views

urlpatterns = [
    path("contests/vote/<int:entry_id>/", views.vote, name="contests_vote"),
    path("contests/vote/confirm/<str:token>/", views.confirm, name="contests_confirm"),
    path("contests/votes/<int:contest_id>.json", views.counts, name="contests_counts"),
]
