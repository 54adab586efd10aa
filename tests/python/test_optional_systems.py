"""Optional systems (dbt vars using_*): a build without some systems passes and says what it cannot show.

Each build here reads a raw folder that holds only the tables of the
systems switched on (the others are absent, so a read would fail), from the
same story as `contract_story` (every system on).  Unavailable KPIs must be
missing from kpi_monthly, empty in their own table and explained in
kpi_catalog; a KPI whose inputs do not touch a switched-off system must keep
exactly its figures.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from conftest import BIN, REPO, Warehouse, kpi_monthly_differences, run_dbt
from leadgen.contract import TABLES
from leadgen.docs import kpi_required_systems
from leadgen.systems import SWITCHES

ALL_SWITCHES = sorted(set(SWITCHES.values()))

# name -> the switches left on
LAYOUTS = {
    "crm_only": [],
    "crm_and_web": ["using_web"],
}


def _macro_text(name: str) -> str:
    text = (REPO / "macros" / "kpi_ids.sql").read_text()
    start = text.index(f"{{% macro {name}(")
    return text[start : text.index("{% endmacro %}", start)]


def required_systems() -> dict[str, set[str]]:
    return {kpi_id: set(systems) for kpi_id, systems in kpi_required_systems().items()}


def kpi_ids() -> list[str]:
    return re.findall(r"'(\w+)',", _macro_text("kpi_ids"))


def upstream_systems(manifest: dict, node: str, cache: dict) -> set[str]:
    """The switched systems whose raw tables lie upstream of a node (the as-of date and quarantine aside)."""
    if node not in cache:
        cache[node] = set()
        found = set()
        for parent in manifest["parent_map"].get(node, []):
            if parent.startswith("source."):
                var = SWITCHES.get(parent.split(".")[-1])
                if var:
                    found.add(var.removeprefix("using_"))
            elif parent.startswith("model.") and ".util_" not in parent and "quarantine" not in parent:
                found |= upstream_systems(manifest, parent, cache)
        cache[node] = found
    return cache[node]


def test_required_systems_name_known_kpis_and_systems():
    req = required_systems()
    assert set(req) <= set(kpi_ids())
    assert set().union(*req.values()) <= {s.removeprefix("using_") for s in ALL_SWITCHES}


@pytest.fixture(scope="module")
def layouts(contract_story: Warehouse, tmp_path_factory) -> dict[str, tuple[Warehouse, dict, list[str], str]]:
    built = {}
    for name, on in LAYOUTS.items():
        work = tmp_path_factory.mktemp(name)
        raw = work / "raw"
        raw.mkdir()
        for table in TABLES:
            var = SWITCHES.get(table.name)
            if var is None or var in on:
                (raw / table.name).symlink_to(contract_story.raw_dir / table.name)
        off = [s for s in ALL_SWITCHES if s not in on]
        dbt_vars = "{" + ", ".join(f"{s}: false" for s in off) + "}"
        target = work / "target"
        args = ["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars, "--target-path", str(target)]
        run_dbt(args, raw, work / "wh.duckdb")
        manifest = json.loads((target / "manifest.json").read_text())
        built[name] = (Warehouse(raw, work / "wh.duckdb"), manifest, off, dbt_vars)
    return built


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_unavailable_kpis_are_absent_empty_and_explained(layouts, layout):
    warehouse, _, off, _ = layouts[layout]
    off_systems = {s.removeprefix("using_") for s in off}
    expected_unavailable = {k for k, systems in required_systems().items() if systems & off_systems}
    catalog = {
        kpi_id: (available, reason)
        for kpi_id, available, reason in warehouse.query(
            "select kpi_id, is_available, unavailable_reason from marts.kpi_catalog"
        )
    }
    assert {k for k, (available, _) in catalog.items() if not available} == expected_unavailable
    for kpi_id in expected_unavailable:
        reason = catalog[kpi_id][1]
        assert any(f"using_{s} is false" in reason for s in required_systems()[kpi_id] & off_systems), reason
        assert warehouse.query(f"select count(*) from marts.kpi_{kpi_id}") == [(0,)], kpi_id
    in_monthly = {r[0] for r in warehouse.query("select distinct kpi_id from marts.kpi_monthly")}
    assert in_monthly == set(kpi_ids()) - expected_unavailable


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_kpis_untouched_by_the_missing_systems_keep_their_figures(contract_story, layouts, layout):
    warehouse, manifest, off, _ = layouts[layout]
    off_systems = {s.removeprefix("using_") for s in off}
    cache: dict = {}
    touched = {
        kpi_id for kpi_id in kpi_ids() if upstream_systems(manifest, f"model.leadgen.kpi_{kpi_id}", cache) & off_systems
    }
    assert len(touched) < len(kpi_ids()), "every KPI reads a switched-off system: the comparison proves nothing"
    assert kpi_monthly_differences(contract_story, warehouse, skip_kpis=touched) == []


def test_required_systems_lie_upstream_of_each_kpi(layouts):
    # a KPI cannot need a system none of its inputs reads
    _, manifest, _, _ = layouts["crm_only"]
    cache: dict = {}
    for kpi_id, systems in required_systems().items():
        assert systems <= upstream_systems(manifest, f"model.leadgen.kpi_{kpi_id}", cache), kpi_id


def test_everything_on_makes_every_kpi_available(contract_story):
    rows = contract_story.query("select count(*), count(*) filter (where is_available) from marts.kpi_catalog")
    assert rows == [(len(kpi_ids()), len(kpi_ids()))]


def test_validate_raw_leaves_out_the_tables_a_build_does_not_read(layouts, tmp_path):
    warehouse, _, _, dbt_vars = layouts["crm_only"]
    args = [str(BIN / "leadgen"), "validate", "raw", "--raw-dir", str(warehouse.raw_dir)]
    args += ["--report-dir", str(tmp_path), "--no-docs", "--duckdb", str(tmp_path / "none.duckdb")]
    result = subprocess.run([*args, "--vars", dbt_vars], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "web_events: not read by this build (using_web is false)" in result.stderr
    missing = subprocess.run(args + ["--vars", "{}"], capture_output=True, text=True)
    assert missing.returncode == 2 and "table folder missing" in missing.stdout + missing.stderr
    bad = subprocess.run([*args, "--vars", "{using_web: maybe}"], capture_output=True, text=True)
    assert bad.returncode == 2 and "using_web must be true or false" in bad.stderr


def test_a_switch_that_is_not_a_boolean_stops_dbt(contract_story):
    result = run_dbt(
        ["compile", "--select", "util_as_of_date", "--vars", "{using_email: 'no'}"],
        contract_story.raw_dir,
        contract_story.duckdb_path.with_suffix(".unused.duckdb"),
        check=False,
    )
    assert result.returncode != 0
    assert "Invalid value for var 'using_email'" in result.stdout


def test_switched_off_tables_match_the_dbt_macro():
    text = (REPO / "macros" / "raw_tables.sql").read_text()
    listed = dict(re.findall(r"'table': '(\w+)', 'model': '\w+', 'switch': '(\w+)'", text))
    assert listed == SWITCHES
