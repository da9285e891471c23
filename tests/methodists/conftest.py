import pytest

from core.models import Subject
from methodists.models import MethodistIndexPage, MethodistPage


@pytest.fixture
def subjects(db):
    return {
        "math": Subject.objects.create(name="Математика", slug="matematika", sort_order=1),
        "chem": Subject.objects.create(name="Химия", slug="himiya", sort_order=2),
        "orphan": Subject.objects.create(name="Астрономия", slug="astronomiya", sort_order=3),
    }


@pytest.fixture
def methodist_index(home_page):
    index = MethodistIndexPage(title="Методисты", slug="metodisty", intro="Наши методисты")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_methodist(index, title, slug, subjects, email, division="method", **fields):
    page = MethodistPage(title=title, slug=slug, email=email, division=division, **fields)
    page.subjects = subjects
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def methodists(methodist_index, subjects):
    return {
        "math": add_methodist(
            methodist_index,
            "Соколова Марина Николаевна",
            "sokolova",
            [subjects["math"]],
            "math@imc-centr.example",
            phone="(812) 717-04-72, доб. 121",
            consultation_hours="Вторник, 15:00–17:00",
        ),
        "chem": add_methodist(
            methodist_index,
            "Лебедев Сергей Павлович",
            "lebedev",
            [subjects["chem"]],
            "chem@imc-centr.example",
            division="informatization",
        ),
    }
