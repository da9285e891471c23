from django.apps import AppConfig


class PracticesAtlasConfig(AppConfig):
    name = "practices_atlas"
    verbose_name = "Атлас педагогических практик"
    demo_order = 70  # manage.py load_demo runs practices_atlas/demo.py after the calendar it links to (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from django.db.models.signals import post_delete

        from core.cache import invalidate_on_change
        from core.consent import register_purpose
        from core.slots import register_home_slot

        from .adoption_forms import ADOPTION_CONSENT, CONSENT_PURPOSE
        from .models import Adoption, Cluster, EducationLevel, Organisation, PracticeType, Project, TargetGroup
        from .slots import home_slot_context

        register_purpose(CONSENT_PURPOSE, "Сообщение о внедрении практики", ADOPTION_CONSENT)
        # A confirmation drops the page cache itself (adoptions.confirm_adoption); a methodist deleting a
        # confirmed report changes the practice page too. Pending reports change nothing public.
        post_delete.connect(adoption_deleted, sender=Adoption, dispatch_uid="atlas-adoption-deleted")

        # Named on practice pages, cards and the catalogue's facets (subjects are core's, registered there).
        invalidate_on_change(PracticeType, EducationLevel, TargetGroup, Project, Cluster, Organisation)
        # After the news (10) and the events (20), before the contests (30).
        register_home_slot(
            "atlas", order=25, template="practices_atlas/components/home_slot.html", context=home_slot_context
        )
        # «Предложить практику» (practices_atlas/submissions.py): its consent text and the author's notices.
        from .submissions import CONSENT_PURPOSE as SUBMISSION_PURPOSE
        from .submissions import CONSENT_TEXT, connect_signals

        register_purpose(SUBMISSION_PURPOSE, "Предложение практики в Атлас", CONSENT_TEXT)
        connect_signals()


def adoption_deleted(sender, instance, **kwargs):
    from core.cache import invalidate_all

    if instance.status == instance.State.CONFIRMED:
        invalidate_all()
