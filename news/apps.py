from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Новости"
    demo_order = 30  # manage.py load_demo runs news/demo.py in this order (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from taggit.models import Tag

        from core.cache import invalidate_on_change
        from core.slots import register_home_slot

        from .slots import home_head, home_slot_context

        invalidate_on_change(Tag)  # tag names on news pages and in the list's filters

        # First on the home page, before the events (20) and contests (30).
        register_home_slot(
            "news", order=10, template="news/components/home_slot.html", context=home_slot_context, head=home_head
        )
