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


def run_dbt(args: list[str], raw_dir: Path, duckdb_path: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, LEADGEN_RAW_DIR=str(raw_dir), LEADGEN_DUCKDB_PATH=str(duckdb_path))
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
