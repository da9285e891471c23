"""Every admin URL of the question snippet (and its chooser) answers from the user's own questions.

The tables below are checked against the viewsets' real URL patterns, so a view Wagtail adds later
cannot slip through unclassified.
"""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from core.consent import record_consent
from core.permissions import EDITORS, METHODISTS
from methodists.models import Question

OWN, OTHER = "Анна Своя", "Борис Чужой"

# name -> kind. listing: shows a list (own present, other absent); object: one question by pk;
# multiple: several pks in ?id=; refused: nobody may use it (questions come from the site form).
VIEWSET_URLS = {
    "list": "listing",
    "list_results": "listing",
    "add": "refused",
    "edit": "object",
    "delete": "object",
    "usage": "object",
    "history": "object",
    "history_results": "object",
    "inspect": "object",
}
CHOOSER_URLS = {
    "choose": "listing",
    "choose_results": "listing",
    "chosen": "object",
    "chosen_multiple": "multiple",
    "create": "refused",
}
REFUSED = (302, 403, 404)
URL_CASES = [("snippet", n, k) for n, k in VIEWSET_URLS.items()] + [("chooser", n, k) for n, k in CHOOSER_URLS.items()]


def viewsets():
    viewset = Question.snippet_viewset
    return [(viewset, VIEWSET_URLS), (viewset.chooser_viewset, CHOOSER_URLS)]


def viewset_for(which):
    return Question.snippet_viewset if which == "snippet" else Question.snippet_viewset.chooser_viewset


def test_every_question_admin_url_is_in_the_table():
    for viewset, table in viewsets():
        assert {pattern.name for pattern in viewset.get_urlpatterns()} == set(table)


@pytest.fixture
def people(django_user_model, methodists, rf, subjects):
    methodists_group = Group.objects.get(name=METHODISTS)
    users = {}
    for key, username in (("math", "sokolova"), ("chem", "lebedev")):
        user = django_user_model.objects.create_user(username, f"{username}@imc-centr.example", "pass")
        user.groups.add(methodists_group)
        page = methodists[key]
        page.user = user
        page.save_revision().publish()
        users[key] = user
    editor = django_user_model.objects.create_user("editor", "e@imc-centr.example", "pass")
    editor.groups.add(Group.objects.get(name=EDITORS))
    superuser = django_user_model.objects.create_superuser("root", "root@imc-centr.example", "pass")

    def ask(key, name):
        return Question.objects.create(
            subject=subjects[key],
            methodist=methodists[key],
            name=name,
            email="a@school.example",
            text=f"Вопрос от {name}",
            consent=record_consent(rf.post("/"), "question"),
        )

    return {
        "methodist": users["math"],
        "editor": editor,
        "superuser": superuser,
        "own": ask("math", OWN),
        "other": ask("chem", OTHER),
    }


def url_for(viewset, name, question=None):
    if question is not None:
        return reverse(viewset.get_url_name(name), args=[question.pk])
    return reverse(viewset.get_url_name(name))


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/json"):  # choosers answer JSON (\u-escaped)
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8", "replace")


def get(client, viewset, name, kind, question, people):
    if kind == "multiple":
        url = url_for(viewset, name) + f"?id={people['own'].pk}&id={people['other'].pk}"
    elif kind == "object":
        url = url_for(viewset, name, question)
    else:
        url = url_for(viewset, name)
    return client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest" if viewset is not Question.snippet_viewset else "")


def check_methodist(client, people, which, name, kind):
    viewset = viewset_for(which)
    if kind == "refused":
        assert get(client, viewset, name, kind, people["own"], people).status_code in REFUSED
        return
    if kind in ("listing", "multiple"):
        response = get(client, viewset, name, kind, people["own"], people)
        assert response.status_code == 200
        assert OWN in body(response) and OTHER not in body(response)
        return
    own = get(client, viewset, name, kind, people["own"], people)
    if name == "delete":  # methodists may not delete questions at all
        assert own.status_code in REFUSED
    else:
        assert own.status_code == 200
    other = get(client, viewset, name, kind, people["other"], people)
    assert other.status_code in (403, 404) or (other.status_code == 302 and name == "delete"), other.status_code
    assert OTHER not in body(other)


