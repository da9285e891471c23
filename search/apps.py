from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Поиск"
    demo_order = 90  # manage.py load_demo runs search/demo.py last (core/demo.py)

    def ready(self):
        from django.db.models.signals import post_migrate, post_save
        from wagtail.documents import get_document_model
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.searchsources import search_items_changed, search_items_deleted

        from . import signals

        # In the request that publishes: a published page is searchable at once, with or without a worker.
        page_published.connect(signals.page_changed, dispatch_uid="site-search-published")
        page_unpublished.connect(signals.page_removed, dispatch_uid="site-search-unpublished")
        post_page_move.connect(signals.page_moved, dispatch_uid="site-search-moved")
        post_save.connect(signals.document_saved, sender=get_document_model(), dispatch_uid="site-search-document")
        # Registry entries and other objects apps declare searchable (core.searchsources).
        search_items_changed.connect(signals.items_changed, dispatch_uid="site-search-items")
        search_items_deleted.connect(signals.items_deleted, dispatch_uid="site-search-items-deleted")
        post_migrate.connect(signals.index_after_migrate, sender=self, dispatch_uid="site-search-migrate")
