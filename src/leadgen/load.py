"""Land the raw Parquet folders in a PostgreSQL `raw` schema, as an ELT loader would.

`leadgen load --raw-dir DIR` reads every table of the raw contract from
DIR/<table>/*.parquet and copies it into <schema>.<table> on the server the
usual libpq variables name (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).

- Types come from the contract (src/leadgen/contract.py): a contract column is
  created with the contract's type and each value is cast to it on the way;
  a value that does not cast stops the load with the table and column named.
  Columns a file carries beyond the contract (a CRM's custom fields) are
  landed too, with the type the Parquet files give them, so that passthrough
  vars find them as on DuckDB.
- Streamed: DuckDB reads the files and hands over Arrow batches of
  --batch-rows rows; each batch goes to the server with COPY, so memory stays
  flat whatever the table's size.
- Each table is replaced in one transaction (written to a new table first,
  then renamed into place, or, when the table exists, copied into it so that
  views on it survive): a reader or a failed load never sees half a table.
  Folders that hold no Parquet file are skipped with a message; dbt then
  fails on the missing source, as it would on DuckDB.
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from leadgen.contract import TABLES, Table
from leadgen.sql import literal

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# Contract types as PostgreSQL names them.
PG_TYPES = {
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DOUBLE": "double precision",
    "DECIMAL(18,2)": "numeric(18,2)",
}

# DuckDB types of columns outside the contract, as PostgreSQL names them; any
# other type lands as text.
_EXTRA_TYPES = {
    "VARCHAR": ("VARCHAR", "text"),
    "BOOLEAN": ("BOOLEAN", "boolean"),
    "TINYINT": ("INTEGER", "integer"),
    "SMALLINT": ("INTEGER", "integer"),
    "INTEGER": ("INTEGER", "integer"),
    "BIGINT": ("BIGINT", "bigint"),
    "FLOAT": ("DOUBLE", "double precision"),
    "DOUBLE": ("DOUBLE", "double precision"),
    "DATE": ("DATE", "date"),
    "TIMESTAMP": ("TIMESTAMP", "timestamp"),
    "TIMESTAMP_NS": ("TIMESTAMP", "timestamp"),
    "TIMESTAMP_MS": ("TIMESTAMP", "timestamp"),
    "TIMESTAMP_S": ("TIMESTAMP", "timestamp"),
}


class LoadError(RuntimeError):
    """A table could not be landed; the message names it."""


def _identifier(name: str, what: str) -> str:
    if not IDENTIFIER.match(name):
        raise LoadError(f"{what} {name!r} is not a plain lowercase SQL identifier ([a-z_][a-z0-9_]*)")
    return name


def _columns(con: duckdb.DuckDBPyConnection, table: Table, files: str) -> list[tuple[str, str, str]]:
    """(name, DuckDB cast type, PostgreSQL type) of each column the table's files hold, contract first."""
    described = con.execute(f"describe select * from read_parquet({files}, union_by_name = true)").fetchall()
    in_files = {row[0]: str(row[1]).upper() for row in described}
    columns = []
    for col in table.columns:
        if col.name in in_files:
            duck_type = "DECIMAL(18,2)" if col.type.startswith("DECIMAL") else col.type
            columns.append((col.name, duck_type, PG_TYPES[col.type]))
    for name, duck_type in in_files.items():
        if name in table.column_names:
            continue
        if not IDENTIFIER.match(name):
            raise LoadError(f"{table.name}: column {name!r} of the Parquet files is not a plain lowercase identifier")
        columns.append((name, *_EXTRA_TYPES.get(duck_type, ("VARCHAR", "text"))))
    return columns


def _csv_chunks(batches: Iterable[pa.RecordBatch]) -> Iterable[bytes]:
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    for batch in batches:
        buffer = io.BytesIO()
        pacsv.write_csv(pa.Table.from_batches([batch]), buffer, write_options=options)
        yield buffer.getvalue()


