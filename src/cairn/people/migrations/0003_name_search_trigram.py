"""Name search on PostgreSQL: pg_trgm, unaccent, and a trigram index on people's folded names.

Every operation here does nothing on SQLite (the demo), which searches names in Python.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# cairn_fold() is what people.selectors searches: lower case without accents. unaccent() is only
# STABLE (its rules file could change), so an IMMUTABLE wrapper is needed to index it; the rules
# file is fixed for a release. The dictionary and function are named with their schema so the
# index also builds where search_path is empty (pg_restore, autovacuum).
CREATE_FOLD = """
CREATE FUNCTION cairn_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$
"""
# The same expression as people.selectors' search_name(), or the planner cannot use the index.
CREATE_INDEX = """
CREATE INDEX person_name_trgm ON people_person
    USING gin (cairn_fold(given_name || ' ' || family_name || ' ' || other_names) gin_trgm_ops)
"""


class OnPostgreSQL:
    """Django's extension operations do nothing on SQLite going forward, but query PostgreSQL's
    catalogue going back; this makes the way back do nothing on SQLite too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Trigram(OnPostgreSQL, TrigramExtension):
    pass


class Unaccent(OnPostgreSQL, UnaccentExtension):
    pass


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT extnamespace::regnamespace::text FROM pg_extension "
                       "WHERE extname = 'unaccent'")
        (schema,) = cursor.fetchone()
    schema_editor.execute(CREATE_FOLD.format(schema=schema))
    schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_name_trgm")
    schema_editor.execute("DROP FUNCTION IF EXISTS cairn_fold(text)")


class Migration(migrations.Migration):

    dependencies = [("people", "0002_initial")]

    operations = [
        Trigram(),
        Unaccent(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
