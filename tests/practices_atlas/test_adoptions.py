"""«Внедрили у себя» as a teacher and a methodist meet it: the form and its errors, the e-mailed link (single
use, expiry), the count and names on the practice page, the catalogue sorted by adoptions, one confirmed
adoption per organisation enforced by the database (concurrent confirmations: test_adoption_races.py),
the admin listing for methodists, the retention of the address and the demo's adoptions."""

import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from core.consent import record_consent
from core.models import OutgoingEmail
from core.permissions import METHODISTS
from practices_atlas import adoption_views
from practices_atlas.adoption_forms import CONSENT_PURPOSE, OWN_PRACTICE
from practices_atlas.adoptions import confirm_adoption, expire_adoptions, request_adoption
from practices_atlas.models import Adoption, Organisation
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_RE = re.compile(r"http://testserver(/atlas/[a-z0-9-]+/vnedrili/[A-Za-z0-9_-]+/)")
EMAIL = "ivanova@school204.example.ru"


@pytest.fixture(autouse=True)
def _captcha_test_mode_and_mail_at_once(monkeypatch):
    """The captcha is not what these tests check (ALTCHA's test mode); test transactions never commit, so
    core.mail's on_commit hook runs at once (as in tests/contests)."""
    monkeypatch.setattr("core.mail.transaction.on_commit", lambda func, using=None, robust=False: func())
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


@pytest.fixture
def other_school(vocab):
    return Organisation.objects.create(
        slug="school-204",
        short_name="ГБОУ школа № 204",
        full_name="Государственное бюджетное общеобразовательное учреждение школа № 204 Центрального района",
        kind="ОУ",
        number=204,
    )


@pytest.fixture
def practice(make_practice):
    return make_practice("Онлайн-школа: единое расписание", org="school")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def form_data(org, **extra):
    return {
        "organisation": str(org.pk),
        "comment": "Ввели единое расписание в 5–9 классах, вопросов от родителей стало меньше.",
        "email": EMAIL,
        "consent": "on",
        "altcha": "test-payload",
        "website": "",
        **extra,
    }


def post_adoption(client, practice, org, ip="203.0.113.10", **extra):
    return client.post(practice.url + "vnedrili/", form_data(org, **extra), REMOTE_ADDR=ip)


def last_link(to=EMAIL) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, "no confirmation e-mail was sent"
    match = CONFIRM_RE.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def pending(practice, organisation, email=EMAIL, now=None):
    """A pending adoption as the form leaves it; returns (adoption, token)."""

    class Request:
        META = {"REMOTE_ADDR": "203.0.113.10"}

    consent = record_consent(Request(), CONSENT_PURPOSE)
    return request_adoption(practice, organisation, "Внедрили в двух классах.", email, consent, now=now)


# --- the form ---------------------------------------------------------------------------------------------


def test_the_practice_page_invites_to_report_and_the_form_page_is_separate(client, practice):
    page = soup(client.get(practice.url))
    section = page.find("section", class_="practice-adopters")
    assert "Пока никто не сообщил о внедрении" in section.get_text()
    link = section.find("a", string="Мы внедрили эту практику")
    assert link["href"] == practice.url + "vnedrili/"
    assert not page.find("input", attrs={"name": "csrfmiddlewaretoken"})  # the page itself stays cacheable

    response = client.get(link["href"])
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    form = soup(response).find("form", class_="adopt-form")
    assert form.find("select", attrs={"name": "organisation"})
    assert "Я даю согласие" in form.get_text()
    assert form.find(attrs={"name": "altcha"}) is not None
    assert soup(response).find("meta", attrs={"name": "robots", "content": "noindex"})


