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
        in_staging = node["name"].startswith(("base_", "stg_")) or node["name"] == "quarantine_rows"
        if not in_staging:
            assert not columns & raw_pii, f"{node['name']} publishes names or raw emails: {columns & raw_pii}"
        if node["fqn"][1] == "marts":
            assert not sensitive, f"{node['name']} publishes PII: {sensitive}"
