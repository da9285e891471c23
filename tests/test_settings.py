"""Production settings refuse to start without their required environment; dev needs nothing; README's
configuration table and the environment variables the settings read are the same list."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-production-secret-for-this-test-0123456789",
    "ALLOWED_HOSTS": "imc.example.ru",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://imc.example.ru",
}


def load_settings(module, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_fails_loudly_without_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_settings("imc_site.settings.production", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_complete_environment_and_uses_redis():
    result = load_settings("imc_site.settings.production", PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django_redis.cache.RedisCache"]


def test_development_needs_no_environment():
    result = load_settings("imc_site.settings.dev", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.core.cache.backends.locmem.LocMemCache"]


def test_unreachable_elasticsearch_falls_back_to_database_search_with_a_warning():
    env = dict(PRODUCTION_ENV, ELASTICSEARCH_URL="http://127.0.0.1:9")
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env, DJANGO_SETTINGS_MODULE="imc_site.settings.production")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wagtail.search.backends.database"
    assert "falls back to the database backend" in result.stderr


# -- README's configuration table and the settings read the same variables --------------------------

SETTINGS_DIR = ROOT / "imc_site" / "settings"
# What an operator runs; test.py is the suite's own (IMC_TEST_DB, IMC_TEST_MEDIA) and not documented.
OPERATOR_SETTINGS = ("base", "dev", "production")
# Read by Django itself before any settings file.
NOT_READ_BY_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
ENV_READERS = {"env", "env_list", "env_int", "env_bool", "required", "getenv"}


def readme_variables() -> set[str]:
    """Every `NAME` in the first column of the table under README's «## Configuration»."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def statically_read_variables() -> set[str]:
    """Names passed as a literal to env()/required()/os.environ.get()/os.environ[...] in the settings."""
    names = set()
    for module in OPERATOR_SETTINGS:
        for node in ast.walk(ast.parse((SETTINGS_DIR / f"{module}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                environ_get = isinstance(func, ast.Attribute) and ast.unparse(func.value).endswith("environ")
                if name in ENV_READERS or environ_get:
                    names.add(node.args[0].value)
            elif (
                isinstance(node, ast.Subscript)
                and ast.unparse(node.value).endswith("environ")
                and isinstance(node.slice, ast.Constant)
            ):
                names.add(node.slice.value)
    return names


# Imports the operator's settings modules again and again in one process: with a baseline
# environment, then with one variable set to each candidate value in turn. A variable "lands" when
# some value changes some setting. Every read of os.environ made from a settings file is recorded.
PROBE = r"""
import importlib, json, os, sys
settings_dir, readme, production_env = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
seen = set()

class RecordingEnviron(dict):
    def _note(self, key):
        caller = sys._getframe(2).f_code.co_filename
        if os.path.dirname(os.path.abspath(caller)) == settings_dir:
            seen.add(key)
    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)
    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)
    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

os.environ = RecordingEnviron()

def load(module, env):
    os.environ.clear()
    os.environ.update(env)
    for name in [m for m in sys.modules if m.startswith("imc_site.settings")]:
        del sys.modules[name]
    mod = importlib.import_module("imc_site.settings." + module)
    return {k: repr(getattr(mod, k)) for k in dir(mod) if k.isupper()}

CANDIDATES = ["4243", "0", "1", "http://127.0.0.1:9/probe4243/", "postgres://probe:probe@127.0.0.1:9/probe4243"]
landed = {}
for module, base_env in (("production", production_env), ("dev", {})):
    baseline = load(module, base_env)
    for name in readme:
        if landed.get(name):
            continue
        for value in CANDIDATES:
            try:
                changed = load(module, dict(base_env, **{name: value})) != baseline
            except Exception:
                continue
            if changed:
                landed[name] = f"{module}: {value}"
                break
print(json.dumps({"seen": sorted(seen), "landed": landed}))
"""


@pytest.fixture(scope="module")
def probe():
    readme = sorted(readme_variables() - NOT_READ_BY_SETTINGS)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(SETTINGS_DIR), json.dumps(readme), json.dumps(PRODUCTION_ENV)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_readme_table_is_parsed_and_documents_the_mail_settings():
    names = readme_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "LOG_LEVEL"} <= names  # the parser finds the table
    assert {"EMAIL_FILE_PATH", "EMAIL_TIMEOUT", "EMAIL_BACKEND"} <= names


def test_every_variable_in_readme_is_read_and_changes_the_settings(probe):
    documented = readme_variables() - NOT_READ_BY_SETTINGS
    assert documented - set(probe["landed"]) == set(), "documented in README but not taken from the environment"


def test_every_variable_the_settings_read_is_in_readme(probe):
    read = statically_read_variables() | set(probe["seen"])
    assert read, "the probe saw no reads at all"
    assert read - readme_variables() == set(), "read by the settings but missing from README's table"


def test_email_file_path_reaches_the_file_backend(tmp_path):
    """The probe's case: the file backend with EMAIL_FILE_PATH from the environment."""
    env = dict(
        PRODUCTION_ENV,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env, DJANGO_SETTINGS_MODULE="imc_site.settings.production")
    code = (
        "import django; django.setup(); from django.conf import settings; from core.mail import build_message; "
        "from core.models import OutgoingEmail; "
        "print(build_message(OutgoingEmail(to='a@school.example', subject='Тема', body='Текст')).send())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    [written] = (tmp_path / "mail").iterdir()
    assert "a@school.example" in written.read_text()
