"""Fixtures for the methodists app; /metodisty/ is the base page tree's (`methodist_index`, tests/conftest.py)."""

import pytest

from .factories import MethodistPageFactory, SubjectFactory


@pytest.fixture
def subjects(db):
    return {
        "math": SubjectFactory(name="Математика", slug="matematika", sort_order=1),
        "chem": SubjectFactory(name="Химия", slug="himiya", sort_order=2),
        "orphan": SubjectFactory(name="Астрономия", slug="astronomiya", sort_order=3),
    }


def add_methodist(index, title, slug, subjects, email, division="method", **fields):
    return MethodistPageFactory(
        parent=index, title=title, slug=slug, subjects=subjects, email=email, division=division, **fields
    )


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
