"""Staging loses nothing and catches every injected fault.

Runs on the warehouse built from a `leadgen generate --faults` data set.  The
per-fault checks live in `leadgen.validate.faults` (the `leadgen validate
faults` report of `make test`); these tests run it, prove it can fail, and
check the row accounting.
"""

from __future__ import annotations

import copy
import json
import shutil

import duckdb
import pyarrow.parquet as pq

from conftest import run_dbt
from leadgen.generate import FAULT_TYPES
from leadgen.validate.faults import (
    CHECKED_APART,
    COLLAPSED,
    QUARANTINE_REASON,
    STAGING_MODEL,
    _kept_check,
    validate_faults,
)


def test_every_fault_type_has_a_check(warehouse):
    for entry in warehouse.faults["faults"]:
        fault = entry["fault"]
        assert (
            fault in QUARANTINE_REASON
            or fault in COLLAPSED
            or fault in CHECKED_APART
            or _kept_check(fault, entry["table"])
        ), entry


def test_faults_manifest_covers_every_fault_type(warehouse):
    assert {e["fault"] for e in warehouse.faults["faults"]} == set(FAULT_TYPES)


def test_every_injected_fault_is_handled(warehouse, tmp_path):
    report = validate_faults(warehouse.raw_dir, warehouse.duckdb_path, tmp_path)
    assert report.exit_code == 0, [r.line() for r in report.failed]
    assert {r.fault for r in report.results} == set(FAULT_TYPES)
    assert all(r.found == r.injected for r in report.results)
    written = (tmp_path / "faults_report.md").read_text()
    for fault in FAULT_TYPES:
        assert f"| {fault} |" in written
    assert json.loads((tmp_path / "faults_report.json").read_text())["passed"] is True


def test_a_fault_staging_missed_fails_the_report(warehouse, tmp_path):
    """The reconciliation is not decorative: claim faults staging never saw and it says so."""
    manifest = copy.deepcopy(warehouse.faults)
    clean_lead = warehouse.query("select min(lead_id) from staging.stg_crm__leads where not is_email_malformed")[0][0]
    tampered = {}
    for entry in manifest["faults"]:
        if entry["fault"] == "malformed_email" and entry["table"] == "crm_leads":
            entry["keys"][0] = clean_lead  # a well-formed email, kept as is
            tampered["malformed_email"] = entry["table"]
        elif entry["fault"] == "null_key" and entry["table"] == "crm_users":
            entry["count"] += 1  # one more null key than staging quarantined
            tampered["null_key"] = entry["table"]
        elif entry["fault"] == "duplicate_delivery" and entry["table"] == "fx_rates":
            entry["count"] += 2
            tampered["duplicate_delivery"] = entry["table"]
    manifest["faults"].append({"fault": "cosmic_ray", "table": "crm_leads", "count": 1, "keys": ["ld_x"]})
    tampered["cosmic_ray"] = "crm_leads"
    (tmp_path / "_faults.json").write_text(json.dumps(manifest))
    report = validate_faults(tmp_path, warehouse.duckdb_path, tmp_path)
    assert report.exit_code == 2
    assert {(r.fault, r.table) for r in report.failed} == set(tampered.items())


def test_no_manifest_means_nothing_to_reconcile(warehouse, tmp_path):
    report = validate_faults(tmp_path, warehouse.duckdb_path, tmp_path)
    assert report.exit_code == 0 and not report.results
    assert "nothing to reconcile" in report.final_line()


def test_every_raw_row_is_accounted_for(warehouse):
    rows = warehouse.query(
        "select source_table, raw_rows, staged_rows, quarantined_rows, duplicate_rows, unaccounted_rows"
        " from staging.staging_row_accounting order by source_table"
    )
    assert len(rows) == len(STAGING_MODEL)
    for table, raw, staged, quarantined, duplicates, unaccounted in rows:
        landed = sum(pq.read_metadata(p).num_rows for p in (warehouse.raw_dir / table).glob("*.parquet"))
        assert raw == landed, table
        assert unaccounted == 0 and raw == staged + quarantined + duplicates, table


def test_a_lost_staged_row_fails_the_accounting_test(warehouse, tmp_path):
    """The accounting test is not decorative: drop one staged lead and it fails."""
    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse.duckdb_path, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("alter view staging.stg_crm__leads rename to stg_crm__leads_intact")
        con.execute(
            "create view staging.stg_crm__leads as select * from staging.stg_crm__leads_intact"
            " where lead_id <> (select min(lead_id) from staging.stg_crm__leads_intact)"
        )
    select = ["test", "--select", "staging_row_accounting"]
    intact = run_dbt(select, warehouse.raw_dir, warehouse.duckdb_path, check=False)
    assert intact.returncode == 0, intact.stdout[-3000:]
    result = run_dbt(select, warehouse.raw_dir, broken, check=False)
    assert result.returncode != 0
    assert "expression_is_true_staging_row_accounting" in result.stdout
