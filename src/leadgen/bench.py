"""`leadgen bench`: how long the dbt build takes, against floors measured in the same run.

    bench(scales=[1, 10], seed=42, work_dir=..., results_dir=...)

For each scale, on a clean generated data set (no faults):

1. generate the raw data (timed);
2. a full ``dbt build`` into a fresh DuckDB file: wall time, peak memory, the
   time dbt's threads spent in models and in tests (from run_results.json) and
   the five slowest models;
3. the incremental run: one more day of loads lands as a second file per
   table (``part-1.parquet``, see ``append_next_day``) and the scheduled daily
   run (``DAILY_BUILD_FLAGS``: ``dbt build`` without unit tests) runs on the
   same warehouse;
4. two floors: (a) DuckDB reading every column of every raw file once
   (``create table as select *`` per table into a scratch DuckDB file, same
   thread count as dbt) and (b) dbt's own overhead, the same ``dbt build`` on
   a data set of empty Parquet files with the contract's schema;
5. one line of figures per scale on stdout and all figures in
   ``<results_dir>/<YYYY-MM-DD>-<scale>.json``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# dbt and DuckDB get the thread count of the CI machine the targets are set for.
THREADS = 2

# Tables whose rows are immutable facts (events, log entries): every row loaded
# on the new day is a new record.
EVENT_TABLES = (
    "crm_lead_stage_changes", "crm_lead_assignments", "crm_activities", "web_events",
    "email_events", "newsletter_subscriptions", "product_events", "referral_invites",
    "billing_invoices",
)
# Tables of records that change over time, with the column that says when a
# record was created: a row loaded on the new day is a new record when it was
# created that day, otherwise an update of a record the warehouse already has
# (a re-delivery of its key, the newest copy wins).
CREATED_AT = {
    "crm_leads": "created_at",
    "crm_accounts": "created_at",
    "crm_deals": "created_at",
    "app_users": "signed_up_at",
}
NEW_KEY_SUFFIX = "-n1"

RESOURCE_TYPES = ("model", "test", "unit_test", "seed", "snapshot")

# The scheduled run after new loads: models, seeds and data tests.  Unit tests
# check SQL logic against fixed inputs, so they belong to CI and development,
# not to a run whose inputs are new data (dbt's own advice for production).
DAILY_BUILD_FLAGS = ["--exclude-resource-type", "unit_test"]

_MAXRSS_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    kib //= 1024  # bytes there
open(sys.argv[1], "w").write(str(kib))
sys.exit(code)
"""


def default_project_dir() -> Path:
    """The dbt project this package sits in, else the working directory."""
    repo = Path(__file__).resolve().parents[2]
    return repo if (repo / "dbt_project.yml").exists() else Path.cwd()


def scale_label(scale: float) -> str:
    return f"{scale:g}"


# --------------------------------------------------------------------------- measuring


def _psutil():
    try:
        import psutil
    except ImportError:
        return None
    return psutil


