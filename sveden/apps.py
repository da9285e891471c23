from django.apps import AppConfig


class SvedenConfig(AppConfig):
    name = "sveden"
    verbose_name = "Сведения об образовательной организации"
    demo_order = 40  # manage.py load_demo runs sveden/demo.py in this order (core/demo.py)
