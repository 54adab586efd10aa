"""`leadgen bench`: how long the dbt build takes, against floors measured in the same run.

    bench(scales=[1, 10], seed=42, work_dir=..., results_dir=...)

For each scale, on a clean generated data set (no faults):

1. generate the raw data (timed, with its peak memory, in a child process);
2. a full ``dbt build`` into a fresh DuckDB file: wall time, peak memory, the
   time dbt's threads spent in models and in tests (from run_results.json) and
   the five slowest models;
3. the incremental run: one more day of loads lands as a second file per
   table (``part-1.parquet``, see
   ``leadgen.generate.append_next_day``) and the scheduled daily
   run (``DAILY_BUILD_FLAGS``: ``dbt build`` without unit tests) runs on the
   same warehouse;
4. two floors: (a) DuckDB reading every column of every raw file once
   (``create table as select *`` per table into a scratch DuckDB file, same
   thread count as dbt) and (b) dbt's own overhead, the same ``dbt build`` on
   a data set of empty Parquet files with the contract's schema;
5. one line of figures per scale on stdout and all figures in
   ``<results_dir>/<YYYY-MM-DD>-<scale>.json``.

The package: measure (timing, peak memory, run_results.json, the two floors),
run (the orchestration of dbt runs per scale) and report (the table and the
JSON files).
"""

from __future__ import annotations

from leadgen.generate.next_day import NEW_KEY_SUFFIX, append_next_day

from .measure import THREADS, read_floor, run_measured, summarise_run_results, write_empty_copy
from .report import format_table, ok, scale_label
from .run import DAILY_BUILD_FLAGS, bench, bench_scale, default_project_dir

__all__ = [
    "DAILY_BUILD_FLAGS",
    "NEW_KEY_SUFFIX",
    "THREADS",
    "append_next_day",
    "bench",
    "bench_scale",
    "default_project_dir",
    "format_table",
    "ok",
    "read_floor",
    "run_measured",
    "scale_label",
    "summarise_run_results",
    "write_empty_copy",
]
