"""Fixtures for the atlas: vocabularies, the catalogue page and two ways to fill it — published pages through
Wagtail (like an editor) and rows written in bulk (thousands of practices for the query-count test)."""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from core.models import Subject
from core.tasks import deferred_index_tasks
from practices_atlas.models import (
    AtlasIndexPage,
    Cluster,
    EducationLevel,
    Organisation,
    PracticeAuthor,
    PracticePage,
    PracticeType,
    Project,
    TargetGroup,
)
from tests.core.factories import publish as publish_page

_counter = itertools.count(1)


@pytest.fixture
def vocab(db):
    return build_vocab()


def build_vocab():
    def terms(model, *pairs):
        return {slug: model.objects.create(slug=slug, name=name, sort_order=i) for i, (slug, name) in enumerate(pairs)}

    v = {}
    v.update(terms(PracticeType, ("learning", "Организация учебного процесса"), ("family", "Поддержка семьи")))
    v.update(terms(EducationLevel, ("preschool", "Дошкольное образование"), ("primary", "Начальное общее образование")))
    v.update(terms(TargetGroup, ("pupils", "Обучающиеся"), ("parents", "Родители")))
    v.update(terms(Project, ("digital", "Цифровая школа")))
    v.update(terms(Cluster, ("choice", "Школа выбора")))
    # get-or-create: a module's shared data (tests/cache_on) may already hold the site's «Математика»
    v["math"] = Subject.objects.get_or_create(name="Математика", defaults={"slug": "math"})[0]
    v["museum"] = Subject.objects.create(slug="museum", name="Музейная педагогика")
    v["school"] = Organisation.objects.create(
        slug="school-174",
        short_name="ГБОУ школа № 174",
        full_name="Государственное бюджетное "
        "общеобразовательное учреждение средняя общеобразовательная школа № 174 Центрального района",
        kind="ОУ",
        number=174,
    )
    v["kindergarten"] = Organisation.objects.create(
        slug="ds-59",
        short_name="ГБДОУ детский сад № 59",
        full_name="Государственное бюджетное дошкольное "
        "образовательное учреждение детский сад № 59 Центрального района",
        kind="ДОУ",
        number=59,
    )
    return v


@pytest.fixture
def atlas(home_page):
    return build_atlas(home_page)


def build_atlas(home_page):
    index = AtlasIndexPage(title="Атлас педагогических практик", slug="atlas", intro="Лучшие практики района.")
    home_page.add_child(instance=index)
    return publish_page(index)


@pytest.fixture
def make_practice(atlas, vocab):
    """A practice published through Wagtail; keys name the vocab fixture's values."""
    return practice_factory(atlas, vocab)


def practice_factory(atlas, vocab):
    def factory(
        title=None,
        *,
        type="learning",
        levels=("primary",),
        subjects=("math",),
        groups=("pupils",),
        org="school",
        cluster=None,
        project=None,
        format="online",
        year=2020,
        publish=True,
        **fields,
    ):
        n = next(_counter)
        page = PracticePage(
            title=title or f"Практика {n}",
            slug=fields.pop("slug", f"practice-{n}"),
            annotation=fields.pop("annotation", "Краткое описание практики для карточки и поиска."),
            practice_type=vocab[type],
            organisation=vocab[org],
            cluster=vocab[cluster] if cluster else None,
            project=vocab[project] if project else None,
            format=format,
            year=year,
            **fields,
        )
        page.levels = [vocab[key] for key in levels]
        page.subjects = [vocab[key] for key in subjects]
        page.target_groups = [vocab[key] for key in groups]
        page.authors = [PracticeAuthor(name="Творческая группа школы", position="учителя")]
        page.live = publish
        with deferred_index_tasks():
            atlas.add_child(instance=page)
            if publish:
                return publish_page(page)
        page.refresh_from_db()
        return page

    return factory


def _base36(number: int, width: int = 4) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits.rjust(width, "0")


def bulk_practices(index, vocab, count: int) -> None:
    """`count` live practices under `index`, written with a handful of INSERTs (no Wagtail save per page):
    tree paths computed here, the page rows and the practice rows inserted in bulk, facets spread evenly."""
    index.refresh_from_db()
    content_type = ContentType.objects.get_for_model(PracticePage)
    start = index.numchild
    types = [vocab["learning"], vocab["family"]]
    orgs = [vocab["school"], vocab["kindergarten"]]
    pages = []
    for i in range(start + 1, start + count + 1):
        slug = f"bulk-{i}"
        pages.append(
            Page(
                title=f"Практика {i}",
                draft_title=f"Практика {i}",
                slug=slug,
                path=index.path + _base36(i),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                locale_id=index.locale_id,
            )
        )
    Page.objects.bulk_create(pages, batch_size=1000)
    rows = []
    for n, page in enumerate(
        Page.objects.filter(path__startswith=index.path, slug__startswith="bulk-", depth=index.depth + 1)
        .exclude(pk__in=PracticePage.objects.values("pk"))
        .order_by("path")
    ):
        practice = PracticePage(
            page_ptr_id=page.pk,
            annotation="Описание",
            practice_type=types[n % 2],
            organisation=orgs[n % 2],
            format=("online", "offline", "mixed")[n % 3],
            year=2019 + n % 5,
            status="published",
        )
        rows.append(practice)
    fields = list(PracticePage._meta.local_concrete_fields)
    for batch in range(0, len(rows), 1000):
        PracticePage.objects._insert(rows[batch : batch + 1000], fields=fields)
    ids = [row.page_ptr_id for row in rows]
    levels = PracticePage.levels.through
    levels.objects.bulk_create(
        [
            levels(practicepage_id=pk, educationlevel=(vocab["preschool"], vocab["primary"])[n // 2 % 2])
            for n, pk in enumerate(ids)
        ]
    )
    subjects = PracticePage.subjects.through
    subjects.objects.bulk_create(
        [subjects(practicepage_id=pk, subject=(vocab["math"], vocab["museum"])[n // 4 % 2]) for n, pk in enumerate(ids)]
    )
    Page.objects.filter(pk=index.pk).update(numchild=start + count)


@pytest.fixture
def methodist(methodist_index, vocab, atlas):
    """A «Методисты» account whose methodist page answers for museum pedagogy, with rights on /atlas/."""
    from core.permissions import METHODISTS, grant_methodists
    from tests.core.factories import UserFactory
    from tests.methodists.factories import MethodistPageFactory

    user = UserFactory(username="ivanova", email="ivanova.account@imc-centr.example", groups=[METHODISTS])
    MethodistPageFactory(
        parent=methodist_index, title="Иванова Ольга Петровна", email="ivanova@imc-centr.example", user=user,
        subjects=[vocab["museum"]],
    )  # fmt: skip
    grant_methodists(Page.objects.get(pk=atlas.pk))
    return user
