"""Answer counts of «Проверь себя» under concurrency: parallel answers (each thread its own connection,
committed rows) are all counted — F() increments and a race on the first answer that creates the row.
Not marked django_db: the rows must be committed for other connections to see them."""

import threading
import uuid

import pytest
from django.db import connection
from wagtail.models import Page

from safe_internet.models import QuizAnswerCount, QuizPage, QuizQuestion


@pytest.fixture
def committed_question(django_db_setup, django_db_blocker):
    """A question committed for real (threads see it), removed afterwards. Not transaction=True: its flush
    would empty the reused test database."""
    with django_db_blocker.unblock():
        section = Page.objects.get(slug="safe-internet")
        quiz = QuizPage(title="Гонка", slug=f"race-{uuid.uuid4().hex[:8]}")
        section.add_child(instance=quiz)
        question = QuizQuestion.objects.create(
            page=quiz, text="?", option_a="да", option_b="нет", correct="a", explanation="…"
        )
        try:
            yield question
        finally:
            QuizAnswerCount.objects.filter(question=question).delete()
            quiz.delete()


def test_parallel_answers_are_all_counted(committed_question, django_db_blocker):
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    errors = []

    def answer():
        try:
            barrier.wait()
            for _ in range(per_thread):
                QuizAnswerCount.record(committed_question.pk, "b")
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=answer) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        row = QuizAnswerCount.objects.get(question=committed_question, option="b")
        assert row.count == threads_count * per_thread
