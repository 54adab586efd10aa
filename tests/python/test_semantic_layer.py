"""The semantic layer (MetricFlow) says what kpi_monthly says.

Every KPI of the catalogue has a metric of the same name.  Each is compiled to
SQL by MetricFlow's Python API (no `mf query` per metric: one dbt parse, then
a few milliseconds per metric) and run on the test warehouse, grouped by
metric_time__month; the result must be kpi_monthly's overall row (dimension
'all') for every month, to 1e-9 relative.  kpi_monthly keeps 9 decimals, so
the metric's value is rounded to 9 decimals first and values below 1 are
compared to 1e-9 absolute.  A month the metric leaves out counts as null.
Metrics defined differently on purpose are listed in DIFFERENT_FROM_KPI_MONTHLY
with the reason (and in docs/semantic_layer.md).

It also checks that day and week grains work for a count and a ratio, and
that every KPI model's meta (unit, higher_is_better) matches the seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time

import duckdb
import pytest
import yaml

from conftest import REPO, run_dbt

# kpi_id -> why its metric does not equal kpi_monthly's overall row.  Empty:
# every metric is defined the same way as its kpi_ model (those that could not
# be built from the facts read their kpi_ table; docs/semantic_layer.md).
DIFFERENT_FROM_KPI_MONTHLY: dict[str, str] = {}

KPI_IDS = [row["kpi_id"] for row in csv.DictReader((REPO / "seeds" / "kpi_definitions.csv").open())]


@pytest.fixture(scope="module")
def semantic_manifest(warehouse, tmp_path_factory) -> dict:
    """target/semantic_manifest.json of a dbt parse pointed at the test warehouse."""
    target = tmp_path_factory.mktemp("semantic") / "target"
    run_dbt(["parse", "--target-path", str(target)], warehouse.raw_dir, warehouse.duckdb_path)
    return json.loads((target / "semantic_manifest.json").read_text())


@pytest.fixture(scope="module")
def compile_query(semantic_manifest):
    """A function (metrics, group_by) -> the DuckDB SQL MetricFlow writes for that query."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    class DuckDbDialect:
        """Only what explain() needs of a SQL client: the dialect to render; nothing is executed."""

        sql_engine_type = SqlEngine.DUCKDB
        sql_plan_renderer = DuckDbSqlPlanRenderer()

    manifest = parse_manifest_from_dbt_generated_manifest(json.dumps(semantic_manifest))
    engine = MetricFlowEngine(SemanticManifestLookup(manifest), DuckDbDialect())

    def compile_(metrics: list[str], group_by: list[str]) -> str:
        request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
        return engine.explain(request).sql_statement.sql

    return compile_


@pytest.fixture(scope="module")
def run_sql(warehouse):
    con = duckdb.connect(str(warehouse.duckdb_path), read_only=True)
    yield lambda sql: con.execute(sql).fetchall()
    con.close()


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _same(metric_value, kpi_value) -> bool:
    if metric_value is None or kpi_value is None:
        return metric_value is None and kpi_value is None
    return abs(round(metric_value, 9) - kpi_value) <= 1e-9 * max(1.0, abs(kpi_value))


def test_every_kpi_has_a_metric(semantic_manifest):
    metrics = {m["name"]: m for m in semantic_manifest["metrics"]}
    missing = [k for k in KPI_IDS if k not in metrics]
    assert not missing, f"KPIs without a metric of their name: {missing}"
    undescribed = [k for k in KPI_IDS if not (metrics[k].get("description") or "").strip()]
    assert not undescribed, f"KPI metrics without a description: {undescribed}"
    # the semantic models standing in for a KPI that the facts cannot express say why
    stand_ins = [s for s in semantic_manifest["semantic_models"] if s["name"].endswith("_kpi_rows")]
    assert stand_ins, "no kpi_ table semantic models found"
    for model in stand_ins:
        kpi_id = model["name"].removesuffix("_kpi_rows")
        assert kpi_id in KPI_IDS, f"{model['name']} stands in for no KPI"
        assert model["node_relation"]["alias"] == f"kpi_{kpi_id}", f"{model['name']} does not read kpi_{kpi_id}"
        assert len(model.get("description") or "") > 100, f"{model['name']}: say why the KPI is read from its table"
    assert set(DIFFERENT_FROM_KPI_MONTHLY) <= set(KPI_IDS)


def test_metrics_equal_kpi_monthly(warehouse, compile_query, run_sql):
    expected: dict[str, dict[dt.date, float | None]] = {}
    for kpi_id, month, value in warehouse.query(
        "select kpi_id, period_month, value from marts.kpi_monthly where dimension = 'all'"
    ):
        expected.setdefault(kpi_id, {})[month] = value
    assert set(expected) == set(KPI_IDS)

    started = time.monotonic()
    problems, unexpectedly_equal = [], []
    for kpi_id in KPI_IDS:
        rows = run_sql(compile_query([kpi_id], ["metric_time__month"]))
        # a null metric_time holds units without the dating event (a lead never MQL): no month
        got = {_day(month): value for month, value in rows if month is not None}
        extra = sorted(set(got) - set(expected[kpi_id]))
        wrong = [
            (str(month), kpi_value, got.get(month))
            for month, kpi_value in sorted(expected[kpi_id].items())
            if not _same(got.get(month), kpi_value)
        ]
        if kpi_id in DIFFERENT_FROM_KPI_MONTHLY:
            if not wrong and not extra:
                unexpectedly_equal.append(kpi_id)
        elif wrong or extra:
            problems.append(f"{kpi_id}: (month, kpi_monthly, metric) {wrong[:3]} ({len(wrong)} months); extra {extra}")
    elapsed = time.monotonic() - started
    assert not problems, "metrics that differ from kpi_monthly:\n" + "\n".join(problems)
    assert not unexpectedly_equal, f"listed in DIFFERENT_FROM_KPI_MONTHLY but equal now: {unexpectedly_equal}"
    assert elapsed < 120, f"compiling and running {len(KPI_IDS)} metric queries took {elapsed:.0f} s"