def check_sees_all(client, people, role, which, name, kind):
    viewset = viewset_for(which)
    if kind == "refused" or (name == "delete" and role == "editor"):  # editors may not delete questions
        assert get(client, viewset, name, kind, people["own"], people).status_code in REFUSED
        return
    if kind in ("listing", "multiple"):
        response = get(client, viewset, name, kind, people["own"], people)
        assert response.status_code == 200
        assert OWN in body(response) and OTHER in body(response)
        return
    for question in (people["own"], people["other"]):
        assert get(client, viewset, name, kind, question, people).status_code == 200


def failures(check, *args):
    """Runs a check over the whole URL table, collecting every failing URL (one database setup, not 40)."""
    failed = []
    for which, name, kind in URL_CASES:
        try:
            check(*args, which, name, kind)
        except Exception as error:  # an assertion or a 500 raised through the test client
            failed.append(f"{which}:{name}: {type(error).__name__} {str(error).splitlines()[0][:60]}")
    return failed


def test_a_methodist_sees_only_their_own_question_at_every_url(client, people):
    client.force_login(people["methodist"])
    failed = failures(check_methodist, client, people)
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_and_superusers_see_every_question_at_every_url(client, people, role):
    client.force_login(people[role])
    failed = failures(check_sees_all, client, people, role)
    assert not failed, "\n".join(failed)


def export_rows(response, fmt):
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body(response))))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [[str(cell) for cell in row] for row in load_workbook(io.BytesIO(content)).active.values]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_holds_only_own_questions_for_a_methodist_and_all_for_an_editor(client, people, fmt):
    url = reverse(Question.snippet_viewset.get_url_name("list")) + f"?export={fmt}"
    client.force_login(people["methodist"])
    text = repr(export_rows(client.get(url), fmt))
    assert OWN in text and OTHER not in text
    client.force_login(people["editor"])
    text = repr(export_rows(client.get(url), fmt))
    assert OWN in text and OTHER in text


def test_bulk_delete_confirmation_never_lists_another_methodists_question(client, people):
    url = reverse("wagtail_bulk_action", args=["methodists", "question", "delete"])
    client.force_login(people["methodist"])
    for query in (f"?id={people['own'].pk}&id={people['other'].pk}", "?id=all", f"?id={people['other'].pk}"):
        response = client.get(url + query)
        assert OTHER not in body(response), query
    client.force_login(people["superuser"])
    response = client.get(url + f"?id={people['own'].pk}&id={people['other'].pk}")
    assert OWN in body(response) and OTHER in body(response)


def test_another_methodists_question_cannot_be_edited_or_deleted(client, people):
    other = people["other"]
    client.force_login(people["methodist"])
    viewset = Question.snippet_viewset
    response = client.post(reverse(viewset.get_url_name("edit"), args=[other.pk]), {"status": "closed", "note": "x"})
    assert response.status_code in (403, 404)
    client.post(reverse("wagtail_bulk_action", args=["methodists", "question", "delete"]) + f"?id={other.pk}")
    other.refresh_from_db()
    assert (other.status, other.note) == ("new", "")


@pytest.mark.parametrize("role", ["methodist", "editor"])
def test_question_history_opens_for_its_owner_and_for_editors(client, people, role):
    """It answered 500 for everyone (a TypeError in the own-question check)."""
    client.force_login(people[role])
    own = people["own"]
    client.post(
        reverse(Question.snippet_viewset.get_url_name("edit"), args=[own.pk]),
        {"status": "answered", "note": "Ответила"},
    )
    response = client.get(reverse(Question.snippet_viewset.get_url_name("history"), args=[own.pk]))
    assert response.status_code == 200
    assert "История" in body(response) and "History" not in body(response)
