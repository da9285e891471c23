"""A parent votes from a phone: entry → «Голосовать» → e-mail, consent, the real ALTCHA proof-of-work
solved by Chromium → the e-mail (as delivered; the outgoing-mail log keeps it without the key) → «Подтвердить голос» → counted.
Axe-core finds nothing on the contest, entry and vote pages. The database is shared: unique addresses."""

import re
import uuid

from django.core import mail

from contests.models import ContestEntryPage, Vote
from core.mail import LINK_BLANKED
from core.models import OutgoingEmail

from .conftest import axe_violations

CONTEST = "/contests/luchshii-sait/"


def test_parent_votes_from_a_phone_and_confirms_from_the_email(phone_page):
    page = phone_page
    page.goto(CONTEST)
    assert "Лучший сайт" in page.locator("h1").inner_text()
    assert axe_violations(page) == []

    entry = ContestEntryPage.objects.live().filter(url_path__contains="/luchshii-sait/").order_by("path").first()
    page.get_by_role("link", name=entry.title, exact=True).first.click()
    page.wait_for_url(f"**{entry.url_path.split('/', 2)[-1]}")
    assert page.locator("h1").inner_text().strip() == entry.title
    assert axe_violations(page) == []

    page.get_by_role("link", name="Голосовать за эту работу").click()
    page.wait_for_url(f"**/contests/vote/{entry.pk}/")
    assert axe_violations(page) == []

    address = f"mama.{uuid.uuid4().hex[:10]}@mail.ru"
    page.get_by_label("Ваш e-mail").fill(address)
    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_text("Я не робот", exact=True).click()  # a tap on the label; the PoW is solved in the browser
    page.wait_for_function(
        "() => { const i = document.querySelector('input[name=altcha]'); return i && i.value.length > 20; }",
        timeout=60_000,
    )
    page.get_by_role("button", name="Отправить голос").click()
    status = page.locator("main").get_by_role("status")
    assert "Письмо отправлено" in status.inner_text()
    assert "Голос ещё не засчитан" in status.inner_text()

    # The log keeps the message without its key (core.mail.blank_tokens); the link is read from what
    # the transport delivered (locmem, in this process with the live server).
    delivered = [message for message in mail.outbox if address in message.to]
    link = re.search(r"https?://\S+/contests/vote/confirm/\S+/", delivered[-1].body).group(0)
    key = link.rstrip("/").rsplit("/", 1)[-1]
    logged = OutgoingEmail.objects.filter(to=address, purpose="vote").get().body
    assert key not in logged and LINK_BLANKED in logged
    vote = Vote.objects.filter(entry=entry).order_by("-pk").first()
    assert vote.outcome == "pending"

    page.goto(link)
    assert page.locator("h1").inner_text() == "Подтвердите голос"
    assert Vote.objects.get(pk=vote.pk).outcome == "pending"  # opening the link changes nothing
    page.get_by_role("button", name="Подтвердить голос").click()
    assert "Голос засчитан" in page.locator("main").get_by_role("status").inner_text()
    assert Vote.objects.get(pk=vote.pk).outcome == "confirmed"
    assert not OutgoingEmail.objects.filter(to=address).exists()  # the address is erased
    assert axe_violations(page) == []


def test_results_and_submission_pages_have_no_axe_violations(page):
    for path in (
        "/contests/",
        "/contests/deti-v-internete/itogi/",
        "/contests/konkurs-innovacionnyh-produktov/zayavka/",
    ):
        page.goto(path)
        assert page.locator("h1").inner_text().strip()
        assert axe_violations(page) == [], path
