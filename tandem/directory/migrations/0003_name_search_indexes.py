"""Trigram indexes for the directory's name search, on PostgreSQL only.

The search is `icontains`, which Django sends to PostgreSQL as
`UPPER(column::text) LIKE UPPER('%word%')`; a GIN trigram index on that same expression
answers it without reading every row. pg_trgm is a trusted extension (PostgreSQL 13+),
so the database owner can install it. Where it is not available, or on SQLite, nothing
is created and the search still works, more slowly on very large directories.
"""

from django.db import migrations

INDEXES = [
    ("directory_household_name_trgm", "directory_household", "name"),
    ("directory_caregiver_given_trgm", "directory_caregiver", "given_name"),
    ("directory_caregiver_family_trgm", "directory_caregiver", "family_name"),
    ("directory_student_given_trgm", "directory_student", "given_name"),
    ("directory_student_family_trgm", "directory_student", "family_name"),
]


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_directory_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
