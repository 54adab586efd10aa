"""Shared fixtures: the repository, a dbt runner, and a built test warehouse.

`make test` builds the warehouse on a small data set with every contract
fault and passes it in through LEADGEN_TEST_RAW_DIR and
LEADGEN_TEST_DUCKDB_PATH; run alone, pytest builds its own (slower).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Warehouse:
    raw_dir: Path
    duckdb_path: Path

    def query(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    @property
    def faults(self) -> dict:
        return json.loads((self.raw_dir / "_faults.json").read_text())


def run_dbt(
    args: list[str], raw_dir: Path, duckdb_path: Path, check: bool = True, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ, LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_DUCKDB_PATH=str(duckdb_path), **(extra_env or {}))
    result = subprocess.run(
        [str(BIN / "dbt"), *args, "--profiles-dir", str(REPO), "--project-dir", str(REPO)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return result


def assert_same_rows(incremental_db: Path, full_db: Path, relations: list[str]) -> None:
    """Each relation (schema.table) holds the same rows, with multiplicity, in both warehouses."""
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental_db}' as incremental_wh (read_only)")
        con.execute(f"attach '{full_db}' as full_wh (read_only)")
        for relation in relations:
            inc, full = f"select * from incremental_wh.{relation}", f"select * from full_wh.{relation}"
            count = con.execute(f"select count(*) from ({full})").fetchone()[0]
            only_inc = con.execute(f"select * from ({inc} except all {full}) limit 5").fetchall()
            only_full = con.execute(f"select * from ({full} except all {inc}) limit 5").fetchall()
            assert count > 0, f"{relation} is empty"
            assert not only_inc and not only_full, (
                f"{relation}: incremental and full refresh differ\n"
                f"only after the incremental run: {only_inc}\nonly after the full refresh: {only_full}"
            )


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    raw = os.environ.get("LEADGEN_TEST_RAW_DIR")
    db = os.environ.get("LEADGEN_TEST_DUCKDB_PATH")
    if raw and db and Path(db).exists():
        return Warehouse(Path(raw), Path(db))
    work = tmp_path_factory.mktemp("warehouse")
    raw_dir, db_path = work / "raw", work / "leadgen.duckdb"
    from leadgen.generate import generate

    generate(raw_dir, scale=0.02, seed=42, faults=True)
    run_dbt(["build"], raw_dir, db_path)
    return Warehouse(raw_dir, db_path)


# One story (scale, seed) landed in different shapes: the CRM vendors' tests
# build it per shape and compare kpi_monthly with the contract shape's.
STORY_SCALE, STORY_SEED = 0.02, 7


def build_story(root: Path, crm_format: str, dbt_vars: str | None = None) -> Warehouse:
    """Generate the story in `crm_format` under root/<crm_format> and dbt build it (unit tests aside)."""
    from leadgen.generate import generate

    work = root / crm_format
    raw_dir, db_path = work / "raw", work / "story.duckdb"
    generate(raw_dir, scale=STORY_SCALE, seed=STORY_SEED, crm_format=crm_format)
    # its own target folder: the manifest of a vendor's build (with its adapter models) must not
    # stand in target/ for the test warehouse's
    args = ["build", "--exclude-resource-type", "unit_test", "--target-path", str(work / "target")]
    args += ["--vars", dbt_vars] if dbt_vars else []
    run_dbt(args, raw_dir, db_path, extra_env={"LEADGEN_CRM_SOURCE": crm_format})
    return Warehouse(raw_dir, db_path)


@pytest.fixture(scope="session")
def contract_story(tmp_path_factory) -> Warehouse:
    """The story without faults, in the raw contract's shape, built."""
    return build_story(tmp_path_factory.mktemp("story"), "contract")


def kpi_monthly_differences(expected: Warehouse, actual: Warehouse, skip_kpis=()) -> list[str]:
    """What differs between two builds' kpi_monthly (keys, or any column beyond 1e-9 relative), KPIs in skip_kpis
    aside: the engine check's comparison (leadgen.engines.compare_rows)."""
    from leadgen.engines import compare_rows, read_duckdb

    def compared_rows(warehouse: Warehouse) -> tuple[list[str], list[tuple]]:
        columns, rows = read_duckdb(warehouse.duckdb_path)
        at = columns.index("kpi_id")
        return columns, [row for row in rows if row[at] not in skip_kpis]

    columns, expected_rows = compared_rows(expected)
    actual_columns, actual_rows = compared_rows(actual)
    result = compare_rows(columns, expected_rows, actual_rows, actual_columns)
    return (
        [f"only expected: {row}" for row in result.only_reference]
        + [f"only actual: {row}" for row in result.only_other]
        + result.differences
    )
