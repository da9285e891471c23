"""Admin: the visitors' questions, each methodist seeing only their own (subjects are core's list).

Who sees which question is decided once, by `QuestionPermissionPolicy.instances_user_has_any_permission_for`
(`visible_questions`). Wagtail's generic views check only the model permission and load objects with
`Model.objects`, so every view of the question viewset *and* of its chooser is built with
`OwnQuestionsOnly` mixed in (`construct_view`), and the bulk delete action is replaced for questions:
listing, results, export, edit, delete, usage, history, inspect, choose, chosen and bulk actions all
answer from that one queryset, and a question outside it is a 404.
"""

from django.http import Http404
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.exports import ExportValuesMixin
from core.permissions import ADMINISTRATORS, EDITORS

from .models import Question

VISIBLE_ACTIONS = ("view", "change", "delete")


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


question_policy = QuestionPermissionPolicy(Question)
register_permission_policy(Question, question_policy)


def visible_questions(user):
    """The questions this user may see anywhere in the admin (none for users without a question permission)."""
    return question_policy.instances_user_has_any_permission_for(user, VISIBLE_ACTIONS)


class OwnQuestionsOnly:
    """Mixed into every question view: whatever a view loads comes from `visible_questions`.

    Generic views differ in how they load (get_object() / get_object(queryset) / get_object(pk),
    get_objects(pks), get_object_list()), so each hook calls the view's own method and narrows the result.
    A method only runs if the view itself calls it.
    """

    def _visible(self):
        return visible_questions(self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self._visible().filter(pk=obj.pk).exists():
            raise Http404("Вопрос не найден")
        return obj

    def get_objects(self, *args, **kwargs):  # chooser: chosen-multiple
        return super().get_objects(*args, **kwargs).filter(pk__in=self._visible().values("pk"))

    def get_object_list(self, *args, **kwargs):  # chooser: choose, choose results
        return super().get_object_list(*args, **kwargs).filter(pk__in=self._visible().values("pk"))


def own_questions_view(view_class):
    return type(f"OwnQuestions{view_class.__name__}", (OwnQuestionsOnly, view_class), {})


class QuestionChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        return super().construct_view(own_questions_view(view_class), **kwargs)


class QuestionIndexView(ExportValuesMixin, IndexView):
    pass


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
    chooser_viewset_class = QuestionChooserViewSet

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(own_questions_view(view_class), **kwargs)

    def get_queryset(self, request):
        """Index, its results and the CSV/XLSX export."""
        return visible_questions(request.user).select_related("subject", "methodist")


class QuestionBulkDelete(DeleteBulkAction):
    """Wagtail's bulk delete lists every selected id, including those the user may not touch
    («items with no access», with their titles): only the user's questions are ever loaded."""

    models = [Question]

    def get_queryset(self, model, object_ids):
        objects = list(visible_questions(self.request.user).filter(pk__in=object_ids))
        if not objects:
            raise Http404("Вопрос не найден")
        return objects

    def get_all_objects_in_listing_query(self, parent_id):
        return visible_questions(self.request.user).values_list("pk", flat=True)


# The hook's value is the class itself; order: after wagtail.snippets' own, which it replaces for questions.
hooks.register("register_bulk_action", QuestionBulkDelete, order=100)


class MethodistsGroup(SnippetViewSetGroup):
    menu_label = "Методисты"
    menu_icon = "group"
    menu_order = 240
    items = (QuestionViewSet,)


register_snippet(MethodistsGroup)
