from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import admin_pages as core_admin_pages
from core import auth as core_auth
from core import routing as core_routing
from core import views as core_views
from core.cache import cache_public
from home import views as home_views
from search import views as search_views

urlpatterns = [
    # Wagtail's login and password reset with the lockout and the reset throttle (core/auth.py).
    path("admin/login/", core_auth.LoginView.as_view()),
    path("admin/password_reset/", core_auth.PasswordResetView.as_view()),
    # «Добавить страницу» without autosave, so an abandoned form leaves no draft (core/admin_pages.py).
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
        core_admin_pages.create_page,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.search_suggestions, name="search_suggestions"),
    path("sitemap.xml", cache_public(params=("p",))(sitemap), name="sitemap"),  # stored like a page (core.cache)
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("lv/", core_views.low_vision_settings, name="low_vision"),
    path("altcha/", include("altcha_django.urls")),
    path("", include("core.urls")),
    # Forms and feeds of apps that are not Wagtail pages.
    path("", include("methodists.urls")),
    path("", include("contests.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages: Wagtail's serve view with the route remembered until the next publish (core/routing.py).
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, core_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
