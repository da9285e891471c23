"""Structured data (schema.org JSON-LD) for search engines, in one place: news as NewsArticle,
calendar events as Event. Templates print it with `{% json_ld structured_data %}` (seo_tags).

core imports no app, so the builders read the pages' attributes by name; the Protocols below say
which (news.NewsPage and events.EventPage have them). Structured data is optional: a missing site
setting gives a default, never an error page.
"""

import json
from datetime import datetime
from typing import Protocol

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .siteurl import public_origin

# Inside <script> nothing may close the element or open a comment: «<», «>» and «&» as \u escapes
# (still the same JSON string for a parser).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",  # no new date yet
}
RESCHEDULED = "https://schema.org/EventRescheduled"  # postponed to a known date
ATTENDANCE_MODE = {
    "offline": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}
VENUE_LOCALITY = "Санкт-Петербург"


def json_ld(data: dict) -> SafeString:
    """`data` as JSON that is safe between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))


def organisation(request) -> dict:
    """The centre as a schema.org Organization, from the site settings (core.context_processors)."""
    from .context_processors import organisation_json_ld

    return organisation_json_ld(request)


# --- news ------------------------------------------------------------------------------------------


class Article(Protocol):
    title: str
    seo_title: str
    last_published_at: datetime | None

    def get_meta_description(self) -> str: ...
    def published_datetime(self) -> datetime: ...
    def get_full_url(self, request=None) -> str: ...


def news_article(page: Article, request, image_url: str = "", tags=()) -> dict:
    """schema.org NewsArticle: headline, dates, the organisation as author and publisher."""
    root = public_origin()
    publisher = organisation(request)
    published = page.published_datetime()
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": (page.seo_title or page.title)[:110],
        "description": page.get_meta_description(),
        "datePublished": published.isoformat(),
        "dateModified": (page.last_published_at or published).isoformat(),
        "inLanguage": "ru",
        "mainEntityOfPage": url,
        "url": url,
        "author": publisher,
        "publisher": {**publisher, "logo": {"@type": "ImageObject", "url": root + "/static/img/logo.svg"}},
    }
    if tags:
        data["keywords"] = ", ".join(tag.name for tag in tags)
    if image_url:
        data["image"] = [image_url]
    return data


# --- events ----------------------------------------------------------------------------------------


class Venue(Protocol):
    name: str
    address: str


class CalendarEvent(Protocol):
    title: str
    lead: str
    search_description: str
    status: str  # a key of EVENT_STATUS
    format: str  # a key of ATTENDANCE_MODE
    all_day: bool
    start: datetime  # as first announced (previousStartDate when postponed)
    postponed_to: datetime | None
    effective_start: datetime
    effective_end: datetime
    venue_id: int | None
    venue: Venue | None
    public_online_url: str  # "" when the link is for registrants only
    organiser_label: str
    audiences: object  # a manager of objects with a .name

    def get_full_url(self, request=None) -> str: ...


def event_data(event: CalendarEvent, request) -> dict:
    """schema.org Event: dates in Moscow time (dates only for an all-day event), status, where (a place,
    a virtual location or both) and for whom. A private online link is never published."""
    tz = timezone.get_default_timezone()
    start = timezone.localtime(event.effective_start, tz)
    end = timezone.localtime(event.effective_end, tz)
    url = event.get_full_url(request)
    status = EVENT_STATUS[event.status]
    if event.status == "postponed" and event.postponed_to:
        status = RESCHEDULED
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.lead or event.search_description,
        "startDate": start.date().isoformat() if event.all_day else start.isoformat(),
        "endDate": end.date().isoformat() if event.all_day else end.isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": ATTENDANCE_MODE[event.format],
        "url": url,
        "organizer": {"@type": "Organization", "name": event.organiser_label}
        if event.organiser_label
        else organisation(request),
    }
    if status == RESCHEDULED:
        data["previousStartDate"] = timezone.localtime(event.start, tz).isoformat()
    locations = []
    if event.venue_id:
        address = {
            "@type": "PostalAddress",
            "streetAddress": event.venue.address,
            "addressLocality": VENUE_LOCALITY,
            "addressCountry": "RU",
        }
        locations.append({"@type": "Place", "name": event.venue.name, "address": address})
    if event.format != "offline":
        locations.append({"@type": "VirtualLocation", "url": event.public_online_url or url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    audiences = [audience.name for audience in event.audiences.all()]
    if audiences:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(audiences)}
    return data
