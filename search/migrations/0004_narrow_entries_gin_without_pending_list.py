"""PostgreSQL only: the index table's rows kept narrow and its GIN indexes without a pending list.

- `toast_tuple_target = 128`: a row's text and vectors are stored out of line (TOAST) once the row is
  over ~2 kB, so the main table holds little more than ids, sections, dates and titles. A word lookup
  fetches each matching row (a bitmap heap scan): at 10,000 pages it reads ~400 table pages instead of
  ~1,800, and never the body's vector. The short columns every candidate is counted or filtered by
  (section, its title, the path for view restrictions), those of the page of hits and the title's
  vector (ranked for every title an as-you-type prefix matches) are `STORAGE MAIN`: kept in the row,
  else the target would push them out of line too and each would cost a TOAST lookup per row.
  Existing rows are written once more (a new value of their text) to take the new storage.
- `fastupdate = off` on the GIN indexes (both vectors and the lexicon's trigrams): every search would
  otherwise also scan the list of pending entries, which grows until autovacuum or 4 MB of writes
  flushes it (1–13 ms per word lookup and 4 ms per typo lookup, measured at 10,000 pages after a bulk
  index). Writes add to the index directly instead: a publish costs a little more, a search never does.
"""

from django.db import migrations

IN_ROW = ("section", "section_title", "kind", "title", "url", "path", "title_vector")
FORWARD = [
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 128), "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in IN_ROW),
    "ALTER INDEX search_entry_vector_gin SET (fastupdate = off)",
    "ALTER INDEX search_entry_title_vector_gin SET (fastupdate = off)",
    "ALTER INDEX search_word_trgm SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('search_entry_vector_gin'::regclass)",
    "SELECT gin_clean_pending_list('search_entry_title_vector_gin'::regclass)",
    "SELECT gin_clean_pending_list('search_word_trgm'::regclass)",
    "UPDATE search_searchentry SET text = text || ''",
    "ANALYZE search_searchentry",
]
BACKWARD = [
    "ALTER INDEX search_word_trgm RESET (fastupdate)",
    "ALTER INDEX search_entry_title_vector_gin RESET (fastupdate)",
    "ALTER INDEX search_entry_vector_gin RESET (fastupdate)",
    "ALTER TABLE search_searchentry RESET (toast_tuple_target), "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in IN_ROW),
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_editor_rights")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
