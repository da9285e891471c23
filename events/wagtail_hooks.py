"""Admin: vocabularies as snippets, registrations per event with CSV/XLSX export for organisers.
Subjects are core's: one list for the whole site (core/wagtail_hooks.py)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Audience, EventPage, EventType, Registration, Venue


class EventTypeViewSet(SnippetViewSet):
    model = EventType
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "user"
    list_display = ["full_name", "event", "organisation", "email", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["full_name", "email", "organisation"]
    ordering = ["-created_at"]
    menu_label = "Регистрации"


class EventsGroup(SnippetViewSetGroup):
    menu_label = "Календарь"
    menu_icon = "date"
    menu_order = 250
    items = (EventTypeViewSet, AudienceViewSet, VenueViewSet, RegistrationViewSet)


register_snippet(EventsGroup)


@hooks.register("register_admin_urls")
def registration_urls():
    return [
        path("events/<int:page_id>/registrations/", admin_views.registrations, name="events_registrations"),
    ]


class RegistrationsButton(PageMenuItem):
    label = "Регистрации"
    icon_name = "user"
    priority = 45

    @property
    def url(self):
        return reverse("events_registrations", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


def _is_event(page):
    return page.specific_class is EventPage


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name, next_url=None):
    if _is_event(page):
        yield RegistrationsButton(page=page)


@hooks.register("register_page_listing_more_buttons")
def registrations_listing_button(page, user, next_url=None):
    if _is_event(page):
        yield RegistrationsButton(page=page)


@hooks.register("register_sensitive_admin_urls")
def sensitive_urls():
    """The CSV/XLSX of an event's participants (names, e-mails): a recent password first (core/reauth.py)."""
    return ["events_registrations?format"]