def test_empty_form_gets_russian_errors_and_nothing_is_saved(client, practice):
    response = client.post(practice.url + "vnedrili/", {"altcha": "test-payload"}, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 400
    summary = soup(response).find(attrs={"role": "alert"}).get_text(" ")
    assert "Сообщение не отправлено" in summary
    assert "Выберите вашу организацию из списка." in summary
    assert "Напишите в двух-трёх предложениях" in summary
    assert "Укажите адрес электронной почты" in summary
    assert "Без согласия на обработку персональных данных" in summary
    assert not Adoption.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "change, message",
    [
        ({"email": "ivanova@"}, "Проверьте адрес электронной почты"),
        ({"comment": "Очень подробно. " * 40}, "Сократите комментарий до 500 символов."),
        ({"comment": "   "}, "Напишите в двух-трёх предложениях"),
        ({"organisation": "999999"}, "Выберите вашу организацию из списка."),
        ({"altcha": ""}, "Отметьте «Я не робот»"),
    ],
)
def test_bad_input_is_named_and_refused(client, practice, other_school, change, message):
    response = post_adoption(client, practice, other_school, **change)
    assert response.status_code == 400
    assert message in text(response)
    assert not Adoption.objects.exists()


def test_the_authors_own_organisation_cannot_report_adopting_it(client, practice, vocab):
    response = post_adoption(client, practice, vocab["school"])
    assert response.status_code == 400 and OWN_PRACTICE in text(response)


def test_too_many_reports_from_one_address_get_429_with_the_form_refilled(client, practice, other_school, monkeypatch):
    monkeypatch.setattr(adoption_views, "ADOPT_RATE", "1/h")
    assert post_adoption(client, practice, other_school).status_code == 200
    response = post_adoption(client, practice, other_school, comment="Второе сообщение, текст сохранится.")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Слишком много сообщений с вашего адреса" in text(response)
    assert (
        soup(response).find("textarea", attrs={"name": "comment"}).get_text().strip()
        == "Второе сообщение, текст сохранится."
    )
    assert Adoption.objects.count() == 1


# --- the e-mail and the link ------------------------------------------------------------------------------


def test_report_confirmed_by_email_shows_on_the_page_and_the_address_is_erased(client, practice, other_school):
    response = post_adoption(client, practice, other_school)
    assert response.status_code == 200
    assert "Письмо отправлено" in text(response) and EMAIL in text(response)
    adoption = Adoption.objects.get()
    assert adoption.status == Adoption.State.PENDING and adoption.email == EMAIL
    assert adoption.consent.purpose == CONSENT_PURPOSE
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "ГБОУ школа № 204" in message.subject
    assert "Онлайн-школа: единое расписание" in message.body
    # not counted before the confirmation
    assert "ГБОУ школа № 204" not in text(client.get(practice.url))

    link = last_link()
    shown = client.get(link)
    assert shown.status_code == 200 and soup(shown).find("button", string="Подтвердить")
    assert Adoption.objects.get().status == Adoption.State.PENDING  # a GET (a mail scanner) confirms nothing

    done = client.post(link, REMOTE_ADDR="203.0.113.10")
    assert done.status_code == 200 and "Спасибо, внедрение подтверждено" in text(done)
    adoption.refresh_from_db()
    assert adoption.status == Adoption.State.CONFIRMED and adoption.confirmed_at
    assert adoption.email == ""
    assert OutgoingEmail.objects.get(pk=adoption.outgoing_id).to == ""

    page = soup(client.get(practice.url)).find("section", class_="practice-adopters")
    assert "1 организация" in page.get_text()
    assert [li.get_text() for li in page.select(".practice-adopters__list li")] == ["ГБОУ школа № 204"]


def test_a_link_works_once(client, practice, other_school):
    post_adoption(client, practice, other_school)
    link = last_link()
    assert client.post(link).status_code == 200
    again = client.post(link)
    assert again.status_code == 200 and "Уже подтверждено" in text(again)
    assert client.get(link).status_code == 200 and "Уже подтверждено" in text(client.get(link))
    assert Adoption.objects.filter(status=Adoption.State.CONFIRMED).count() == 1


def test_unknown_and_foreign_links_are_404(client, practice, make_practice, other_school):
    assert client.get(practice.url + "vnedrili/" + "x" * 43 + "/").status_code == 404
    response = client.post(practice.url + "vnedrili/" + "x" * 43 + "/")
    assert response.status_code == 404 and "Ссылка недействительна" in text(response)
    _, token = pending(practice, other_school)
    another = make_practice("Другая практика")
    assert client.post(another.url + f"vnedrili/{token}/").status_code == 404  # the link names its practice
    assert Adoption.objects.get().status == Adoption.State.PENDING


