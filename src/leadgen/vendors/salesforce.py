"""Salesforce as its Fivetran connector lands it: the generator's writer (see leadgen.vendors)."""

from __future__ import annotations

from pathlib import Path

# The raw contract tables models/adapters/salesforce/ provides (dbt macro salesforce_contract_tables).
CONTRACT_TABLES: tuple[str, ...] = ()


def write(out_dir: Path, tables: dict, clock) -> dict[str, int]:
    """Write the story's CONTRACT_TABLES in Salesforce's landed shape under out_dir/salesforce/."""
    return {}
