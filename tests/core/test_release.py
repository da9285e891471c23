"""core.release: a deploy with other code or templates drops both page caches once per instance; a restart
of the same code drops nothing."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from core.cache import generation
from core.release import fingerprint, new_release
from tests.core.test_frontendcache import PURGED

pytestmark = pytest.mark.django_db

PROXY = {"proxy": {"BACKEND": "tests.core.test_frontendcache.RecordingBackend"}}


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "news" / "templates").mkdir(parents=True)
    (tmp_path / "news" / "templates" / "page.html").write_text("<h1>{{ page.title }}</h1>")
    (tmp_path / "news" / "models.py").write_text("TITLE = 1\n")
    (tmp_path / "media").mkdir()
    return tmp_path


def test_the_fingerprint_follows_code_and_templates_not_uploads(tree):
    first = fingerprint(tree)
    (tree / "media" / "photo.css").write_text("uploaded")  # media is not code
    (tree / "news" / "notes.md").write_text("docs")
    assert fingerprint(tree) == first
    (tree / "news" / "templates" / "page.html").write_text("<h1 class=title>{{ page.title }}</h1>")
    assert fingerprint(tree) != first


@override_settings(WAGTAILFRONTENDCACHE=PROXY)
def test_a_new_release_drops_redis_and_the_proxy_once_per_instance():
    PURGED.clear()
    before = generation()
    assert new_release("8001", current="release-a") is True
    assert generation() != before and PURGED == ["everything"]

    dropped = generation()
    assert new_release("8001", current="release-a") is False  # a crash restart: the same code
    assert generation() == dropped and PURGED == ["everything"]
    assert new_release("8002", current="release-a") is True  # the other instance: what the old one rendered
    assert new_release("8001", current="release-b") is True
    assert PURGED == ["everything"] * 3


def test_the_command_reports_what_it_did(capsys):
    call_command("new_release", instance="8001")
    assert "page caches dropped" in capsys.readouterr().out
    call_command("new_release", instance="8001")
    assert "unchanged for instance 8001" in capsys.readouterr().out
    call_command("new_release")  # by hand, without an instance: always
    assert "page caches dropped" in capsys.readouterr().out
