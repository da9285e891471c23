"""Files of public submissions live in a collection that only logged-in staff can open."""

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
