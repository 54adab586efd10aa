"""Prove that another warehouse gives the same kpi_monthly as DuckDB on the same raw data.

`leadgen engine-check spark --raw-dir DIR --duckdb FILE` builds DIR with
dbt-spark's session method (Spark inside the dbt process, local[2]) in a
throwaway Spark warehouse and metastore (LEADGEN_SPARK_DIR, a temporary
folder), the sources reading DIR's Parquet folders in place; then it
compares marts.kpi_monthly with FILE's, runs dbt once more and compares
again (check_spark).

`leadgen engine-check postgres --raw-dir DIR --duckdb FILE` starts a
throwaway PostgreSQL server (leadgen.pgserver), lands DIR in its `raw`
schema with `leadgen load`, runs `dbt build` there (every model, seed, data
test and unit test), then compares the server's marts.kpi_monthly with the
one in FILE, which a DuckDB build of the same folder wrote.  It also logs in
as the BI role and checks what that role may and may not do.

The comparison (compare_rows): the same keys (kpi_id, period_month,
dimension, dimension_value) on both sides, and in every other column the same
value; numbers may differ by 1e-9 relative (or 1e-9 absolute near zero, the
rounding step of kpi_monthly), since engines add doubles in different orders.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

KEY = ("kpi_id", "period_month", "dimension", "dimension_value")
REL_TOL = 1e-9
ABS_TOL = 1e-9
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Comparison:
    compared: int = 0
    only_reference: list[tuple] = field(default_factory=list)
    only_other: list[tuple] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.only_reference or self.only_other or self.differences)

    def summary(self, reference: str, other: str) -> str:
        lines = [
            f"kpi_monthly: compared {self.compared:,} rows of {other} with {reference}: "
            + ("identical within 1e-9 relative" if self.ok else "DIFFERENT")
        ]
        for row in self.only_reference[:10]:
            lines.append(f"  only in {reference}: {row}")
        for row in self.only_other[:10]:
            lines.append(f"  only in {other}: {row}")
        lines.extend(f"  {d}" for d in self.differences[:20])
        hidden = len(self.only_reference) + len(self.only_other) + len(self.differences) - len(lines) + 1
        if hidden > 0:
            lines.append(f"  ... and {hidden} more")
        return "\n".join(lines)


def _normal(value):
    """One representation per value across drivers: Decimal -> float, datetime.date kept, str kept."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def _same(a, b) -> bool:
    a, b = _normal(a), _normal(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def compare_rows(
    columns: Sequence[str], reference: Sequence[Sequence], other: Sequence[Sequence], other_columns=None
) -> Comparison:
    """Compare two kpi_monthly extracts; `other` may list its columns in another order."""
    other_columns = list(other_columns or columns)
    missing = [c for c in columns if c not in other_columns]
    result = Comparison()
    if missing:
        result.differences.append(f"columns missing on the other engine: {', '.join(missing)}")
        return result
    key_at = [list(columns).index(k) for k in KEY]
    reorder = [other_columns.index(c) for c in columns]

    def keyed(rows, order):
        out = {}
        for row in rows:
            row = [row[i] for i in order]
            key = tuple(_normal(row[i]) for i in key_at)
            if key in out:
                result.differences.append(f"duplicate key {key}")
            out[key] = row

        return out

    ref = keyed(reference, range(len(columns)))
    oth = keyed(other, reorder)
    result.only_reference = sorted(set(ref) - set(oth), key=str)
    result.only_other = sorted(set(oth) - set(ref), key=str)
    for key in sorted(set(ref) & set(oth), key=str):
        result.compared += 1
        for name, a, b in zip(columns, ref[key], oth[key], strict=True):
            if not _same(a, b):
                result.differences.append(f"{key} {name}: {a!r} (reference) != {b!r}")
    return result


def read_duckdb(path: Path) -> tuple[list[str], list[tuple]]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute("select * from marts.kpi_monthly")
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()


def _dbt(args: list[str], env: dict[str, str], target_dir: str) -> int:
    dbt = Path(sys.executable).parent / "dbt"
    cmd = [
        str(dbt),
        *args,
        "--profiles-dir",
        str(REPO),
        "--project-dir",
        str(REPO),
        "--target-path",
        f"target/{target_dir}",
        "--log-path",
        f"logs/{target_dir}",
    ]
    print("+", " ".join(cmd[1:3]), f"(LEADGEN_TARGET={env.get('LEADGEN_TARGET', 'dev')})", flush=True)
    return subprocess.run(cmd, cwd=REPO, env=env).returncode


def _vars_args(dbt_vars: dict | None, **more) -> list[str]:
    """`--vars` with the build's vars and `more` (JSON is YAML), or nothing when both are empty."""
    merged = {**(dbt_vars or {}), **more}
    return ["--vars", json.dumps(merged)] if merged else []


def build_duckdb_reference(raw_dir: Path, duckdb_path: Path, dbt_vars: dict | None = None) -> None:
    """A DuckDB build of raw_dir, for when none exists yet (make test builds it before the engines)."""
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, LEADGEN_TARGET="dev", LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_DUCKDB_PATH=str(duckdb_path))
    if _dbt(["build", *_vars_args(dbt_vars)], env, "duckdb_reference") != 0:
        raise SystemExit(f"engine-check: the DuckDB reference build of {raw_dir} failed")


