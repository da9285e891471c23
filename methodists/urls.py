from django.urls import path

from . import views

app_name = "methodists"

urlpatterns = [
    path("vopros-metodistu/", views.question, name="question"),
    path("vopros-metodistu/otpravlen/", views.question_sent, name="question_sent"),
]
