"""Editors' groups and how page permissions reach the content sections.

Groups are created by the data migration core/0003_editor_groups:

* «Редакторы» — add, edit, publish, lock on the whole site (the HomePage subtree), approve moderation;
* «Методисты» — add and edit pages (never publish) only inside the content sections below; their
  changes go to moderation. No permission on the home page itself or on /sveden/;
* «Организаторы конкурсов» — admin access and the outgoing mail log; contests add their own;
* «Администраторы» — everything on the page tree, collections, users and settings.

The content sections (news, events, atlas, safe internet, contests, methodists) are created later —
by `load_demo` or by an editor — so the methodists' permission cannot be attached in the migration.
Instead a *section* is any direct child of the site's home page whose model belongs to an app whose
AppConfig sets `methodist_section = True`; when such a page is published (page_published, connected in methodists/apps.py) the group
gets add+change on it, and `manage.py grant_section_permissions` does the same for existing sites.
The rule follows the page tree, not model names, so a new section app only sets that attribute.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupPagePermission, Page, Site

METHODISTS = "Методисты"
EDITORS = "Редакторы"
CONTEST_ORGANISERS = "Организаторы конкурсов"
ADMINISTRATORS = "Администраторы"

METHODIST_PAGE_PERMISSIONS = ("add_page", "change_page")


def methodist_section_apps() -> set[str]:
    """Labels of the apps whose top-level pages open to «Методисты» (`methodist_section` on the AppConfig)."""
    return {config.label for config in apps.get_app_configs() if getattr(config, "methodist_section", False)}


def section_pages():
    """Direct children of every site's root page that belong to a methodists' content section."""
    section_apps = methodist_section_apps()
    result = []
    for site in Site.objects.select_related("root_page"):
        for child in site.root_page.get_children().select_related("content_type"):
            if child.content_type.app_label in section_apps:
                result.append(child)
    return result


def is_section_page(page) -> bool:
    if page.content_type.app_label not in methodist_section_apps():
        return False
    parent = page.get_parent()
    return parent is not None and Site.objects.filter(root_page=parent).exists()


def grant_methodists(page) -> int:
    """Gives «Методисты» add+change (never publish) on a section subtree; returns permissions added."""
    group = Group.objects.filter(name=METHODISTS).first()
    if group is None:
        return 0
    page_type = ContentType.objects.get_for_model(Page)
    added = 0
    for codename in METHODIST_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        _, created = GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        added += int(created)
    return added


def grant_all_sections() -> int:
    return sum(grant_methodists(page) for page in section_pages())


def on_page_published(sender, instance, **kwargs):
    """page_published receiver: a newly published section page opens to the methodists."""
    page = instance
    if is_section_page(page):
        grant_methodists(page)
