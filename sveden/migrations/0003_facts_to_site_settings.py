"""«Основные сведения» read the organisation's facts from the site settings, their one source (issue 10).

The published facts of /sveden/common/ move into core.SiteSettings (of the site the page belongs to),
then leave the page. Where both held a value and they differ, the page's wins — it is the statement
the monitoring checks — and the settings' old value is printed, so an operator sees what changed.
The phones («(812) 717-04-72; (812) 717-16-04») become the settings' phone and additional phone.
Earlier versions of the page stay in its revisions. Reversible: the facts are copied back.
"""

import re

from django.db import migrations

# page field → settings field
FIELDS = {
    "full_name": "org_full_name",
    "short_name": "org_short_name",
    "reg_date": "reg_date",
    "founder_name": "founder_name",
    "founder_address": "founder_address",
    "founder_phone": "founder_phone",
    "founder_email": "founder_email",
    "founder_site": "founder_site",
    "address": "address",
    "work_time": "work_time",
    "email": "email",
    "address_places": "address_places",
    "branches": "branches",
    "representations": "representations",
    "license": "license",
    "accreditation": "accreditation",
}


def _same(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _digits(phones) -> list[str]:
    return [re.sub(r"\D", "", phone) for phone in phones if phone.strip()]


def _settings_for(apps, page):
    Site = apps.get_model("wagtailcore", "Site")
    SiteSettings = apps.get_model("core", "SiteSettings")
    sites = [site for site in Site.objects.select_related("root_page") if page.path.startswith(site.root_page.path)]
    site = max(sites, key=lambda s: s.root_page.depth) if sites else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    return SiteSettings.objects.get_or_create(site=site)[0]


def forwards(apps, schema_editor):
    SvedenCommonPage = apps.get_model("sveden", "SvedenCommonPage")
    for page in SvedenCommonPage.objects.all():
        settings = _settings_for(apps, page)
        if settings is None:
            continue
        replaced = []
        for page_field, settings_field in FIELDS.items():
            value = (getattr(page, page_field) or "").strip()
            current = getattr(settings, settings_field) or ""
            if not value or _same(value, current):
                continue
            if current.strip():
                replaced.append(f"{settings_field}: «{current}» → «{value}»")
            setattr(settings, settings_field, value)
        phones = [part.strip() for part in re.split(r"[;\n]", page.telephone or "") if part.strip()]
        if phones and _digits(phones) != _digits([settings.phone, settings.phone_extra]):
            old = "; ".join(p for p in (settings.phone, settings.phone_extra) if p)
            if old:
                replaced.append(f"phone: «{old}» → «{'; '.join(phones)}»")
            settings.phone, settings.phone_extra = phones[0], "; ".join(phones[1:])
        settings.save()
        # The page's «Дата последнего обновления» stays what it was: the facts themselves did not change.
        if page.last_published_at:
            type(settings).objects.filter(pk=settings.pk).update(updated_at=page.last_published_at)
        for line in replaced:
            print("\n  /sveden/common/ → Настройки сайта, " + line.replace("\n", " / "), end="")


def backwards(apps, schema_editor):
    SvedenCommonPage = apps.get_model("sveden", "SvedenCommonPage")
    for page in SvedenCommonPage.objects.all():
        settings = _settings_for(apps, page)
        if settings is None:
            continue
        for page_field, settings_field in FIELDS.items():
            max_length = SvedenCommonPage._meta.get_field(page_field).max_length
            value = getattr(settings, settings_field) or ""
            setattr(page, page_field, value[:max_length] if max_length else value)
        page.telephone = "; ".join(p for p in (settings.phone, settings.phone_extra) if p)[:200]
        page.save()


class Migration(migrations.Migration):
    dependencies = [
        ("sveden", "0002_create_sveden"),
        ("core", "0007_organisation_facts"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)] + [
        migrations.RemoveField(model_name="svedencommonpage", name=name) for name in [*FIELDS, "telephone"]
    ]
