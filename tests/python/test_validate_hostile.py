"""The gate against hostile deliveries (docs/raw_contract.md, "Hostile values"), and `leadgen preflight`.

- a file damaged inside a data page stops `validate raw` naming the file;
- NaN / Infinity, rates <= 0, implausible amounts and negative counts warn;
- null and future `_loaded_at` warn and do not move the as-of day;
- rows landed at or below an incremental model's watermark stop the gate
  with the `--full-refresh` remedy (a hand-made warehouse, no dbt build);
- a warehouse locked by another process makes `leadgen preflight` print one
  line naming the process, exit 2.

Each test runs on a copy of a small generated data set, or on files built here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import leadgen
from conftest import REPO
from leadgen.cli import main
from leadgen.contract import arrow_schema

SMALL = 0.02
SEEDS = ["--seeds-dir", str(REPO / "seeds")]
SRC = str(Path(leadgen.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from leadgen.generate import generate

    out = tmp_path_factory.mktemp("generated") / "raw"
    generate(out, scale=SMALL, seed=42)
    return out


@pytest.fixture
def raw(generated, tmp_path):
    """A private copy of the generated data set."""
    copy = tmp_path / "raw"
    shutil.copytree(generated, copy)
    return copy


def _raw(raw_dir, tmp_path, capsys, *extra) -> tuple[int, str, str, dict]:
    extra = list(extra)
    if "--duckdb" not in extra:  # never the developer's warehouse
        extra += ["--duckdb", str(tmp_path / "no_warehouse.duckdb")]
    report = tmp_path / "report"
    code = main(
        ["validate", "raw", "--raw-dir", str(raw_dir), "--report-dir", str(report), "--no-docs", *SEEDS, *extra]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err, json.loads((report / "raw_summary.json").read_text())


def _findings(summary: dict, severity: str) -> dict[tuple[str, str | None], str]:
    return {(f["table"], f["column"]): f["message"] for f in summary["findings"] if f["severity"] == severity}


def _rewrite(folder: Path, change) -> None:
    for path in sorted(folder.glob("*.parquet")):
        pq.write_table(change(pq.read_table(path)), path)


def _set_head(table: pa.Table, column: str, values: list, type_=None) -> pa.Table:
    """`table` with the first len(values) values of `column` replaced (and the column cast to type_)."""
    type_ = type_ or table.schema.field(column).type
    rest = table[column].combine_chunks().slice(len(values)).cast(type_)
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, pa.concat_arrays([pa.array(values, type_), rest]))


# -- 1. corruption inside a data page -------------------------------------------


def _corrupt_data_page(path: Path, column: str) -> None:
    """Overwrite 16 bytes in the middle of `column`'s data pages (after its dictionary page, far from the footer)."""
    meta = pq.ParquetFile(path).metadata
    chunk = meta.row_group(0).column(meta.schema.names.index(column))
    start = chunk.data_page_offset
    end = (chunk.dictionary_page_offset or start) + chunk.total_compressed_size
    with path.open("r+b") as handle:
        handle.seek((start + end) // 2)
        handle.write(b"\xff" * 16)


def test_a_corrupt_data_page_is_critical_naming_table_and_file(raw, tmp_path, capsys):
    target = raw / "web_events" / "part-0.parquet"
    _corrupt_data_page(target, "session_id")  # not a column the content checks read
    pq.read_schema(target)  # the footer is intact
    with pytest.raises(duckdb.Error, match="(?i)snappy"):  # what dbt would die of
        duckdb.sql(f"select * from read_parquet('{target}')").fetchall()

    code, out, err, summary = _raw(raw, tmp_path, capsys, "--tables", "web_events,crm_leads")
    assert code == 2, out + err
    lines = [line for line in err.splitlines() if line.startswith("CRITICAL web_events")]
    assert len(lines) == 1, err
    assert "part-0.parquet" in lines[0] and "session_id" in lines[0] and "snappy" in lines[0].lower()
    # the broken table is not content-checked; the others still are
    assert "NOT CHECKED" in out and "crm_leads" in out


# -- 2. and 3. non-finite numbers, bad rates, implausible amounts, negative counts --


def test_non_finite_numbers_and_rates_not_above_zero_warn(raw, tmp_path, capsys):
    nan, inf = float("nan"), float("inf")
    _rewrite(raw / "fx_rates", lambda t: _set_head(t, "usd_per_unit", [nan, inf, -inf, 0.0, -2.5]))
    # money landed as floating point (an integer column landed so is already critical: incompatible type)
    _rewrite(raw / "ad_spend", lambda t: _set_head(t, "spend", [nan, 12.5, -inf], pa.float64()))
    code, out, err, summary = _raw(raw, tmp_path, capsys, "--tables", "fx_rates,ad_spend")
    assert code == 0, out + err
    assert ("fx_rates", "usd_per_unit") in _findings(summary, "warning")
    assert "WARNING  fx_rates.usd_per_unit: 3 rows NaN or +/-Infinity" in out
    assert "WARNING  fx_rates.usd_per_unit: 2 rows with a rate <= 0" in out
    assert "WARNING  ad_spend.spend: 2 rows NaN or +/-Infinity" in out


def test_implausible_amounts_and_negative_counts_warn(raw, tmp_path, capsys):
    _rewrite(raw / "crm_deals", lambda t: _set_head(t, "amount", [20_000_000_000, 10_000_000_000]))
    _rewrite(raw / "social_post_metrics", lambda t: _set_head(t, "likes", [-1, -7]))
    _rewrite(raw / "ad_spend", lambda t: _set_head(t, "clicks", [-3]))
    code, out, err, summary = _raw(raw, tmp_path, capsys, "--tables", "crm_deals,social_post_metrics,ad_spend")
    assert code == 0, out + err
    # above the bound, not at it
    assert "WARNING  crm_deals.amount: 1 rows above max_plausible_amount 10,000,000,000" in out
    assert "WARNING  social_post_metrics.likes: 2 rows with a negative count" in out
    assert "WARNING  ad_spend.clicks: 1 rows with a negative count" in out
    assert "social_post_metrics.impressions" not in out


def test_max_plausible_amount_comes_from_dbt_project_vars(tmp_path):
    from leadgen.validate._scan import DEFAULT_MAX_PLAUSIBLE_AMOUNT, max_plausible_amount

    assert max_plausible_amount(tmp_path)[0] == DEFAULT_MAX_PLAUSIBLE_AMOUNT  # no project file
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  as_of_date: null\n")
    assert max_plausible_amount(tmp_path)[0] == 10_000_000_000
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  max_plausible_amount: 5e6\n")
    assert max_plausible_amount(tmp_path)[0] == 5_000_000
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  max_plausible_amount: lots\n")
    bound, why = max_plausible_amount(tmp_path)
    assert bound is None and "max_plausible_amount" in why and "lots" in why


# -- 4. null and future _loaded_at -------------------------------------------------


def test_null_and_future_loaded_at_warn_and_leave_the_as_of_day_alone(raw, tmp_path, capsys):
    before = pq.read_table(raw / "crm_leads")["_loaded_at"]
    latest = pc.max(before).as_py()
    _rewrite(raw / "crm_leads", lambda t: _set_head(t, "_loaded_at", [None, None, dt.datetime(2099, 1, 1)]))
    code, out, err, summary = _raw(raw, tmp_path, capsys, "--tables", "crm_leads")
    assert code == 0, out + err
    assert "WARNING  crm_leads._loaded_at: 2 rows with a null _loaded_at" in out
    assert "WARNING  crm_leads._loaded_at: 1 rows with a _loaded_at after the gate's clock" in out
    # the as-of day is the date of the greatest _loaded_at not null and not after now
    assert latest.date() <= dt.date(2026, 10, 31)
    assert (
        summary["as_of_end"]
        == (dt.datetime.combine(dt.date(2026, 10, 31), dt.time()) + dt.timedelta(days=1)).isoformat()
    )

    # with --as-of, what lands after the end of that day is in the future too
    as_of = dt.date(2026, 10, 15)
    end = dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
    stamps = pq.read_table(raw / "crm_leads")["_loaded_at"]
    later = pc.sum(pc.greater_equal(stamps, pa.scalar(end, stamps.type))).as_py()
    assert later > 1
    code, out, err, summary = _raw(raw, tmp_path, capsys, "--tables", "crm_leads", "--as-of", str(as_of))
    assert f"WARNING  crm_leads._loaded_at: {later} rows with a _loaded_at at or after the end of --as-of" in out


def test_resolve_as_of_end_ignores_null_and_future_loads(tmp_path):
    from leadgen.validate.raw import resolve_as_of_end

    folder = tmp_path / "crm_users"
    folder.mkdir()
    stamps = [dt.datetime(2026, 3, 1, 10), None, dt.datetime(2026, 3, 2, 23, 59), dt.datetime(2030, 1, 1)]
    pq.write_table(pa.table({"_loaded_at": pa.array(stamps, pa.timestamp("us"))}), folder / "part-0.parquet")
    with duckdb.connect() as con:
        end, _ = resolve_as_of_end(con, tmp_path, None, ["crm_users"], now=dt.datetime(2026, 6, 1))
        assert end == dt.datetime(2026, 3, 3)
        # loads after "now" do not count, whatever now is
        end, _ = resolve_as_of_end(con, tmp_path, None, ["crm_users"], now=dt.datetime(2026, 3, 2, 12))
        assert end == dt.datetime(2026, 3, 2)


# -- 5. backfill below an incremental watermark --------------------------------------

WATERMARK = dt.datetime(2026, 10, 20, 12)


def _web_events(event_ids: list[str], loaded: list[dt.datetime | None]) -> pa.Table:
    """web_events rows with the contract schema: ids, times and load times set, the rest null."""
    n = len(event_ids)
    columns = {f.name: pa.nulls(n, f.type) for f in arrow_schema("web_events")}
    columns["event_id"] = pa.array(event_ids, pa.string())
    columns["anonymous_id"] = pa.array(["a"] * n, pa.string())
    columns["event_type"] = pa.array(["page_view"] * n, pa.string())
    columns["occurred_at"] = pa.array([dt.datetime(2026, 10, 1)] * n, pa.timestamp("us"))
    columns["_loaded_at"] = pa.array(loaded, pa.timestamp("us"))
    return pa.table(columns, schema=arrow_schema("web_events"))


def _watermark_setup(tmp_path) -> tuple[Path, Path]:
    """Raw web_events, and a warehouse whose base_web__events holds all of it (plus a quarantined future load)."""
    raw = tmp_path / "raw"
    (raw / "web_events").mkdir(parents=True)
    ids = [f"e{i}" for i in range(4)]
    loaded = [dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 10), WATERMARK, None]
    pq.write_table(_web_events(ids, loaded), raw / "web_events" / "part-0.parquet")
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema staging")
        con.execute(
            "create table staging.base_web__events (event_id varchar, _loaded_at timestamp, quarantine_reason varchar)"
        )
        con.executemany(
            "insert into staging.base_web__events values (?, ?, ?)",
            [(i, t, "null_loaded_at" if t is None else None) for i, t in zip(ids, loaded, strict=True)]
            + [("e9", dt.datetime(2099, 1, 1), "loaded_in_future")],
        )
    return raw, db