def _bi_role_checks(server_env: dict[str, str], role: str) -> list[str]:
    """What the BI role may do: read the marts; not read staging or raw, not create tables. Failures, as text."""
    import psycopg2
    from psycopg2 import errors

    from leadgen.pgserver import dsn

    failures = []
    con = psycopg2.connect(dsn(server_env, user=role))
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from marts.kpi_monthly")
            print(f"BI role {role}: reads marts.kpi_monthly ({cur.fetchone()[0]:,} rows)")
        refused = {
            "read staging (personal data)": "select count(*) from staging.stg_crm__leads",
            "read intermediate": "select count(*) from intermediate.int_leads",
            "read raw": "select count(*) from raw.crm_leads",
            "create a table in marts": "create table marts.bi_probe (id integer)",
            "create a table in public": "create table public.bi_probe (id integer)",
            "create a schema": "create schema bi_probe",
        }
        for what, sql in refused.items():
            try:
                with con.cursor() as cur:
                    cur.execute(sql)
                failures.append(f"BI role {role} could {what}")
            except errors.InsufficientPrivilege:
                print(f"BI role {role}: refused to {what}")
    finally:
        con.close()
    return failures


def _read_postgres(con) -> tuple[list[tuple], list[str]]:
    with con.cursor() as cur:
        cur.execute("select * from marts.kpi_monthly")
        return cur.fetchall(), [d[0] for d in cur.description]


def check_postgres(raw_dir: Path, duckdb_path: Path, bi_role: str = "leadgen_bi", dbt_vars: dict | None = None) -> int:
    """Build raw_dir on a throwaway PostgreSQL (with dbt_vars); compare kpi_monthly with DuckDB's."""
    import psycopg2

    from leadgen.load import _identifier, load
    from leadgen.pgserver import dsn, throwaway_server
    from leadgen.systems import tables_read

    bi_role = _identifier(bi_role, "BI role")
    if not duckdb_path.exists():
        print(f"engine-check: no DuckDB reference at {duckdb_path}; building it first", flush=True)
        build_duckdb_reference(raw_dir, duckdb_path, dbt_vars)
    columns, reference = read_duckdb(duckdb_path)
    with throwaway_server() as server:
        print(f"throwaway PostgreSQL on {server['PGHOST']}:{server['PGPORT']}", flush=True)
        env = dict(os.environ, **server, LEADGEN_TARGET="postgres", LEADGEN_RAW_DIR=str(raw_dir))
        admin = psycopg2.connect(dsn(server))
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f"create role {bi_role} login")
        load(raw_dir, dsn=dsn(server), tables=tables_read(dbt_vars or {}))
        if _dbt(["build", *_vars_args(dbt_vars, bi_role=bi_role)], env, "postgres") != 0:
            admin.close()
            print("engine-check: dbt build on PostgreSQL failed", file=sys.stderr)
            return 1
        result = compare_rows(columns, reference, *_read_postgres(admin))
        print(result.summary(f"DuckDB ({duckdb_path})", "PostgreSQL"))
        # a second run takes the incremental paths (is_incremental() branches,
        # delete+insert) on the same data: it must change nothing
        if _dbt(["run", *_vars_args(dbt_vars, bi_role=bi_role)], env, "postgres") != 0:
            admin.close()
            print("engine-check: incremental dbt run on PostgreSQL failed", file=sys.stderr)
            return 1
        rerun = compare_rows(columns, reference, *_read_postgres(admin))
        print(rerun.summary(f"DuckDB ({duckdb_path})", "PostgreSQL after an incremental run"))
        admin.close()
        result.differences.extend(rerun.differences)
        result.only_reference.extend(rerun.only_reference)
        result.only_other.extend(rerun.only_other)
        failures = _bi_role_checks(server, bi_role)
        for failure in failures:
            print(f"engine-check: {failure}", file=sys.stderr)
    return 0 if result.ok and not failures else 1


