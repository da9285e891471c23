from django.apps import AppConfig


class SafeInternetConfig(AppConfig):
    name = "safe_internet"
    verbose_name = "Безопасный интернет"
    demo_order = (
        80  # manage.py load_demo runs safe_internet/demo.py after the calendar and contests it links (core/demo.py)
    )
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from core.cache import invalidate_on_change

        from .models import NormativeDocument, SafeResource, Topic
        from .searchitems import register

        # Listed on the registry and resources pages (documents themselves are core's).
        invalidate_on_change(NormativeDocument, SafeResource, Topic)
        # Each document and site is a site search result of its own (core.searchsources).
        register()
