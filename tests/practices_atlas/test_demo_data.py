"""The Atlas demo data (practices_atlas/demo_data.py) as a visitor of the catalogue would meet it.

Every facet option leads somewhere, every link resolves, cards fit, nothing points outside the two
video hosts. Plain data: no database needed.
"""

import dataclasses
import re
from collections import Counter
from datetime import date
from urllib.parse import urlsplit

import pytest

from practices_atlas import demo_data as data

PRACTICES = data.PRACTICES
SECTIONS = tuple(data.SECTION_TITLES)
VIDEO_HOSTS = {"vk.com", "vkvideo.ru", "rutube.ru"}


def keys(items):
    return {item.key for item in items}


# facet → (its vocabulary, the values a practice has in it)
FACETS = {
    "type": (keys(data.PRACTICE_TYPES), lambda p: [p.practice_type]),
    "level": (keys(data.LEVELS), lambda p: p.levels),
    "subject": (keys(data.SUBJECTS), lambda p: p.subjects),
    "format": (keys(data.FORMATS), lambda p: [p.format]),
    "target_group": (keys(data.TARGET_GROUPS), lambda p: [p.target_group]),
    "project": (keys(data.PROJECTS), lambda p: [p.project] if p.project else []),
    "cluster": (keys(data.CLUSTERS), lambda p: [p.cluster] if p.cluster else []),
    "organisation": (keys(data.ORGANISATIONS), lambda p: [p.organisation]),
    "year": (set(data.YEARS), lambda p: [p.year]),
}


