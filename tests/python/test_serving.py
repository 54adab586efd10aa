"""The serving file `leadgen publish` writes for BI tools (src/leadgen/serve.py).

It holds the marts of the last successful build and nothing else, in a
storage format DuckDB 1.1 opens, and it is swapped in whole: a reader never
blocks a build or a publish, never sees a half-written file, and keeps the
old marts until it reconnects.  A failed build publishes nothing.

The test warehouse of `make test` (LEADGEN_TEST_DUCKDB_PATH) is only read;
what a test changes or rebuilds is a copy.  The DuckDB 1.1 check runs a
second interpreter, LEADGEN_TEST_DUCKDB11_PYTHON, which `make test` sets up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO, run_dbt

OK_RUN = {"args": {"which": "build"}, "results": [{"unique_id": "model.leadgen.kpi_monthly", "status": "success"}]}

# A BI tool: holds one read-only connection; reads when told to, on a line of standard input.
HOLDER = r"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from marts.kpi_catalog").fetchone()[0], flush=True)
for _ in sys.stdin:
    row = con.execute("select (select count(*) from marts.kpi_catalog), (select count(*) from marts.kpi_monthly)")
    print(*row.fetchone(), flush=True)
"""

# Dashboards opening the file again and again while a publish runs: every connection must find a
# whole database.
POLLER = r"""
import json, os, sys, duckdb
path, stop = sys.argv[1], sys.argv[2]
seen, errors, polls = [], [], 0
while True:
    stopping = os.path.exists(stop)
    try:
        with duckdb.connect(path, read_only=True) as con:
            seen.append(con.execute("select count(*) from marts.kpi_catalog").fetchone()[0])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    polls += 1
    if polls == 1:
        print("ready", flush=True)
    if stopping:
        break
print(json.dumps({"seen": sorted(set(seen)), "last": seen[-1], "errors": errors[:5], "polls": polls}))
"""

# The path, looked at without pause: it must only ever name the whole old file or the whole new
# one (inode and size), never a missing file or one being written.
WATCHER = r"""
import json, os, sys
path, stop = sys.argv[1], sys.argv[2]
files, looks = set(), 0
while not os.path.exists(stop):
    for _ in range(1000):
        try:
            stat = os.stat(path)
            files.add((stat.st_ino, stat.st_size))
        except FileNotFoundError:
            files.add(("missing", 0))
    looks += 1000
    if looks == 1000:
        print("ready", flush=True)
print(json.dumps({"files": sorted(files, key=str), "looks": looks}))
"""

# A BI driver that bundles DuckDB 1.1: the query of the README on the serving file.
DUCKDB_1_1_READER = r"""
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
rows = con.execute("select count(*), count(distinct kpi_id) from marts.kpi_monthly").fetchone()
types = con.execute(
    "select column_name, data_type from duckdb_columns() "
    "where schema_name = 'main' and table_name = 'kpi_monthly' order by column_index"
).fetchall()
print(json.dumps({"version": duckdb.__version__, "rows": rows, "types": types}))
"""


def _leadgen(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`leadgen <args>` from this checkout's sources."""
    environ = dict(os.environ, **(env or {}))
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "leadgen.cli", *args], cwd=REPO, env=environ, capture_output=True, text=True
    )


def _publish(warehouse: Path, serving: Path, run_results: Path) -> subprocess.CompletedProcess:
    return _leadgen("publish", "--duckdb", str(warehouse), "--serving", str(serving), "--run-results", str(run_results))


def _run_results(path: Path, content: dict) -> Path:
    path.write_text(json.dumps(content))
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _columns(path: Path, schema: str = "marts") -> dict[str, list[tuple[str, str]]]:
    rows = _query(
        path,
        f"select table_name, column_name, data_type from duckdb_columns() where schema_name = '{schema}' "
        "and not internal order by table_name, column_index",
    )
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _tiny_warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.kpi_monthly as select 'lead_generation' as kpi_id, 1.0 as value")
        for sql in statements:
            con.execute(sql)
    return path


