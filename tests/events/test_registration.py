"""Registration as a teacher goes through it: form, consent, e-mail, confirm/cancel pages, waiting list."""

import io
import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from core.models import ConsentRecord
from events.models import MSK, Format, Registration
from events.registration import new_link

FORM = {
    "full_name": "Иванова Мария Петровна",
    "organisation": "ГБОУ школа № 204",
    "position": "учитель математики",
    "email": "Ivanova@school204.example.ru",
    "consent": "on",
    "altcha": "test-payload",
}


@pytest.fixture(autouse=True)
def altcha_test_mode():
    """The captcha is tested in test_registration_captcha.py; here any non-empty payload passes."""
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


def post(client, event, django_capture_on_commit_callbacks, **overrides):
    data = {**FORM, **overrides}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"{event.url}register/", data, REMOTE_ADDR=overrides.pop("ip", "10.1.2.3"))


@pytest.fixture
def open_event(make_event):
    return make_event(
        "Конференция «Созвездие молодых»",
        registration_open=True,
        capacity=2,
        format=Format.MIXED,
        online_url="https://vcs.example.ru/private-room",
    )


def links(message):
    confirm = re.search(r"http://\S+/r/(\S+)/confirm/", message.body).group(0)
    cancel = re.search(r"http://\S+/r/(\S+)/cancel/", message.body).group(0)
    return confirm.replace("http://testserver", ""), cancel.replace("http://testserver", "")


def test_registration_flow(client, open_event, django_capture_on_commit_callbacks):
    page = client.get(open_event.url).content.decode()
    assert "Свободных мест: <strong>2</strong>" in page
    assert "Текст согласия" in page and "Регистрация на мероприятия" in page
    assert "private-room" not in page

    response = post(client, open_event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "Осталось подтвердить адрес: письмо отправлено на iv***@school204.example.ru" in done.content.decode()
    assert "Вы зарегистрированы" not in done.content.decode()  # not until the address is confirmed
    assert "iv***@school204.example.ru" in done.content.decode()

    registration = Registration.objects.get()
    assert registration.status == Registration.State.REGISTERED
    assert registration.email == "ivanova@school204.example.ru"
    assert registration.consent.purpose == "event_registration"
    assert ConsentRecord.objects.filter(purpose="event_registration").count() == 1

    (message,) = mail.outbox
    assert message.to == ["ivanova@school204.example.ru"]
    assert "Созвездие молодых" in message.subject
    assert "private-room" not in message.body  # only after confirmation
    confirm_url, cancel_url = links(message)

    # A mail scanner opening the link does nothing: GET shows a button.
    page = client.get(confirm_url)
    assert "Подтвердить регистрацию" in page.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirm_url)
    assert "Регистрация подтверждена" in confirmed.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_at is not None
    assert "https://vcs.example.ru/private-room" in mail.outbox[-1].body

    assert "Свободных мест: <strong>1</strong>" in client.get(open_event.url).content.decode()

    client.get(cancel_url)
    registration.refresh_from_db()
    assert registration.status == Registration.State.REGISTERED
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(cancel_url)
    assert "Регистрация отменена" in cancelled.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.State.CANCELLED
    assert "отменена" in mail.outbox[-1].subject