def load_table(con: duckdb.DuckDBPyConnection, pg, table: Table, raw_dir: Path, schema: str, batch_rows: int) -> int:
    folder = raw_dir / table.name
    if not any(folder.glob("*.parquet")):
        print(f"  {table.name}: no Parquet file in {folder}, skipped", file=sys.stderr)
        return 0
    files = literal(str(folder / "*.parquet"))
    columns = _columns(con, table, files)
    # Non-finite doubles must reach the server as values PostgreSQL reads back
    # (NaN, Infinity), and empty strings must stay distinct from nulls:
    # COPY's CSV reads an unquoted empty field as null and "" as ''.
    select_list = []
    for name, duck_type, _ in columns:
        value = f"cast({name} as {duck_type})"
        if duck_type == "DOUBLE":
            value = (
                f"case when isnan({value}) then 'NaN' when isinf({value}) and {value} > 0 then 'Infinity' "
                f"when isinf({value}) then '-Infinity' else cast({value} as varchar) end"
            )
        select_list.append(f"{value} as {name}")
    query = f"select {', '.join(select_list)} from read_parquet({files}, union_by_name = true)"
    staging_name = f"{table.name}__loading"
    column_ddl = ", ".join(f"{name} {pg_type}" for name, _, pg_type in columns)
    column_list = ", ".join(name for name, _, _ in columns)
    rows = 0
    try:
        reader = con.sql(query).to_arrow_reader(batch_rows)
        with pg.cursor() as cur:
            cur.execute(f"drop table if exists {schema}.{staging_name}")
            cur.execute(f"create table {schema}.{staging_name} ({column_ddl})")
            for chunk in _csv_chunks(_batches(reader)):
                cur.copy_expert(
                    f"copy {schema}.{staging_name} ({column_list}) from stdin with (format csv)",
                    io.BytesIO(chunk),
                )
            cur.execute(f"select count(*) from {schema}.{staging_name}")
            rows = cur.fetchone()[0]
            _swap_in(cur, schema, staging_name, table.name)
        pg.commit()
    except duckdb.ConversionException as exc:
        pg.rollback()
        culprits = _columns_not_fitting(con, files, columns)
        raise LoadError(
            f"{table.name}: values of {', '.join(culprits) or 'a column'} do not fit the raw contract's type: "
            f"{' '.join(str(exc).split())}"
        ) from exc
    except (duckdb.Error, LoadError) as exc:
        pg.rollback()
        raise LoadError(f"{table.name}: {exc}") from exc
    except Exception as exc:  # psycopg2 errors: name the table, keep the server's message
        pg.rollback()
        raise LoadError(f"{table.name}: the server refused the rows: {str(exc).strip()}") from exc
    return rows


def _pg_columns(cur, schema: str, name: str) -> dict[str, str]:
    cur.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute "
        "where attrelid = to_regclass(%s) and attnum > 0 and not attisdropped order by attnum",
        [f"{schema}.{name}"],
    )
    return dict(cur.fetchall())


def _swap_in(cur, schema: str, loaded: str, name: str) -> None:
    """Make the loaded rows the table's rows, in the caller's transaction.

    A new table is renamed into place.  An existing one keeps its identity,
    because views (dbt's staging views among them) depend on it: it is
    emptied and refilled, with columns that appeared in the files added.  A
    column whose type changed cannot be refilled under those views; the
    error names it.
    """
    existing = _pg_columns(cur, schema, name)
    if not existing:
        cur.execute(f"alter table {schema}.{loaded} rename to {name}")
        return
    incoming = _pg_columns(cur, schema, loaded)
    changed = [f"{c} ({existing[c]} -> {t})" for c, t in incoming.items() if c in existing and existing[c] != t]
    if changed:
        raise LoadError(
            f"{schema}.{name} exists with other column types: {', '.join(changed)}; drop it (and the views on it, "
            "which dbt rebuilds) to land the new types"
        )
    for column, pg_type in incoming.items():
        if column not in existing:
            cur.execute(f"alter table {schema}.{name} add column {column} {pg_type}")
    column_list = ", ".join(incoming)
    cur.execute(f"truncate table {schema}.{name}")
    cur.execute(f"insert into {schema}.{name} ({column_list}) select {column_list} from {schema}.{loaded}")
    cur.execute(f"drop table {schema}.{loaded}")


def _columns_not_fitting(con: duckdb.DuckDBPyConnection, files: str, columns) -> list[str]:
    """The columns (with the contract type) holding a value that does not cast to it."""
    culprits = []
    for name, duck_type, _ in columns:
        bad = con.execute(
            f"select count(*) from read_parquet({files}, union_by_name = true) "
            f"where {name} is not null and try_cast({name} as {duck_type}) is null"
        ).fetchone()[0]
        if bad:
            culprits.append(f"{name} ({duck_type}, {bad} rows)")
    return culprits


def _batches(reader) -> Iterable[pa.RecordBatch]:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return


def load(
    raw_dir: Path, schema: str = "raw", batch_rows: int = 100_000, tables: list[str] | None = None, dsn: str = ""
) -> int:
    """Land every contract table (or those named); return the number of rows landed.

    `dsn` is a libpq connection string; empty, libpq reads the PG* variables."""
    import psycopg2

    schema = _identifier(schema, "schema")
    if not raw_dir.is_dir():
        raise LoadError(f"raw folder {raw_dir} does not exist")
    chosen = [t for t in TABLES if tables is None or t.name in tables]
    try:
        pg = psycopg2.connect(dsn)
    except psycopg2.Error as exc:
        raise LoadError(f"cannot connect to PostgreSQL (PGHOST, PGPORT, PGUSER, PGDATABASE): {exc}") from exc
    con = duckdb.connect()
    total = 0
    try:
        with pg.cursor() as cur:
            cur.execute(f"create schema if not exists {schema}")
        pg.commit()
        for table in chosen:
            started = time.perf_counter()
            rows = load_table(con, pg, table, raw_dir, schema, batch_rows)
            total += rows
            print(f"  {schema}.{table.name}: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    finally:
        con.close()
        pg.close()
    return total
