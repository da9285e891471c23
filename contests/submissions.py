"""Files of public submissions live in a collection that only logged-in staff can open."""

from django.core.exceptions import ValidationError
from wagtail.models import Collection, CollectionViewRestriction

from core.uploads import detect_format, random_name

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
    """A random file name with the extension of the format detected in the content (core/uploads.py).

    Uploads are often named after their authors («Иванов Петя.jpg»), and an image's file is served
    from /media/ by its name before moderation: neither the name nor the address may give the author
    away or be guessed. The uploaded name's extension is never used: a PNG named `x.html` is `….png`.
    """
    ext = detect_format(upload)
    if ext is None:  # the form's validators refuse such files first
        raise ValidationError("Формат файла не распознан.")
    return random_name(ext)
