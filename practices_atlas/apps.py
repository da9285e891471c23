from django.apps import AppConfig


class PracticesAtlasConfig(AppConfig):
    name = "practices_atlas"
    verbose_name = "Атлас педагогических практик"
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)
