"""News: an index with tag and year filters, and dated news items with tags and related news."""

import datetime
from functools import partial

from django.db import models
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cache import cache_public, cached_fragments
from core.models import BasePage, RoutableBasePage, SectionIndexPage, link_ancestors, public
from core.pagination import CountingPaginator
from core.seo import news_article
from core.siteurl import absolute_url

NEWS_PER_PAGE = 10
RELATED_COUNT = 3
# Rendition specs of the news card (templates/components/news_card.html): prefetched with the list.
CARD_RENDITIONS = ("fill-400x225|format-webp", "fill-800x450|format-webp")
# Renditions of the main image on the news page (news/templates/news/news_page.html).
MAIN_RENDITIONS = ("width-480|format-webp", "width-800|format-webp", "width-1200|format-webp")
SOCIAL_RENDITION = "fill-1200x630|format-jpeg"
CARD_TEMPLATE = "components/news_card.html"
# What a card shows (and its link needs): the rest of a news item — its body above all — stays in the database.
CARD_FIELDS = ("title", "url_path", "date", "lead", "main_image")


def with_card_images(queryset):
    """News as cards: their card fields, main image and the card renditions in one extra query, whatever
    the count."""
    Image = get_image_model()
    renditions = Image.get_rendition_model().objects.filter(filter_spec__in=CARD_RENDITIONS)
    return (
        queryset.only(*CARD_FIELDS)
        .select_related("main_image")
        .prefetch_related(Prefetch("main_image__renditions", queryset=renditions))
    )


def news_cards(request, ids, heading_level=3) -> list[str]:
    """The cards (components/news_card.html) of these news, in this order. A card is the same on every
    page that shows it — the list under every filter and page number, the home page, «Читайте также» —
    so each is rendered once per generation and kept (core.cache.cached_fragments); the news that
    are not are loaded together, with their images and renditions, in two queries."""
    names = [f"news-card:{pk}:{heading_level}" for pk in ids]

    def build(missing):
        wanted = [int(name.split(":")[1]) for name in missing]
        found = with_card_images(NewsPage.objects.filter(pk__in=wanted))
        return {
            f"news-card:{news.pk}:{heading_level}": partial(
                render_to_string,
                CARD_TEMPLATE,
                {"news": news, "heading_level": heading_level, "request": request},
            )
            for news in found
        }

    return cached_fragments(request, names, build)


