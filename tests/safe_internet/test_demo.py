"""`load_demo`'s part for the section builds it from safe_internet/demo_data.py, with generated files (no
downloads), and a second run changes nothing."""

import pytest
from bs4 import BeautifulSoup

from safe_internet import demo, demo_data
from safe_internet.models import CampaignPage, MaterialPage, NormativeDocument, QuizAnswerCount, QuizPage, SafeResource

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_section_and_is_idempotent(client):
    demo.load(log=lambda message: None)
    counts = (
        NormativeDocument.objects.count(),
        SafeResource.objects.count(),
        MaterialPage.objects.count(),
        CampaignPage.objects.count(),
        QuizPage.objects.count(),
    )
    assert counts[0] == len(demo_data.NORMATIVE_DOCUMENTS) >= 12
    assert counts[1] == len(demo_data.SAFE_RESOURCES) >= 15
    assert counts[2] == len(demo_data.MATERIALS)
    assert counts[3] == sum(1 for c in demo_data.CAMPAIGNS if c.window) >= 3
    assert counts[4] == len(demo_data.QUIZZES) == 3
    lost = NormativeDocument.objects.filter(status=NormativeDocument.Status.LOST_FORCE)
    assert lost.exists() and all(doc.lost_force_on for doc in lost)

    demo.load(log=lambda message: None)
    assert counts == (
        NormativeDocument.objects.count(),
        SafeResource.objects.count(),
        MaterialPage.objects.count(),
        CampaignPage.objects.count(),
        QuizPage.objects.count(),
    )

    memo = MaterialPage.objects.get(slug="pamyatka-roditelyam")
    parents = BeautifulSoup(client.get("/safe-internet/roditelyam/").content, "html.parser")
    assert memo.title in [a.get_text(strip=True) for a in parents.select(".si-material-card a")]
    page = BeautifulSoup(client.get(memo.url).content, "html.parser")
    item = page.select_one(".document-item")
    assert item.select_one(".document-item__meta").get_text().startswith("PDF, ")
    download = client.get(item.a["href"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")

    landing = BeautifulSoup(client.get("/safe-internet/").content, "html.parser")
    assert landing.select_one(".si-campaign-banner a")  # some campaign is always running or next
    registry = client.get("/safe-internet/normativnoe-regulirovanie/").content.decode()
    assert "436-ФЗ" in registry and "Утратил силу" in registry

    quiz = QuizPage.objects.get(slug="proverka-roditeli")
    question = quiz.questions.first()
    response = client.post(quiz.url, {f"q{question.pk}": question.correct})
    assert "Правильных ответов: 1 из" in response.content.decode()
    assert QuizAnswerCount.objects.get(question=question).count == 1
