"""Admin: subjects (a snippet) and the visitors' questions, each methodist seeing only their own."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.ui.tables import DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.exports import ExportValuesMixin
from core.permissions import ADMINISTRATORS, EDITORS

from .models import Question, Subject


def sees_all_questions(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=[EDITORS, ADMINISTRATORS]).exists()


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Editors and administrators see every question; a methodist only those addressed to their page."""

    def user_has_permission(self, user, action):
        if action in ("add", "copy"):
            return False  # questions come from the site form only
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return sees_all_questions(user) or bool(instance.methodist_id and instance.methodist.user_id == user.pk)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Question.objects.none()
        if sees_all_questions(user):
            return Question.objects.all()
        return Question.objects.filter(methodist__user=user)


register_permission_policy(Question, QuestionPermissionPolicy(Question))


class OwnQuestionMixin:
    """The generic views check the model permission only; a question is also checked per instance."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        user = self.request.user
        if not (sees_all_questions(user) or (obj.methodist_id and obj.methodist.user_id == user.pk)):
            raise PermissionDenied
        return obj


class QuestionEditView(OwnQuestionMixin, EditView):
    pass


class QuestionInspectView(OwnQuestionMixin, InspectView):
    pass


class QuestionHistoryView(OwnQuestionMixin, HistoryView):
    pass


class QuestionIndexView(ExportValuesMixin, IndexView):
    pass


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "tag"
    menu_label = "Предметы и направления"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Вопросы методистам"
    list_display = ["__str__", "subject", "methodist", "status", DateColumn("created_at", label="Получен")]
    list_filter = ["status", "subject"]
    list_export = ["pk", "created_at", "subject", "methodist", "name", "email", "text", "get_status_display"]
    export_headings = {"pk": "№", "get_status_display": "Состояние"}
    export_filename = "voprosy-metodistam"
    search_fields = ["name", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    inspect_view_class = QuestionInspectView
    history_view_class = QuestionHistoryView

    def get_queryset(self, request):
        queryset = Question.objects.select_related("subject", "methodist")
        if sees_all_questions(request.user):
            return queryset
        return queryset.filter(methodist__user=request.user)


class MethodistsGroup(SnippetViewSetGroup):
    menu_label = "Методисты"
    menu_icon = "group"
    menu_order = 240
    items = (QuestionViewSet, SubjectViewSet)


register_snippet(MethodistsGroup)
