from django.urls import path


def boom(request):
    raise RuntimeError("boom")


def database_gone(request):
    from django.db import OperationalError

    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


urlpatterns = [path("boom/", boom), path("db-down/", database_gone)]
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
