from django.apps import AppConfig


class SvedenConfig(AppConfig):
    name = "sveden"
    verbose_name = "Сведения об образовательной организации"
