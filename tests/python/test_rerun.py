"""Reruns and schema drift: the same raw data always gives the same marts.

Rebuilding the models on an already built warehouse (the incremental
sessions model then runs incrementally) must give a kpi_monthly identical to
the first build, and so must raw files carrying a column the contract does
not know (schema drift).  A missing required column is caught before dbt by
`leadgen validate raw` (tests/python/test_validate.py).
"""

from __future__ import annotations

import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from conftest import run_dbt

MODELS_AND_SEEDS = ["build", "--resource-type", "seed", "--resource-type", "model"]

CHECKSUM = """
    select
        count(*),
        sum(hash(
            kpi_id, period_month, dimension, dimension_value, value, numerator, denominator, unit,
            is_mature, is_partial_month, as_of_date
        ))
    from marts.kpi_monthly
"""


def _checksum(path) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(CHECKSUM).fetchone()


def test_a_rerun_gives_identical_marts(warehouse, tmp_path):
    copy = tmp_path / "rerun.duckdb"
    shutil.copy(warehouse.duckdb_path, copy)
    run_dbt([*MODELS_AND_SEEDS, "--target-path", str(tmp_path / "target")], warehouse.raw_dir, copy)
    assert _checksum(copy) == _checksum(warehouse.duckdb_path)


def test_an_extra_raw_column_changes_nothing(warehouse, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(warehouse.raw_dir, raw)
    for table in ("crm_leads", "web_events", "crm_deals"):
        for part in (raw / table).glob("*.parquet"):
            data = pq.read_table(part)
            data = data.append_column("custom_field", pa.array(["x"] * data.num_rows, pa.string()))
            pq.write_table(data, part)
    rebuilt = tmp_path / "drift.duckdb"
    run_dbt([*MODELS_AND_SEEDS, "--target-path", str(tmp_path / "target")], raw, rebuilt)
    assert _checksum(rebuilt) == _checksum(warehouse.duckdb_path)
