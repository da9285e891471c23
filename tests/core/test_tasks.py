"""core.tasks: index upkeep held back during a bulk load runs once per object at its end; e-mail does not wait."""

import pytest
from django.core import mail
from django_tasks.signals import task_finished
from wagtail.models import Page, ReferenceIndex

from core.mail import queue_email
from core.tasks import DEFERRABLE, deferred_index_tasks
from tests.core.test_mail import TEMPLATE, _Question
from tests.news.factories import make_news

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    ran = []

    def record(sender, task_result, **kwargs):
        ran.append((task_result.task.module_path, tuple(task_result.args)))

    task_finished.connect(record)
    yield ran
    task_finished.disconnect(record)


def test_index_tasks_wait_for_the_end_of_the_block_and_run_once_per_object(news_index, finished):
    with deferred_index_tasks():
        page = make_news(news_index, title="Методичка по ВПР")
        page.title = "Методичка по ВПР-2027"
        page.save_revision().publish()
        assert not [path for path, _ in finished if path in DEFERRABLE]  # three saves, nothing indexed yet
        # The admin's search (Wagtail's backend) does not know the page yet.
        assert not Page.objects.filter(pk=page.pk).search("Методичка")
    indexed = [item for item in finished if item[0] in DEFERRABLE]
    assert len(indexed) == len(set(indexed))  # each task and object once
    assert ("modelsearch.tasks.insert_or_update_object_task", ("news", "newspage", str(page.pk))) in finished
    # Run after the last save: the page is in the admin's search and its references are recorded.
    assert [hit.pk for hit in Page.objects.filter(pk=page.pk).search("Методичка")] == [page.pk]
    assert ReferenceIndex.objects.filter(object_id=str(page.pk), to_object_id=str(page.main_image_id)).exists()


def test_outside_the_block_every_save_is_indexed_at_once(news_index, finished):
    page = make_news(news_index, title="Семинар по ОГЭ")
    assert ("modelsearch.tasks.insert_or_update_object_task", ("news", "newspage", str(page.pk))) in finished
    assert [hit.pk for hit in Page.objects.filter(pk=page.pk).search("ОГЭ")] == [page.pk]


def test_email_is_not_held_back(django_capture_on_commit_callbacks):
    with deferred_index_tasks():
        with django_capture_on_commit_callbacks(execute=True):
            queue_email(
                "metodist@imc-centr.example",
                "Вопрос методисту",
                TEMPLATE,
                {"question": _Question, "methodist": None, "site_url": "http://testserver"},
                purpose="question",
            )
        assert len(mail.outbox) == 1  # sent on commit, inside the block
