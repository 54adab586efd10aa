"""The KPI layer as a whole: one source of truth, every KPI present, tested and documented."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re

import yaml

from conftest import REPO

KPI_DIR = REPO / "models" / "marts" / "kpis"


def _catalogue() -> list[dict]:
    with open(REPO / "seeds" / "kpi_definitions.csv", newline="") as f:
        return list(csv.DictReader(f))


def _kpi_ids_macro() -> list[str]:
    text = (REPO / "macros" / "kpi_ids.sql").read_text()
    start = text.index("{% macro kpi_ids() %}")
    return re.findall(r"'([a-z0-9_]+)',", text[start : text.index("{% endmacro %}", start)])


def test_the_catalogue_has_56_kpis_and_the_macro_agrees():
    ids = [row["kpi_id"] for row in _catalogue()]
    assert len(ids) == 56 and len(set(ids)) == 56
    assert _kpi_ids_macro() == ids


def test_every_kpi_has_a_model_a_docs_block_and_a_unit_test():
    docs = "".join(p.read_text() for p in KPI_DIR.rglob("*.md"))
    tested = set()
    for path in KPI_DIR.rglob("_*unit_tests.yml"):
        for test in yaml.safe_load(path.read_text()).get("unit_tests", []):
            tested.add(test["model"])
    for row in _catalogue():
        model = f"kpi_{row['kpi_id']}"
        assert len(list(KPI_DIR.glob(f"*/{model}.sql"))) == 1, f"{model}: not in one models/marts/kpis/<process>/"
        assert f"{{% docs {model} %}}" in docs, f"no docs block for {model}"
        assert model in tested, f"no unit test for {model}"


def test_kpi_monthly_holds_every_kpi_for_every_month(warehouse):
    months = {m for (m,) in warehouse.query("select period_month from utilities.util_months")}
    rows = warehouse.query(
        "select kpi_id, period_month from marts.kpi_monthly where dimension = 'all' and dimension_value = 'all'"
    )
    by_kpi: dict[str, set] = {}
    for kpi_id, month in rows:
        by_kpi.setdefault(kpi_id, set()).add(month)
    assert set(by_kpi) == {row["kpi_id"] for row in _catalogue()}
    for kpi_id, kpi_months in by_kpi.items():
        assert kpi_months == months, kpi_id
    [(duplicates,)] = warehouse.query("""
        select count(*) from (
            select kpi_id, period_month, dimension, dimension_value from marts.kpi_monthly
            group by 1, 2, 3, 4 having count(*) > 1
        )
    """)
    assert duplicates == 0


def test_kpi_monthly_units_and_names_come_from_the_catalogue(warehouse):
    catalogue = {row["kpi_id"]: (row["kpi_name"], row["unit"]) for row in _catalogue()}
    for kpi_id, name, unit in warehouse.query("select distinct kpi_id, kpi_name, unit from marts.kpi_monthly"):
        assert catalogue[kpi_id] == (name, unit)


def test_kpi_monthly_marks_the_running_month_and_the_as_of_date(warehouse):
    [(as_of,)] = warehouse.query("select as_of_date from utilities.util_as_of_date")
    month_is_over = as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
    rows = warehouse.query("select distinct period_month, is_partial_month, as_of_date from marts.kpi_monthly")
    for period_month, is_partial, row_as_of in rows:
        assert row_as_of == as_of
        expected = period_month == dt.date(as_of.year, as_of.month, 1) and not month_is_over
        assert is_partial == expected, (period_month, is_partial)
