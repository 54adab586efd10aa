"""The DAG rules analytics engineers expect (dbt-project-evaluator's modeling rules), checked on the manifest.

- sources are read only by base_ models (and the as-of date and row
  accounting, which look at every raw table);
- no model reads a layer above its own (an intermediate model never reads a
  mart, staging never reads intermediate);
- a staging model feeds at most three marts directly (more means the logic
  they share belongs in an intermediate model);
- no model rejoins an upstream model through a model that has no other
  child, except the rejoins listed in ALLOWED_REJOINS with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run_dbt
from leadgen.docs import cohort_kpi_ids

# utilities (the as-of date, the month spine) serve every layer and are left out
LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}

# (upstream, single-child model, child): why the shape is kept.
ALLOWED_REJOINS = {
    ("kpi_ltv", "kpi_ltv_to_cac_ratio", "kpi_monthly"): "kpi_monthly stacks every kpi_ table",
    ("kpi_cac", "kpi_ltv_to_cac_ratio", "kpi_monthly"): "kpi_monthly stacks every kpi_ table",
    ("kpi_ltv", "kpi_payback_period", "kpi_monthly"): "kpi_monthly stacks every kpi_ table",
    ("kpi_cac", "kpi_payback_period", "kpi_monthly"): "kpi_monthly stacks every kpi_ table",
    (
        "util_months",
        "int_stage_win_probabilities",
        "kpi_forecasted_win_rate",
    ): "every kpi_ table takes its months from util_months (kpi_series); the probabilities are per month too",
    (
        "stg_web__events",
        "int_web__untracked_events_sessionized",
        "int_web__events_sessionized",
    ): "only the events without a tracker session are sessionised (incrementally); the view puts them back "
    "beside the tracked ones instead of copying every event",
    (
        "int_leads",
        "int_lead_fit_matches",
        "fct_lead_scores",
    ): "the score covers every live lead; the fit matches list only leads that meet a criterion",
    (
        "int_leads",
        "int_lead_engagement_signals",
        "fct_lead_scores",
    ): "the score covers every live lead; the engagement signals list only leads with a signal",
    (
        "int_app_users",
        "int_user_visitors",
        "int_signup_attribution",
    ): "attribution covers every live sign-up; int_user_visitors lists only sign-ups seen on the web",
}
# kpi_monthly stamps every row with the as-of date (as_of_date, is_partial_month); the cohort
# kpi_ tables read it too, for is_mature.
ALLOWED_REJOINS.update(
    {
        ("util_as_of_date", f"kpi_{kpi_id}", "kpi_monthly"): "kpi_monthly carries the as-of date; cohorts read "
        "it for is_mature"
        for kpi_id in cohort_kpi_ids(REPO)
    }
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("dag") / "target"
    run_dbt(["parse", "--target-path", str(target)], REPO / "data" / "raw", target / "unused.duckdb")
    manifest = json.loads((target / "manifest.json").read_text())
    models = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    parents = {
        k: [p for p in v["depends_on"]["nodes"] if p in models or p.startswith("source.")] for k, v in models.items()
    }
    children: dict[str, list[str]] = {k: [] for k in models}
    for child, ps in parents.items():
        for parent in ps:
            if parent in children:
                children[parent].append(child)
    return {"models": models, "parents": parents, "children": children}


def _name(unique_id: str) -> str:
    return unique_id.split(".")[-1]


def _layer(node: dict) -> str:
    return Path(node["original_file_path"]).parts[1]


def test_sources_are_read_by_base_models_only(graph):
    readers = {_name(k) for k, ps in graph["parents"].items() if any(p.startswith("source.") for p in ps)}
    # the as-of date is the newest load of any raw table; the row accounting counts raw rows;
    # a CRM vendor's adapter models (models/adapters/, built only for that vendor) read its tables
    # in place of the raw contract's
    others = {r for r in readers if not r.startswith(("base_", "hubspot__", "salesforce__"))}
    assert others <= {"util_as_of_date", "staging_row_accounting"}


def test_no_model_reads_a_layer_above_its_own(graph):
    models = graph["models"]
    upward = [
        (_name(k), _name(p))
        for k, ps in graph["parents"].items()
        for p in ps
        if p in models
        and _layer(models[k]) in LAYERS
        and _layer(models[p]) in LAYERS
        and LAYERS[_layer(models[p])] > LAYERS[_layer(models[k])]
    ]
    assert not upward, f"models reading a layer above their own: {upward}"


def test_a_staging_model_feeds_at_most_three_marts(graph):
    models = graph["models"]
    wide = {
        _name(k): sorted(_name(c) for c in cs if _layer(models[c]) == "marts")
        for k, cs in graph["children"].items()
        if _layer(models[k]) == "staging"
    }
    assert not {k: v for k, v in wide.items() if len(v) > 3}


def test_no_unexplained_rejoin(graph):
    found = set()
    for child, ps in graph["parents"].items():
        for middle in ps:
            if middle in graph["children"] and len(graph["children"][middle]) == 1:
                found |= {(_name(up), _name(middle), _name(child)) for up in graph["parents"][middle] if up in ps}
    unexplained = found - set(ALLOWED_REJOINS)
    assert not unexplained, f"models rejoining an upstream model through a single-child model: {sorted(unexplained)}"
    stale = set(ALLOWED_REJOINS) - found
    assert not stale, f"ALLOWED_REJOINS lists rejoins that no longer exist: {sorted(stale)}"