def _series(compile_query, run_sql, metric: str, grain: str) -> dict[dt.date, float]:
    return {_day(t): v for t, v in run_sql(compile_query([metric], [f"metric_time__{grain}"])) if t is not None}


def test_a_count_adds_up_from_days_to_weeks_and_months(compile_query, run_sql):
    days = _series(compile_query, run_sql, "lead_generation", "day")
    weeks = _series(compile_query, run_sql, "lead_generation", "week")
    months = _series(compile_query, run_sql, "lead_generation", "month")
    assert sum(days.values()) > 0 and len(days) > 28 * len(months) - 31
    by_week: dict[dt.date, float] = {}
    by_month: dict[dt.date, float] = {}
    for day, value in days.items():
        week = day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
        by_week[week] = by_week.get(week, 0) + value
        by_month[day.replace(day=1)] = by_month.get(day.replace(day=1), 0) + value
    assert by_week == weeks
    assert by_month == months


def test_a_ratio_works_by_day_and_week(compile_query, run_sql):
    # landing page conversion rate: converting sessions over sessions of the same day (or week)
    for grain in ("day", "week"):
        rates = _series(compile_query, run_sql, "landing_page_conversion_rate", grain)
        direct = {
            _day(t): r
            for t, r in run_sql(
                f"select date_trunc('{grain}', started_at), "
                "avg(case when has_conversion then 1.0 else 0.0 end) "
                "from intermediate.int_web__sessions group by 1"
            )
        }
        assert direct, "no sessions in the test warehouse"
        wrong = [(str(t), rates.get(t), r) for t, r in direct.items() if not _same(rates.get(t), round(r, 9))]
        assert not wrong, f"landing_page_conversion_rate by {grain} (period, metric, direct): {wrong[:5]}"
        # periods without a session have no rate
        assert all(v is None for t, v in rates.items() if t not in direct)


def _kpi_model_meta() -> dict[str, dict]:
    meta = {}
    for path in (REPO / "models" / "marts" / "kpis").glob("*/_*__models.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            meta[model["name"]] = (model.get("config") or {}).get("meta") or model.get("meta") or {}
    return meta


def test_kpi_model_meta_matches_the_seed():
    meta = _kpi_model_meta()
    problems = []
    for row in csv.DictReader((REPO / "seeds" / "kpi_definitions.csv").open()):
        model_meta = meta.get(f"kpi_{row['kpi_id']}")
        if model_meta is None:
            problems.append(f"kpi_{row['kpi_id']}: no entry in a _<process>__models.yml")
            continue
        higher = {"true": True, "false": False, "": None}[row["higher_is_better"]]
        if model_meta.get("unit") != row["unit"] or "higher_is_better" not in model_meta:
            problems.append(f"kpi_{row['kpi_id']}: meta {model_meta}, seed unit {row['unit']}")
        elif model_meta["higher_is_better"] is not higher:
            problems.append(f"kpi_{row['kpi_id']}: higher_is_better {model_meta['higher_is_better']}, seed {higher}")
    assert not problems, "\n".join(problems)


def test_kpi_models_belong_to_their_process_group():
    groups_file = REPO / "models" / "marts" / "kpis" / "_kpi_groups.yml"
    groups = {g["name"]: g for g in yaml.safe_load(groups_file.read_text())["groups"]}
    folders = sorted(p.name for p in (REPO / "models" / "marts" / "kpis").iterdir() if p.is_dir())
    assert sorted(groups) == folders, "one group per KPI process folder"
    for group in groups.values():
        assert group.get("owner", {}).get("name") and group["owner"].get("email"), f"{group['name']}: no owner"
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    kpis = project["models"]["leadgen"]["marts"]["kpis"]
    for folder in folders:
        assert kpis[folder]["+group"] == folder, f"models/marts/kpis/{folder} is not in group {folder}"
    # groups may make models private to their group; kpi_monthly reads them all
    assert kpis["+access"] == "public"


def test_semantic_yaml_sits_beside_its_models():
    for path in sorted((REPO / "models").rglob("*__semantic.yml")):
        doc = yaml.safe_load(path.read_text()) or {}
        for model in doc.get("semantic_models", []):
            ref = model["model"].removeprefix("ref('").removesuffix("')")
            assert any(path.parent.glob(f"{ref}.sql")) or ref == "market_size", (
                f"{path.relative_to(REPO)}: semantic model {model['name']} reads {ref}, which lives elsewhere"
            )
