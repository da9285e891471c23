"""The probe's hostile requests (issue 8.5, 9.9): each answered 400/414 with the site's Russian page, never 500.

Requests are built from raw query strings (QUERY_STRING as a server receives it) so that a NUL byte or an
encoded surrogate reaches the site exactly as an attacker's tool sends it.
"""

import pytest
from django.test import override_settings

# One xdist worker builds the module-scoped data once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hostile_input")]


def get(client, path, query=""):
    """GET with the query string passed through untouched (the test client would re-encode a dict)."""
    return client.generic("GET", path, QUERY_STRING=query)


def assert_russian_400(response, calendar=False):
    """400 with the site's Russian error page, or with the calendar's own one (it says what to fix)."""
    assert response.status_code == 400
    html = response.content.decode()
    assert ("<h1>Не удалось показать календарь</h1>" in html) is calendar
    assert ("Ошибка 400" in html) is not calendar
    assert 'lang="ru"' in html


# --- the probe's cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/events/", "q=a%00b"),
        ("/events/upcoming/", "q=%00"),
        ("/events/ical/", "q=%00"),
        ("/news/", "tag=a%00b"),
        ("/vopros-metodistu/", "predmet=a%00b"),
        ("/search/", "q=%00"),
        ("/", "utm=%00"),
    ],
)
def test_a_nul_byte_in_any_parameter_is_a_russian_400(client, public, path, query):
    response = get(client, path, query)
    assert_russian_400(response)
    assert "В адресе страницы есть недопустимые символы." in response.content.decode()


@pytest.mark.parametrize("query", ["tag=%ED%A0%80", "tag=%FF%FE", "year=%C0%AF"])
def test_invalid_utf8_and_encoded_surrogates_are_a_400(client, public, query):
    assert_russian_400(get(client, "/news/", query))


def test_a_nul_byte_in_the_path_is_a_400(client, public):
    assert_russian_400(client.get("/news/%00/"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2147483648-11", "ожидается ГГГГ-ММ"),
        ("month=99999999999999999999999-1", "ожидается ГГГГ-ММ"),
        ("month=0-11", "ожидается ГГГГ-ММ"),
        ("month=0000-11", "2000–2100"),
        ("month=99999-01", "ожидается ГГГГ-ММ"),
        ("month=2026-13", "номер месяца от 1 до 12"),
        ("month=2026-0", "номер месяца от 1 до 12"),
        ("month=2026--1", "ожидается ГГГГ-ММ"),
        ("month=%D9%A2%D9%A0%D9%A2%D9%A6-11", "ожидается ГГГГ-ММ"),  # Arabic-Indic digits, which int() accepts
    ],
)
def test_an_impossible_month_is_a_russian_400_saying_why(client, public, query, message):
    response = get(client, "/events/", query)
    assert_russian_400(response, calendar=True)
    assert message in response.content.decode()


@pytest.mark.parametrize("query", ["start=99999-01-01", "start=0000-01-01", "start=2026-02-30", "start=" + "9" * 40])
def test_an_impossible_week_is_a_russian_400(client, public, query):
    assert_russian_400(get(client, "/events/week/", query), calendar=True)


@pytest.mark.parametrize("path", ["/events/upcoming/", "/events/archive/"])
@pytest.mark.parametrize("page", ["%C2%B2", "99999999999999999999999", "-1", "1e3"])
def test_calendar_lists_refuse_impossible_page_numbers(client, public, path, page):
    """«²» passes str.isdigit() but not int(): it used to be a 500."""
    assert_russian_400(get(client, path, f"page={page}"), calendar=True)


def test_a_superscript_organiser_is_a_400(client, public):
    assert_russian_400(get(client, "/events/", "organiser=%C2%B2"), calendar=True)


@pytest.mark.parametrize("year", ["%C2%B2%C2%B2%C2%B2%C2%B2", "99999999999999999999", "-2026", "0"])
def test_news_ignore_a_year_that_is_not_one(client, public, year):
    response = get(client, "/news/", f"year={year}")
    assert response.status_code == 200
    assert "Новость центра 0" in response.content.decode()  # unfiltered


@pytest.mark.parametrize("page", ["%C2%B2", "99999999999999999999", "-1", "0"])
def test_news_and_search_pagination_accept_junk(client, public, page):
    assert get(client, "/news/", f"page={page}").status_code == 200
    assert get(client, "/search/", f"q=%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D1%8C&page={page}").status_code == 200


def test_the_valid_month_still_works(client, public):
    response = get(client, "/events/", "month=2026-11")
    assert response.status_code == 200
    assert "Ноябрь 2026" in response.content.decode()


# --- forms ---------------------------------------------------------------------------------------------


def test_a_nul_byte_in_a_posted_form_is_a_400_and_nothing_is_stored(client, public):
    from methodists.models import Question

    response = client.post(
        "/vopros-metodistu/",
        {"name": "Иванова\x00Мария", "email": "a@example.ru", "question": "Вопрос " * 10},
    )
    assert_russian_400(response)
    assert "В отправленной форме есть недопустимые символы" in response.content.decode()
    assert not Question.objects.exists()


def test_invalid_utf8_in_a_urlencoded_form_is_a_400(client, public):
    response = client.generic(
        "POST",
        f"/contests/vote/{public.entry.pk}/",
        b"email=%ED%A0%80%40example.ru&consent=on",
        content_type="application/x-www-form-urlencoded",
    )
    assert_russian_400(response)


def test_a_nul_byte_in_a_multipart_form_is_a_400(client, public):
    response = client.post(public.event.url + "register/", {"full_name": "Иванова\x00"})
    assert_russian_400(response)


# --- too long ------------------------------------------------------------------------------------------


def test_a_10000_character_search_is_shortened_not_refused(client, public):
    """The search page shortens an over-long query itself and says so (issue 13); other views refuse."""
    response = get(client, "/search/", "q=" + "%D0%B0" * 10_000)
    assert response.status_code == 200
    assert "Запрос слишком длинный" in response.content.decode()


def test_a_10000_character_query_elsewhere_gets_the_russian_414_page(client, public):
    response = get(client, "/news/", "tag=" + "%D0%B0" * 10_000)
    assert response.status_code == 414
    html = response.content.decode()
    assert "Слишком длинный адрес" in html
    assert 'maxlength="200"' in html  # the search box offered there is limited too


def test_a_long_but_acceptable_search_is_cut_with_a_russian_notice(client, public):
    response = get(client, "/search/", "q=" + "%D0%B0+" * 300)
    assert response.status_code == 200
    assert "Запрос слишком длинный: искали по первым 200 символам." in response.content.decode()


def test_the_header_search_box_is_limited(client, public):
    html = client.get("/").content.decode()
    assert 'id="site-search-q" type="search" name="q" maxlength="200"' in html


# --- the 400 page itself -------------------------------------------------------------------------------


def test_the_400_page_keeps_the_site_chrome_and_is_not_indexed(client, public):
    html = get(client, "/news/", "tag=%00").content.decode()
    assert "Перейти к содержанию" in html  # skip link of base.html
    assert 'name="robots" content="noindex"' in html


@override_settings(ALLOWED_HOSTS=["imc.example.ru"])
def test_a_bad_host_is_a_russian_400(client, public):
    response = client.get("/news/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Ошибка 400" in response.content.decode()