def _sources_pii_columns() -> set[str]:
    """Columns the sources mark `meta: pii: true` (what macros/vars.sql's pii_source_columns reads)."""
    names = set()
    for path in (REPO / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                for column in table.get("columns", []):
                    meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
                    if meta.get("pii"):
                        names.add(column["name"].lower())
    return names


@pytest.fixture(scope="module")
def served(warehouse, tmp_path_factory) -> Path:
    """The test warehouse's marts, published once (read-only for the tests that use it)."""
    folder = tmp_path_factory.mktemp("served")
    serving = folder / "marts.duckdb"
    result = _publish(warehouse.duckdb_path, serving, _run_results(folder.parent / "served_ok.json", OK_RUN))
    assert result.returncode == 0, result.stderr
    return serving


def test_a_reader_never_blocks_a_build_or_a_publish(warehouse, tmp_path):
    """A BI connection stays open through a dbt run and a publish; it keeps the old marts, a new one sees the new."""
    built = tmp_path / "leadgen.duckdb"
    shutil.copy(warehouse.duckdb_path, built)
    with duckdb.connect(str(built)) as con:  # the old marts: a catalog of one KPI
        new_count = con.execute("select count(*) from marts.kpi_catalog").fetchone()[0]
        con.execute("delete from marts.kpi_catalog where kpi_id <> (select min(kpi_id) from marts.kpi_catalog)")
    assert new_count > 1
    serving = tmp_path / "serving" / "marts.duckdb"
    first = _publish(built, serving, _run_results(tmp_path / "ok.json", OK_RUN))
    assert first.returncode == 0, first.stderr

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(serving)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    poller = watcher = None
    try:
        assert holder.stdout.readline().strip() == "1"
        target = tmp_path / "target"
        run_dbt(["run", "--select", "kpi_catalog", "--target-path", str(target)], warehouse.raw_dir, built)

        stop = tmp_path / "stop"
        old_file = (serving.stat().st_ino, serving.stat().st_size)
        poller, watcher = (
            subprocess.Popen([sys.executable, "-c", code, str(serving), str(stop)], stdout=subprocess.PIPE, text=True)
            for code in (POLLER, WATCHER)
        )
        assert poller.stdout.readline().strip() == "ready" and watcher.stdout.readline().strip() == "ready"
        second = _publish(built, serving, target / "run_results.json")
        stop.touch()
        polled = json.loads(poller.communicate(timeout=60)[0])
        watched = json.loads(watcher.communicate(timeout=60)[0])
        assert second.returncode == 0, second.stderr

        holder.stdin.write("read\n")
        holder.stdin.flush()
        still, monthly = (int(v) for v in holder.stdout.readline().split())
        assert still == 1, "the open connection must keep reading the marts it opened"
        assert monthly > 0
    finally:
        holder.kill()
        holder.wait()
        for process in (poller, watcher):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    assert not polled["errors"], f"a reader found no whole serving file while publishing: {polled['errors']}"
    new_file = (serving.stat().st_ino, serving.stat().st_size)
    assert {tuple(f) for f in watched["files"]} <= {old_file, new_file}, (
        f"the serving path named a missing or partly written file while publishing: {watched}"
    )
    assert set(polled["seen"]) <= {1, new_count} and polled["last"] == new_count, polled
    assert _query(serving, "select count(*) from marts.kpi_catalog") == [(new_count,)]
    assert sorted(p.name for p in serving.parent.iterdir()) == [serving.name], "a temporary file or .wal is left"


def test_a_failed_build_publishes_nothing(served, tmp_path):
    serving = tmp_path / "marts.duckdb"
    shutil.copy(served, serving)
    before = (serving.stat().st_ino, serving.stat().st_mtime_ns, _digest(serving))
    warehouse = _tiny_warehouse(tmp_path / "built.duckdb")

    failed = {
        "args": {"which": "build"},
        "results": [
            {"unique_id": "model.leadgen.kpi_cac", "status": "error"},
            {"unique_id": "test.leadgen.not_null_kpi_monthly_kpi_id.1", "status": "fail"},
            {"unique_id": "model.leadgen.kpi_monthly", "status": "skipped"},
            {"unique_id": "test.leadgen.some_warning.2", "status": "warn"},
            {"unique_id": "model.leadgen.kpi_catalog", "status": "success"},
        ],
    }
    result = _publish(warehouse, serving, _run_results(tmp_path / "failed.json", failed))
    assert result.returncode == 2
    for node in ("model.leadgen.kpi_cac", "test.leadgen.not_null_kpi_monthly_kpi_id.1", "model.leadgen.kpi_monthly"):
        assert node in result.stderr
    assert "some_warning" not in result.stderr and "kpi_catalog" not in result.stderr

    # no run results, those of a command that builds nothing, or results older than the warehouse's
    # last write (a dbt killed mid-run leaves the previous ones): refused too
    stale = _run_results(tmp_path / "stale.json", OK_RUN)
    written = warehouse.stat().st_mtime
    os.utime(stale, (written - 7200, written - 7200))
    for run_results in (
        tmp_path / "missing.json",
        _run_results(tmp_path / "compile.json", {**OK_RUN, "args": {"which": "compile"}}),
        stale,
    ):
        refused = _publish(warehouse, serving, run_results)
        assert refused.returncode == 2 and str(run_results) in refused.stderr, refused.stderr

    # the copy itself fails (a type DuckDB 1.1 cannot store) after the temporary file was created
    unstorable = _tiny_warehouse(tmp_path / "variant.duckdb", "create table marts.odd as select 1::variant as v")
    broken = _publish(unstorable, serving, _run_results(tmp_path / "ok.json", OK_RUN))
    assert broken.returncode == 2 and "nothing published" in broken.stderr, broken.stderr

    assert (serving.stat().st_ino, serving.stat().st_mtime_ns, _digest(serving)) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") or "marts.duckdb" in p.name) == [
        serving.name
    ], "a temporary file is left beside the serving file"


