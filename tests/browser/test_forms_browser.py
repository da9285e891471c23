"""The public forms in real Chromium after an empty submission (core.forms): one error summary at the top,
announced, whose links move the keyboard focus to the field; axe-core finds nothing."""

import re

import pytest

from .conftest import axe_violations


def _registration_page():
    from django.utils import timezone

    from events.models import EventPage

    return EventPage.objects.live().get(slug="ege-russkij-seminar", start__gt=timezone.now()).url


def _vote_page():
    from contests.models import ContestEntryPage

    entry = ContestEntryPage.objects.live().filter(url_path__contains="/luchshii-sait/").order_by("path").first()
    return f"/contests/vote/{entry.pk}/"


FORMS = {
    "registration": (_registration_page, "Зарегистрироваться|Записаться в лист ожидания", "h3", "Заявка не отправлена"),
    "vote": (_vote_page, "Отправить голос", "h2", "Голос не отправлен"),
    "application": (
        lambda: "/contests/konkurs-innovacionnyh-produktov/zayavka/",
        "Отправить заявку",
        "h2",
        "Заявка не отправлена",
    ),
    "question": (lambda: "/vopros-metodistu/", "Отправить вопрос", "h2", "Вопрос не отправлен"),
}


@pytest.mark.parametrize("name", FORMS)
def test_the_error_summary_leads_to_each_field(page, name):
    url, button, heading, title = FORMS[name]
    page.goto(url())
    assert page.locator(".form-errors").count() == 0
    page.get_by_role("button", name=re.compile(button)).click()
    assert page.locator(".form-errors[role=alert]").count() == 1
    assert page.locator(f".form-errors {heading}").inner_text() == f"{title} — исправьте, пожалуйста:"
    assert axe_violations(page) == []

    links = page.locator(".form-errors a[href^='#']")
    assert links.count() >= 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")[1:]
        if target == "id_altcha":
            continue  # a custom element, not focusable itself: the link scrolls to it
        links.nth(i).click()
        assert page.evaluate("() => document.activeElement.id") == target, target
        assert page.locator(f"#{target}").get_attribute("aria-invalid") == "true"
