"""Every model and every column it really has is described (dbt docs is the data dictionary)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import REPO

# base_ models of the raw tables that hold names or emails: their raw_row is PII too
RAW_ROWS_WITH_PII = {
    "base_crm__leads",
    "base_crm__users",
    "base_email__events",
    "base_email__newsletter_subscriptions",
    "base_product__app_users",
    "base_product__referral_invites",
}


def _models():
    target = Path(os.environ.get("LEADGEN_TEST_TARGET_PATH") or REPO / "target")
    manifest = json.loads((target / "manifest.json").read_text())
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_every_model_and_column_is_described(warehouse):
    problems = []
    for node in _models():
        if not node.get("description", "").strip():
            problems.append(f"{node['name']}: no description")
        documented = {name: c.get("description", "").strip() for name, c in node["columns"].items()}
        actual = warehouse.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [node["schema"], node["alias"]],
        )
        for (column,) in actual:
            if not documented.get(column):
                problems.append(f"{node['name']}.{column}: not described")
        for column in documented:
            if column not in {c for (c,) in actual}:
                problems.append(f"{node['name']}.{column}: described but not in the model")
    assert not problems, "\n".join(problems)


def test_pii_is_marked_and_never_leaves_staging(warehouse):
    """Names and emails stay in staging; emails leave it only normalised (for matching) or hashed."""
    raw_pii = {"email", "first_name", "last_name", "full_name", "recipient_email", "invitee_email"}
    for node in _models():
        columns = {
            c
            for (c,) in warehouse.query(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            )
        }
        raw_row_is_pii = node["name"] in RAW_ROWS_WITH_PII or node["name"] == "quarantine_rows"
        sensitive = {
            c for c in columns if c in raw_pii or c.endswith("email_normalized") or (c == "raw_row" and raw_row_is_pii)
        }
        for name in sensitive:
            column = node["columns"].get(name, {})
            meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
            assert meta.get("pii") is True, f"{node['name']}.{name} is PII and must say so (meta: pii: true)"
        # CRM vendor adapters hold the vendor's raw rows in the contract's shape: raw PII, like a source
        in_staging = (
            node["name"].startswith(("base_", "stg_"))
            or node["name"] == "quarantine_rows"
            or node["fqn"][1] == "adapters"
        )
        if not in_staging:
            assert not columns & raw_pii, f"{node['name']} publishes names or raw emails: {columns & raw_pii}"
        if node["fqn"][1] == "marts":
            assert not sensitive, f"{node['name']} publishes PII: {sensitive}"


def test_reference_documents_are_up_to_date():
    """docs/raw_contract.md and docs/kpis.md are what `leadgen docs` writes from the contract and the KPI seed."""
    from leadgen.docs import documents

    stale = [
        rel for rel, text in documents(REPO).items() if not (REPO / rel).exists() or (REPO / rel).read_text() != text
    ]
    assert not stale, f"out of date (run `leadgen docs`): {', '.join(stale)}"


def test_the_overview_is_the_one_front_page_and_lists_every_kpi():
    """models/overview.md holds the only __overview__ block, and names every KPI of the seed by process."""
    import csv

    blocks = [p for p in (REPO / "models").rglob("*.md") if "{% docs __overview__ %}" in p.read_text()]
    assert blocks == [REPO / "models" / "overview.md"]
    text = blocks[0].read_text()
    with open(REPO / "seeds" / "kpi_definitions.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert f"(#!/model/model.leadgen.kpi_{row['kpi_id']})" in text, row["kpi_id"]
        assert f"### {row['process']}\n" in text, row["process"]
    for section in ("## Where to start", "## The as-of date", "## Cohort KPIs and maturity", "## The KPIs by process"):
        assert section in text, section


def test_cohort_kpis_are_the_tables_with_is_mature(warehouse):
    """The cohort list the docs are written from is what the build made of it, table by table."""
    from leadgen.docs import cohort_kpi_ids

    with_column = {
        name.removeprefix("kpi_")
        for (name,) in warehouse.query(
            "select table_name from information_schema.columns "
            "where table_schema = 'marts' and table_name like 'kpi\\_%' escape '\\' and column_name = 'is_mature'"
        )
        if name != "kpi_monthly"
    }
    flagged = {k for (k,) in warehouse.query("select kpi_id from marts.kpi_catalog where is_cohort")}
    carried = {
        k for (k,) in warehouse.query("select distinct kpi_id from marts.kpi_monthly where is_mature is not null")
    }
    assert with_column, "no kpi_ table has is_mature"
    assert set(cohort_kpi_ids(REPO)) == with_column == flagged == carried


def test_the_documents_keep_the_sections_the_project_cites():
    raw = (REPO / "docs" / "raw_contract.md").read_text()
    kpis = (REPO / "docs" / "kpis.md").read_text()
    for heading in (
        "## Natural keys",
        "## Repair or quarantine",
        "## Hostile values",
        "## Text cleaning",
        "## Money and fx",
        "## Tables",
    ):
        assert heading in raw, heading
    for heading in (
        "## Conventions",
        "## Precise readings",
        "## kpi_monthly",
        "## The KPIs",
        "**Period.**",
        "**Which month.**",
        "**Cohort rates.**",
        "**Funnel stages are cumulative.**",
        "**Sessions.**",
        "**Customer.**",
        "**Open at the end of month.**",
        "**Email.**",
        "**Revenue.**",
        "**Sales activities.**",
        "**Growth KPIs.**",
        "**Channel.**",
        "**Attribution.**",
    ):
        assert heading in kpis, heading


def test_no_file_points_outside_the_repository():
    """A clone has no shared folder beside it: cite docs/raw_contract.md and docs/kpis.md instead."""
    import subprocess

    banned = ("shared" + "/spec", "../" + "shared")
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
        files = [REPO / line for line in listed.splitlines()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: every file but the virtualenv
        files = [p for p in REPO.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts]
    problems = []
    for path in files:
        if not path.is_file() or path.is_symlink():
            continue
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if any(b in line for b in banned):
                problems.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)
