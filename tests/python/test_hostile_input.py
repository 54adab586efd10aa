"""Hostile input: bad vars and paths, hostile values, loads the incremental models cannot see.

docs/raw_contract.md ("Hostile values") says what each gets; these tests build
small warehouses of their own under tmp_path, from a copy of the test data
set, so the shared test warehouse is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_dbt

MAX_PLAUSIBLE_AMOUNT = 10_000_000_000  # dbt_project.yml, var max_plausible_amount
LARGEST_MONEY = "9999999999999999.99"  # the largest DECIMAL(18,2)
MODELS_AND_SEEDS = ["--resource-type", "seed", "--resource-type", "model"]


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory) -> Path:
    """A small generated data set without faults (the hostile rows are added per test)."""
    from leadgen.generate import generate

    raw = tmp_path_factory.mktemp("clean") / "raw"
    generate(raw, scale=0.01, seed=3, faults=False)
    return raw


def _copy(raw: Path, target: Path) -> Path:
    shutil.copytree(raw, target)
    return target


def _append(raw: Path, table: str, rows: pd.DataFrame, name: str = "part-9.parquet") -> None:
    """Land extra rows for a raw table in a file of their own, with the table's schema."""
    schema = pq.read_schema(raw / table / "part-0.parquet")
    arrow = pa.Table.from_pandas(rows, schema=schema, preserve_index=False)
    for index, field in enumerate(schema):
        if pa.types.is_floating(field.type):  # from_pandas lands NaN as null; the file must hold NaN itself
            arrow = arrow.set_column(index, field, pa.array(rows[field.name].to_numpy(), type=field.type))
    pq.write_table(arrow, raw / table / name)


def _rows(raw: Path, table: str) -> pd.DataFrame:
    return pq.read_table(raw / table / "part-0.parquet").to_pandas()


def _as_of(db: Path) -> dt.date:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select as_of_date from utilities.util_as_of_date").fetchone()[0]


# ---- vars and paths never reach SQL unchecked

INJECTIONS = [
    ("as_of_date", "\"2026-01-01' as date) as as_of_date; drop table if exists x; select cast('2026-01-01\""),
    ("min_valid_timestamp", "\"2000-01-01' as timestamp) or true or cast('x\""),
    ("contact_sla_minutes", '"60; drop table x"'),
    ("gross_margin", "2"),
    ("crm_leads_passthrough_columns", '["lead_id, (select 1) as x"]'),
    ("crm_leads_passthrough_columns", "[email]"),
    ("crm_deals_passthrough_columns", '[{name: amount, alias: a2, transform_sql: "1) as x, (2"}]'),
    ("raw_schema", '"raw; drop schema marts"'),
]


