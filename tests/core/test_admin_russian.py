"""The admin in Russian (issue 9.10): the project's locale/ overrides Wagtail's missing and broken
Russian messages, relative times are Russian, slugs are Latin, and an abandoned «Добавить страницу»
leaves no autosaved draft behind."""

import gettext as gettext_module
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.admin.templatetags.wagtailadmin_tags import naturaltime, timesince_last_update
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.admin_pages import create_page
from core.permissions import EDITORS, METHODISTS
from tests.core.factories import UserFactory
from tests.news.factories import NewsPageFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
# What the issue saw, and English that must not reach a Russian editor.
BROKEN = ["страницав", "Обозреватель могут", "этот страница", "редактировать страница", " of ", "a minute ago"]


@pytest.fixture
def editor(db):
    return UserFactory(username="redaktor", groups=[EDITORS])


@pytest.fixture
def methodist(db):
    return UserFactory(username="metodist", groups=[METHODISTS])


def news(index, n):
    return NewsPageFactory(
        parent=index,
        title=f"Новость {n}",
        slug=f"novost-{n}",
        lead="Лид новости.",
        date=date(2026, 11, 20),
        main_image=None,
        main_image_alt="",
    )


def news_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-20",
            "lead": "Семинар для учителей математики.",
            "main_image_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>Текст</p>"))]),
            "tags": "",
        }
    )


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the catalogue ---


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def _parse_po(path: Path) -> dict:
    """msgid (or (msgid, n) for plurals) -> msgstr, the way GNUTranslations keys its catalogue."""
    catalog, entry, key = {}, {}, None

    def flush():
        if entry.get("msgid"):
            if "msgid_plural" in entry:
                for name, value in entry.items():
                    if name.startswith("msgstr["):
                        catalog[(entry["msgid"], int(name[7:-1]))] = value
            else:
                catalog[entry["msgid"]] = entry["msgstr"]
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            key = None
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line):
            key = match.group(1)
            entry[key] = _unescape(match.group(2))
        elif key and (match := re.match(r'"(.*)"$', line)):
            entry[key] += _unescape(match.group(1))
    flush()
    return catalog


def test_committed_mo_matches_the_po():
    """The .mo is committed (a fresh machine may lack gettext): it must say what the .po says."""
    with open(LOCALE_DIR / "django.mo", "rb") as mo:
        compiled = {k: v for k, v in gettext_module.GNUTranslations(mo)._catalog.items() if k != ""}
    source = _parse_po(LOCALE_DIR / "django.po")
    assert len(source) > 40
    assert compiled == source, "locale/ru/LC_MESSAGES/django.mo is stale: run `django-admin compilemessages -l ru`"


def test_overrides_win_over_wagtails_catalogue():
    with translation.override("ru"):
        assert gettext("This %(model_name)s is currently awaiting moderation.") == "Ожидает модерации."
        reviewers = gettext("Reviewers can edit this %(model_name)s – lock it to prevent other reviewers from editing")
        assert "Обозреватель" not in reviewers and reviewers.startswith("Проверяющие могут редактировать")
        assert gettext("Meta description is empty") == "Не заполнено описание для поисковиков"
        # Russian plural forms: 1, 2-4, 5+.
        assert ngettext("%(num)d week", "%(num)d weeks", 1) % {"num": 1} == "1 неделю"
        assert ngettext("%(num)d week", "%(num)d weeks", 3) % {"num": 3} == "3 недели"
        assert ngettext("%(num)d minute", "%(num)d minutes", 21) % {"num": 21} == "21 минуту"


def test_relative_times_are_russian():
    """Wagtail's workflow status uses humanize's naturaltime, whose catalogue needs the app installed."""
    with translation.override("ru"):
        assert naturaltime(timezone.now() - timedelta(minutes=1, seconds=5)) == "1\xa0минуту назад"
        assert timesince_last_update(timezone.now() - timedelta(days=8)) == "1\xa0неделю назад"


# --- rendered admin views ---


@pytest.mark.django_db
def test_explorer_pagination_in_russian(client, editor, news_index):
    for n in range(3):
        news(news_index, n)
    client.force_login(editor)
    text = visible_text(client.get(f"/admin/pages/{news_index.pk}/").content.decode())
    assert "1–3 из 3" in text
    for broken in BROKEN:
        assert broken not in text


@pytest.mark.django_db
def test_edit_view_lock_and_status_in_russian(client, editor, news_index):
    page = news(news_index, 1)
    client.force_login(editor)
    text = visible_text(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    assert "Редактировать может любой — заблокируйте" in text
    for broken in BROKEN:
        assert broken not in text


@pytest.mark.django_db
def test_edit_view_in_moderation_in_russian(client, editor, methodist, news_index):
    page = news(news_index, 1)
    page.save_revision(user=methodist)
    page.get_workflow().start(page, methodist)
    client.force_login(editor)
    text = visible_text(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    assert "Проверяющие могут редактировать — заблокируйте" in text
    for broken in BROKEN:
        assert broken not in text


@pytest.mark.django_db
def test_dashboard_in_russian(client, editor, news_index):
    news(news_index, 1)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for broken in BROKEN:
        assert broken not in text


# --- slugs and autosave ---


@pytest.mark.django_db
def test_slugs_are_latin(client, editor, news_index):
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False
    client.force_login(editor)
    html = client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/").content.decode()
    assert 'data-controller="w-slug"' in html
    assert "data-w-slug-allow-unicode-value" not in html  # urlify transliterates to Latin


def test_page_creation_is_not_autosaved():
    assert resolve("/admin/pages/add/news/newspage/3/").func is create_page


@pytest.mark.django_db
def test_abandoned_create_form_leaves_no_draft(client, editor, news_index):
    client.force_login(editor)
    html = client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/").content.decode()
    assert "data-w-autosave-interval-value" not in html  # nothing is saved until the editor presses a button
    assert "w-unsaved" in html  # leaving with unsaved changes still asks first
    page = news(news_index, 1)
    assert (
        "data-w-autosave-interval-value" in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    )  # edits keep it


@pytest.mark.django_db
def test_taken_slug_message_says_what_to_do(client, editor, news_index):
    news(news_index, 1)
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/add/news/newspage/{news_index.pk}/",
        news_form("Новость 1", "novost-1"),
    )
    text = visible_text(response.content.decode())
    assert "Адрес (slug) «novost-1» уже занят другой страницей этого раздела" in text
