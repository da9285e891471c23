from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Главная и страницы"
    demo_order = 10  # manage.py load_demo runs home/demo.py in this order (core/demo.py)