@pytest.mark.parametrize(("name", "value"), INJECTIONS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(INJECTIONS)])
def test_a_bad_var_stops_the_build_before_sql_naming_the_var(name, value, clean_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    result = run_dbt(
        [
            "run",
            "--select",
            "util_as_of_date",
            "base_crm__leads",
            "--vars",
            f"{{{name}: {value}}}",
            "--target-path",
            str(tmp_path / "target"),
        ],
        clean_raw,
        db,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"dbt accepted {name}={value}"
    assert f"var '{name}'" in output, output[-2000:]
    if db.exists():  # the connection may open, but no model may have run
        with duckdb.connect(str(db), read_only=True) as con:
            tables = con.execute("select table_name from information_schema.tables").fetchall()
        assert tables == [], f"SQL ran despite the bad var: {tables}"


def test_passthrough_of_a_column_free_of_personal_data_still_works(clean_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    run_dbt(
        [
            "build",
            *MODELS_AND_SEEDS,
            "--select",
            "code_variants",
            "util_as_of_date",
            "base_crm__leads",
            "--vars",
            "{crm_leads_passthrough_columns: [{name: job_title, alias: raw_job_title}]}",
            "--target-path",
            str(tmp_path / "target"),
        ],
        clean_raw,
        db,
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(raw_job_title) from staging.base_crm__leads").fetchone()[0] > 0


def test_a_raw_folder_with_a_quote_and_braces_is_read_as_given(clean_raw, tmp_path):
    raw = _copy(clean_raw, tmp_path / "o'brien {data}" / "raw")
    db = tmp_path / "w.duckdb"
    run_dbt(
        ["run", "--select", "util_as_of_date", "+stg_finance__fx_rates", "--target-path", str(tmp_path / "target")],
        raw,
        db,
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_finance__fx_rates").fetchone()[0] > 0


def test_ad_spend_builds_with_its_optional_conversions_column_in_some_files_or_none(clean_raw, tmp_path):
    """ad_spend.conversions is optional: a file without it reads null; with no file holding it, null throughout."""
    raw = _copy(clean_raw, tmp_path / "raw")
    table = pq.read_table(raw / "ad_spend" / "part-0.parquet")
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half).drop_columns(["conversions"]), raw / "ad_spend" / "part-0.parquet")
    pq.write_table(table.slice(half), raw / "ad_spend" / "part-1.parquet")
    claimed = table.slice(half)["conversions"].null_count < table.num_rows - half
    select = ["build", *MODELS_AND_SEEDS, "--select", "util_as_of_date", "+int_ad_spend_months"]
    select += ["--target-path", str(tmp_path / "target")]
    query = "select count(*), count(conversions) from staging.stg_marketing__ad_spend"
    db = tmp_path / "some.duckdb"
    run_dbt(select, raw, db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows, with_claim = con.execute(query).fetchone()
    assert rows == table.num_rows and 0 < with_claim <= rows - half and claimed
    pq.write_table(table.slice(half).drop_columns(["conversions"]), raw / "ad_spend" / "part-1.parquet")
    db = tmp_path / "none.duckdb"
    run_dbt(select, raw, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(query).fetchone() == (table.num_rows, 0)
        assert con.execute("select count(claimed_conversions) from intermediate.int_ad_spend_months").fetchone() == (0,)


# ---- hostile values: quarantined with their reason, and the marts still build


def _hostile(raw: Path) -> dict:
    """Add hostile rows to a copy of the raw data; return what the build must make of them."""
    rates = _rows(raw, "fx_rates")
    eur = rates[rates["currency_code"] == "EUR"].sort_values("month")
    kept = eur.iloc[len(eur) // 2]  # a valid rate a later NaN delivery must not erase
    redelivered = pd.DataFrame([kept] * 3)
    redelivered["usd_per_unit"] = [float("nan"), 0.0, float("inf")]
    redelivered["_loaded_at"] = [kept["_loaded_at"] + pd.Timedelta(hours=h) for h in (1, 2, 3)]
    fresh = pd.DataFrame([kept] * 2)
    fresh["currency_code"] = ["XAA", "XAB"]
    fresh["usd_per_unit"] = [float("-inf"), float("nan")]
    _append(raw, "fx_rates", pd.concat([redelivered, fresh]))

    deals = _rows(raw, "crm_deals")
    usd_deals = deals[(deals["currency_code"] == "USD") & deals["amount"].notna()].head(4).copy()
    usd_deals["deal_id"] = [f"hostile_deal_{i}" for i in range(4)]
    usd_deals["amount"] = [
        Decimal(str(v)) for v in (MAX_PLAUSIBLE_AMOUNT, MAX_PLAUSIBLE_AMOUNT, LARGEST_MONEY, MAX_PLAUSIBLE_AMOUNT + 1)
    ]
    _append(raw, "crm_deals", usd_deals)

    invoices = _rows(raw, "billing_invoices")
    paid = invoices[(invoices["status"] == "paid") & (invoices["currency_code"] == "USD")].head(3).copy()
    paid["invoice_id"] = [f"hostile_invoice_{i}" for i in range(3)]
    paid["amount"] = [Decimal(v) for v in (str(MAX_PLAUSIBLE_AMOUNT), LARGEST_MONEY, LARGEST_MONEY)]
    _append(raw, "billing_invoices", paid)

    spend = _rows(raw, "ad_spend").head(4).copy()
    spend["campaign_id"] = [f"hostile_campaign_{i}" for i in range(4)]
    spend["spend"] = [Decimal(v) for v in (str(MAX_PLAUSIBLE_AMOUNT), LARGEST_MONEY, "1", "1")]
    spend["impressions"] = [1, 1, -5, 1]
    spend["clicks"] = [1, 1, 1, -1]
    _append(raw, "ad_spend", spend)

    users = _rows(raw, "crm_users").head(2).copy()
    users["user_id"] = ["hostile_user_future", "hostile_user_unloaded"]
    users["_loaded_at"] = [pd.Timestamp("2200-01-01"), pd.NaT]
    _append(raw, "crm_users", users)
    return {"kept_rate": kept}


def test_hostile_values_are_quarantined_and_every_kpi_still_builds(clean_raw, tmp_path):
    raw = _copy(clean_raw, tmp_path / "raw")
    expected = _hostile(raw)
    db = tmp_path / "w.duckdb"
    # data tests included: the row accounting, money and ratio bounds must hold
    run_dbt(["build", "--exclude-resource-type", "unit_test", "--target-path", str(tmp_path / "target")], raw, db)

    with duckdb.connect(str(db), read_only=True) as con:

        def reasons(table: str, key_like: str) -> list[tuple]:
            return con.execute(
                "select quarantine_reason, count(*) from staging.quarantine_rows "
                "where source_table = ? and natural_key like ? group by 1 order by 1",
                [table, key_like],
            ).fetchall()

        assert reasons("crm_deals", "hostile_deal_%") == [("implausible_amount", 2)]
        assert reasons("billing_invoices", "hostile_invoice_%") == [("implausible_amount", 2)]
        assert reasons("ad_spend", "%hostile_campaign_%") == [("implausible_amount", 1), ("negative_count", 2)]
        assert reasons("crm_users", "hostile_user_%") == [("loaded_in_future", 1), ("null_loaded_at", 1)]
        assert reasons("fx_rates", "%") == [("invalid_rate", 1), ("non_finite_value", 4)]
        # the valid EUR rate survives the later NaN, 0 and Infinity deliveries
        kept = expected["kept_rate"]
        rate = con.execute(
            "select usd_per_unit from staging.stg_finance__fx_rates where rate_month = ? and currency_code = 'EUR'",
            [kept["month"]],
        ).fetchall()
        assert rate == [(kept["usd_per_unit"],)]
        # amounts at the bound are staged and summed without overflow
        staged = con.execute(
            "select count(*) from staging.stg_crm__deals where deal_id like 'hostile_deal_%'"
        ).fetchone()[0]
        assert staged == 2
        assert con.execute("select count(*) from marts.kpi_monthly").fetchone()[0] > 0
        # the crm_users row loaded in 2200 does not move the as-of day
        newest_valid = con.execute(
            f"select max(_loaded_at) from read_parquet('{raw}/*/*.parquet', union_by_name = true) "
            "where _loaded_at <= current_timestamp"
        ).fetchone()[0]
    assert _as_of(db) == newest_valid.date()


# ---- loads an incremental model cannot see stop the run, loads in the future wait


def _activities_run(raw: Path, db: Path, tmp_path: Path, *extra: str, check: bool = True):
    return run_dbt(
        [
            "build",
            *MODELS_AND_SEEDS,
            "--select",
            "code_variants",
            "util_as_of_date",
            "base_crm__activities",
            *extra,
            "--target-path",
            str(tmp_path / "target"),
        ],
        raw,
        db,
        check=check,
    )


@pytest.mark.parametrize("loaded_at", ["backfill", "null"])
def test_an_incremental_run_stops_on_rows_it_cannot_see(loaded_at, clean_raw, tmp_path):
    raw = _copy(clean_raw, tmp_path / "raw")
    db = tmp_path / "w.duckdb"
    _activities_run(raw, db, tmp_path)
    rows = _rows(raw, "crm_activities").head(7).copy()
    rows["activity_id"] = [f"backfilled_{i}" for i in range(7)]
    rows["_loaded_at"] = rows["_loaded_at"].min() if loaded_at == "backfill" else pd.NaT
    _append(raw, "crm_activities", rows)

    result = _activities_run(raw, db, tmp_path, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the incremental run dropped rows landed below its watermark"
    assert "crm_activities" in output and "--full-refresh --select base_crm__activities+" in output, output[-2000:]

    _activities_run(raw, db, tmp_path, "--full-refresh")
    with duckdb.connect(str(db), read_only=True) as con:
        held = con.execute(
            "select count(*) from staging.base_crm__activities where activity_id like 'backfilled_%'"
        ).fetchone()[0]
    assert held == 7


def test_a_row_loaded_in_the_future_waits_and_is_held_once(clean_raw, tmp_path):
    raw = _copy(clean_raw, tmp_path / "raw")
    db = tmp_path / "w.duckdb"
    _activities_run(raw, db, tmp_path)
    rows = _rows(raw, "crm_activities").head(2).copy()
    rows["activity_id"] = ["future_0", "future_1"]
    rows["_loaded_at"] = pd.Timestamp("2200-01-01")
    _append(raw, "crm_activities", rows)
    for _ in range(2):  # each run reads them again; they must not pile up
        _activities_run(raw, db, tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        held = con.execute(
            "select quarantine_reason, count(*) from staging.base_crm__activities "
            "where activity_id like 'future_%' group by 1"
        ).fetchall()
        raw_count = con.execute(f"select count(*) from read_parquet('{raw}/crm_activities/*.parquet')").fetchone()[0]
        base_count = con.execute("select count(*) from staging.base_crm__activities").fetchone()[0]
    assert held == [("loaded_in_future", 2)]
    assert base_count == raw_count, "every raw row is held exactly once"


# ---- personal data stays in staging


def test_quarantined_raw_rows_and_marts_hold_no_raw_personal_data(warehouse):
    pii = {
        "crm_leads": ["email", "first_name", "last_name"],
        "crm_users": ["full_name", "email"],
        "app_users": ["email"],
        "email_events": ["recipient_email"],
        "newsletter_subscriptions": ["email"],
        "referral_invites": ["invitee_email"],
    }
    checked = 0
    for table, columns in pii.items():
        for column in columns:
            values = warehouse.query(
                f"select json_extract_string(raw_row, '$.{column}') from staging.quarantine_rows "
                f"where source_table = '{table}' and json_extract_string(raw_row, '$.{column}') is not null"
            )
            checked += len(values)
            leaked = [v for (v,) in values if len(v) != 64 or any(c not in "0123456789abcdef" for c in v)]
            assert not leaked, f"quarantine_rows keeps raw {table}.{column}: {leaked[:3]}"
    assert checked > 0, "no quarantined row with personal data to check"
    hashes = warehouse.query("select distinct length(email_hash) from marts.dim_leads where email_hash is not null")
    assert hashes == [(64,)], "dim_leads.email_hash must be the keyed SHA-256 (64 hex characters)"


def test_the_email_hash_depends_on_the_salt(clean_raw, tmp_path):
    hashes = []
    for salt in ("salt-one", "salt-two"):
        db = tmp_path / f"{salt}.duckdb"
        env_salt = os.environ.get("LEADGEN_PII_SALT")
        os.environ["LEADGEN_PII_SALT"] = salt
        try:
            run_dbt(
                ["run", "--select", "util_as_of_date", "base_crm__users", "--target-path", str(tmp_path / "target")],
                clean_raw,
                db,
            )
        finally:
            if env_salt is None:
                os.environ.pop("LEADGEN_PII_SALT")
            else:
                os.environ["LEADGEN_PII_SALT"] = env_salt
        with duckdb.connect(str(db), read_only=True) as con:
            hashes.append(
                con.execute(
                    "select email_hash from staging.base_crm__users "
                    "where email_hash is not null order by user_id limit 1"
                ).fetchone()[0]
            )
    assert hashes[0] != hashes[1]


def test_the_gate_trims_the_same_characters_as_staging():
    import re

    from leadgen.validate.raw import WHITESPACE

    macro = (Path(__file__).resolve().parents[2] / "macros" / "text.sql").read_text()
    block = macro[
        macro.index("macro whitespace_code_points") : macro.index(
            "endmacro", macro.index("macro whitespace_code_points")
        )
    ]
    staging = {int(n) for n in re.findall(r"\d+", block)}
    assert staging == {ord(c) for c in WHITESPACE}
