"""Custom columns on every CRM object (docs/custom_columns.md).

A small generated data set gets extra columns in crm_leads, crm_accounts,
crm_deals and crm_activities; the vars crm_<object>_passthrough_columns carry
them, as names or {name, alias, transform_sql} mappings, to the marts (to
int_activities for activities).  Bad entries stop the run before any SQL,
naming the var.  Every warehouse is built under tmp_path, only the models
the custom columns pass through and their parents.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt

# Extra raw columns, each derived from the row's key so that a test can recompute it.
EXTRA_RAW_COLUMNS = {
    "crm_leads": "'status_' || lead_id as lead_status, 'r_' || lead_id as region",
    "crm_accounts": "'tier_' || account_id as tier",
    "crm_deals": "40 as probability_pct",
    "crm_activities": "length(activity_id) as call_minutes",
}

VARS = (
    "{crm_leads_passthrough_columns:"
    " [lead_status, {name: region, alias: sales_region, transform_sql: 'upper(region)'}],"
    " crm_accounts_passthrough_columns: [{name: tier, alias: account_tier}],"
    " crm_deals_passthrough_columns:"
    " [{name: probability_pct, alias: win_probability, transform_sql: 'probability_pct / 100.0'}],"
    " crm_activities_passthrough_columns: [call_minutes]}"
)

# (model, schema, its custom columns in order, a condition every row meets, a count that must be > 0)
EXPECTED = [
    (
        "dim_leads",
        "marts",
        ["lead_status", "sales_region"],
        "lead_status = 'status_' || lead_id and sales_region = upper('r_' || lead_id)",
        "count(sales_region)",
    ),
    (
        "dim_accounts",
        "marts",
        ["account_tier"],
        # billing-only accounts have no CRM row, so no tier
        "account_tier is not distinct from case when is_crm_account then 'tier_' || account_id end",
        "count(account_tier)",
    ),
    ("fct_deals", "marts", ["win_probability"], "abs(win_probability - 0.4) < 1e-9", "count(win_probability)"),
    ("int_activities", "intermediate", ["call_minutes"], "call_minutes = length(activity_id)", "count(call_minutes)"),
]

# The models each object's columns pass through (macros/vars.sql, crm_passthrough_models), with their schema.
CHAINS = {
    "dim_leads": [("staging", "base_crm__leads"), ("staging", "stg_crm__leads"), ("intermediate", "int_leads")],
    "dim_accounts": [
        ("staging", "base_crm__accounts"),
        ("staging", "stg_crm__accounts"),
        ("intermediate", "int_accounts"),
    ],
    "fct_deals": [("staging", "base_crm__deals"), ("staging", "stg_crm__deals"), ("intermediate", "int_deals")],
    "int_activities": [("staging", "base_crm__activities"), ("staging", "stg_crm__activities")],
}

SELECT = ["+dim_leads", "+dim_accounts", "+fct_deals", "+int_activities"]


@pytest.fixture(scope="module")
def custom_raw(tmp_path_factory) -> Path:
    """A small clean data set whose four CRM tables carry the extra columns."""
    from leadgen.generate import generate

    raw = tmp_path_factory.mktemp("custom") / "raw"
    generate(raw, scale=0.01, seed=3, faults=False)
    with duckdb.connect() as con:
        for table, columns in EXTRA_RAW_COLUMNS.items():
            folder = raw / table
            con.execute(
                f"create table widened as select *, {columns}"
                f" from read_parquet('{folder}/*.parquet', union_by_name = true)"
            )
            shutil.rmtree(folder)
            folder.mkdir()
            con.execute(f"copy widened to '{folder / 'part-0.parquet'}' (format parquet)")
            con.execute("drop table widened")
    return raw


@pytest.fixture(scope="module")
def built(custom_raw, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("custom_build")
    db = work / "w.duckdb"
    run_dbt(
        [
            "build",
            "--exclude-resource-type",
            "unit_test",  # their fixtures have no custom columns
            "--indirect-selection",
            "cautious",  # only the data tests of the models built
            "--select",
            *SELECT,
            "--vars",
            VARS,
            "--target-path",
            str(work / "target"),
        ],
        custom_raw,
        db,
    )
    return db


def _columns(con, schema: str, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


@pytest.mark.parametrize(("model", "schema", "custom", "condition", "count"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_custom_columns_arrive_last_with_alias_and_transform(built, model, schema, custom, condition, count):
    with duckdb.connect(str(built), read_only=True) as con:
        columns = _columns(con, schema, model)
        assert columns[-len(custom) :] == custom, columns
        assert "region" not in columns and "tier" not in columns and "probability_pct" not in columns
        rows, present, wrong = con.execute(
            f"select count(*), {count}, count(*) filter (where not coalesce({condition}, false)) from {schema}.{model}"
        ).fetchone()
        assert rows > 0 and present > 0, (model, rows, present)
        assert wrong == 0, f"{model}: {wrong} of {rows} rows do not meet {condition}"
        for upstream_schema, upstream in CHAINS[model]:
            assert set(custom) <= set(_columns(con, upstream_schema, upstream)), upstream


REFUSED = [
    # personal data, by name and inside transform_sql
    ("crm_leads_passthrough_columns", "[{name: first_name, alias: given_name}]", "personal data"),
    ("crm_leads_passthrough_columns", "[{name: region, alias: r2, transform_sql: 'coalesce(region, email)'}]", "email"),
    # transform_sql that is more than one expression
    ("crm_deals_passthrough_columns", "[{name: probability_pct, alias: p, transform_sql: '1; drop table x'}]", "';'"),
    ("crm_deals_passthrough_columns", "[{name: probability_pct, alias: p, transform_sql: '(select 1)'}]", "subquery"),
    # aliases (or bare names) that a model already has
    ("crm_accounts_passthrough_columns", "[{name: tier, alias: segment}]", "int_accounts already has"),
    ("crm_leads_passthrough_columns", "[job_title]", "base_crm__leads already has"),
]


@pytest.mark.parametrize(("name", "value", "reason"), REFUSED, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(REFUSED)])
def test_a_bad_entry_stops_the_run_before_sql_naming_the_var(custom_raw, tmp_path, name, value, reason):
    db = tmp_path / "w.duckdb"
    result = run_dbt(
        [
            "run",
            "--select",
            "util_as_of_date",
            "--vars",
            f"{{{name}: {value}}}",
            "--target-path",
            str(tmp_path / "target"),
        ],
        custom_raw,
        db,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"dbt accepted {name}={value}"
    assert f"var '{name}'" in output and reason in output, output[-2000:]
    if db.exists():  # the connection may open, but no model may have run
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("select table_name from information_schema.tables").fetchall() == []


def test_the_incremental_activities_ask_for_a_full_refresh_when_the_var_changes(built, custom_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(built, db)
    result = run_dbt(
        ["run", "--select", "base_crm__activities", "--target-path", str(tmp_path / "target")],
        custom_raw,
        db,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "var 'crm_activities_passthrough_columns'" in output and "--full-refresh" in output, output[-2000:]
