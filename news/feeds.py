"""RSS 2.0 of the news (/news/rss/), served by NewsIndexPage's route through Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

FEED_ITEMS = 30


class RussianRssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class NewsFeed(Feed):
    feed_type = RussianRssFeed
    language = "ru"

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def _site_name(self):
        from core.models import SiteSettings

        try:
            return SiteSettings.for_request(self.request).org_short_name
        except Exception:  # noqa: BLE001
            return "Портал ИМЦ"

    def title(self):
        return f"{self.index_page.title} — {self._site_name()}"

    def link(self):
        return self.index_page.get_full_url(self.request)

    def feed_url(self):
        return self.index_page.get_full_url(self.request) + "rss/"

    def description(self):
        return self.index_page.intro or f"Новости: {self._site_name()}"

    def items(self):
        return self.index_page.news().prefetch_related("tagged_items__tag")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_datetime()

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]
