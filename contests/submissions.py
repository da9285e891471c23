"""Files of public submissions live in a collection that only logged-in staff can open."""

import secrets
from pathlib import PurePath

from wagtail.models import Collection, CollectionViewRestriction

SUBMISSIONS_COLLECTION = "Конкурсы: заявки с сайта"


def submissions_collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=SUBMISSIONS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=SUBMISSIONS_COLLECTION)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def anonymous_name(upload) -> str:
    """A random file name with the upload's extension. Uploads are often named after their authors
    («Иванов Петя.jpg»), and an image's file is served from /media/ by its name before moderation:
    neither the name nor the address may give the author away or be guessed."""
    suffix = PurePath(upload.name or "").suffix.lower()[:6]
    return f"{secrets.token_urlsafe(16)}{suffix}"
