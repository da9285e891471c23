"""Demo synonyms for the site search: the names and abbreviations the centre's visitors actually type
(../shared/seeds: Moodle courses, Minecraft lessons, ПК, ВсОШ, ОВЗ, the exams). Idempotent.

`manage.py load_demo` calls `load(log)` last; pages and documents are already indexed as they were
published and uploaded."""

from .models import SearchSynonym

SYNONYMS = [
    ("Moodle, мудл, модл", "Платформа дистанционных курсов центра"),
    ("Minecraft, майнкрафт", "Уроки информатики и проектная деятельность"),
    ("ПК, повышение квалификации, курсы ПК", ""),
    ("ВсОШ, всероссийская олимпиада школьников", ""),
    ("ОВЗ, ограниченные возможности здоровья", ""),
    ("ГИА, государственная итоговая аттестация", ""),
    ("ЕГЭ, единый государственный экзамен", ""),
    ("ОГЭ, основной государственный экзамен", ""),
    ("ДОУ, детский сад", "Дошкольные образовательные учреждения"),
    ("ИМЦ, информационно-методический центр", ""),
]


def load(log):
    created = 0
    for terms, note in SYNONYMS:
        _, new = SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})
        created += new
    log(f"Синонимы для поиска: {SearchSynonym.objects.count()} шт. (новых: {created})")
