from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Общие компоненты"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.models import PageViewRestriction, Site

        from . import frontendcache
        from .cache import invalidate_on_change

        # A page published, unpublished, moved, deleted or saved, a snippet published: a new generation, and
        # the proxy in front drops what lists the page (everything, for a snippet) once the transaction commits.
        frontendcache.connect()
        # Pages show images and documents; restrictions change what .public() lists and which routes
        # core.routing remembers as unrestricted. core.checks (W010) asks the same of every app's models.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        invalidate_on_change(Site, PageViewRestriction, get_image_model(), get_document_model())
        # Subjects are named on event pages, methodists' pages, the question form and the filters.
        from .models import Subject

        invalidate_on_change(Subject)
        # Site settings (contacts, age mark) appear on every page.
        post_save.connect(self._settings_saved, dispatch_uid="pagecache-settings")
        # Deploy checks (core.checks) and the run-time report of a proxy the settings don't know about.
        from django.core.signals import request_started

        from .checks import forwarded_without_trusted_proxy

        request_started.connect(forwarded_without_trusted_proxy, dispatch_uid="core-proxy-misconfigured")

        # After every migrate (install, deploy): the default Site at SITE_URL, migration-made pages indexed.
        # Nothing here queries the database at start-up; `check --database default` compares the Site.
        from django.core import checks
        from django.db.models.signals import post_migrate

        from .searchindex import index_after_migrate
        from .siteurl import check_default_site, check_site_url, sync_site_after_migrate

        post_migrate.connect(sync_site_after_migrate, sender=self, dispatch_uid="core-sync-site")
        post_migrate.connect(index_after_migrate, sender=self, dispatch_uid="core-index-pages")
        checks.register(check_site_url)
        checks.register(check_default_site, checks.Tags.database)

    @staticmethod
    def _settings_saved(sender, **kwargs):
        from wagtail.contrib.settings.models import BaseSiteSetting

        from .cache import invalidate_all

        if issubclass(sender, BaseSiteSetting):
            invalidate_all()
