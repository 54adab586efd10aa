"""`leadgen bench` end to end on a tiny data set and a small dbt selection.

The real benchmark builds the whole project at scale 1 and more (see
bench/README.md); here the same machinery runs at scale 0.01 on the web
sessionisation and what it depends on, which holds the one incremental
model, so that every step runs: generate, floor (a), full build, one more
day landed, incremental build, floor (b).  The test checks the figures are
there and hang together, not how fast anything is.
"""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq

from leadgen.bench import NEW_KEY_SUFFIX, bench, format_table, ok

SELECT = "+int_web__events_sessionized"


def test_bench_writes_every_figure(tmp_path, capsys):
    results = tmp_path / "results"
    rows = bench([0.01], seed=42, work_dir=tmp_path / "work", results_dir=results, select=SELECT)
    assert ok(rows), format_table(rows)

    files = list(results.glob("*-0.01.json"))
    assert len(files) == 1
    figures = json.loads(files[0].read_text())
    for field in (
        "date",
        "scale",
        "seed",
        "threads",
        "machine",
        "versions",
        "raw_rows",
        "raw_rows_by_table",
        "generate_s",
        "generate_peak_memory_mib",
        "next_day_generate_s",
        "next_day_peak_memory_mib",
        "parse_s",
        "full_build",
        "incremental_build",
        "floor_read_s",
        "floor_dbt_s",
        "floor_dbt_daily_s",
        "targets",
        "full_over_floor_read",
        "full_us_per_raw_row",
        "peak_memory_mib",
        "slowest_models",
    ):
        assert field in figures, field
    full, incremental = figures["full_build"], figures["incremental_build"]
    for run in (full, incremental):
        assert run["returncode"] == 0
        assert run["seconds"] > 0
        assert run["seconds_by_type"]["model"] > 0 and run["seconds_by_type"]["test"] > 0
    assert figures["raw_rows"] == sum(figures["raw_rows_by_table"].values()) > 0
    assert figures["peak_memory_mib"] > 50
    assert figures["generate_peak_memory_mib"] > 50 and figures["next_day_peak_memory_mib"] > 50
    assert 0 < len(figures["slowest_models"]) <= 5
    assert {"model", "seconds"} <= set(figures["slowest_models"][0])
    assert incremental["percent_of_full"] > 0
    assert incremental["appended_rows_by_table"]["web_events"] > 0
    # the daily run leaves unit tests to CI
    assert incremental["nodes_by_type"].get("unit_test", 0) == 0 < full["nodes_by_type"].get("unit_test", 0)
    assert figures["floor_read_s"] > 0 and figures["floor_dbt_s"] > 0 and figures["floor_dbt_daily_s"] > 0
    assert figures["floor_dbt_daily"]["returncode"] == 0
    assert figures["floor_dbt_daily"]["nodes_by_type"].get("unit_test", 0) == 0
    assert set(figures["targets"]) == {"daily_data_share", "daily_data_share_strict", "full_over_floors"}
    assert full["model_seconds"] and sum(full["model_seconds_by_layer"].values()) > 0

    # the new day landed as a second delivery, with new keys for new events
    web_day = pq.read_table(tmp_path / "work" / "0.01" / "raw" / "web_events" / "part-1.parquet")
    assert all(e.endswith(NEW_KEY_SUFFIX) for e in web_day["event_id"].to_pylist())
    # and the incremental model took it in
    with duckdb.connect(str(tmp_path / "work" / "0.01" / "bench.duckdb"), read_only=True) as con:
        landed = con.execute(
            "select count(*) from intermediate.int_web__events_sessionized where event_id like ?",
            [f"%{NEW_KEY_SUFFIX}"],
        ).fetchone()[0]
    assert landed > 0

    table = capsys.readouterr().out
    assert "0.01" in table and "slowest models" in table
