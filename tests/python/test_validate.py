"""The data-quality gate (leadgen validate raw / marts, Great Expectations 1.x).

Raw: a clean generated set passes without a warning, the fault set passes
with warnings, a broken copy stops with exit code 2 naming table and column,
schema drift and an empty table only warn.  Marts: a small fake
kpi_monthly passes, wrong as-of, partial-month or is_mature values warn,
and a missing overall row or column stops the build.

Runs the command line in-process (one Great Expectations import); only the
clean run renders Data Docs, the others pass --no-docs to stay fast.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from leadgen.cli import main
from leadgen.contract import MONEY, TABLES_BY_NAME, TIMESTAMP, VARCHAR, arrow_type
from leadgen.validate.raw import is_compatible, normalised_code, variants_for

SMALL = 0.02
SEEDS = ["--seeds-dir", str(REPO / "seeds")]


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory):
    from leadgen.generate import generate

    out = tmp_path_factory.mktemp("clean") / "raw"
    generate(out, scale=SMALL, seed=42)
    return out


@pytest.fixture(scope="module")
def faulty_raw(tmp_path_factory):
    from leadgen.generate import generate

    out = tmp_path_factory.mktemp("faulty") / "raw"
    generate(out, scale=SMALL, seed=42, faults=True)
    return out


def _raw(raw_dir, report_dir, capsys, *extra) -> tuple[int, str, str]:
    # a warehouse that does not exist: the backfill check must not read the developer's
    no_warehouse = ["--duckdb", str(report_dir.parent / "no_warehouse.duckdb")]
    code = main(
        ["validate", "raw", "--raw-dir", str(raw_dir), "--report-dir", str(report_dir), *SEEDS, *no_warehouse, *extra]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _rewrite(folder, change) -> None:
    """Apply `change` (an Arrow table -> Arrow table) to every Parquet file of a table folder."""
    for path in sorted(folder.glob("*.parquet")):
        pq.write_table(change(pq.read_table(path)), path)


# -- building blocks ---------------------------------------------------------


def test_type_compatibility_follows_families_not_exact_types():
    assert is_compatible(pa.large_string(), VARCHAR)
    assert is_compatible(pa.timestamp("ns", tz="UTC"), TIMESTAMP)
    assert is_compatible(pa.float64(), MONEY)
    assert is_compatible(pa.null(), TIMESTAMP)
    assert not is_compatible(pa.string(), TIMESTAMP)
    assert not is_compatible(pa.int64(), VARCHAR)
    assert all(is_compatible(arrow_type(c.type), c.type) for t in TABLES_BY_NAME.values() for c in t.columns)


def test_codes_are_normalised_as_staging_does_before_the_enum_check():
    variants = {
        "lead_stage": {"marketing_qualified_lead": "mql", "dq": "disqualified"},
        "email_event_type": {"open": "opened"},
    }
    stage = TABLES_BY_NAME["crm_lead_stage_changes"].column("stage")
    mapping = variants_for(stage.enum, variants)
    # only the code type whose canonical values are all lead stages applies
    assert mapping == {"marketing_qualified_lead": "mql", "dq": "disqualified"}
    rows = duckdb.sql(
        f"select {normalised_code('stage', mapping)} from (values (' MQL '), ('Marketing Qualified-Lead'), "
        "('DQ'), (''), (null), ('weird')) as t(stage)"
    ).fetchall()
    assert [r[0] for r in rows] == ["mql", "mql", "disqualified", None, None, "weird"]


# -- leadgen validate raw -----------------------------------------------------


def test_clean_data_passes_without_warnings_and_writes_data_docs(clean_raw, tmp_path, capsys):
    code, out, err = _raw(clean_raw, tmp_path / "report", capsys)
    assert code == 0, out + err
    summary = json.loads((tmp_path / "report" / "raw_summary.json").read_text())
    assert [f for f in summary["findings"] if f["severity"] in ("critical", "warning")] == []
    tables = [t for t in summary["tables"] if t["is_table"]]
    assert len(tables) == 21 and all(t["checked"] and t["rows"] > 0 and t["failed"] == 0 for t in tables)
    assert "validate raw: passed: 21 tables" in out
    index = tmp_path / "report" / "raw" / "index.html"
    assert index.exists() and f"data docs: {index}" in out
    assert list((tmp_path / "report" / "raw" / "validations").rglob("*crm_leads*.html"))


def test_faulty_data_warns_but_does_not_stop_the_build(faulty_raw, tmp_path, capsys):
    code, out, err = _raw(faulty_raw, tmp_path / "report", capsys, "--no-docs")
    assert code == 0, out + err
    assert "CRITICAL" not in out + err
    summary = json.loads((tmp_path / "report" / "raw_summary.json").read_text())
    warned = {(f["table"], f["column"]) for f in summary["findings"] if f["severity"] == "warning"}
    # injected faults: negative deal amounts and timestamps before 2000
    assert ("crm_deals", "amount") in warned
    assert ("crm_leads", "created_at") in warned
    assert "0 critical" in out and "warnings" in out


def test_broken_copy_stops_with_exit_2_naming_table_and_column(clean_raw, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    _rewrite(raw / "crm_deals", lambda t: t.drop_columns(["amount"]))
    _rewrite(
        raw / "app_users",
        lambda t: t.set_column(
            t.schema.get_field_index("signed_up_at"), "signed_up_at", t["signed_up_at"].cast(pa.string())
        ),
    )
    shutil.rmtree(raw / "web_events")
    code, out, err = _raw(raw, tmp_path / "report", capsys, "--no-docs")
    assert code == 2
    assert "CRITICAL crm_deals.amount: required column missing" in err
    assert "CRITICAL app_users.signed_up_at: incompatible type string" in err
    assert "CRITICAL web_events: table folder missing" in err
    assert "FAILED (critical)" in out
    # the other tables are still checked, so one run lists every problem
    assert "crm_leads" in out and " 0 failed" in out


def test_extra_column_is_tolerated_and_an_empty_table_only_warns(clean_raw, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    _rewrite(raw / "crm_leads", lambda t: t.append_column("lead_status", pa.array(["open"] * t.num_rows)))
    # one row far beyond pandas' nanosecond range: counted as out of range (within `mostly`), no crash
    _rewrite(
        raw / "crm_accounts",
        lambda t: t.set_column(
            t.schema.get_field_index("created_at"),
            "created_at",
            pa.concat_arrays(
                [pa.array([dt.datetime(9999, 12, 31)], pa.timestamp("us")), t["created_at"].combine_chunks().slice(1)]
            ),
        ),
    )
    _rewrite(raw / "newsletter_subscriptions", lambda t: t.slice(0, 0))
    # only the tables concerned: the whole-set runs are the tests above
    code, out, err = _raw(
        raw, tmp_path / "report", capsys, "--no-docs", "--tables", "crm_leads,crm_accounts,newsletter_subscriptions"
    )
    assert code == 0, out + err
    assert "validate raw: passed: 3 tables" in out
    assert "NOTE     crm_leads: extra columns tolerated (not read): lead_status" in out
    assert "WARNING  newsletter_subscriptions: expect_table_row_count_to_be_between" in out
    assert "newsletter_subscriptions: empty table" in out
    assert "1 warnings, 0 critical" in out


def test_an_optional_column_may_be_missing_from_every_file(clean_raw, tmp_path, capsys):
    # ad_spend.conversions is optional in the contract: staging reads null without it
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    _rewrite(raw / "ad_spend", lambda t: t.drop_columns(["conversions"]))
    code, out, err = _raw(raw, tmp_path / "report", capsys, "--no-docs", "--tables", "ad_spend")
    assert code == 0, out + err
    assert "NOTE     ad_spend.conversions: optional column absent from every file" in out
    assert "0 critical" in out


# -- leadgen validate marts ---------------------------------------------------


def _fake_warehouse(path) -> None:
    """A kpi_monthly of two KPIs over six months, one of them a fraction (open_rate), as of 2025-06-15.

    Its kpi_catalog marks no cohort KPI, so is_mature is null throughout; June is the partial month.
    """
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("""
            create table marts.kpi_catalog (kpi_id varchar, unit varchar, is_fraction boolean, is_cohort boolean)
        """)
        con.execute(
            "insert into marts.kpi_catalog values ('lead_generation', 'count', false, false), "
            "('open_rate', 'ratio', true, false)"
        )
        con.execute("""
            create table marts.kpi_monthly as
            with
            months as (
                select cast(unnest(generate_series(timestamp '2025-01-01', timestamp '2025-06-01', interval 1 month))
                    as date) as period_month
            ),
            kpis (kpi_id, kpi_name, unit) as (
                values ('lead_generation', 'Lead Generation', 'count'), ('open_rate', 'Open Rate', 'ratio')
            ),
            dims (dimension, dimension_value, share) as (
                values ('all', 'all', 1.0), ('channel', 'email', 0.4), ('channel', 'paid_search', 0.6)
            )
            select
                kpi_id, kpi_name, period_month, dimension, dimension_value,
                case when unit = 'count' then 100 * share + month(period_month) else 0.25 end as value,
                case when unit = 'ratio' then 25.0 end as numerator,
                case when unit = 'ratio' then 100.0 end as denominator,
                unit,
                cast(null as boolean) as is_mature,
                period_month = date '2025-06-01' as is_partial_month,
                date '2025-06-15' as as_of_date
            from kpis cross join months cross join dims
        """)


def _marts(db, report_dir, capsys, *extra) -> tuple[int, str, str]:
    code = main(
        ["validate", "marts", "--duckdb", str(db), "--report-dir", str(report_dir), "--no-docs", *SEEDS, *extra]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_marts_pass_then_compare_row_counts_with_the_previous_run(tmp_path, capsys):
    db, report = tmp_path / "wh.duckdb", tmp_path / "report"
    _fake_warehouse(db)
    code, out, err = _marts(db, report, capsys)
    assert code == 0, out + err
    assert "0 failed, 0 warnings, 0 critical" in out
    snapshot = json.loads((report / "kpi_monthly_snapshot.json").read_text())
    assert snapshot["row_counts"] == {"lead_generation": 18, "open_rate": 18}

    with duckdb.connect(str(db)) as con:  # the next build lost open_rate's breakdown
        con.execute("delete from marts.kpi_monthly where kpi_id = 'open_rate' and dimension <> 'all'")
    code, out, err = _marts(db, report, capsys)
    assert code == 0, out + err
    assert "WARNING  marts.kpi_monthly.row_count_ratio" in out and "kpi_id='open_rate'" in out
    drift = json.loads((report / "kpi_monthly_drift.json").read_text())
    assert {k["kpi_id"]: k["previous_row_count"] for k in drift["kpis"]}["open_rate"] == 18


def test_marts_warn_on_fractions_out_of_range_and_month_over_month_jumps(tmp_path, capsys):
    db = tmp_path / "wh.duckdb"
    _fake_warehouse(db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "update marts.kpi_monthly set value = 1.7 where kpi_id = 'open_rate' and dimension_value = 'email' "
            "and period_month = date '2025-02-01'"
        )
        con.execute(
            "update marts.kpi_monthly set value = 5000 where kpi_id = 'lead_generation' and dimension = 'all' "
            "and period_month = date '2025-04-01'"
        )
    code, out, err = _marts(db, tmp_path / "report", capsys)
    assert code == 0, out + err
    assert "WARNING  marts.kpi_monthly.fraction_value" in out and "kpi_id='open_rate' period_month=2025-02-01" in out
    assert "WARNING  marts.kpi_monthly.jump_factor" in out and "period_month=2025-04-01" in out
    # a looser factor lets the jump through
    code, out, err = _marts(db, tmp_path / "report2", capsys, "--jump-factor", "100")
    assert "jump_factor" not in out


def test_marts_warn_on_as_of_date_partial_months_and_is_mature_outside_cohorts(tmp_path, capsys):
    db = tmp_path / "wh.duckdb"
    _fake_warehouse(db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "update marts.kpi_monthly set as_of_date = date '2025-06-16' "
            "where kpi_id = 'open_rate' and period_month = date '2025-01-01'"
        )
        con.execute(
            "update marts.kpi_monthly set is_partial_month = true "
            "where kpi_id = 'lead_generation' and period_month = date '2025-05-01' and dimension = 'all'"
        )
        con.execute(
            "update marts.kpi_monthly set is_mature = true "
            "where kpi_id = 'lead_generation' and period_month = date '2025-02-01' and dimension = 'all'"
        )
    code, out, err = _marts(db, tmp_path / "report", capsys)
    assert code == 0, out + err
    assert "WARNING  marts.kpi_monthly.as_of_date" in out
    assert "WARNING  marts.kpi_monthly.partial_outside_as_of_month" in out and "period_month=2025-05-01" in out
    assert "WARNING  marts.kpi_monthly.is_mature_as_catalogued" in out and "period_month=2025-02-01" in out

    with duckdb.connect(str(db)) as con:  # a warehouse built before the columns existed
        con.execute("alter table marts.kpi_monthly drop column is_partial_month")
    code, out, err = _marts(db, tmp_path / "report", capsys)
    assert code == 2 and "CRITICAL marts.kpi_monthly.is_partial_month: required column missing" in err


def test_marts_missing_overall_row_or_table_is_critical(tmp_path, capsys):
    db = tmp_path / "wh.duckdb"
    _fake_warehouse(db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "delete from marts.kpi_monthly where kpi_id = 'lead_generation' and dimension = 'all' "
            "and period_month = date '2025-03-01'"
        )
    code, out, err = _marts(db, tmp_path / "report", capsys)
    assert code == 2
    assert "CRITICAL marts.kpi_monthly.has_overall_row" in err
    assert "kpi_id='lead_generation' period_month=2025-03-01" in err

    with duckdb.connect(str(db)) as con:
        con.execute("drop table marts.kpi_monthly")
    code, out, err = _marts(db, tmp_path / "report", capsys)
    assert code == 2 and "CRITICAL marts.kpi_monthly: table missing" in err