def _run_results_summary(target_dir: str) -> str:
    """Seconds of dbt's own timing per resource type in the last run_results.json (summed over threads)."""
    import json

    path = REPO / "target" / target_dir / "run_results.json"
    if not path.exists():
        return ""
    totals: dict[str, list[float]] = {}
    for result in json.loads(path.read_text())["results"]:
        kind = result["unique_id"].split(".")[0]
        entry = totals.setdefault(kind, [0, 0.0])
        entry[0] += 1
        entry[1] += result.get("execution_time") or 0.0
    return ", ".join(f"{count} {kind}s {seconds:.0f} s" for kind, (count, seconds) in sorted(totals.items()))


def read_spark_table(warehouse_dir: Path, schema: str, table: str) -> tuple[list[str], list[tuple]]:
    """A table of the Spark warehouse, read from its Parquet files (managed tables live in <schema>.db/<table>).

    Read with pyarrow rather than a second Spark session: the embedded Derby
    metastore admits one process at a time, and the next dbt run needs it.
    """
    import pyarrow.dataset as ds

    location = warehouse_dir / f"{schema}.db" / table
    if not location.is_dir():
        raise SystemExit(f"engine-check: no table {schema}.{table} in the Spark warehouse ({location} is missing)")
    data = ds.dataset(location, format="parquet").to_table()
    columns = data.column_names
    return columns, [tuple(row[c] for c in columns) for row in data.to_pylist()]


def check_spark(raw_dir: Path, duckdb_path: Path, unit_tests: bool = True, dbt_vars: dict | None = None) -> int:
    """Build raw_dir on Spark (session method) in a throwaway warehouse; compare kpi_monthly with DuckDB's."""
    raw_dir = raw_dir.resolve()
    if not duckdb_path.exists():
        print(f"engine-check: no DuckDB reference at {duckdb_path}; building it first", flush=True)
        build_duckdb_reference(raw_dir, duckdb_path, dbt_vars)
    columns, reference = read_duckdb(duckdb_path)
    with tempfile.TemporaryDirectory(prefix="leadgen-spark-") as spark_dir:
        print(f"throwaway Spark warehouse and metastore in {spark_dir}", flush=True)
        env = dict(os.environ, LEADGEN_TARGET="spark", LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_SPARK_DIR=spark_dir)
        warehouse = Path(spark_dir) / "warehouse"
        build = ["build", *_vars_args(dbt_vars)] + ([] if unit_tests else ["--exclude-resource-type", "unit_test"])
        started = time.monotonic()
        if _dbt(build, env, "spark") != 0:
            print("engine-check: dbt build on Spark failed", file=sys.stderr)
            return 1
        print(
            f"dbt {' '.join(build)} on Spark: {time.monotonic() - started:.0f} s wall "
            f"({_run_results_summary('spark')})",
            flush=True,
        )
        spark_columns, spark_rows = read_spark_table(warehouse, "marts", "kpi_monthly")
        result = compare_rows(columns, reference, spark_rows, spark_columns)
        print(result.summary(f"DuckDB ({duckdb_path})", "Spark"))
        # a second run, as on PostgreSQL: on Spark the incremental models are
        # tables (macros/incremental.sql), so it rebuilds them; it must change nothing
        started = time.monotonic()
        if _dbt(["run", *_vars_args(dbt_vars)], env, "spark") != 0:
            print("engine-check: second dbt run on Spark failed", file=sys.stderr)
            return 1
        print(f"dbt run on Spark: {time.monotonic() - started:.0f} s wall", flush=True)
        spark_columns, spark_rows = read_spark_table(warehouse, "marts", "kpi_monthly")
        rerun = compare_rows(columns, reference, spark_rows, spark_columns)
        print(rerun.summary(f"DuckDB ({duckdb_path})", "Spark after a second run"))
    return 0 if result.ok and rerun.ok else 1
