"""«Проверь себя»: works without JavaScript (a plain POST form), scores the answers, explains each one and links
its memo, keeps no personal data — only aggregate counts per option, all counted under concurrent answers."""

import pytest
from bs4 import BeautifulSoup

from safe_internet.models import QuizAnswerCount, QuizQuestion
from tests.safe_internet.factories import MaterialPageFactory, quiz_page

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_quiz_is_a_plain_form_with_every_question(client):
    quiz = quiz_page(questions=3)
    page = soup(client.get(quiz.url))
    form = page.select_one("form.si-quiz__form")
    assert form["method"] == "post" and not page.select(".si-quiz script")
    assert len(form.select("fieldset")) == 3
    first = form.select("fieldset")[0]
    assert [label.get_text(strip=True) for label in first.select("label")] == [
        "Верный ответ",
        "Неверный ответ",
        "Ещё один неверный",
    ]
    assert not form.select('input[type="text"], input[type="email"], textarea')  # nothing about the visitor
    assert page.select_one(".si-helpline")


def test_answers_are_scored_explained_and_linked_to_the_memo(client):
    memo = MaterialPageFactory(title="Памятка о паролях")
    quiz = quiz_page(questions=3, material=memo)
    q1, q2, q3 = quiz.questions.order_by("sort_order")
    response = client.post(quiz.url, {f"q{q1.pk}": "a", f"q{q2.pk}": "b"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".si-quiz__score").get_text(strip=True) == "Правильных ответов: 1 из 3."
    results = page.select(".si-quiz__result")
    assert "si-quiz__result--right" in results[0]["class"]
    assert "Неверно: вы выбрали «Неверный ответ». Правильный ответ: Верный ответ." in results[1].get_text()
    assert "Нет ответа" in results[2].get_text()
    for result in results:
        assert "Потому что так безопаснее." in result.get_text()
        assert result.select_one(f'a[href="{memo.url}"]').get_text() == "Памятка о паролях"
    counts = {(c.question_id, c.option): c.count for c in QuizAnswerCount.objects.all()}
    assert counts == {(q1.pk, "a"): 1, (q2.pk, "b"): 1}


def test_counts_add_up_and_an_unknown_option_is_not_counted(client):
    quiz = quiz_page(questions=1)
    question = quiz.questions.get()
    for option in ["a", "b", "a", "z", "d"]:  # «d» is empty on this question
        client.post(quiz.url, {f"q{question.pk}": option})
    assert dict(QuizAnswerCount.objects.values_list("option", "count")) == {"a": 2, "b": 1}


def test_taking_the_quiz_leaves_no_cookie_and_no_session(client):
    quiz = quiz_page(questions=1)
    question = quiz.questions.get()
    client.get(quiz.url)
    response = client.post(quiz.url, {f"q{question.pk}": "a"})
    assert "sessionid" not in response.cookies
    assert not any(name != "csrftoken" for name in client.cookies)


def test_a_correct_option_must_be_filled():
    question = QuizQuestion(text="?", option_a="да", option_b="нет", correct="c", explanation="…")
    with pytest.raises(Exception, match="Правильный вариант"):
        question.clean()


def test_a_flood_of_answers_from_one_address_is_checked_but_not_counted(client, real_redis, monkeypatch):
    """A class behind one school address always gets its feedback; a script cannot rewrite the statistics."""
    monkeypatch.setattr("safe_internet.quiz.COUNT_RATE", "3/5m")
    quiz = quiz_page(questions=1)
    question = quiz.questions.get()
    responses = [client.post(quiz.url, {f"q{question.pk}": "a"}, REMOTE_ADDR="95.161.10.20") for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert all("Правильных ответов: 1 из 1." in r.content.decode() for r in responses)
    assert QuizAnswerCount.objects.get(question=question, option="a").count == 3
    client.post(quiz.url, {f"q{question.pk}": "a"}, REMOTE_ADDR="198.51.100.7")  # another school
    assert QuizAnswerCount.objects.get(question=question, option="a").count == 4
