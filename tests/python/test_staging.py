"""Staging loses nothing and catches every injected fault.

Runs on the warehouse built from a `leadgen generate --faults` data set and
checks each entry of its `_faults.json` against what staging did with those
rows: quarantined with the expected reason, repaired and flagged, or
collapsed as a duplicate delivery.
"""

from __future__ import annotations

import shutil
from collections import defaultdict

import duckdb
import pyarrow.parquet as pq
import pytest

from leadgen.contract import LEAD_SOURCES, TABLES_BY_NAME
from leadgen.generate import FAULT_TYPES

from conftest import run_dbt

STAGING_MODEL = {
    "crm_leads": "stg_crm__leads",
    "crm_lead_stage_changes": "stg_crm__lead_stage_changes",
    "crm_accounts": "stg_crm__accounts",
    "crm_users": "stg_crm__users",
    "crm_lead_assignments": "stg_crm__lead_assignments",
    "crm_activities": "stg_crm__activities",
    "crm_deals": "stg_crm__deals",
    "crm_deal_stage_history": "stg_crm__deal_stage_history",
    "marketing_campaigns": "stg_marketing__campaigns",
    "ad_spend": "stg_marketing__ad_spend",
    "marketing_expenses": "stg_marketing__expenses",
    "social_post_metrics": "stg_marketing__social_post_metrics",
    "fx_rates": "stg_finance__fx_rates",
    "web_events": "stg_web__events",
    "email_events": "stg_email__events",
    "newsletter_subscriptions": "stg_email__newsletter_subscriptions",
    "app_users": "stg_product__app_users",
    "product_events": "stg_product__events",
    "referral_invites": "stg_product__referral_invites",
    "billing_subscriptions": "stg_billing__subscriptions",
    "billing_invoices": "stg_billing__invoices",
}
# The email column each model keeps, by raw table (raw column, staged prefix).
EMAIL_COLUMNS = {
    "crm_leads": ("email", ""),
    "crm_users": ("email", ""),
    "app_users": ("email", ""),
    "newsletter_subscriptions": ("email", ""),
    "email_events": ("recipient_email", "recipient_"),
    "referral_invites": ("invitee_email", "invitee_"),
}
# Faults quarantined, with the reason staging must give.
QUARANTINED = {
    "null_key": "null_key",
    "null_timestamp": "null_timestamp",
    "timestamp_before_2000": "timestamp_before_2000",
    "timestamp_in_future": "timestamp_after_as_of",
    "negative_amount": "negative_amount",
    "unknown_currency": "unknown_currency",
    "closed_without_closed_at": "closed_without_closed_at",
}
COLLAPSED = {"duplicate_delivery", "ad_spend_restated"}
# Faults staging keeps (repairing or flagging them); checked one by one below.
KEPT = {
    "future_closed_at", "malformed_email", "email_case_spaces", "null_amount", "orphan_reference",
    "stage_change_before_lead_created", "stage_log_out_of_order", "stage_skipped", "stage_repeated",
    "late_web_event", "bot_user_agent", "null_session_id", "messy_codes",
}


def _key_column(table: str) -> str:
    return TABLES_BY_NAME[table].key[0]


def _staged_keys(warehouse, table: str, where: str = "true") -> set[str]:
    model, key = STAGING_MODEL[table], _key_column(table)
    rows = warehouse.query(f"select cast({key} as varchar) from staging.{model} where {where}")
    return {r[0] for r in rows}


def _entries(warehouse, faults: set[str]):
    return [e for e in warehouse.faults["faults"] if e["fault"] in faults]


def test_every_fault_type_has_a_check():
    assert set(FAULT_TYPES) == set(QUARANTINED) | COLLAPSED | KEPT


def test_faults_manifest_covers_every_fault_type(warehouse):
    assert {e["fault"] for e in warehouse.faults["faults"]} == set(FAULT_TYPES)


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


def test_duplicate_deliveries_are_collapsed(warehouse):
    expected = defaultdict(int)
    for entry in _entries(warehouse, COLLAPSED):
        expected[entry["table"]] += entry["count"]
    actual = dict(warehouse.query("select source_table, duplicate_rows from staging.staging_row_accounting"))
    for table in STAGING_MODEL:
        assert actual[table] == expected.get(table, 0), table


@pytest.mark.parametrize("fault", sorted(QUARANTINED))
def test_quarantined_faults_have_the_expected_reason(warehouse, fault):
    reason = QUARANTINED[fault]
    for entry in _entries(warehouse, {fault}):
        table = entry["table"]
        keys = warehouse.query(
            "select natural_key from staging.quarantine_rows where source_table = ? and quarantine_reason = ?",
            [table, reason],
        )
        assert len(keys) == entry["count"], (table, fault)
        if entry["keys"] and len(TABLES_BY_NAME[table].key) == 1:
            assert {k[0] for k in keys} == set(entry["keys"]), (table, fault)


def test_kept_faults_are_staged_and_flagged(warehouse):
    for entry in _entries(warehouse, KEPT):
        table, fault, keys = entry["table"], entry["fault"], set(entry["keys"])
        if table == "crm_lead_stage_changes":
            # the lifecycle faults name leads or changes: either way they stay staged
            staged = _staged_keys(warehouse, table) | {
                r[0] for r in warehouse.query("select lead_id from staging.stg_crm__lead_stage_changes")
            }
            assert keys <= staged, (table, fault, keys - staged)
            continue
        if fault == "messy_codes" and len(TABLES_BY_NAME[table].key) > 1:
            continue  # the messy code is part of the key: nothing to look up by raw key
        assert keys <= _staged_keys(warehouse, table), (table, fault)
        if fault == "future_closed_at":
            assert keys == _staged_keys(warehouse, table, "is_closed_at_invalid and closed_at is null")
        elif fault == "malformed_email":
            raw_column, prefix = EMAIL_COLUMNS[table]
            flagged = _staged_keys(warehouse, table, f"is_{prefix}email_malformed and {prefix}email_normalized is null")
            assert keys == flagged, (table, fault)
        elif fault == "email_case_spaces":
            _, prefix = EMAIL_COLUMNS[table]
            clean = _staged_keys(
                warehouse, table,
                f"{prefix}email_normalized is not null and {prefix}email_normalized = lower(trim({prefix}email_normalized))",
            )
            assert keys <= clean, (table, fault)
        elif fault == "null_amount":
            assert keys <= _staged_keys(warehouse, table, "amount is null")
        elif fault == "orphan_reference":
            assert keys <= _staged_keys(
                warehouse, table, "lead_id not in (select lead_id from staging.base_crm__leads where lead_id is not null)"
            )
        elif fault == "bot_user_agent":
            assert keys <= _staged_keys(warehouse, table, "is_bot")
        elif fault == "null_session_id":
            assert keys <= _staged_keys(warehouse, table, "session_id is null")
        elif fault == "messy_codes" and table == "crm_leads":
            sources = ", ".join(f"'{s}'" for s in LEAD_SOURCES)
            assert keys <= _staged_keys(warehouse, table, f"lead_source in ({sources})")


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
