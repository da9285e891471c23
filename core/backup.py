"""Backups that restore: a database dump and its row counts taken from one snapshot, and the check a
restore drill runs against them.

The counts are what the drill compares, so they must describe exactly what the dump holds: both come
from one exported PostgreSQL snapshot (`pg_dump --snapshot`), so a vote confirmed while the dump runs is
in both or in neither. Every model of every installed app is counted — nothing is listed by name, so a
new app's tables are covered the day they appear — and every file a model points to must be in the
media copy.
"""

import json
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection, models, transaction


def _tables() -> list[tuple[str, str]]:
    """(label, table) of every concrete, managed model, auto-created many-to-many tables included."""
    seen, result = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        result.append((meta.label_lower, meta.db_table))
    return sorted(result)


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for label, table in _tables():
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 — table names from the models
            counts[label] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    """libpq arguments for the default database (password by environment, never on the command line)."""
    settings = connection.settings_dict
    args = ["-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = {"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {}
    return args, env


def dump(target: Path) -> dict[str, int]:
    """`target/database.dump` (pg_dump custom format) and `target/manifest.json` from one snapshot."""
    import os

    if connection.vendor != "postgresql":
        raise RuntimeError("Резервное копирование поддерживается только для PostgreSQL.")
    target.mkdir(parents=True, exist_ok=True)
    args, env = _pg_env()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        subprocess.run(  # noqa: S603 — arguments from settings
            [  # noqa: S607 — pg_dump from PATH, as the operator installed it
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target / 'database.dump'}",
                *args,
            ],
            check=True,
            env={**os.environ, **env},
        )
        counts = row_counts()
    (target / "manifest.json").write_text(json.dumps({"rows": counts}, ensure_ascii=False, indent=1))
    return counts


def missing_files(media_root: Path) -> list[str]:
    """Files that rows point to but the media copy lacks."""
    missing = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            names = model._default_manager.exclude(**{field: ""}).values_list(field, flat=True)
            missing += [
                f"{model._meta.label_lower}.{field}: {name}" for name in names if not (media_root / name).is_file()
            ]
    return missing


def compare(manifest: dict, media_root: Path | None) -> tuple[list[str], list[str]]:
    """(report lines, problems): the restored database's counts against the manifest, then the files."""
    expected, actual = manifest["rows"], row_counts()
    lines, problems = [], []
    for label in sorted(set(expected) | set(actual)):
        want, got = expected.get(label), actual.get(label)
        if want != got:
            problems.append(f"{label}: в копии {want}, восстановлено {got}")
        elif got:
            lines.append(f"{label:<45} {got:>8}")
    if media_root is not None:
        problems += [f"нет файла {entry}" for entry in missing_files(media_root)]
    return lines, problems