def run_measured(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Run cmd; return exit code, wall seconds, peak memory (MiB) and the output's tail.

    With psutil the resident memory of the whole process tree is summed every
    50 ms; without it a small wrapper process reports getrusage(RUSAGE_CHILDREN)
    .ru_maxrss, the exact peak of the largest process below it (dbt runs
    DuckDB in-process, so that is dbt).
    """
    psutil = _psutil()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "out.log"
        with open(log_path, "w") as log:
            if psutil is not None:
                method = "psutil: sum of RSS over the dbt process tree, polled every 50 ms"
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
                peak = 0
                root = psutil.Process(proc.pid)
                while proc.poll() is None:
                    try:
                        tree = [root, *root.children(recursive=True)]
                        rss = 0
                        for p in tree:
                            try:
                                rss += p.memory_info().rss
                            except psutil.Error:
                                pass
                        peak = max(peak, rss)
                    except psutil.Error:
                        pass
                    time.sleep(0.05)
                seconds = time.perf_counter() - start
                peak_mib = peak / 2**20
            else:
                method = "getrusage(RUSAGE_CHILDREN).ru_maxrss: peak RSS of the largest process (dbt)"
                rss_file = Path(tmp) / "maxrss"
                start = time.perf_counter()
                proc = subprocess.Popen([sys.executable, "-c", _MAXRSS_WRAPPER, str(rss_file), *cmd],
                                        env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
                proc.wait()
                seconds = time.perf_counter() - start
                peak_mib = int(rss_file.read_text()) / 1024 if rss_file.exists() else None
        output = log_path.read_text(errors="replace")
    return {
        "returncode": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_memory_mib": None if peak_mib is None else round(peak_mib, 1),
        "memory_method": method,
        "output_tail": output[-3000:],
    }


def summarise_run_results(path: Path, slowest: int = 5) -> dict:
    """Thread-seconds per resource type, node counts, statuses and the slowest models."""
    body = json.loads(path.read_text())
    seconds = {kind: 0.0 for kind in RESOURCE_TYPES}
    counts = {kind: 0 for kind in RESOURCE_TYPES}
    statuses: dict[str, int] = {}
    models, problems = [], []
    for result in body["results"]:
        kind = result["unique_id"].split(".", 1)[0]
        seconds[kind] = seconds.get(kind, 0.0) + (result.get("execution_time") or 0.0)
        counts[kind] = counts.get(kind, 0) + 1
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        if result["status"] in ("fail", "error", "warn"):
            problems.append({"node": result["unique_id"], "status": result["status"],
                             "message": (result.get("message") or "")[:300]})
        if kind == "model":
            models.append((result["unique_id"].rsplit(".", 1)[-1], result.get("execution_time") or 0.0))
    models.sort(key=lambda m: -m[1])
    return {
        "elapsed_time_s": round(body.get("elapsed_time") or 0.0, 2),
        "seconds_by_type": {k: round(v, 2) for k, v in seconds.items()},
        "nodes_by_type": counts,
        "statuses": statuses,
        "slowest_models": [{"model": name, "seconds": round(sec, 2)} for name, sec in models[:slowest]],
        "problems": problems,
    }


# --------------------------------------------------------------------------- data


def _raw_tables(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.iterdir() if p.is_dir() and any(p.glob("*.parquet")))


def count_raw_rows(raw_dir: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for t in _raw_tables(raw_dir) for f in t.glob("*.parquet"))


def append_next_day(raw_dir: Path, scale: float, seed: int, as_of: dt.date, scratch: Path) -> dict[str, int]:
    """Land one more day of loads: raw_dir/<table>/part-1.parquet. Returns rows appended per table.

    The generator is run again with the as-of date one day later (same scale
    and seed) and only its rows with a ``_loaded_at`` on that new day are
    kept: one day's worth of deliveries, in volume and shape as the generator
    makes them.  That second world is not a continuation of the first (its
    random draws differ), so identifiers are reconciled: a row of an event
    table (EVENT_TABLES), or of an entity table (CREATED_AT) created on the
    new day, is a new record and its key gets the suffix NEW_KEY_SUFFIX, as
    does every reference to it among the appended rows (and web session ids,
    which are new sessions).  Other entity rows keep their key: they are
    updates of records the warehouse holds, re-delivered.  Tables keyed by
    date (ad_spend, social_post_metrics, fx_rates, marketing_expenses) keep
    theirs too: a new report day, or a restatement of a recent one, which is
    what the platforms send.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from leadgen.contract import TABLES_BY_NAME
    from leadgen.generate import generate

    next_day = as_of + dt.timedelta(days=1)
    day_start = pa.scalar(dt.datetime.combine(next_day, dt.time()), pa.timestamp("us"))
    generate(scratch, scale=scale, seed=seed, as_of=next_day)

    new_rows: dict[str, pa.Table] = {}
    new_keys: set[str] = set()
    for folder in _raw_tables(scratch):
        table = pq.read_table(folder)
        table = table.filter(pc.greater_equal(table["_loaded_at"], day_start.cast(table.schema.field("_loaded_at").type)))
        new_rows[folder.name] = table
        key = TABLES_BY_NAME[folder.name].key
        if len(key) != 1 or table.num_rows == 0:
            continue
        if folder.name in EVENT_TABLES:
            fresh = table
        elif folder.name in CREATED_AT:
            created = table[CREATED_AT[folder.name]]
            fresh = table.filter(pc.fill_null(pc.greater_equal(created, day_start.cast(created.type)), False))
        else:
            continue
        new_keys.update(v for v in fresh[key[0]].to_pylist() if v)

    renamed = pa.array(sorted(new_keys), pa.string())
    counts = {}
    for name, table in new_rows.items():
        columns = []
        for field, column in zip(table.schema, table.columns):
            if pa.types.is_string(field.type) and (field.name.endswith("_id") or field.name == "session_id"):
                suffixed = pc.binary_join_element_wise(column, NEW_KEY_SUFFIX, "")
                rename = pc.is_in(column, value_set=renamed)
                if field.name == "session_id" and name == "web_events":
                    rename = pc.is_valid(column)
                column = pc.if_else(rename, suffixed, column)
            columns.append(column)
        table = pa.Table.from_arrays(columns, schema=table.schema)
        counts[name] = table.num_rows
        if table.num_rows:
            pq.write_table(table, raw_dir / name / "part-1.parquet")
    return counts


def write_empty_copy(raw_dir: Path, empty_dir: Path) -> None:
    """The same tables and schemas as raw_dir, with no rows."""
    import pyarrow.parquet as pq

    for folder in _raw_tables(raw_dir):
        schema = pq.read_schema(next(folder.glob("*.parquet")))
        (empty_dir / folder.name).mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), empty_dir / folder.name / "part-0.parquet")


