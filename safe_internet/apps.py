from django.apps import AppConfig


class SafeInternetConfig(AppConfig):
    name = "safe_internet"
    verbose_name = "Безопасный интернет"
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)