def test_rows_landed_below_an_incremental_watermark_stop_the_gate(tmp_path, capsys):
    raw, db = _watermark_setup(tmp_path)
    args = ["--tables", "web_events", "--duckdb", str(db)]
    code, out, err, _ = _raw(raw, tmp_path, capsys, *args)
    assert code == 0 and "CRITICAL" not in err, out + err  # the model holds every row landed

    # a backfill: two rows at or below the watermark, one without a _loaded_at, one after it (read normally)
    pq.write_table(
        _web_events(["b1", "b2", "b3", "b4"], [dt.datetime(2026, 9, 1), WATERMARK, None, dt.datetime(2026, 10, 25)]),
        raw / "web_events" / "part-1.parquet",
    )
    code, out, err, _ = _raw(raw, tmp_path, capsys, *args)
    assert code == 2, out + err
    lines = [line for line in err.splitlines() if line.startswith("CRITICAL web_events")]
    assert len(lines) == 1, err
    line = lines[0]
    assert "staging.base_web__events" in line and "3 rows" in line and "2026-10-20 12:00:00" in line
    assert "dbt build --full-refresh --select base_web__events+" in line
    assert "never read by an incremental run" in line
    # the warehouse was only read
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from staging.base_web__events").fetchone()[0] == 5


def test_watermark_check_is_skipped_without_warehouse_or_model(tmp_path, capsys):
    raw, db = _watermark_setup(tmp_path)
    pq.write_table(_web_events(["b1"], [dt.datetime(2026, 9, 1)]), raw / "web_events" / "part-1.parquet")
    code, out, err, _ = _raw(
        raw, tmp_path, capsys, "--tables", "web_events", "--duckdb", str(tmp_path / "absent.duckdb")
    )
    assert code == 0 and "CRITICAL" not in err, out + err
    with duckdb.connect(str(db)) as con:
        con.execute("drop table staging.base_web__events")
    code, out, err, _ = _raw(raw, tmp_path, capsys, "--tables", "web_events", "--duckdb", str(db))
    assert code == 0 and "CRITICAL" not in err, out + err