def read_floor(raw_dir: Path, scratch_db: Path) -> float:
    """Seconds DuckDB needs to read every column of every raw file once and store it."""
    import duckdb

    scratch_db.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch_db))
    try:
        con.execute(f"set threads = {THREADS}")
        start = time.perf_counter()
        for folder in _raw_tables(raw_dir):
            pattern = (folder / "*.parquet").as_posix().replace("'", "''")
            con.execute(
                f'create table "{folder.name}" as '
                f"select * from read_parquet('{pattern}', union_by_name = true)"
            )
        return round(time.perf_counter() - start, 2)
    finally:
        con.close()
        scratch_db.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the run


def _dbt_build(project_dir: Path, target_path: Path, raw_dir: Path, duckdb_path: Path,
               select: str | None, extra: list[str] | None = None) -> tuple[dict, dict]:
    dbt = Path(sys.executable).parent / "dbt"
    cmd = [str(dbt), "build", "--profiles-dir", str(project_dir), "--project-dir", str(project_dir),
           "--target-path", str(target_path)]
    if select:
        cmd += ["--select", select]
    cmd += extra or []
    env = dict(os.environ, LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_DUCKDB_PATH=str(duckdb_path),
               LEADGEN_THREADS=str(THREADS), LEADGEN_TARGET="dev")
    run = run_measured(cmd, env, project_dir)
    results = target_path / "run_results.json"
    summary = summarise_run_results(results) if results.exists() else {}
    if run["returncode"] != 0:
        print(f"warning: dbt build exited {run['returncode']}:\n{run['output_tail']}", file=sys.stderr)
    return run, summary


def _move_duckdb(source: Path, target: Path) -> None:
    for suffix in ("", ".wal"):
        src, dst = Path(f"{source}{suffix}"), Path(f"{target}{suffix}")
        dst.unlink(missing_ok=True)
        if src.exists():
            src.replace(dst)


@contextlib.contextmanager
def _set_aside(warehouse: Path):
    """Move a DuckDB file (and its WAL) out of the way for the block, then put it back."""
    kept = warehouse.with_name(warehouse.name + ".kept")
    _move_duckdb(warehouse, kept)
    try:
        yield
    finally:
        _move_duckdb(kept, warehouse)


