from django.apps import AppConfig


class PracticesAtlasConfig(AppConfig):
    name = "practices_atlas"
    verbose_name = "Атлас педагогических практик"
    demo_order = 70  # manage.py load_demo runs practices_atlas/demo.py after the calendar it links to (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from core.cache import invalidate_on_change
        from core.slots import register_home_slot

        from .models import Cluster, EducationLevel, Organisation, PracticeType, Project, TargetGroup
        from .slots import home_slot_context

        # Named on practice pages, cards and the catalogue's facets (subjects are core's, registered there).
        invalidate_on_change(PracticeType, EducationLevel, TargetGroup, Project, Cluster, Organisation)
        # After the news (10) and the events (20), before the contests (30).
        register_home_slot(
            "atlas", order=25, template="practices_atlas/components/home_slot.html", context=home_slot_context
        )
