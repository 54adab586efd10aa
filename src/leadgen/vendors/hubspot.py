"""HubSpot as its Fivetran connector lands it: the generator's writer (see leadgen.vendors)."""

from __future__ import annotations

from pathlib import Path

# The raw contract tables models/adapters/hubspot/ provides (dbt macro hubspot_contract_tables).
CONTRACT_TABLES: tuple[str, ...] = ()


def write(out_dir: Path, tables: dict, clock) -> dict[str, int]:
    """Write the story's CONTRACT_TABLES in HubSpot's landed shape under out_dir/hubspot/."""
    return {}