def _machine() -> dict:
    memory_gib = None
    try:
        memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory_gib,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def bench_scale(scale: float, seed: int, work_dir: Path, project_dir: Path, select: str | None = None) -> dict:
    from leadgen.generate import DEFAULT_AS_OF, generate

    as_of = DEFAULT_AS_OF
    work = work_dir / scale_label(scale)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    raw_dir, target = work / "raw", work / "target"
    warehouse = work / "bench.duckdb"

    print(f"[scale {scale_label(scale)}] generating", file=sys.stderr)
    start = time.perf_counter()
    counts = generate(raw_dir, scale=scale, seed=seed, as_of=as_of)
    generate_s = round(time.perf_counter() - start, 2)
    raw_rows = sum(counts.values())

    print(f"[scale {scale_label(scale)}] floor (a): reading the raw files", file=sys.stderr)
    floor_read_s = read_floor(raw_dir, work / "floor_read.duckdb")

    # Parse once up front so that every timed build below starts from the
    # same partial-parse state instead of the first paying for a full parse.
    dbt = Path(sys.executable).parent / "dbt"
    env = dict(os.environ, LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_DUCKDB_PATH=str(warehouse),
               LEADGEN_THREADS=str(THREADS), LEADGEN_TARGET="dev")
    parse = run_measured([str(dbt), "parse", "--profiles-dir", str(project_dir), "--project-dir", str(project_dir),
                          "--target-path", str(target)], env, project_dir)

    print(f"[scale {scale_label(scale)}] full dbt build", file=sys.stderr)
    full_run, full = _dbt_build(project_dir, target, raw_dir, warehouse, select)

    print(f"[scale {scale_label(scale)}] landing one more day", file=sys.stderr)
    appended = append_next_day(raw_dir, scale, seed, as_of, work / "next_day_raw")
    shutil.rmtree(work / "next_day_raw", ignore_errors=True)

    print(f"[scale {scale_label(scale)}] incremental dbt build", file=sys.stderr)
    inc_run, inc = _dbt_build(project_dir, target, raw_dir, warehouse, select, DAILY_BUILD_FLAGS)

    print(f"[scale {scale_label(scale)}] floor (b): dbt build on empty files", file=sys.stderr)
    empty_dir = work / "empty_raw"
    write_empty_copy(raw_dir, empty_dir)
    # A fresh warehouse at the same path: LEADGEN_DUCKDB_PATH is read by the
    # profile, and a changed profile makes dbt re-parse the whole project,
    # which the timed builds above did not pay for.
    with _set_aside(warehouse):
        # no loads, no as-of date to derive: give it the one the data set has.
        # Changed vars make dbt re-parse the project, which the timed builds
        # above did not pay for: parse with them first, untimed.
        as_of_vars = ["--vars", json.dumps({"as_of_date": as_of.isoformat()})]
        run_measured([str(dbt), "parse", "--profiles-dir", str(project_dir), "--project-dir", str(project_dir),
                      "--target-path", str(target), *as_of_vars],
                     dict(env, LEADGEN_RAW_DIR=str(empty_dir)), project_dir)
        empty_run, empty = _dbt_build(project_dir, target, empty_dir, warehouse, select, as_of_vars)
        _move_duckdb(warehouse, work / "empty.duckdb")

    full_s, inc_s = full_run["seconds"], inc_run["seconds"]
    web_events = counts.get("web_events", 0)
    return {
        "date": dt.date.today().isoformat(),
        "scale": scale,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "select": select,
        "threads": THREADS,
        "machine": _machine(),
        "versions": _versions(),
        "raw_rows": raw_rows,
        "raw_rows_by_table": counts,
        "leads": counts.get("crm_leads"),
        "web_events": web_events,
        "generate_s": generate_s,
        "parse_s": parse["seconds"],
        "full_build": {
            "seconds": full_s,
            "returncode": full_run["returncode"],
            "peak_memory_mib": full_run["peak_memory_mib"],
            "memory_method": full_run["memory_method"],
            **full,
        },
        "incremental_build": {
            "seconds": inc_s,
            "returncode": inc_run["returncode"],
            "percent_of_full": round(100 * inc_s / full_s, 1) if full_s else None,
            "flags": DAILY_BUILD_FLAGS,
            "peak_memory_mib": inc_run["peak_memory_mib"],
            "appended_rows": sum(appended.values()),
            "appended_rows_by_table": appended,
            **inc,
        },
        "floor_read_s": floor_read_s,
        "floor_dbt_s": empty_run["seconds"],
        "floor_dbt_returncode": empty_run["returncode"],
        "floor_dbt": empty,
        "full_over_floor_read": round(full_s / floor_read_s, 1) if floor_read_s else None,
        "full_us_per_raw_row": round(1e6 * full_s / raw_rows, 2) if raw_rows else None,
        "full_minus_floor_dbt_us_per_raw_row": (
            round(1e6 * (full_s - empty_run["seconds"]) / raw_rows, 2) if raw_rows else None
        ),
        "peak_memory_mib": full_run["peak_memory_mib"],
        "slowest_models": full.get("slowest_models", []),
    }


