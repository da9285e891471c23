"""PostgreSQL only: pg_trgm for typo suggestions and the GIN indexes the site search reads.

SQLite (make run) has no tsvector or trigram support; the search view answers from Wagtail's
backend there (search/views.py), so these indexes are simply not made.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX search_entry_title_vector_gin ON search_searchentry USING gin (title_vector)",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_entry_title_vector_gin",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_site_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