def strings(value):
    """Every string inside the demo records, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings(item)


ALL_RECORDS = (
    data.PRACTICE_TYPES,
    data.LEVELS,
    data.SUBJECTS,
    data.FORMATS,
    data.TARGET_GROUPS,
    data.PROJECTS,
    data.CLUSTERS,
    data.ORGANISATIONS,
    data.PRACTICES,
    data.COLLECTIONS,
    data.ADOPTIONS,
)


def test_at_least_25_practices_with_distinct_titles_and_slugs():
    assert len(PRACTICES) >= 25
    titles = Counter(p.title.casefold() for p in PRACTICES)
    assert [title for title, n in titles.items() if n > 1] == []
    for items in ALL_RECORDS[:8] + (PRACTICES, data.COLLECTIONS):
        slugs = [item.key for item in items]
        assert len(slugs) == len(set(slugs))
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs), slugs


def test_annotations_fit_cards_and_meta_description():
    for p in PRACTICES:
        assert 100 <= len(p.annotation) <= 500, (p.key, len(p.annotation))
        assert p.annotation == p.annotation.strip()


@pytest.mark.parametrize("facet", FACETS)
def test_every_facet_option_finds_practices(facet):
    """No option of a facet shows «0» on a fresh demo, and each facet offers a real choice."""
    vocabulary, values = FACETS[facet]
    used = Counter(value for p in PRACTICES for value in values(p))
    assert set(used) - vocabulary == set(), "a practice uses a value the vocabulary lacks"
    assert vocabulary - set(used) == set(), "an option nobody uses"
    assert len(used) >= 2


def test_every_vocabulary_name_is_unique_within_it():
    for items in (data.PRACTICE_TYPES, data.LEVELS, data.SUBJECTS, data.FORMATS, data.TARGET_GROUPS):
        names = [item.name for item in items]
        assert len(names) == len(set(names))
    assert len({o.short_name for o in data.ORGANISATIONS}) == len(data.ORGANISATIONS)


def test_organisations_are_complete():
    for o in data.ORGANISATIONS:
        assert o.kind in data.ORGANISATION_KINDS
        assert o.district in (data.CENTRAL, data.MOSKOVSKY)
        assert o.short_name and len(o.full_name) > len(o.short_name)
        if o.number is not None:
            assert f"№ {o.number}" in o.full_name and f"№ {o.number}" in o.short_name
    assert {o.kind for o in data.ORGANISATIONS} == set(data.ORGANISATION_KINDS)


def test_practice_pages_have_every_section_and_file():
    today = date.today()
    for p in PRACTICES:
        for section in SECTIONS:
            paragraphs = getattr(p, section)
            assert 1 <= len(paragraphs) <= 3, (p.key, section)
            assert all(len(text) >= 60 for text in paragraphs), (p.key, section)
        assert p.authors and all(a.name and a.position for a in p.authors)
        assert p.tags and len(p.tags) == len(set(p.tags))
        assert p.attachments
        for a in p.attachments:
            assert a.kind in data.ATTACHMENT_KINDS and a.pages > 0 and a.title
        assert p.status in data.STATUSES
        assert date(p.year, 1, 1) <= p.review_date <= today, p.key
        assert p.levels and p.subjects
        assert len(set(p.levels)) == len(p.levels) and len(set(p.subjects)) == len(p.subjects)
    assert {p.status for p in PRACTICES} == set(data.STATUSES)


def test_where_presented_links_resolve_to_calendar_events():
    from events import demo as events_demo

    event_slugs = {spec[0] for spec in events_demo.EVENTS} | {spec[0] for spec in events_demo.RECURRING}
    materials = [m for c in data.COLLECTIONS for b in c.blocks for m in b.materials]
    presentations = [pr for p in PRACTICES for pr in p.presented_at] + materials
    linked = [pr.event_slug for pr in presentations if pr.event_slug]
    assert len(linked) >= 10
    assert set(linked) - event_slugs == set()
    for pr in presentations:
        assert pr.title
        if pr.held_on:
            assert date(2019, 1, 1) <= pr.held_on <= date.today()


def test_collections_list_published_practices_in_order():
    practices = data.by_key(PRACTICES)
    assert {c.title for c in data.COLLECTIONS} >= {"Дистанционное обучение", "Наставничество"}
    for c in data.COLLECTIONS:
        assert c.intro and c.practices
        assert len(set(c.practices)) == len(c.practices)
        for key in c.practices:
            assert practices[key].status == "published", key
        for block in c.blocks:
            assert block.kind in data.INFO_BLOCK_KINDS
            assert block.hotlines or block.recommendations or block.materials


def test_distance_edition_carries_official_information():
    from methodists import demo as methodists_demo

    edition = data.by_key(data.COLLECTIONS)["distancionnoe-obuchenie-2020"]
    assert edition.edition == "2020"
    kinds = [b.kind for b in edition.blocks]
    assert {"hotlines", "recommendations", "materials"} <= set(kinds)
    hotlines = [h for b in edition.blocks for h in b.hotlines]
    subjects = keys(data.SUBJECTS)
    methodist_slugs = {m["slug"] for m in methodists_demo.METHODISTS}
    assert len({h.subject for h in hotlines}) == len(hotlines) >= 8
    for h in hotlines:
        assert h.subject in subjects
        assert h.methodist_slug in methodist_slugs
        # only the centre's public numbers and address
        assert h.phone in {data.IMC_PHONE, data.IMC_PHONE_EXTRA, data.INFORMATISATION_PHONE}
        assert h.email == data.IMC_EMAIL
        assert h.hours


def test_adoptions_are_one_per_organisation_and_practice():
    practices = data.by_key(PRACTICES)
    organisations = keys(data.ORGANISATIONS)
    pairs = [(a.organisation, a.practice) for a in data.ADOPTIONS]
    assert len(pairs) == len(set(pairs)) >= 3
    for a in data.ADOPTIONS:
        assert a.organisation in organisations
        assert a.practice in practices
        assert practices[a.practice].organisation != a.organisation, "an organisation adopting its own practice"
        assert practices[a.practice].status == "published"
        assert 20 <= len(a.comment) <= 300


def test_no_links_beyond_the_two_video_services():
    texts = [text for records in ALL_RECORDS for text in strings(records)]
    urls = [url for text in texts for url in re.findall(r"(?:https?://|www\.)[^\s«»\"'<>()]+", text, flags=re.I)]
    assert urls, "the demo has its videos"
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https", url
        assert parts.hostname in VIDEO_HOSTS, url
    # nor a bare domain in the text; the only e-mail is the centre's public address
    emails = {m for text in texts for m in re.findall(r"[\w.-]+@[\w.-]+", text)}
    assert emails == {data.IMC_EMAIL}
    bare = [text for text in texts if "://" not in text and "@" not in text]
    assert not [text for text in bare if re.search(r"\b[\w-]+\.(ru|рф|com|org|net|su)\b", text)]


def test_videos_are_placeholder_clips_on_vk_video_or_rutube():
    videos = [p.video for p in PRACTICES if p.video]
    assert len(videos) >= 5
    assert len({v.url for v in videos}) == len(videos)
    hosts = set()
    for v in videos:
        assert v.title
        hosts.add(urlsplit(v.url).hostname)
        assert re.fullmatch(r"https://vkvideo\.ru/video-0+_\d{9}", v.url) or re.fullmatch(
            r"https://rutube\.ru/video/0{28}[0-9a-f]{4}/", v.url
        ), v.url
    assert hosts == {"vkvideo.ru", "rutube.ru"}
