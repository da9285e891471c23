"""Merging an app's own subject list into core.Subject (issue 10: one vocabulary for the site).

Used by the data migrations events/0002 and methodists/0002 and frozen with them: change it only as
you would change an applied migration (Django's loader skips modules whose name starts with "_").

Each app merges its own list, so neither migration depends on the other app:

* a subject whose name is already in core.Subject (case and spaces ignored) becomes that subject,
  which keeps its code (slug); a new name keeps its own code unless another subject took it
  (then «-2», «-3»… is added). When both lists are merged in one `migrate` the events' list goes
  first (Django applies pending migrations app by app, alphabetically), so the calendar's filter
  and subscription links keep working;
* every reference is re-pointed: the foreign keys and many-to-many rows given, the field in every
  revision of the given page models (drafts, scheduled versions and history stay loadable), the
  admin history of the subjects, Wagtail's reference index (the «Использование» counts);
* the groups' and users' rights on the old model are given on core.Subject, then the old content
  type goes with its permissions and search-index entries.

Nothing is dropped: the old rows are deleted only by the migration's DeleteModel, after all this.
"""

import re

PERMISSION_NAMES = {"add": "Can add", "change": "Can change", "delete": "Can delete", "view": "Can view"}
CORE_VERBOSE_NAME = "Предмет / направление"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _free_slug(slug: str, taken: set[str]) -> str:
    base = slug[:55] or "subject"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def merge_subjects(apps, app_label: str) -> dict[int, int]:
    """{old pk: core.Subject pk} for every subject of `app_label`, creating the missing ones."""
    Old = apps.get_model(app_label, "Subject")
    Subject = apps.get_model("core", "Subject")
    by_name = {_key(subject.name): subject for subject in Subject.objects.all()}
    slugs = set(Subject.objects.values_list("slug", flat=True))
    mapping = {}
    for old in Old.objects.order_by("sort_order", "name", "pk"):
        subject = by_name.get(_key(old.name))
        if subject is None:
            slug = _free_slug(old.slug, slugs)
            subject = Subject.objects.create(name=" ".join(old.name.split()), slug=slug, sort_order=old.sort_order)
            by_name[_key(subject.name)] = subject
            slugs.add(slug)
        mapping[old.pk] = subject.pk
    return mapping


def repoint_foreign_key(apps, app_label: str, model: str, old_field: str, new_field: str, mapping) -> None:
    Model = apps.get_model(app_label, model)
    for old_pk, new_pk in mapping.items():
        Model.objects.filter(**{f"{old_field}_id": old_pk}).update(**{f"{new_field}_id": new_pk})


def repoint_many_to_many(apps, app_label: str, model: str, old_field: str, new_field: str, mapping) -> None:
    Model = apps.get_model(app_label, model)
    old = Model._meta.get_field(old_field)
    new = Model._meta.get_field(new_field)
    old_through, new_through = old.remote_field.through, new.remote_field.through
    source, target = old.m2m_field_name(), old.m2m_reverse_field_name()
    rows = old_through.objects.values_list(f"{source}_id", f"{target}_id")
    new_through.objects.bulk_create(
        [
            new_through(**{f"{new.m2m_field_name()}_id": owner, f"{new.m2m_reverse_field_name()}_id": mapping[pk]})
            for owner, pk in rows
        ],
        ignore_conflicts=True,  # two old subjects merged into one
    )


def repoint_revisions(apps, app_label: str, model: str, field: str, mapping) -> int:
    """The subject ids saved in the revisions of `model` (a foreign key's id or a list of ids)."""
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = _content_type(apps, app_label, model.lower())
    changed = 0
    for revision in Revision.objects.filter(content_type=content_type).only("pk", "content").iterator():
        content = revision.content
        if not isinstance(content, dict) or content.get(field) in (None, [], ""):
            continue
        value = content[field]
        if isinstance(value, list):
            new = list(dict.fromkeys(mapping.get(_int(pk), pk) for pk in value))
        else:
            new = mapping.get(_int(value), value)
        if new != value:
            content[field] = new
            revision.content = content
            revision.save(update_fields=["content"])
            changed += 1
    return changed


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def move_admin_records(apps, app_label: str, mapping) -> None:
    """History, reference index and rights of the old model now belong to core.Subject."""
    old_type = _content_type(apps, app_label, "subject")
    new_type = _content_type(apps, "core", "subject")

    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    for entry in ModelLogEntry.objects.filter(content_type=old_type):
        pk = _int(entry.object_id)
        entry.content_type = new_type
        entry.object_id = str(mapping.get(pk, pk))
        entry.save(update_fields=["content_type", "object_id"])

    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    for reference in ReferenceIndex.objects.filter(to_content_type=old_type):
        pk = _int(reference.to_object_id)
        if pk not in mapping:
            reference.delete()
            continue
        duplicate = ReferenceIndex.objects.filter(
            base_content_type=reference.base_content_type_id,
            object_id=reference.object_id,
            to_content_type=new_type,
            to_object_id=str(mapping[pk]),
            content_path_hash=reference.content_path_hash,
        )
        if duplicate.exists():
            reference.delete()
        else:
            reference.to_content_type = new_type
            reference.to_object_id = str(mapping[pk])
            reference.save(update_fields=["to_content_type", "to_object_id"])

    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=old_type):
        action = re.sub(r"_subject$", "", permission.codename)
        name = f"{PERMISSION_NAMES[action]} {CORE_VERBOSE_NAME}" if action in PERMISSION_NAMES else permission.name
        target, _ = Permission.objects.get_or_create(
            content_type=new_type, codename=permission.codename, defaults={"name": name}
        )
        for group in permission.group_set.all():
            group.permissions.add(target)
        for user in permission.user_set.all():
            user.user_permissions.add(target)

    # The old type's permissions, search-index entries and (empty) references go with it.
    old_type.delete()


def check_constraints_now(schema_editor) -> None:
    """PostgreSQL checks foreign keys at commit; the columns changed here are altered later in the same
    migration, which it refuses while checks are pending («pending trigger events»)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_back(apps, app_label: str) -> dict[int, int]:
    """Reverse: the app's own list again, as a copy of core.Subject with the same ids (so revisions,
    which now hold core's ids, stay right), with the rights on it."""
    Old = apps.get_model(app_label, "Subject")
    Subject = apps.get_model("core", "Subject")
    name_length = Old._meta.get_field("name").max_length
    for subject in Subject.objects.all():
        Old.objects.update_or_create(
            pk=subject.pk,
            defaults={"name": subject.name[:name_length], "slug": subject.slug, "sort_order": subject.sort_order},
        )
    # The groups' and users' rights on the list, back on the app's own model.
    Permission = apps.get_model("auth", "Permission")
    old_type = _content_type(apps, app_label, "subject")
    for permission in Permission.objects.filter(content_type=_content_type(apps, "core", "subject")):
        target, _ = Permission.objects.get_or_create(
            content_type=old_type, codename=permission.codename, defaults={"name": permission.name}
        )
        target.group_set.add(*permission.group_set.all())
        target.user_set.add(*permission.user_set.all())
    return {pk: pk for pk in Subject.objects.values_list("pk", flat=True)}
