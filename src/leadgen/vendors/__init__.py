"""CRM vendors whose landed tables the project reads instead of the raw contract's.

Each vendor module (hubspot, salesforce) holds:

- ``CONTRACT_TABLES``: the raw contract tables its dbt adapter
  (models/adapters/<vendor>/) provides.  With dbt var ``crm_source`` set to
  the vendor, these tables are read from the adapter, not from the raw folder;
  the dbt macro ``<vendor>_contract_tables`` holds the same list (a pytest
  compares them).
- ``write(out_dir, tables, clock) -> dict[str, int]``: the generator's hook.
  It writes the story's rows of ``CONTRACT_TABLES`` in the vendor's landed
  shape under ``out_dir/<vendor>/<vendor table>/part-0.parquet`` and returns
  the row count of each vendor table written.
"""

from __future__ import annotations

from types import ModuleType

from . import hubspot, salesforce

CONTRACT = "contract"
VENDORS: dict[str, ModuleType] = {"hubspot": hubspot, "salesforce": salesforce}
CRM_FORMATS = (CONTRACT, *VENDORS)


def contract_tables(crm_source: str) -> tuple[str, ...]:
    """The raw contract tables a CRM source provides through its adapter (none for the contract)."""
    if crm_source == CONTRACT:
        return ()
    if crm_source not in VENDORS:
        raise ValueError(f"unknown CRM source {crm_source!r}: expected one of {', '.join(CRM_FORMATS)}")
    return tuple(VENDORS[crm_source].CONTRACT_TABLES)