def test_an_expired_link_says_so_and_erases_the_address(client, practice, other_school):
    adoption, token = pending(practice, other_school, now=timezone.now() - timedelta(hours=49))
    assert client.get(practice.url + f"vnedrili/{token}/").status_code == 410
    response = client.post(practice.url + f"vnedrili/{token}/")
    assert response.status_code == 410 and "Ссылка устарела" in text(response)
    adoption.refresh_from_db()
    assert adoption.status == Adoption.State.EXPIRED and adoption.email == ""


def test_expire_adoptions_erases_lapsed_addresses_and_drops_old_unconfirmed_reports(practice, other_school, vocab):
    lapsed, _ = pending(practice, other_school, now=timezone.now() - timedelta(hours=50))
    fresh, _ = pending(practice, other_school, email="petrova@school204.example.ru")
    old, _ = pending(practice, vocab["kindergarten"], now=timezone.now() - timedelta(days=31))
    assert expire_adoptions() == 2
    lapsed.refresh_from_db()
    assert lapsed.status == Adoption.State.EXPIRED and lapsed.email == ""
    assert OutgoingEmail.objects.get(pk=lapsed.outgoing_id).to == ""
    assert Adoption.objects.get(pk=fresh.pk).email == "petrova@school204.example.ru"
    assert not Adoption.objects.filter(pk=old.pk).exists()


# --- one confirmed adoption per organisation and practice ------------------------------------------------


