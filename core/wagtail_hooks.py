"""Admin for personal data and mail: consent texts (versioned), the consent register and outgoing
e-mail. The registers are read-only for everybody, superusers included: they are evidence."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import editors_guide  # noqa: F401 - the editors' guide in the «Помощь» menu (issue 9.6)
from .models import ConsentDocument, ConsentRecord, OutgoingEmail, Subject
from .taskqueue import STUCK_AFTER, overdue_tasks

WRITE_ACTIONS = {"add", "change", "delete", "copy", "publish", "unpublish", "lock", "unlock"}


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model's view permission; nobody adds, edits or deletes entries."""

    def user_has_permission(self, user, action):
        if action in WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in WRITE_ACTIONS]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)


register_permission_policy(ConsentRecord, ReadOnlyPermissionPolicy(ConsentRecord))
register_permission_policy(OutgoingEmail, ReadOnlyPermissionPolicy(OutgoingEmail))


class ConsentDocumentViewSet(SnippetViewSet):
    model = ConsentDocument
    icon = "doc-full"
    menu_label = "Тексты согласий"
    list_display = [
        "title",
        "purpose",
        Column("version_label", label="Действующая редакция"),
        DateColumn("_updated_at", label="Изменён"),
    ]
    search_fields = ["title"]
    search_backend_name = None


class ConsentRecordViewSet(SnippetViewSet):
    model = ConsentRecord
    icon = "tick-inverse"
    menu_label = "Реестр согласий"
    list_display = ["purpose", DateColumn("given_at", label="Дата и время"), "revision", "withdrawn_at"]
    list_filter = ["purpose"]
    list_export = ["purpose", "given_at", "revision_id", "subnet_hash", "withdrawn_at"]
    export_filename = "reestr-soglasiy"
    inspect_view_enabled = True


class OutgoingEmailViewSet(SnippetViewSet):
    model = OutgoingEmail
    icon = "mail"
    menu_label = "Исходящая почта"
    list_display = ["subject", "to", "purpose", "status", "attempts", DateColumn("created_at", label="Создано")]
    list_filter = ["status", "purpose"]
    list_export = ["created_at", "to", "subject", "purpose", "status", "attempts", "sent_at", "last_error"]
    export_filename = "ishodyashchaya-pochta"
    search_fields = ["subject", "to"]
    search_backend_name = None
    inspect_view_enabled = True
    # Not the text: it may carry one-time links (password reset, vote confirmation) that would let
    # whoever reads the log act as the recipient.
    inspect_view_fields = [
        "to",
        "cc",
        "reply_to",
        "from_email",
        "subject",
        "purpose",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]


class SubjectViewSet(SnippetViewSet):
    """The one list of subjects and directions (events, methodists, the atlas): its own menu item,
    since no section owns it. Who may edit it: «Редакторы» and «Администраторы» (core/0003, carried
    over from the methodists' list by methodists/0002)."""

    model = Subject
    icon = "tag"
    menu_label = "Предметы и направления"
    menu_order = 245
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


register_snippet(SubjectViewSet)


class PersonalDataGroup(SnippetViewSetGroup):
    menu_label = "Персональные данные и почта"
    menu_icon = "lock"
    menu_order = 250
    items = (ConsentDocumentViewSet, ConsentRecordViewSet, OutgoingEmailViewSet)


register_snippet(PersonalDataGroup)

# Sign-in locks page for superusers (issue 8.3); its hooks live beside the lockout code.
from . import auth_admin, reauth, twofactor_admin  # noqa: E402, F401 - hooks: sign-in locks, re-authentication, «Двухэтапный вход»


@hooks.register("insert_global_admin_css")
def admin_css():
    """Small admin layout fixes (core/static/core/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))


class TaskQueuePanel(Component):
    """On the dashboard, for staff, only when the queue is stuck: mail and the admin search wait."""

    order = 10

    def __init__(self, overdue: int):
        self.overdue = overdue

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="help-block help-warning" role="alert"><p><strong>Очередь задач не обрабатывается.</strong> '
            "Задач, ожидающих дольше {1} минут: {0}. Письма посетителям не уходят, поиск в админке не обновляется. "
            "Сообщите администратору сервера: нужно проверить, запущен ли обработчик задач (db_worker).</p></section>",
            self.overdue,
            int(STUCK_AFTER.total_seconds() // 60),
        )


@hooks.register("construct_homepage_panels")
def task_queue_panel(request, panels):
    overdue = overdue_tasks()
    if overdue:
        panels.insert(0, TaskQueuePanel(overdue))
