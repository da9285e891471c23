"""Vote rows are append-only (PostgreSQL trigger); the «Жюри» group and the organisers' permissions."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION contests_vote_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'contests_vote rows are append-only: DELETE is not allowed (vote %)', OLD.id;
    END IF;
    IF OLD.outcome <> 'pending' THEN
        RAISE EXCEPTION 'contests_vote % is completed (%) and cannot change', OLD.id, OLD.outcome;
    END IF;
    IF NEW.id <> OLD.id OR NEW.contest_id <> OLD.contest_id OR NEW.entry_id <> OLD.entry_id
       OR NEW.nomination_id <> OLD.nomination_id OR NEW.token_hash <> OLD.token_hash
       OR NEW.created_at <> OLD.created_at OR NEW.expires_at <> OLD.expires_at
       OR NEW.subnet_hash <> OLD.subnet_hash OR NEW.ua_hash <> OLD.ua_hash OR NEW.consent_id <> OLD.consent_id THEN
        RAISE EXCEPTION 'contests_vote %: only the completion columns may be set', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS contests_vote_append_only ON contests_vote;
CREATE TRIGGER contests_vote_append_only BEFORE UPDATE OR DELETE ON contests_vote
    FOR EACH ROW EXECUTE FUNCTION contests_vote_append_only();

CREATE OR REPLACE FUNCTION contests_annulment_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'contests_voteannulment rows are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS contests_annulment_append_only ON contests_voteannulment;
CREATE TRIGGER contests_annulment_append_only BEFORE UPDATE OR DELETE ON contests_voteannulment
    FOR EACH ROW EXECUTE FUNCTION contests_annulment_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS contests_vote_append_only ON contests_vote;
DROP FUNCTION IF EXISTS contests_vote_append_only();
DROP TRIGGER IF EXISTS contests_annulment_append_only ON contests_voteannulment;
DROP FUNCTION IF EXISTS contests_annulment_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no params: the SQL's % signs stay as they are
            cursor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP_TRIGGER)


JURY_PERMISSIONS = [("contests", "juryscore", "score_entries")]
ORGANISER_PERMISSIONS = [
    ("contests", "vote", "view_vote_audit"),
    ("contests", "vote", "annul_vote"),
    ("contests", "vote", "export_contest"),
    ("contests", "disposabledomain", "add_disposabledomain"),
    ("contests", "disposabledomain", "change_disposabledomain"),
    ("contests", "disposabledomain", "delete_disposabledomain"),
    ("contests", "disposabledomain", "view_disposabledomain"),
    ("contests", "juryscore", "view_juryscore"),
]
ADMIN_ACCESS = ("wagtailadmin", "admin", "access_admin")
NAMES = {
    "score_entries": "Оценивает конкурсные работы (жюри)",
    "view_vote_audit": "Видит аудит голосования и аномалии",
    "annul_vote": "Может аннулировать голоса",
    "export_contest": "Может выгружать итоги и реестры",
    "add_disposabledomain": "Can add Домен одноразовой почты",
    "change_disposabledomain": "Can change Домен одноразовой почты",
    "delete_disposabledomain": "Can delete Домен одноразовой почты",
    "view_disposabledomain": "Can view Домен одноразовой почты",
    "view_juryscore": "Can view Оценка жюри",
}


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if model == "admin":
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": "Can access Wagtail admin"}
        )
        return permission
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": NAMES.get(codename, codename)}
    )
    return permission


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    jury, _ = Group.objects.get_or_create(name="Жюри")
    jury.permissions.add(_permission(apps, *ADMIN_ACCESS))
    for spec in JURY_PERMISSIONS:
        jury.permissions.add(_permission(apps, *spec))
    organisers, _ = Group.objects.get_or_create(name="Организаторы конкурсов")
    organisers.permissions.add(_permission(apps, *ADMIN_ACCESS))
    for spec in ORGANISER_PERMISSIONS:
        organisers.permissions.add(_permission(apps, *spec))


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
