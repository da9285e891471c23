"""Creation rules, rendering and previews of the news page types (wagtail.test.utils)."""

import datetime

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage

from .factories import make_news, make_news_index, preview_post_data


class NewsPageTypesTest(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get()
        self.index = make_news_index(self.home)
        self.news = make_news(self.index, title="Итоги конкурса", date=datetime.date(2026, 11, 23), tags=["Конкурсы"])

    def test_news_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertCanNotCreateAt(StandardPage, NewsIndexPage)
        self.assertCanNotCreateAt(Page, NewsIndexPage)

    def test_news_index_is_unique(self):
        # max_count = 1: the home page offers no second news index once /news/ exists.
        self.assertFalse(NewsIndexPage.can_create_at(self.home))

    def test_news_live_in_the_news_index_and_have_no_children(self):
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(StandardPage, NewsPage)

    def test_pages_render(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.index, query_data={"tag": "конкурсы", "year": "2026"})
        self.assertPageIsRenderable(self.index, route_path="/rss/")
        self.assertPageIsRenderable(self.news)

    def test_pages_are_previewable(self):
        user = self.login()
        self.assertPageIsPreviewable(self.index, user=user)
        body = [("paragraph", rich_text("<p>Текст новости для предпросмотра.</p>"))]
        self.client.force_login(user)
        data = preview_post_data(self.client, self.news, body=body)
        self.assertPageIsPreviewable(self.news, post_data=data, user=user)
        self.client.force_login(user)
        self.client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[self.news.pk]), data)
        response = self.client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[self.news.pk]))
        self.assertContains(response, "Текст новости для предпросмотра.")
        self.assertContains(response, "23 ноября 2026")

    def test_news_url_is_under_news(self):
        self.assertEqual(self.index.url, "/news/")
        self.assertTrue(self.news.url.startswith("/news/"))
