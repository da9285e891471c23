from django.core.management.base import BaseCommand, CommandError

from core.siteurl import public_origin, site_url_problems, sync_default_site


class Command(BaseCommand):
    help = (
        "Sets the default Wagtail Site's hostname and port from SITE_URL, the one public origin of every "
        "absolute link (e-mails, RSS, sitemap, canonical). `migrate` does this too; run it after changing SITE_URL."
    )

    def handle(self, *args, **options):
        problems = site_url_problems()
        if problems:
            raise CommandError("; ".join(problems))
        site, changed = sync_default_site()
        if site is None:
            raise CommandError("Сайт по умолчанию не найден: сначала выполните manage.py migrate.")
        if site.root_url != public_origin():
            raise CommandError(f"Адрес {public_origin()} уже занят другим сайтом Wagtail (админка → Сайты).")
        state = "обновлён" if changed else "уже совпадает"
        self.stdout.write(f"Сайт по умолчанию {state}: {site.root_url} (SITE_URL={public_origin()})")
