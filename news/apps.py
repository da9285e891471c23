from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Новости"
    demo_order = 30  # manage.py load_demo runs news/demo.py in this order (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)
