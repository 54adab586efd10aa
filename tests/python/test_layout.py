"""Where files live: every unit test sits in the folder of the model it tests."""

from __future__ import annotations

import yaml

from conftest import REPO

MODELS = REPO / "models"


def test_every_unit_test_sits_beside_its_model():
    problems = []
    files = sorted(MODELS.rglob("*unit_tests.yml"))
    assert files, "no unit test files found"
    for path in files:
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            if not (path.parent / f"{test['model']}.sql").exists():
                where = [str(p.relative_to(REPO)) for p in MODELS.rglob(f"{test['model']}.sql")]
                problems.append(f"{path.relative_to(REPO)}: {test['name']} tests {test['model']} ({', '.join(where)})")
    assert not problems, "\n".join(problems)


def test_every_kpi_model_sits_in_a_process_folder():
    kpis = MODELS / "marts" / "kpis"
    loose = sorted(p.name for p in kpis.glob("kpi_*.sql") if p.stem not in {"kpi_monthly", "kpi_catalog"})
    assert not loose, f"KPI models belong in models/marts/kpis/<process>/: {loose}"
    for folder in (p for p in kpis.iterdir() if p.is_dir()):
        for kind in ("models.yml", "docs.md", "unit_tests.yml"):
            assert (folder / f"_{folder.name}__{kind}").exists(), f"{folder.name}: no _{folder.name}__{kind}"


POSTGRES_MAX_IDENTIFIER = 63


def test_every_relation_name_fits_a_postgres_identifier():
    # PostgreSQL cuts identifiers at 63 bytes, and dbt names a unit test's
    # temporary relation after the test: a longer name fails there only.
    long = [p.stem for p in MODELS.rglob("*.sql") if len(p.stem) > POSTGRES_MAX_IDENTIFIER]
    long += [p.stem for p in (REPO / "seeds").glob("*.csv") if len(p.stem) > POSTGRES_MAX_IDENTIFIER]
    for path in sorted(MODELS.rglob("*unit_tests.yml")):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            if len(test["name"]) > POSTGRES_MAX_IDENTIFIER:
                long.append(test["name"])
    assert not long, f"names longer than {POSTGRES_MAX_IDENTIFIER} characters (PostgreSQL's limit): {long}"
