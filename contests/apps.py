from django.apps import AppConfig

VOTE_CONSENT = (
    "Я даю согласие ГБУ ИМЦ Центрального района Санкт-Петербурга (191024, Санкт-Петербург, Невский пр., 154) "
    "на обработку адреса моей электронной почты с целью подтверждения моего голоса в общественном голосовании "
    "конкурса на портале ИМЦ.\n"
    "Адрес используется только для отправки одного письма со ссылкой подтверждения и хранится до подтверждения "
    "голоса, но не дольше 24 часов; после этого он удаляется, а для учёта «один человек — один голос» хранится "
    "только необратимый ключ (HMAC) адреса до подведения итогов и окончания срока обжалования.\n"
    "Согласие можно отозвать, написав на imc@center-edu.spb.ru; неподтверждённый голос при этом не учитывается."
)
SUBMISSION_CONSENT = (
    "Я даю согласие ГБУ ИМЦ Центрального района Санкт-Петербурга на обработку персональных данных, указанных "
    "в заявке (ФИО авторов, образовательное учреждение, адрес электронной почты), с целью проведения конкурса: "
    "экспертизы работы, публикации работы с указанием авторов на портале ИМЦ и сообщения о результатах.\n"
    "Адрес электронной почты не публикуется. Данные хранятся в течение срока проведения конкурса и три года "
    "после подведения итогов. Согласие можно отозвать, написав на imc@center-edu.spb.ru."
)


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = "Конкурсы"
    demo_order = 60  # manage.py load_demo runs contests/demo.py in this order (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from core.consent import register_purpose
        from core.slots import register_home_slot

        from .slots import home_slot_context

        register_purpose("vote", "Голосование в конкурсе", VOTE_CONSENT)
        register_purpose("contest_submission", "Заявка на участие в конкурсе", SUBMISSION_CONSENT)
        register_home_slot(
            "contests", order=30, template="contests/components/home_slot.html", context=home_slot_context
        )

        from django.db.models.signals import post_save

        from .models import ContestIndexPage

        post_save.connect(grant_organisers, sender=ContestIndexPage, dispatch_uid="contests-grant-organisers")

        from wagtail.signals import page_published, page_unpublished

        from .voting import clear_meta

        for signal in (page_published, page_unpublished):
            signal.connect(clear_meta, dispatch_uid=f"contests-meta-{id(signal)}")

        from .models import ContestEntryPage
        from .submissions import release_files

        page_published.connect(release_files, sender=ContestEntryPage, dispatch_uid="contests-entry-files-released")


ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def grant_organisers(sender, instance, created, raw=False, **kwargs):
    """«Организаторы конкурсов» run the /contests/ section: they add, edit and publish contests and entries,
    and moderate the applications sent from the site (contests/moderation.py)."""
    if not created or raw:
        return
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from .moderation import attach_moderation_workflow

    attach_moderation_workflow(instance)
    group = Group.objects.filter(name="Организаторы конкурсов").first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=ORGANISER_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=permission)