def test_warnings_publish(tmp_path):
    warned = {"args": {"which": "build"}, "results": [{"unique_id": "test.leadgen.t", "status": "warn"}]}
    serving = tmp_path / "out" / "marts.duckdb"
    result = _publish(_tiny_warehouse(tmp_path / "w.duckdb"), serving, _run_results(tmp_path / "rr.json", warned))
    assert result.returncode == 0, result.stderr
    assert _query(serving, "select kpi_id from marts.kpi_monthly") == [("lead_generation",)]


def test_the_serving_path_is_never_the_build_warehouse(tmp_path):
    warehouse = _tiny_warehouse(tmp_path / "leadgen.duckdb")
    ok = _run_results(tmp_path / "ok.json", OK_RUN)
    before = _digest(warehouse)
    (tmp_path / "link.duckdb").symlink_to(warehouse)
    for serving in (str(warehouse), str(tmp_path / "link.duckdb")):
        result = _leadgen(
            "publish",
            "--run-results",
            str(ok),
            env={"LEADGEN_DUCKDB_PATH": str(warehouse), "LEADGEN_SERVING_PATH": serving},
        )
        assert result.returncode == 2 and "LEADGEN_SERVING_PATH" in result.stderr, result.stderr
    assert _digest(warehouse) == before


def test_only_the_marts_and_no_personal_data_are_served(served, warehouse):
    schemas = {s for (s,) in _query(served, "select distinct schema_name from duckdb_tables()")}
    assert schemas == {"main"}, f"served schemas other than the default one: {schemas - {'main'}}"
    assert _query(served, "select count(*) from duckdb_views() where not internal") == [(0,)]
    assert _columns(served, "main") == _columns(warehouse.duckdb_path), "tables or column types differ from the marts"
    # the queries of the README: the bare name, and marts.<name> as on PostgreSQL (the file is marts.duckdb)
    assert _query(served, "select count(*) from kpi_monthly") == _query(
        served, "select count(*) from marts.kpi_monthly"
    )

    pii = _sources_pii_columns()
    assert {"email", "first_name", "last_name"} <= pii
    served_columns = {(t, c.lower()) for t, cols in _columns(served, "main").items() for c, _ in cols}
    personal = {f"{t}.{c}" for t, c in served_columns if c in pii or c == "raw_row" or c.endswith("email_normalized")}
    assert not personal, f"personal data in the serving file: {personal}"


def test_a_mart_with_a_personal_data_column_is_not_published(tmp_path):
    warehouse = _tiny_warehouse(tmp_path / "w.duckdb", "create table marts.dim_people as select 'a@b.c' as email")
    serving = tmp_path / "marts.duckdb"
    result = _publish(warehouse, serving, _run_results(tmp_path / "ok.json", OK_RUN))
    assert result.returncode == 2 and "dim_people.email" in result.stderr, result.stderr
    assert not serving.exists()


def test_duckdb_1_1_reads_the_serving_file(served, warehouse):
    python = os.environ.get("LEADGEN_TEST_DUCKDB11_PYTHON")
    if not python:
        pytest.skip("LEADGEN_TEST_DUCKDB11_PYTHON unset: `make test` sets it to .venv-duckdb11/bin/python (duckdb 1.1)")
    result = subprocess.run([python, "-c", DUCKDB_1_1_READER, str(served)], capture_output=True, text=True)
    assert result.returncode == 0, f"DuckDB 1.1 cannot read the serving file:\n{result.stderr[-2000:]}"
    read = json.loads(result.stdout)
    assert read["version"].startswith("1.1."), read["version"]
    expected = warehouse.query("select count(*), count(distinct kpi_id) from marts.kpi_monthly")[0]
    assert tuple(read["rows"]) == expected
    assert [tuple(t) for t in read["types"]] == _columns(warehouse.duckdb_path)["kpi_monthly"]


def test_a_write_ahead_log_left_beside_the_old_file_is_not_replayed_onto_the_new(tmp_path):
    """A process that opened the serving file read-write and died leaves a .wal; a writer still on it blocks."""
    warehouse = _tiny_warehouse(tmp_path / "w.duckdb")
    serving = tmp_path / "marts.duckdb"
    ok = _run_results(tmp_path / "ok.json", OK_RUN)
    assert _publish(warehouse, serving, ok).returncode == 0
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "con.execute(\"set checkpoint_threshold = '1GB'\")\n"
            "con.execute('drop table marts.kpi_monthly')\n"
            "con.execute('create table marts.junk as select range as x from range(1000)')\n"
            "print('written', flush=True)\n"
            "time.sleep(120)\n",
            str(serving),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "written"
        assert Path(f"{serving}.wal").exists()
        blocked = _publish(warehouse, serving, ok)
        assert blocked.returncode == 2 and "read-write" in blocked.stderr, blocked.stderr
    finally:
        writer.kill()
        writer.wait()
    result = _publish(warehouse, serving, ok)
    assert result.returncode == 0, result.stderr
    # DuckDB would replay that log onto the new file: the dead writer's tables instead of the marts
    assert _query(serving, "select table_name from duckdb_tables()") == [("kpi_monthly",)]
    assert not Path(f"{serving}.wal").exists()