COLUMNS = (
    ("scale", 6), ("raw rows", 11), ("gen s", 7), ("full s (models/tests/unit)", 27), ("incr s (% full)", 16),
    ("floor a s", 10), ("floor b s", 10), ("full/a", 7), ("peak MiB", 9),
)


def format_table(rows: list[dict]) -> str:
    lines = ["  ".join(name.rjust(width) for name, width in COLUMNS)]
    for r in rows:
        full, inc = r["full_build"], r["incremental_build"]
        by_type = full.get("seconds_by_type", {})
        cells = (
            scale_label(r["scale"]),
            f"{r['raw_rows']:,}",
            f"{r['generate_s']:.1f}",
            f"{full['seconds']:.1f} ({by_type.get('model', 0):.0f}/{by_type.get('test', 0):.0f}"
            f"/{by_type.get('unit_test', 0):.0f})",
            f"{inc['seconds']:.1f} ({inc['percent_of_full']:.0f} %)" if inc["percent_of_full"] is not None else "-",
            f"{r['floor_read_s']:.1f}",
            f"{r['floor_dbt_s']:.1f}",
            f"{r['full_over_floor_read']:.0f}x" if r["full_over_floor_read"] else "-",
            f"{r['peak_memory_mib']:.0f}" if r["peak_memory_mib"] is not None else "-",
        )
        lines.append("  ".join(c.rjust(w) for c, (_, w) in zip(cells, COLUMNS)))
    for r in rows:
        slowest = ", ".join(f"{m['model']} {m['seconds']:.1f}s" for m in r["slowest_models"])
        lines.append(f"scale {scale_label(r['scale'])} slowest models: {slowest}")
        for name, code, summary in (("full build", r["full_build"]["returncode"], r["full_build"]),
                                    ("incremental build", r["incremental_build"]["returncode"], r["incremental_build"]),
                                    ("floor b", r["floor_dbt_returncode"], r["floor_dbt"])):
            if code != 0:
                nodes = ", ".join(p["node"] for p in summary.get("problems", []) if p["status"] != "warn")
                lines.append(f"scale {scale_label(r['scale'])} WARNING: the {name} failed (exit {code})"
                             + (f": {nodes}" if nodes else ""))
    return "\n".join(lines)


def bench(scales: list[float], seed: int = 42, work_dir: Path = Path("/tmp/leadgen_bench"),
          results_dir: Path = Path("bench/results"), project_dir: Path | None = None,
          select: str | None = None) -> list[dict]:
    """Run the benchmark at each scale, write one JSON per scale, print the table; return the figures."""
    project_dir = Path(project_dir or default_project_dir()).resolve()
    work_dir, results_dir = Path(work_dir).resolve(), Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in scales:
        row = bench_scale(scale, seed, work_dir, project_dir, select)
        path = results_dir / f"{row['date']}-{scale_label(scale)}.json"
        path.write_text(json.dumps(row, indent=1) + "\n")
        print(f"[scale {scale_label(scale)}] figures: {path}", file=sys.stderr)
        rows.append(row)
    print(format_table(rows))
    return rows


def ok(rows: list[dict]) -> bool:
    return all(
        r["full_build"]["returncode"] == 0 and r["incremental_build"]["returncode"] == 0
        and r["floor_dbt_returncode"] == 0
        for r in rows
    )
