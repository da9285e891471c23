from django.apps import AppConfig


class PracticesAtlasConfig(AppConfig):
    name = "practices_atlas"
    verbose_name = "Атлас педагогических практик"
