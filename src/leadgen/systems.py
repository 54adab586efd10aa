"""Which raw tables a build reads: the optional systems and the CRM source.

The dbt vars ``using_web``, ``using_email``, ``using_product``,
``using_billing``, ``using_social``, ``using_ad_spend`` and
``using_expenses`` (default true) switch a system off: its raw tables are not
read and may be absent.  The var ``crm_source`` (or LEADGEN_CRM_SOURCE) names
a CRM vendor whose adapter provides some contract tables in place of the raw
folder's.  dbt decides this in macros/raw_tables.sql (raw_table); the
tooling (validate raw, load) asks here, with the same ``--vars`` text, so it
neither checks nor loads a table the build will not read.  A pytest keeps
SWITCHES equal to the macro's list.
"""

from __future__ import annotations

import os

from leadgen import vendors

# Raw contract table -> the var that switches its system off.  Tables not
# listed (the CRM, its campaigns, the fx rates) are always read.
SWITCHES: dict[str, str] = {
    "ad_spend": "using_ad_spend",
    "marketing_expenses": "using_expenses",
    "social_post_metrics": "using_social",
    "web_events": "using_web",
    "email_events": "using_email",
    "newsletter_subscriptions": "using_email",
    "app_users": "using_product",
    "product_events": "using_product",
    "referral_invites": "using_product",
    "billing_subscriptions": "using_billing",
    "billing_invoices": "using_billing",
}


def parse_vars(text: str | None, source: str = "--vars") -> dict:
    """The dbt vars given as YAML text (as `dbt --vars` takes them); empty for none."""
    import yaml

    if text is None or not text.strip():
        return {}
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source} is not YAML: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{source} must be a YAML mapping such as '{{using_product: false}}', not {text!r}")
    return value


def _switch(dbt_vars: dict, name: str) -> bool:
    value = dbt_vars.get(name, True)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"var {name} must be true or false, not {value!r}")


def crm_source(dbt_vars: dict) -> str:
    value = dbt_vars.get("crm_source") or os.environ.get("LEADGEN_CRM_SOURCE") or vendors.CONTRACT
    if value not in vendors.CRM_FORMATS:
        raise ValueError(
            f"crm_source (LEADGEN_CRM_SOURCE) must be one of {', '.join(vendors.CRM_FORMATS)}, not {value!r}"
        )
    return value


def tables_not_read(dbt_vars: dict) -> dict[str, str]:
    """Raw contract tables the build with these vars does not read from the raw folder, with the reason."""
    skipped = {table: f"{var} is false" for table, var in SWITCHES.items() if not _switch(dbt_vars, var)}
    source = crm_source(dbt_vars)
    for table in vendors.contract_tables(source):
        skipped[table] = f"the {source} adapter provides it, crm_source"
    return skipped


def tables_read(dbt_vars: dict) -> list[str]:
    from leadgen.contract import TABLES

    skipped = tables_not_read(dbt_vars)
    return [t.name for t in TABLES if t.name not in skipped]
