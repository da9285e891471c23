"""Checks every «Детские безопасные сайты» link; run nightly (README, «Scheduled jobs»)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.cache import invalidate_all
from core.searchsources import items_changed
from safe_internet.linkcheck import check_urls
from safe_internet.models import SafeResource

CHECK_FIELDS = ["last_checked_at", "last_check_ok", "last_check_reason", "failures", "hidden"]


class Command(BaseCommand):
    help = "Проверяет ссылки каталога «Детские безопасные сайты»; дважды не ответившие скрывает от посетителей."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=4, help="Сколько сайтов проверять одновременно.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Сколько секунд ждать ответа.")
        parser.add_argument("--interval", type=float, default=1.0, help="Пауза между запросами к одному сайту, с.")

    def handle(self, *args, concurrency, timeout, interval, **options):
        resources = list(SafeResource.objects.order_by("pk"))
        results = check_urls(
            [(r.url, r.approved_host) for r in resources],
            concurrency=concurrency,
            timeout=timeout,
            per_host_interval=interval,
        )
        now = timezone.now()
        for resource in resources:
            result = results[resource.url]
            resource.record_check(result.ok, result.reason, now)
        SafeResource.objects.bulk_update(resources, CHECK_FIELDS)
        if resources:
            invalidate_all()  # one new cache generation for the whole run: bulk_update sends no signals
            items_changed(SafeResource, resources)  # nor does it tell the site search: a hidden site leaves it
        hidden = [r for r in resources if r.hidden]
        alive = sum(1 for r in resources if r.last_check_ok)
        self.stdout.write(f"Проверено ссылок: {len(resources)}, работают: {alive}, скрыты: {len(hidden)}.")
        for resource in hidden:
            self.stdout.write(f"Скрыт: {resource.name} — {resource.url} — {resource.last_check_reason}")
