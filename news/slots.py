"""The home page's news block and its RSS link, contributed through core.slots (home imports no news)."""

from django.utils.html import format_html

from core.cache import cached_for_generation

LATEST_NEWS_COUNT = 4


def latest_news(limit=LATEST_NEWS_COUNT):
    from .models import NewsPage, with_card_images

    return list(with_card_images(NewsPage.objects.live().public().order_by("-date", "-pk"))[:limit])


def news_url(request, home) -> str:
    """URL of the news section under this home page (for «Все новости» and the RSS link), "" when there is none."""
    from .models import NewsIndexPage

    def build():
        index = NewsIndexPage.objects.child_of(home).live().only("title", "url_path").first()
        return index.get_url(request) if index else ""

    return cached_for_generation(request, f"news-url:{home.pk}", build, shared=False)


def home_slot_context(request, page):
    news = latest_news()
    if not news:
        return None
    return {"news": news, "url": news_url(request, page)}


def home_head(request, page) -> str:
    url = news_url(request, page)
    if not url:
        return ""
    return format_html('<link rel="alternate" type="application/rss+xml" title="Новости — RSS" href="{}rss/">', url)
