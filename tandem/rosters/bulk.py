"""Writing many rows at once for the roster import: INSERT … ON CONFLICT DO UPDATE.

Django's bulk_create writes the same SQL but compiles it value by value, and psycopg then
quotes every value in Python; for a 100,000-user roster that is most of the import's
time. Rows here are plain values already validated by the roster parsers, so:
- on PostgreSQL they are streamed with COPY (into a temporary table first when existing
  rows may be updated, then merged with one INSERT … SELECT … ON CONFLICT);
- on SQLite, which runs in this process, they go through executemany.
Django converts the values of the fields that need it (dates, JSON), and its backend
operations write the conflict clause, so the SQL is what bulk_create would write.
"""

from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.utils import timezone

CONVERTED = {"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField"}


def write_rows(
    model: type[Model],
    rows: Sequence[dict],
    *,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
) -> None:
    """Insert `rows` (attribute name → value: `household_id`, not `household`), or
    update `update_fields` of the existing row on a `unique_fields` conflict.

    Every row gives the same fields; the others take their default. auto_now and
    auto_now_add fields are set to now, and auto_now ones kept current on update.
    Callers read back the ids they need by a natural key.
    """
    if not rows:
        return
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):
        raise ValueError(f"rows for {model.__name__} do not all give the same fields")
    # The connection itself, not the thread-local proxy: it is asked for many values.
    connection = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = [field for field in fields if field.attname in keys and not _is_automatic(field)]
    left_out = [field for field in fields if field not in given]
    if unknown := keys - {field.attname for field in given}:
        raise ValueError(f"{model.__name__} has no field {sorted(unknown)[0]}")
    constants = tuple(_default(field, now, connection) for field in left_out)
    names = [field.attname for field in given]
    conversions = [
        (index, _converter(field, connection))
        for index, field in enumerate(given)
        if field.get_internal_type() in CONVERTED
    ]
    values = []
    for row in rows:
        params = [row[name] for name in names]
        for index, convert in conversions:
            params[index] = convert(params[index])
        params.extend(constants)
        values.append(params)
    columns = given + left_out
    suffix = ""
    if unique_fields:
        auto_now = [field.column for field in fields if getattr(field, "auto_now", False)]
        suffix = connection.ops.on_conflict_suffix_sql(
            columns,
            OnConflict.UPDATE,
            [model._meta.get_field(name).column for name in update_fields] + auto_now,
            [model._meta.get_field(name).column for name in unique_fields],
        )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(field.column) for field in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _copy(connection, table, column_list, values, suffix)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            # Quoted names from the model's metadata only; every value is a parameter.
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders}) {suffix}"  # noqa: S608
            cursor.executemany(sql, values)


def _copy(connection, table: str, columns: str, values: list[list], suffix: str) -> None:
    import psycopg

    with psycopg.Cursor(connection.connection) as cursor:
        if not suffix:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        staging = "roster_staging"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} {suffix}"  # noqa: S608
        )
        cursor.execute(f"DROP TABLE {staging}")


def _is_automatic(field: Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _default(field: Field, now, connection):
    """A field's value when rows leave it out: the import's time for automatic
    timestamps (like Django's pre_save), else its default, as the database takes it."""
    value = now if _is_automatic(field) else field.get_default()
    if field.get_internal_type() in CONVERTED:
        return field.get_db_prep_save(value, connection)
    return value


def _converter(field: Field, connection) -> Callable:
    """Django's conversion of one field's values; rows often share one value (the
    import's time), converted once."""
    last: list = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert
