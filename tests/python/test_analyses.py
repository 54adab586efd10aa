"""The analyses in analyses/ compile, run on the built warehouse and return rows that make sense."""

from __future__ import annotations

import math

import duckdb
import pytest

from conftest import REPO, run_dbt

ANALYSES = sorted(path.stem for path in (REPO / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def results(warehouse, tmp_path_factory) -> dict[str, tuple[list[str], list[tuple]]]:
    """Each analysis compiled by dbt and run read-only on the warehouse: (column names, rows)."""
    # a target of its own, so that the project's target/manifest.json (read by test_docs) is left alone
    target = tmp_path_factory.mktemp("analyses_target")
    run_dbt(
        ["compile", "--select", "resource_type:analysis", "--target-path", str(target)],
        warehouse.raw_dir,
        warehouse.duckdb_path,
    )
    compiled = target / "compiled" / "leadgen" / "analyses"
    out = {}
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        for name in ANALYSES:
            cursor = con.execute((compiled / f"{name}.sql").read_text())
            out[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def _dicts(result) -> list[dict]:
    columns, rows = result
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_the_three_analyses_exist():
    assert ANALYSES == ["channel_mix", "funnel_by_cohort", "pipeline_waterfall"]


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_returns_rows(results, name):
    assert results[name][1], f"analyses/{name}.sql returned no rows"


def test_header_comment_says_what_it_answers():
    for name in ANALYSES:
        text = (REPO / "analyses" / f"{name}.sql").read_text()
        assert text.startswith("{#") and "?" in text.split("#}")[0], f"analyses/{name}.sql: no header question"


def test_funnel_counts_narrow_stage_by_stage(results, warehouse):
    rows = _dicts(results["funnel_by_cohort"])
    for row in rows:
        counts = [row[c] for c in ("leads", "reached_mql", "reached_sql", "reached_opportunity", "reached_customer")]
        assert counts == sorted(counts, reverse=True), row
    [(leads,)] = warehouse.query("select count(*) from marts.fct_lead_lifecycle")
    assert sum(row["leads"] for row in rows) == leads


def test_channel_mix_shares_add_up_to_one(results, warehouse):
    rows = _dicts(results["channel_mix"])
    months = {row["period_month"] for row in rows}
    for month in months:
        in_month = [row for row in rows if row["period_month"] == month]
        for measure in ("sessions", "leads", "signups"):
            if sum(row[measure] for row in in_month) > 0:
                share = sum(row[f"{measure}_share"] for row in in_month)
                assert math.isclose(share, 1.0), (month, measure, share)
            else:
                assert all(row[f"{measure}_share"] is None for row in in_month), (month, measure)
    [(leads,)] = warehouse.query("select count(*) from marts.dim_leads")
    assert sum(row["leads"] for row in rows) == leads


def test_pipeline_waterfall_reconciles(results, warehouse):
    rows = _dicts(results["pipeline_waterfall"])
    pipeline = dict(
        warehouse.query(
            "select period_month, value from marts.kpi_monthly where kpi_id = 'pipeline_value' and dimension = 'all'"
        )
    )
    assert [row["period_month"] for row in rows] == sorted(pipeline), "one row per month of the KPI"
    assert rows[0]["opening_usd"] == 0, "nothing opens the first month"
    previous_closing = 0.0
    for row in rows:
        month = row["period_month"]
        pieces = row["opening_usd"] + row["created_usd"] - row["won_usd"] - row["lost_usd"] + row["other_changes_usd"]
        assert math.isclose(pieces, row["closing_usd"], abs_tol=0.01), row
        assert math.isclose(row["opening_usd"], previous_closing, abs_tol=0.01), row
        assert math.isclose(row["closing_usd"], pipeline[month] or 0.0, abs_tol=0.01), (row, pipeline[month])
        assert min(row["created_usd"], row["won_usd"], row["lost_usd"]) >= 0, row
        previous_closing = row["closing_usd"]
    # the data set has deals that are created, won and lost: the pieces are not all residual
    assert sum(row["created_usd"] for row in rows) > 0
    assert sum(row["won_usd"] for row in rows) > 0
    assert sum(row["lost_usd"] for row in rows) > 0
    assert sum(abs(row["other_changes_usd"]) for row in rows) < sum(row["created_usd"] for row in rows)
