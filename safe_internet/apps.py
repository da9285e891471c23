from django.apps import AppConfig


class SafeInternetConfig(AppConfig):
    name = "safe_internet"
    verbose_name = "Безопасный интернет"