def test_the_database_refuses_a_second_confirmed_adoption(practice, other_school):
    first, _ = pending(practice, other_school)
    second, _ = pending(practice, other_school, email="petrova@school204.example.ru")
    Adoption.objects.filter(pk=first.pk).update(status=Adoption.State.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.filter(pk=second.pk).update(status=Adoption.State.CONFIRMED)


def test_a_second_colleague_confirming_reads_that_the_organisation_is_already_listed(client, practice, other_school):
    _, first = pending(practice, other_school)
    _, second = pending(practice, other_school, email="petrova@school204.example.ru")
    assert client.post(practice.url + f"vnedrili/{first}/").status_code == 200
    response = client.post(practice.url + f"vnedrili/{second}/")
    assert response.status_code == 409
    assert "Организация уже отмечена" in text(response) and "ГБОУ школа № 204" in text(response)
    assert Adoption.objects.filter(status=Adoption.State.CONFIRMED).count() == 1
    assert Adoption.objects.get(status=Adoption.State.DUPLICATE).email == ""
    # and the form says so before anyone writes an e-mail
    refused = post_adoption(client, practice, other_school)
    assert refused.status_code == 400 and "уже отмечена как внедрившая эту практику" in text(refused)


# --- the catalogue -----------------------------------------------------------------------------------------


def confirmed(practice, organisation):
    _, token = pending(practice, organisation)
    assert confirm_adoption(token).status == "confirmed"


def test_the_catalogue_sorts_by_confirmed_adoptions(client, make_practice, vocab, other_school):
    old = make_practice("Старая, но популярная", org="school", year=2019)
    middle = make_practice("Одно внедрение", org="school", year=2020)
    newest = make_practice("Новая без внедрений", org="school", year=2022)
    confirmed(old, other_school)
    confirmed(old, vocab["kindergarten"])
    confirmed(middle, other_school)
    pending(newest, other_school)  # unconfirmed: not counted
    pending(newest, vocab["kindergarten"])

    page = soup(client.get("/atlas/?sort=adopted"))
    titles = [a.get_text(strip=True) for a in page.select(".atlas-cards .card__title a")]
    assert titles == ["Старая, но популярная", "Одно внедрение", "Новая без внедрений"]
    cards = {c.select_one(".card__title a").get_text(strip=True): c for c in page.select(".atlas-cards .card")}
    assert cards["Старая, но популярная"].select_one(".practice-card__adopted").get_text() == "Внедрили: 2"
    assert cards["Новая без внедрений"].select_one(".practice-card__adopted") is None
    option = page.find("select", id="atlas-sort").find("option", value="adopted")
    assert option.get_text() == "чаще внедряют" and option.has_attr("selected")
    newest_first = [a.get_text(strip=True) for a in soup(client.get("/atlas/")).select(".atlas-cards .card__title a")]
    assert newest_first == ["Новая без внедрений", "Одно внедрение", "Старая, но популярная"]


def test_the_practice_page_lists_adopters_by_name(client, practice, vocab, other_school):
    confirmed(practice, other_school)
    confirmed(practice, vocab["kindergarten"])
    page = soup(client.get(practice.url)).find("section", class_="practice-adopters")
    assert "2 организации" in page.get_text()
    names = [li.get_text() for li in page.select(".practice-adopters__list li")]
    assert names == ["ГБДОУ детский сад № 59", "ГБОУ школа № 204"]


# --- the admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def methodist(db):
    return UserFactory(username="metodist", groups=[METHODISTS])


def test_methodists_see_adoptions_filter_them_and_cannot_retype_or_add(
    client, methodist, practice, make_practice, other_school, vocab
):
    confirmed(practice, other_school)
    other = make_practice("Семейный музейный маршрут", org="school")
    adoption, _ = pending(other, vocab["kindergarten"], email="petrova@ds59.example.ru")
    client.force_login(methodist)
    assert not methodist.is_superuser

    listing = client.get("/admin/snippets/practices_atlas/adoption/")
    assert listing.status_code == 200
    body = text(listing)
    assert "Внедрения практик" in body
    assert "Онлайн-школа: единое расписание" in body and "Семейный музейный маршрут" in body
    assert "ГБОУ школа № 204" in body and "ждёт подтверждения по почте" in body
    assert "petrova@ds59.example.ru" not in listing.content.decode()  # never shown in the admin

    rows = soup(client.get(f"/admin/snippets/practices_atlas/adoption/?practice={other.pk}")).select("table tbody tr")
    assert len(rows) == 1 and "ГБДОУ детский сад № 59" in rows[0].get_text()

    assert client.get("/admin/snippets/practices_atlas/adoption/add/").status_code in (302, 403)

    edit_url = f"/admin/snippets/practices_atlas/adoption/edit/{adoption.pk}/"
    edit = client.get(edit_url)
    assert edit.status_code == 200
    form = soup(edit)
    assert form.find("textarea", attrs={"name": "methodist_note"}) is not None
    assert form.find(attrs={"name": "comment"}) is None  # shown, not editable
    assert "petrova@ds59.example.ru" not in edit.content.decode()
    saved = client.post(edit_url, {"methodist_note": "Созвонились со школой.", "comment": "Подменённый текст"})
    assert saved.status_code == 302
    adoption.refresh_from_db()
    assert adoption.methodist_note == "Созвонились со школой." and adoption.comment == "Внедрили в двух классах."


def test_a_methodist_deleting_a_confirmed_report_removes_it_from_the_page(client, methodist, practice, other_school):
    confirmed(practice, other_school)
    adoption = Adoption.objects.get(status="confirmed")
    client.force_login(methodist)
    response = client.post(f"/admin/snippets/practices_atlas/adoption/delete/{adoption.pk}/")
    assert response.status_code == 302 and not Adoption.objects.exists()
    client.logout()
    assert "ГБОУ школа № 204" not in text(client.get(practice.url))


def test_the_export_counts_confirmed_adoptions(client, practice, make_practice, other_school, vocab):
    make_practice("Без внедрений", org="school", year=2025)
    confirmed(practice, other_school)
    pending(practice, vocab["kindergarten"])  # not confirmed: not counted
    response = client.get("/atlas/export/xlsx/?sort=adopted")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    counts = {row[0]: row[rows[0].index("Внедрили (организаций)")] for row in rows[1:]}
    assert counts == {"Онлайн-школа: единое расписание": 1, "Без внедрений": 0}
    assert rows[1][0] == "Онлайн-школа: единое расписание"  # the catalogue's order: most adopted first
