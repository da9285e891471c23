"""Editors' groups: methodists write in their sections and submit; editors publish; nobody touches
/sveden/ or the home page without the right; moderation and scheduled publishing work."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Site,
    Workflow,
    WorkflowState,
)
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.permissions import ADMINISTRATORS, CONTEST_ORGANISERS, EDITORS, METHODISTS, grant_all_sections
from news.models import NewsPage
from sveden.models import SvedenCommonPage, SvedenIndexPage
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

GROUPS = [METHODISTS, EDITORS, CONTEST_ORGANISERS, ADMINISTRATORS]
DIVISIONS = ["Методический отдел", "Центр информатизации", "Центр оценки качества образования"]


@pytest.fixture
def user_in(db):
    def make(group_name, username=None):
        return UserFactory(username=username or group_name, groups=[group_name])

    return make


def news_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-20",
            "lead": "Семинар для учителей математики прошёл в школе № 204.",
            "main_image_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>Текст новости</p>"))]),
            "tags": "",
        }
    )


def test_groups_exist_with_russian_names_and_wagtail_defaults_are_gone():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(GROUPS) <= names
    assert not names & {"Editors", "Moderators"}
    for name in GROUPS:
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()


def test_default_workflow_is_russian_and_approved_by_editors():
    workflow = Workflow.objects.get(name="Согласование публикации")  # contests add their own (contests/0005)
    assert workflow.active
    task = workflow.tasks.get().specific
    assert task.name == "Проверка и публикация редактором"
    assert list(task.groups.values_list("name", flat=True)) == [EDITORS]
    assert Page.objects.get(depth=1).get_workflow() == workflow


def test_division_collections_with_permissions():
    root = Collection.get_first_root_node()
    names = set(root.get_children().values_list("name", flat=True))
    assert set(DIVISIONS) <= names
    methodists = Group.objects.get(name=METHODISTS)
    for name in DIVISIONS:
        perms = set(
            GroupCollectionPermission.objects.filter(group=methodists, collection__name=name).values_list(
                "permission__codename", flat=True
            )
        )
        assert {"add_image", "choose_image", "add_document", "choose_document"} <= perms
    on_root = set(
        GroupCollectionPermission.objects.filter(group=methodists, collection=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert on_root == {"choose_image", "choose_document"}  # they see everything, upload to their division


def test_publishing_a_section_grants_methodists_add_and_edit_only(news_index):
    perms = set(
        GroupPagePermission.objects.filter(group__name=METHODISTS, page=news_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert perms == {"add_page", "change_page"}
    assert not GroupPagePermission.objects.filter(group__name=METHODISTS, page__depth__lte=2).exists()
    assert grant_all_sections() == 0  # idempotent
    call_command("grant_section_permissions", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    ("group", "page_key", "can_edit", "can_publish", "can_add"),
    [
        (METHODISTS, "news", True, False, True),
        (METHODISTS, "home", False, False, False),
        (METHODISTS, "sveden", False, False, False),
        (METHODISTS, "sveden_common", False, False, False),
        (EDITORS, "news", True, True, True),
        (EDITORS, "home", True, True, True),
        (EDITORS, "sveden_common", True, True, False),  # a subsection has no subpages
        (CONTEST_ORGANISERS, "news", False, False, False),
        (ADMINISTRATORS, "sveden", True, True, True),
    ],
)
def test_page_permissions_table(user_in, news_index, home_page, group, page_key, can_edit, can_publish, can_add):
    pages = {
        "news": news_index,
        "home": home_page,
        "sveden": SvedenIndexPage.objects.get(),
        "sveden_common": SvedenCommonPage.objects.get(),
    }
    perms = pages[page_key].permissions_for_user(user_in(group))
    assert (perms.can_edit(), perms.can_publish(), perms.can_add_subpage()) == (can_edit, can_publish, can_add)


def test_methodist_creates_news_and_submits_it_for_moderation(client, user_in, news_index):
    methodist = user_in(METHODISTS)
    client.force_login(methodist)
    url = f"/admin/pages/add/news/newspage/{news_index.pk}/"
    assert client.get(url).status_code == 200
    data = news_form("Семинар учителей математики", "seminar-matematika")
    data["action-submit"] = "Отправить на модерацию"
    response = client.post(url, data)
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="seminar-matematika")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == methodist

    # An attempt to publish directly only saves a draft: the page stays unpublished.
    edit = f"/admin/pages/{page.pk}/edit/"
    assert client.get(edit).status_code == 200
    data = news_form("Семинар учителей математики (уточнено)", "seminar-matematika")
    data["action-publish"] = "action-publish"
    client.post(edit, data)
    page.refresh_from_db()
    assert not page.live


def test_methodist_cannot_edit_home_or_sveden_in_the_admin(client, user_in, news_index, home_page):
    client.force_login(user_in(METHODISTS))
    for page in (home_page, SvedenIndexPage.objects.get(), SvedenCommonPage.objects.get()):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code in (302, 403), page.url
    assert client.get(f"/admin/pages/add/news/newsindexpage/{home_page.pk}/").status_code in (302, 403)


def test_editor_approves_the_submission_and_publishes(client, user_in, news_index):
    methodist = user_in(METHODISTS)
    client.force_login(methodist)
    data = news_form("Конкурс «Я выбираю интерактив»", "konkurs-interaktiv")
    data["action-submit"] = "1"
    client.post(f"/admin/pages/add/news/newspage/{news_index.pk}/", data)
    page = NewsPage.objects.get(slug="konkurs-interaktiv")

    editor = user_in(EDITORS)
    state = page.current_workflow_state
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(page, editor)
    task_state.task.specific.on_action(task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live and page.title == "Конкурс «Я выбираю интерактив»"


def test_editor_publishes_directly_in_the_admin(client, user_in, news_index):
    client.force_login(user_in(EDITORS))
    data = news_form("Итоги районного этапа ВСОШ", "itogi-vsosh")
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/add/news/newspage/{news_index.pk}/", data)
    assert response.status_code == 302
    assert NewsPage.objects.get(slug="itogi-vsosh").live


def test_scheduled_publishing_with_publish_scheduled(news_index):
    page = NewsPage(title="Неделя безопасного интернета", slug="nedelya-bezopasnogo-interneta", lead="Скоро.")
    news_index.add_child(instance=page)
    page.unpublish()
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet

    later = timezone.now() + timedelta(hours=2)  # cron runs publish_scheduled every minute; time passes
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is None


def test_accessibility_checker_stays_in_the_userbar(client, user_in, home_page):
    client.force_login(user_in(EDITORS))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<template id="wagtail-userbar-template">' in html
    assert "checker-axe-configuration" in html


@pytest.mark.parametrize("group, allowed", [(EDITORS, True), (ADMINISTRATORS, True), (METHODISTS, False)])
def test_site_settings_moved_to_core_keep_who_may_edit_them(client, user_in, home_page, group, allowed):
    """SiteSettings now lives in core (table home_sitesettings): the groups' right moved with its content type."""
    from django.contrib.contenttypes.models import ContentType

    assert list(ContentType.objects.filter(model="sitesettings").values_list("app_label", flat=True)) == ["core"]
    site = Site.objects.get(is_default_site=True)
    client.force_login(user_in(group))
    response = client.get(f"/admin/settings/core/sitesettings/{site.pk}/")
    if allowed:
        assert response.status_code == 200
        assert "Настройки сайта" in response.content.decode()
    else:  # Wagtail sends those without the right back to the dashboard
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