def parse_year(value) -> int | None:
    """A four-digit year from the query string, or None for anything else (never an error)."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit()) or len(value) != 4:  # «²» is a digit too, int() refuses it
        return None
    return int(value)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsIndexPage(RoutableBasePage, SectionIndexPage):
    """/news/: the list of news, newest first, filtered by ?tag= and ?year= ; RSS 2.0 at /news/rss/."""

    cache_query_params = ("page", "tag", "year")

    search_fields = SectionIndexPage.search_fields + [index.SearchField("intro")]
    subpage_types = ["news.NewsPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = "Лента новостей"

    # --- data -------------------------------------------------------------------------------
    def news(self, request=None):
        """Live, public news of this index, newest first (with the request: no query for the view
        restrictions, core.routing.public)."""
        news = NewsPage.objects.child_of(self).live()
        news = public(news, request) if request is not None else news.public()
        return news.order_by("-date", "-pk")

    def tag_counts(self, news=None):
        """Tags used by live news, with how many news carry each (most used first)."""
        news = self.news() if news is None else news
        return (
            Tag.objects.filter(news_newspagetag_items__content_object__in=news.values("pk"))
            .annotate(news_count=Count("news_newspagetag_items"))
            .order_by("-news_count", "name")
        )

    def year_counts(self, news=None):
        news = self.news() if news is None else news
        return list(
            news.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(news_count=Count("pk"))
            .order_by("-year")
            .values_list("year", "news_count")
        )

    def filtered_news(self, tag_slug: str | None, year: int | None, request=None):
        """(queryset, the Tag or None, whether the tag exists)."""
        news = self.news(request)
        tag = None
        if tag_slug:
            tag = Tag.objects.filter(slug=tag_slug).first()
            news = news.filter(tagged_items__tag=tag) if tag else news.none()
        if year:
            news = news.filter(date__year=year)
        return news, tag

    # --- views ------------------------------------------------------------------------------
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag_slug = request.GET.get("tag", "").strip()[:100] or None
        year = parse_year(request.GET.get("year"))
        news, tag = self.filtered_news(tag_slug, year, request)
        # The ids of the page and the count of the list in one query; the cards are kept per generation.
        news_page = CountingPaginator(news.values("pk"), NEWS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            news_page=news_page,
            cards=news_cards(request, [row["pk"] for row in news_page.object_list]),
            # callables: the template evaluates them only when its cached facet fragment is rebuilt
            tags=self.tag_counts,
            years=self.year_counts,
            active_tag=tag,
            active_tag_slug=tag_slug,
            active_year=year,
            is_filtered=bool(tag_slug or year),
            rss_url=self.get_rss_url(request),
        )
        return context

    def get_rss_url(self, request=None):
        return self.get_url(request) + "rss/"

    @path("rss/", name="rss")
    @cache_public(params=())
    def rss(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)

    def get_sitemap_urls(self, request=None):
        """lastmod of the list is the latest publication among the index and its news."""
        urls = super().get_sitemap_urls(request)
        latest = self.news().order_by("-last_published_at").values_list("last_published_at", flat=True).first()
        for entry in urls:
            if latest and (entry.get("lastmod") is None or latest > entry["lastmod"]):
                entry["lastmod"] = latest
        return urls


class NewsPage(BasePage):
    date = models.DateField("Дата новости", default=timezone.localdate, db_index=True)
    lead = models.TextField("Лид", help_text="Одно-два предложения: о чём новость. Показывается в списке и в RSS.")
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Главное изображение",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    main_image_alt = models.CharField(
        "Альтернативный текст изображения",
        max_length=250,
        blank=True,
        help_text="Что изображено — для незрячих посетителей.",
    )
    body = StreamField(BaseStreamBlock(), verbose_name="Текст новости", blank=True)
    tags = ClusterTaggableManager("Теги", through=NewsPageTag, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("lead"),
        MultiFieldPanel([FieldPanel("main_image"), FieldPanel("main_image_alt")], heading="Изображение"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    purge_parent_routes = ("rss/",)  # the proxy in front drops the feed too (core.models.BasePage)
    purge_siblings = True  # «Читайте также» on the other news may show it

    class Meta:
        verbose_name = "Новость"
        verbose_name_plural = "Новости"
        ordering = ["-date"]

    @property
    def image_alt(self) -> str:
        if self.main_image_alt:
            return self.main_image_alt
        return getattr(self.main_image, "default_alt_text", "") if self.main_image else ""

    def news_index(self, request=None):
        """The list this news item is on, as a plain page for its link (the breadcrumbs' ancestors)."""
        return next((page for page in link_ancestors(self, request) if page.depth == self.depth - 1), None)

    def prefetch_own_renditions(self):
        """The renditions this page shows of its own images (the main image, the social preview) in one
        query, so that neither the template nor get_context looks each one up in the cache."""
        images = [image for image in (self.main_image, self.social_image) if image is not None]
        if images:
            Rendition = get_image_model().get_rendition_model()
            specs = (*MAIN_RENDITIONS, SOCIAL_RENDITION)
            prefetch_related_objects(
                images, Prefetch("renditions", queryset=Rendition.objects.filter(filter_spec__in=specs))
            )

    def related_news(self, limit=RELATED_COUNT):
        """News sharing the most tags with this one (newest first among equals), topped up with the latest."""
        base = NewsPage.objects.live().public().exclude(pk=self.pk)
        tag_ids = list(self.tagged_items.values_list("tag_id", flat=True)) if self.pk else []
        related = []
        if tag_ids:
            related = list(
                with_card_images(
                    base.filter(tagged_items__tag_id__in=tag_ids)
                    .annotate(shared_tags=Count("tagged_items"))
                    .order_by("-shared_tags", "-date", "-pk")
                )[:limit]
            )
        if len(related) < limit:
            seen = [page.pk for page in related]
            related += list(
                with_card_images(base.exclude(pk__in=seen).order_by("-date", "-pk"))[: limit - len(related)]
            )
        return related

    def published_datetime(self):
        """The news date as a moment: the first publication if it happened that day, else the day's start."""
        tz = timezone.get_current_timezone()
        first = self.first_published_at
        if first and timezone.localtime(first, tz).date() == self.date:
            return first
        return datetime.datetime.combine(self.date, datetime.time.min, tzinfo=tz)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tags = list(self.tags.all())
        self.prefetch_own_renditions()
        image_url = ""
        shared = self.social_image or self.main_image  # the same choice as components/meta.html
        if shared:
            image_url = absolute_url(next(iter(shared.get_renditions(SOCIAL_RENDITION).values())).url)
        context.update(
            related_news=self.related_news,  # a callable: evaluated only when its fragment is rebuilt
            news_index=self.news_index(request),
            page_tags=tags,
            og_type="article",
            og_image=self.main_image,
            structured_data=news_article(self, request, image_url, tags),
        )
        return context
