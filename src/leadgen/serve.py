"""`leadgen publish`: copy the marts of a successful build to a serving file.

BI tools should not open the build warehouse (`$LEADGEN_DUCKDB_PATH`): a
dashboard holding it, even read-only, makes the next `dbt build` fail on
DuckDB's file lock, and the file is written in DuckDB 2's storage format,
which the DuckDB 1.x libraries that many BI drivers bundle cannot read.
So after a build, `make build` runs `leadgen publish`, which

- refuses to publish unless the last dbt invocation succeeded: its
  `target/run_results.json` must exist, come from a command that runs nodes
  (build, run, seed, snapshot, test, retry; not compile or docs generate,
  which prove nothing about the warehouse) and hold no node whose status is
  `error`, `fail`, `runtime error`, `partial success` or `skipped` (a node
  skipped because something upstream failed); `warn` passes.  The refusal
  names the failing nodes.  The warehouse must not have been written more
  than a minute after those results (a dbt killed mid-run writes none and
  leaves the previous ones behind).  A dbt invocation that stops before
  running any node (a parse error) writes no results and leaves the
  warehouse as it was, so publishing then copies the last good build;
- copies every relation of the warehouse's `marts` schema, and nothing else
  (no staging, no intermediate, no seeds), as a table with the same name and
  column types into the default schema (`main`) of a new file beside the
  serving file (`$LEADGEN_SERVING_PATH`, default warehouse/marts.duckdb): the
  file holds the marts and nothing else, so a BI query reads
  `select * from kpi_monthly`, and with the default file name (DuckDB names
  the database after the file) `marts.kpi_monthly` as on PostgreSQL.  It is
  written in
  DuckDB storage version v1.1.0 so DuckDB 1.1 and newer can open it.  A
  column that the raw contract marks as personal data (or a raw row, or a
  normalised email) in a mart stops the publish instead of being served;
- checkpoints and detaches that file (so no `.wal` is left beside it),
  checks its tables and row counts against the warehouse, and moves it over
  the serving file with `os.replace`, an atomic rename.

Readers holding the old serving file keep reading the old marts (they hold
the old file, which the rename unlinks but does not change); a reader that
connects after the rename reads the new ones.  Nothing ever writes to the
serving file in place, so a BI connection on it never blocks a build, and
the build never blocks a reader.  On any failure the temporary file is
removed and the old serving file is left as it was.

Exit 0 when published, 2 when refused or failed, with one line on standard
error.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from leadgen.sql import literal, quoted_identifier

EXIT_OK = 0
EXIT_REFUSED = 2

DEFAULT_SERVING_PATH = Path("warehouse/marts.duckdb")
# The warehouse schema published, and the serving file's schema it lands in.
MARTS_SCHEMA = "marts"
SERVING_SCHEMA = "main"
# The oldest DuckDB storage format the serving file is written in; DuckDB
# 1.1 and every later release read it.
STORAGE_VERSION = "v1.1.0"

# dbt commands whose run_results.json reports nodes run against the warehouse.
BUILDING_COMMANDS = {"build", "run", "seed", "snapshot", "test", "retry"}
# Node statuses that make a build unfit to publish (dbt's RunStatus and TestStatus).
FAILING_STATUSES = {"error", "fail", "runtime error", "partial success", "skipped"}
# dbt writes run_results.json, then closes the warehouse (DuckDB's last checkpoint): a warehouse
# written later than this after its run results was changed by something those results do not
# describe, e.g. a dbt run that was killed before it could write its own.
RUN_RESULTS_GRACE_SECONDS = 60


class PublishError(Exception):
    """Why nothing was published; one line."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def default_serving_path() -> Path:
    return Path(os.environ.get("LEADGEN_SERVING_PATH") or DEFAULT_SERVING_PATH)


def default_run_results() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH") or "target") / "run_results.json"


def pii_columns() -> set[str]:
    """Lower-case names of the raw contract's personal-data columns (the sources' meta pii)."""
    from leadgen.contract import TABLES

    return {column.name.lower() for table in TABLES for column in table.columns if column.pii}


def is_pii_column(name: str, pii: set[str]) -> bool:
    """A personal-data column of the contract, a raw row (carries them as JSON) or a normalised email."""
    lowered = name.lower()
    return lowered in pii or lowered == "raw_row" or lowered.endswith("email_normalized")


def check_paths(warehouse: Path, serving: Path) -> None:
    """The serving path is a file path of its own, never the build warehouse."""
    same = serving.resolve() == warehouse.resolve()
    if not same and serving.exists() and warehouse.exists():
        same = os.path.samefile(serving, warehouse)
    if same:
        raise PublishError(
            f"the serving path LEADGEN_SERVING_PATH={serving} is the build warehouse LEADGEN_DUCKDB_PATH={warehouse}: "
            "BI tools must read a separate file, e.g. warehouse/marts.duckdb"
        )
    if serving.suffix == ".wal" or serving.resolve() == Path(f"{warehouse.resolve()}.wal"):
        raise PublishError(f"the serving path LEADGEN_SERVING_PATH={serving} is a write-ahead log, not a database file")
    if serving.is_dir():
        raise PublishError(f"the serving path LEADGEN_SERVING_PATH={serving} is a folder, not a file")
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}: run dbt build first")