def test_waiting_list_moves_up_when_someone_cancels(client, open_event, django_capture_on_commit_callbacks):
    for n in range(4):
        post(client, open_event, django_capture_on_commit_callbacks, email=f"teacher{n}@example.ru", ip=f"10.0.{n}.1")
    states = list(Registration.objects.order_by("pk").values_list("email", "status"))
    assert [s for _, s in states] == ["registered", "registered", "waitlist", "waitlist"]
    html = client.get(open_event.url).content.decode()
    assert "лист ожидания" in html and "Записаться в лист ожидания" in html

    first = Registration.objects.get(email="teacher0@example.ru")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{open_event.url}r/{new_link(first)}/cancel/")
    promoted = Registration.objects.get(email="teacher2@example.ru")
    assert promoted.status == Registration.State.REGISTERED and promoted.promoted_at
    assert Registration.objects.get(email="teacher3@example.ru").status == Registration.State.WAITLIST
    assert {m.to[0] for m in mail.outbox} == {"teacher0@example.ru", "teacher2@example.ru"}
    promoted_mail = next(m for m in mail.outbox if m.to == ["teacher2@example.ru"])
    assert "освободилось место" in promoted_mail.subject.lower()
    assert "https://vcs.example.ru/private-room" in promoted_mail.body


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"full_name": ""}, "Укажите фамилию, имя и отчество."),
        ({"full_name": "12"}, "Укажите фамилию, имя и отчество буквами."),
        ({"organisation": ""}, "Укажите образовательное учреждение."),
        ({"position": ""}, "Укажите должность."),
        ({"email": "not-an-email"}, "Проверьте адрес электронной почты"),
        ({"email": ""}, "Укажите e-mail."),
        ({"consent": ""}, "Без согласия на обработку персональных данных"),
        ({"full_name": "Я" * 201}, "Не более 200 символов."),
    ],
)
def test_bad_input_keeps_what_was_typed_and_explains_in_russian(
    client, open_event, django_capture_on_commit_callbacks, overrides, field_error
):
    response = post(client, open_event, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error in html
    assert "Заявка не отправлена" in html
    for key, value in {**FORM, **overrides}.items():
        if key not in ("consent", "email", "altcha") and value and key not in overrides:
            assert f'value="{value}"' in html  # nothing lost
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_same_email_twice_is_refused(client, open_event, django_capture_on_commit_callbacks):
    post(client, open_event, django_capture_on_commit_callbacks)
    response = post(client, open_event, django_capture_on_commit_callbacks, email="IVANOVA@school204.example.ru")
    assert response.status_code == 409
    assert "уже есть регистрация" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"registration_open": False}, 404, "регистрация на сайте не проводится"),
        ({"registration_deadline": "past"}, 409, "Регистрация на это мероприятие закрыта."),
        ({"status": "cancelled"}, 409, "Регистрация на это мероприятие закрыта."),
    ],
)
def test_closed_registration(client, make_event, django_capture_on_commit_callbacks, fields, status, message):
    if fields.get("registration_deadline") == "past":
        fields["registration_deadline"] = timezone.now() - timedelta(hours=1)
    event = make_event(
        registration_open=True, capacity=10, **{k: v for k, v in fields.items() if k != "registration_open"}
    )
    if "registration_open" in fields:
        event.registration_open = False
        event.save_revision().publish()
    response = post(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_full_event_without_waiting_list(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(registration_open=True, capacity=1, waitlist_enabled=False)
    post(client, event, django_capture_on_commit_callbacks, email="a@example.ru")
    assert "Все места заняты" in client.get(event.url).content.decode()
    response = post(client, event, django_capture_on_commit_callbacks, email="b@example.ru", ip="10.9.9.9")
    assert response.status_code == 409
    assert Registration.objects.count() == 1


def test_rate_limit(client, open_event, django_capture_on_commit_callbacks):
    statuses = [
        post(
            client, open_event, django_capture_on_commit_callbacks, email=f"t{n}@example.ru", ip="10.5.5.5"
        ).status_code
        for n in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert Registration.objects.count() == 5


def test_unknown_token_and_stale_receipt(client, open_event):
    response = client.get(f"{open_event.url}r/{'x' * 32}/confirm/")
    assert response.status_code == 404
    assert "Регистрация не найдена" in response.content.decode()
    response = client.get(f"{open_event.url}register/done/?receipt=garbage")
    assert response.status_code == 404
    assert "Ссылка устарела" in response.content.decode()
    assert client.get(f"{open_event.url}register/").status_code == 302


def test_reminder_the_day_before_is_sent_once(client, make_event, django_capture_on_commit_callbacks):
    tomorrow = timezone.localtime() + timedelta(days=1)
    event = make_event(
        "Завтрашний семинар",
        start=tomorrow.replace(hour=15, minute=0, second=0, microsecond=0),
        registration_open=True,
        capacity=5,
        format=Format.ONLINE,
        online_url="https://vcs.example.ru/r",
    )
    later = make_event("Семинар через неделю", start=tomorrow + timedelta(days=6), registration_open=True)
    post(client, event, django_capture_on_commit_callbacks, email="a@example.ru")
    post(client, event, django_capture_on_commit_callbacks, email="b@example.ru", ip="10.0.0.2")
    post(client, later, django_capture_on_commit_callbacks, email="c@example.ru", ip="10.0.0.3")
    post(client, event, django_capture_on_commit_callbacks, email="never-confirmed@example.ru", ip="10.0.0.4")
    Registration.objects.filter(email="b@example.ru").update(status=Registration.State.CANCELLED)
    Registration.objects.exclude(email="never-confirmed@example.ru").update(confirmed_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["a@example.ru"]]
    assert "Напоминание: завтра" in mail.outbox[0].subject
    assert "https://vcs.example.ru/r" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


@pytest.fixture
def committed_event(django_db_setup, django_db_blocker):
    """A published event committed for real (threads need to see it), removed afterwards.

    Not `django_db(transaction=True)`: its flush would empty the reused test database
    (the home page and site created by migrations) for the next run.
    """
    from wagtail.models import Site

    from events.models import EventIndexPage, EventPage, EventType, Venue

    created = []

    def factory(title, **fields):
        home = Site.objects.get(is_default_site=True).root_page
        suffix = uuid.uuid4().hex[:8]
        index = EventIndexPage(title="Календарь (тест гонки)", slug=f"race-{suffix}")
        home.add_child(instance=index)
        created.append(index)
        event_type, _ = EventType.objects.get_or_create(slug="race-seminar", defaults={"name": "Семинар (тест)"})
        venue, _ = Venue.objects.get_or_create(name="ГБОУ школа № 204 (тест)")
        start = timezone.now() + timedelta(days=5)
        event = EventPage(
            title=title,
            slug="race",
            event_type=event_type,
            venue=venue,
            start=start,
            end=start + timedelta(hours=2),
            **fields,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        return event

    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            # Run alone, no other test asked pytest-django for the database: set it up (kept).
            from django.test.utils import setup_databases

            setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=True)
        try:
            yield factory
        finally:
            for index in created:
                event_ids = list(EventPage.objects.child_of(index).values_list("pk", flat=True))
                consent_ids = list(
                    Registration.objects.filter(event_id__in=event_ids).values_list("consent_id", flat=True)
                )
                Registration.objects.filter(event_id__in=event_ids).delete()
                ConsentRecord.objects.filter(pk__in=consent_ids).delete()
                index.delete()
            connection.close()


def race(event, count):
    barrier = threading.Barrier(count)
    statuses = []

    def register(n):
        try:
            client = Client()
            barrier.wait(timeout=10)
            response = client.post(
                f"{event.url}register/", {**FORM, "email": f"racer{n}@example.ru"}, REMOTE_ADDR=f"10.7.{n}.1"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_two_people_take_the_last_seat_at_once_exactly_one_gets_it(committed_event):
    event = committed_event("Мастер-класс на 1 место", registration_open=True, capacity=1, waitlist_enabled=False)
    assert race(event, 2) == [302, 409]
    assert Registration.objects.filter(event=event, status=Registration.State.REGISTERED).count() == 1
    assert Registration.objects.filter(event=event).count() == 1


def test_concurrent_registrations_with_waiting_list_never_overbook(committed_event):
    event = committed_event("Семинар на 3 места", registration_open=True, capacity=3)
    assert race(event, 6) == [302] * 6
    counts = {s: Registration.objects.filter(event=event, status=s).count() for s in ("registered", "waitlist")}
    assert counts == {"registered": 3, "waitlist": 3}


# --- registrants hear about a cancelled, postponed or moved event -----------------------------------


def _registered(event, email, *, confirmed=True, status=Registration.State.REGISTERED):
    from core.consent import current_document

    document = current_document("event_registration")
    consent = ConsentRecord.objects.create(
        document=document, revision_id=document.live_revision_id, purpose="event_registration", subnet_hash="a" * 64
    )
    return Registration.objects.create(
        event=event,
        full_name="Петрова Анна Сергеевна",
        organisation="ГБДОУ детский сад № 8",
        position="воспитатель",
        email=email,
        status=status,
        confirmed_at=timezone.now() if confirmed else None,
        consent=consent,
    )


@pytest.fixture
def event_with_registrants(open_event):
    _registered(open_event, "registered@example.ru")
    _registered(open_event, "waiting@example.ru", status=Registration.State.WAITLIST)
    _registered(open_event, "unconfirmed@example.ru", confirmed=False)
    _registered(open_event, "gone@example.ru", status=Registration.State.CANCELLED)
    mail.outbox.clear()
    return open_event


def publish_change(event, django_capture_on_commit_callbacks, **fields):
    for name, value in fields.items():
        setattr(event, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()


@pytest.mark.parametrize(
    ("change", "subject", "phrase"),
    [
        ({"status": "cancelled"}, "Мероприятие отменено", "отменено"),
        ({"status": "postponed", "postponed_to": None}, "Мероприятие перенесено", "новую дату мы сообщим"),
        ({"start_shift": timedelta(days=1)}, "Изменились дата, время или место", "Проверьте новые данные"),
    ],
)
def test_registrants_are_told_when_the_event_is_cancelled_postponed_or_moved(
    event_with_registrants, django_capture_on_commit_callbacks, change, subject, phrase
):
    event = event_with_registrants
    change = dict(change)
    if shift := change.pop("start_shift", None):
        change.update(start=event.start + shift, end=event.end + shift)
    publish_change(event, django_capture_on_commit_callbacks, **change)

    assert sorted(m.to[0] for m in mail.outbox) == ["registered@example.ru", "waiting@example.ru"]
    for message in mail.outbox:
        assert message.subject == f"{subject}: «{event.title}»"
        assert phrase in message.body
    told = next(m for m in mail.outbox if m.to == ["registered@example.ru"])
    if change.get("status") == "cancelled":
        assert "отменить регистрацию" not in told.body.lower()
    else:
        assert "/cancel/" in told.body
        assert "https://vcs.example.ru/private-room" in told.body  # registered: the private link again
        waiting = next(m for m in mail.outbox if m.to == ["waiting@example.ru"])
        assert "private-room" not in waiting.body


def test_postponed_to_a_date_mail_shows_the_new_date(event_with_registrants, django_capture_on_commit_callbacks):
    event = event_with_registrants
    new_start = (event.start + timedelta(days=30)).astimezone(MSK)
    publish_change(
        event,
        django_capture_on_commit_callbacks,
        status="postponed",
        postponed_to=new_start,
    )
    assert len(mail.outbox) == 2
    assert f"{new_start.day} " in mail.outbox[0].body and new_start.strftime("%H:%M") in mail.outbox[0].body


def test_other_edits_and_repeated_publishes_send_nothing(event_with_registrants, django_capture_on_commit_callbacks):
    event = event_with_registrants
    publish_change(event, django_capture_on_commit_callbacks, title=event.title + " (обновлено)")
    assert mail.outbox == []
    publish_change(event, django_capture_on_commit_callbacks, status="cancelled")
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    publish_change(event, django_capture_on_commit_callbacks, title="Отменённый семинар")
    assert mail.outbox == []  # still cancelled: nobody is told twice


def test_an_unconfirmed_registration_lapses_after_a_day_and_the_waiting_list_moves_up(
    open_event, django_capture_on_commit_callbacks
):
    day_ago = timezone.now() - timedelta(hours=25)
    _registered(open_event, "confirmed@example.ru")
    lapsed = _registered(open_event, "typo@exmaple.ru", confirmed=False)
    fresh = _registered(open_event, "fresh@example.ru", confirmed=False, status=Registration.State.WAITLIST)
    waiting = _registered(open_event, "waiting@example.ru", status=Registration.State.WAITLIST)
    Registration.objects.filter(pk__in=[lapsed.pk, waiting.pk]).update(created_at=day_ago)
    Registration.objects.filter(pk=fresh.pk).update(created_at=timezone.now())
    mail.outbox.clear()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_registrations", stdout=out)

    assert "Отменено неподтверждённых регистраций: 1" in out.getvalue()
    states = dict(Registration.objects.values_list("email", "status"))
    assert states == {
        "confirmed@example.ru": "registered",
        "typo@exmaple.ru": "cancelled",
        "waiting@example.ru": "registered",  # the earliest waiting registrant takes the seat
        "fresh@example.ru": "waitlist",
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["waiting@example.ru"], "Для вас освободилось место: «Конференция «Созвездие молодых»»")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_registrations", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_the_confirmation_deadline_is_stated_where_the_registrant_reads(
    client, open_event, django_capture_on_commit_callbacks
):
    response = post(client, open_event, django_capture_on_commit_callbacks)
    assert "Место удерживается 2 часа" in mail.outbox[0].body
    assert "место удерживается 2 часа" in client.get(response["Location"]).content.decode()