def _hold(db: Path) -> subprocess.Popen:
    """Another process that opens `db` read-write and keeps it (as a BI tool or a duckdb shell would)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(120)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_a_warehouse_held_by_another_process_stops_the_backfill_check(tmp_path, capsys):
    raw, db = _watermark_setup(tmp_path)
    holder = _hold(db)
    try:
        code, out, err, _ = _raw(raw, tmp_path, capsys, "--tables", "web_events", "--duckdb", str(db))
    finally:
        holder.kill()
        holder.wait()
    assert code == 2, out + err
    assert f"CRITICAL watermarks: cannot open the warehouse {db}" in err and f"PID {holder.pid}" in err


# -- 6. leadgen preflight --------------------------------------------------------------


def _preflight(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("LEADGEN_RAW_DIR", "LEADGEN_DUCKDB_PATH")}
    environment.update(env or {}, PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, "-m", "leadgen.cli", "preflight", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_preflight_names_the_process_that_locks_the_warehouse(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(db)).close()
    holder = _hold(db)
    try:
        result = _preflight("--duckdb", str(db))
    finally:
        holder.kill()
        holder.wait()
    output = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(output) == 1, output
    assert f"PID {holder.pid}" in output[0] and str(db) in output[0]
    assert "close that connection" in output[0] and "Traceback" not in result.stderr
    # released: the same check passes
    assert _preflight("--duckdb", str(db)).returncode == 0


def test_preflight_checks_the_raw_folder_and_makes_the_warehouse_folder(tmp_path):
    db = tmp_path / "new" / "leadgen.duckdb"
    result = _preflight("--duckdb", str(db), env={"LEADGEN_RAW_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert db.parent.is_dir() and not db.exists()
    result = _preflight(env={"LEADGEN_RAW_DIR": str(tmp_path / "missing"), "LEADGEN_DUCKDB_PATH": str(db)})
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "LEADGEN_RAW_DIR" in lines[0] and "missing" in lines[0]