def check_run_results(path: Path, warehouse: Path | None = None) -> int:
    """The last dbt invocation built without failures; the number of nodes it reports."""
    if not path.is_file():
        raise PublishError(f"no dbt run results at {path}: publish only follows a successful dbt build")
    try:
        data = json.loads(path.read_text())
        results = data["results"]
        command = (data.get("args") or {}).get("which")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PublishError(f"cannot read dbt run results {path}: {_one_line(exc)}") from exc
    if command not in BUILDING_COMMANDS:
        raise PublishError(
            f"the last dbt invocation ({path}) was `dbt {command}`, which builds nothing: run dbt build, then publish"
        )
    failing = [r for r in results if str(r.get("status")).lower() in FAILING_STATUSES]
    if failing:
        named = ", ".join(f"{r.get('unique_id')} ({r.get('status')})" for r in failing[:10])
        more = f" and {len(failing) - 10} more" if len(failing) > 10 else ""
        raise PublishError(
            f"the last dbt {command} did not succeed, nothing published: {len(failing)} failing node(s): {named}{more}"
        )
    if not results:
        raise PublishError(f"the last dbt {command} ({path}) ran no node: run dbt build, then publish")
    if warehouse is not None and warehouse.exists():
        if warehouse.stat().st_mtime > path.stat().st_mtime + RUN_RESULTS_GRACE_SECONDS:
            raise PublishError(
                f"the warehouse {warehouse} was written after the last dbt run results ({path}), "
                "e.g. by a dbt run that was interrupted: run dbt build again, then publish"
            )
    return len(results)


def _temp_path(serving: Path) -> Path:
    return serving.with_name(f".{serving.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _columns(con, catalog: str, schema: str) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? order by table_name, column_index",
        [catalog, schema],
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _row_counts(con, catalog: str, schema: str, tables) -> dict[str, int]:
    return {
        t: con.execute(f"select count(*) from {catalog}.{schema}.{quoted_identifier(t)}").fetchone()[0] for t in tables
    }


def write_serving_file(warehouse: Path, target: Path) -> dict[str, int]:
    """Write the marts of `warehouse` to the new file `target`; row count per table.

    The file is checkpointed and detached before this returns, so no .wal is
    left beside it; its tables, column types and row counts are checked
    against the warehouse.
    """
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"attach {literal(str(warehouse))} as wh (read_only)")
        source = _columns(con, "wh", MARTS_SCHEMA)
        if not source:
            raise PublishError(f"the warehouse {warehouse} has no {MARTS_SCHEMA} schema or no table in it")
        pii = pii_columns()
        personal = sorted(f"{t}.{c}" for t, cols in source.items() for c, _ in cols if is_pii_column(c, pii))
        if personal:
            raise PublishError(f"marts hold columns marked as personal data, nothing published: {', '.join(personal)}")
        con.execute(f"attach {literal(str(target))} as serving (storage_version {literal(STORAGE_VERSION)})")
        for table in source:
            con.execute(
                f"create table serving.{SERVING_SCHEMA}.{quoted_identifier(table)} as "
                f"select * from wh.{MARTS_SCHEMA}.{quoted_identifier(table)}"
            )
        expected = _row_counts(con, "wh", MARTS_SCHEMA, source)
        con.execute("checkpoint serving")
        con.execute("detach serving")
        wal = Path(f"{target}.wal")
        if wal.exists():
            raise PublishError(f"{wal} is left after the checkpoint: the serving file would not be self-contained")
        con.execute(f"attach {literal(str(target))} as written (read_only)")
        written = _columns(con, "written", SERVING_SCHEMA)
        if written != source:
            raise PublishError(f"the file written ({target}) does not have the tables and column types of the marts")
        counts = _row_counts(con, "written", SERVING_SCHEMA, written)
        if counts != expected:
            raise PublishError(f"the file written ({target}) does not have the row counts of the marts")
        con.execute("detach written")
        return counts
    finally:
        con.close()


def _drop_stale_wal(serving: Path) -> None:
    """Remove a .wal left beside the old serving file, unless a writer holds that file.

    A new file renamed in beside an old write-ahead log would get that log
    replayed onto it.  Readers never write one; a process that opened the
    serving file read-write (against the README's advice) may have, and
    while it holds the file publishing is refused.
    """
    wal = Path(f"{serving}.wal")
    if not wal.exists():
        return
    import duckdb

    from leadgen.preflight import lock_holder

    try:
        duckdb.connect(str(serving), read_only=True).close()
    except duckdb.Error as exc:
        holder = lock_holder(str(exc))
        who = holder.describe() if holder else _one_line(exc)
        raise PublishError(
            f"the serving file {serving} is open read-write by {who}: BI tools must open it read-only; "
            "close that connection, then publish again"
        ) from exc
    _remove(wal)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish_marts(warehouse: Path, serving: Path, run_results: Path | None) -> dict[str, int]:
    """Check, write aside and swap in; the row count of each table published.

    `run_results=None` skips the check of the last dbt invocation (for
    callers that have checked the build themselves).
    """
    check_paths(warehouse, serving)
    if run_results is not None:
        check_run_results(run_results, warehouse)
    serving.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_path(serving)
    try:
        counts = write_serving_file(warehouse, temp)
        _drop_stale_wal(serving)
        os.replace(temp, serving)
    except BaseException:
        _remove(temp, Path(f"{temp}.wal"))
        raise
    _fsync_dir(serving.parent)
    return counts


def publish(warehouse: Path, serving: Path, run_results: Path | None, out=None, err=None) -> int:
    """`leadgen publish`: one line on success (stdout) or on refusal (stderr); the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        counts = publish_marts(warehouse, serving, run_results)
    except PublishError as exc:
        print(f"publish: {exc}", file=err)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - one line, the temporary file is gone, the old file intact
        print(f"publish: failed, nothing published: {type(exc).__name__}: {_one_line(exc)}", file=err)
        return EXIT_REFUSED
    print(
        f"publish: {len(counts)} tables of schema {MARTS_SCHEMA} ({sum(counts.values()):,} rows) "
        f"from {warehouse} to {serving} (DuckDB storage {STORAGE_VERSION}, readable by DuckDB 1.1 and later)",
        file=out,
    )
    return EXIT_OK
