"""The raw contract is written once (src/leadgen/contract.py); these tests keep
the dbt sources and macros that restate it in step with it."""

from __future__ import annotations

import re

import yaml

from conftest import REPO
from leadgen.contract import TABLES, TABLES_BY_NAME


def _sources() -> dict[str, dict]:
    tables = {}
    for path in sorted((REPO / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = dict(table, source=source["name"])
    return tables


def test_every_contract_table_is_a_source_with_its_columns_in_order():
    sources = _sources()
    assert sorted(sources) == sorted(t.name for t in TABLES)
    for name, table in sources.items():
        contract = TABLES_BY_NAME[name]
        assert table["source"] == contract.system, name
        assert [c["name"] for c in table["columns"]] == contract.column_names, name
        for column in table["columns"]:
            assert column["data_type"] == contract.column(column["name"]).type.lower(), (name, column["name"])
            assert column.get("description"), (name, column["name"])
            is_pii = column.get("config", {}).get("meta", {}).get("pii", False)
            assert is_pii == contract.column(column["name"]).pii, (name, column["name"])


def test_raw_tables_macro_lists_every_contract_table_once():
    text = (REPO / "macros" / "raw_tables.sql").read_text()
    listed = re.findall(r"'source': '(\w+)', 'table': '(\w+)', 'model': '(\w+)'", text)
    assert sorted(t for _, t, _ in listed) == sorted(t.name for t in TABLES)
    for system, table, model in listed:
        assert system == TABLES_BY_NAME[table].system
        assert model.startswith(f"stg_{system}__")
        assert (REPO / "models" / "staging" / system / f"{model}.sql").exists(), model
        base = "base_" + model[len("stg_") :]
        assert (REPO / "models" / "staging" / system / "base" / f"{base}.sql").exists(), base


def test_source_meta_states_the_contract_key_and_incremental():
    # macros/base_model.sql reads natural_key from this meta: the staged names
    # of Table.key (Table.staged_names), in the contract's order.
    for name, table in _sources().items():
        contract = TABLES_BY_NAME[name]
        meta = table.get("config", {}).get("meta", {})
        assert meta.get("natural_key") == list(contract.natural_key), name
        assert meta.get("incremental") is contract.incremental, name


def test_incremental_base_models_are_the_contract_incremental_tables():
    for table in TABLES:
        base = REPO / "models" / "staging" / table.system / "base"
        reads = f"raw_table('{table.system}', '{table.name}')"
        models = [path for path in base.glob("base_*.sql") if reads in path.read_text()]
        assert len(models) == 1, table.name
        # incremental on every warehouse but Spark without Delta (macros/incremental.sql)
        assert ("materialized=incremental_materialization()" in models[0].read_text()) is table.incremental, table.name


def test_base_unit_tests_state_the_contract_key():
    # A unit test's graph holds no sources, so source_natural_key
    # (macros/base_model.sql) takes the key from the test's overrides.
    tables = {}
    for table in TABLES:
        for path in (REPO / "models" / "staging" / table.system / "base").glob("base_*.sql"):
            if f"raw_table('{table.system}', '{table.name}')" in path.read_text():
                tables[path.stem] = table
    checked = 0
    for path in sorted((REPO / "models" / "staging").glob("*/base/_base_*__unit_tests.yml")):
        for test in yaml.safe_load(path.read_text())["unit_tests"]:
            table = tables[test["model"]]
            uses_macro = "base_labels(" in (path.parent / f"{test['model']}.sql").read_text()
            stated = test.get("overrides", {}).get("vars", {}).get("unit_test_natural_key")
            assert stated == (list(table.natural_key) if uses_macro else None), test["name"]
            checked += uses_macro
    assert checked > 0


def test_incremental_base_models_replace_rows_on_the_contract_key():
    # unique_key (delete+insert) and rows_to_rank still name the key: config()
    # is read when the project is parsed, before any source meta is at hand.
    for table in TABLES:
        if not table.incremental:
            continue
        base = REPO / "models" / "staging" / table.system / "base"
        reads = f"raw_table('{table.system}', '{table.name}')"
        (sql,) = [path.read_text() for path in base.glob("base_*.sql") if reads in path.read_text()]
        (key,) = table.natural_key
        assert f"unique_key='{key}'" in sql, table.name
        if "base_labels(" in sql:
            assert f"rows_to_rank('cleaned', '{key}'," in sql, table.name
