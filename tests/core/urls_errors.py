from django.urls import path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
