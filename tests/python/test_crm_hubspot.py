"""One story, two shapes: HubSpot as Fivetran lands it gives the contract's kpi_monthly.

The story (conftest STORY_SCALE, STORY_SEED) is generated once in the raw
contract's shape and once with its CRM and email tables in HubSpot's
(leadgen.vendors.hubspot), each built with dbt; kpi_monthly must be the same
for every KPI but the ones hubspot.UNSUPPORTED_KPIS lists with a reason, and
each of those must really differ.  The vendor facts the writer adds (merged
and deleted records) must be in the landed data and stay out of the marts.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest import REPO, build_story, kpi_monthly_differences
from leadgen.contract import TABLES_BY_NAME
from leadgen.vendors import hubspot

DUCKDB_TYPES = {"DECIMAL(18,2)": "DECIMAL(18,2)"}


@pytest.fixture(scope="module")
def hubspot_story(tmp_path_factory):
    return build_story(tmp_path_factory.mktemp("story"), "hubspot")


def landed(story, table: str) -> str:
    """A HubSpot table of the story's raw folder, as a DuckDB relation."""
    folder = (story.raw_dir / "hubspot" / table).as_posix().replace("'", "''")
    return f"read_parquet('{folder}/*.parquet')"


def test_contract_tables_are_the_dbt_macros():
    text = (REPO / "macros" / "adapters" / "hubspot.sql").read_text()
    body = re.search(r"macro hubspot_contract_tables\(\).*?return\(\[(.*?)\]\)", text, re.S)
    assert body, "hubspot_contract_tables() not found in macros/adapters/hubspot.sql"
    assert tuple(re.findall(r"'(\w+)'", body.group(1))) == hubspot.CONTRACT_TABLES


def test_each_contract_table_has_its_model():
    folder = REPO / "models" / "adapters" / "hubspot"
    for table in hubspot.CONTRACT_TABLES:
        assert (folder / f"hubspot__{table}.sql").is_file(), f"no model hubspot__{table}"


def test_adapter_models_have_the_contract_columns_and_types(hubspot_story):
    for table in hubspot.CONTRACT_TABLES:
        found = hubspot_story.query(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'adapters' and table_name = ? order by ordinal_position",
            [f"hubspot__{table}"],
        )
        expected = [(c.name, DUCKDB_TYPES.get(c.type, c.type)) for c in TABLES_BY_NAME[table].columns]
        assert found == expected, f"hubspot__{table}"


def test_same_story_same_kpis(contract_story, hubspot_story):
    kpis = {r[0] for r in contract_story.query("select distinct kpi_id from marts.kpi_monthly")}
    assert len(kpis) > 50
    differences = kpi_monthly_differences(contract_story, hubspot_story, skip_kpis=hubspot.UNSUPPORTED_KPIS)
    assert not differences, f"{len(differences)} rows differ:\n" + "\n".join(differences[:30])


def test_unsupported_kpis_really_differ(contract_story, hubspot_story):
    kpis = {r[0] for r in contract_story.query("select distinct kpi_id from marts.kpi_monthly")}
    for kpi_id, reason in hubspot.UNSUPPORTED_KPIS.items():
        assert reason.strip(), f"{kpi_id}: give the reason"
        assert kpi_id in kpis, f"{kpi_id} is no KPI of kpi_monthly"
        others = sorted(kpis - {kpi_id})
        assert kpi_monthly_differences(contract_story, hubspot_story, skip_kpis=others), (
            f"{kpi_id} is the same in both shapes: take it off UNSUPPORTED_KPIS"
        )


def test_merged_contacts_collapse_onto_the_survivor(hubspot_story):
    with duckdb.connect() as con:
        merges = con.execute(
            f"select vid_to_merge, canonical_vid from {landed(hubspot_story, 'contact_merge_audit')}"
        ).fetchall()
        losers = [m[0] for m in merges]
        assert merges, "the writer merges a few duplicate contacts"
        in_contacts = con.execute(
            f"select count(*) from {landed(hubspot_story, 'contact')} where list_contains(?, id)", [losers]
        ).fetchone()[0]
        assert in_contacts == len(losers), "each merged-away contact is landed"
        logged_on_loser = con.execute(
            f"select engagement_id, contact_id from {landed(hubspot_story, 'engagement_contact')}"
            " where list_contains(?, contact_id)",
            [losers],
        ).fetchall()
        assert logged_on_loser, "an activity is logged on a merged-away contact"
    for relation, column in (
        ("marts.dim_leads", "lead_id"),
        ("staging.stg_crm__leads", "lead_id"),
        ("staging.stg_crm__activities", "lead_id"),
        ("staging.stg_crm__lead_stage_changes", "lead_id"),
        ("staging.stg_email__events", "lead_id"),
    ):
        hits = hubspot_story.query(f"select count(*) from {relation} where list_contains(?, {column})", [losers])
        assert hits == [(0,)], f"a merged-away contact id reached {relation}"
    survivor_of = dict(merges)
    for engagement_id, loser in logged_on_loser:
        lead = hubspot_story.query(
            "select lead_id from staging.stg_crm__activities where activity_id = ?", [engagement_id]
        )
        assert lead == [(survivor_of[loser],)], f"{engagement_id} belongs to the survivor of {loser}"


def test_deleted_records_stay_out_of_the_marts(hubspot_story):
    with duckdb.connect() as con:
        contacts = [
            r[0]
            for r in con.execute(
                f"select id from {landed(hubspot_story, 'contact')} where _fivetran_deleted"
            ).fetchall()
        ]
        deals = [
            r[0]
            for r in con.execute(f"select deal_id from {landed(hubspot_story, 'deal')} where is_deleted").fetchall()
        ]
    assert contacts and deals, "the writer lands deleted contacts and deals"
    staged = hubspot_story.query(
        "select count(*), count(*) filter (where is_deleted) from staging.stg_crm__leads"
        " where list_contains(?, lead_id)",
        [contacts],
    )
    assert staged == [(len(contacts), len(contacts))], "deleted contacts are staged as soft-deleted leads"
    assert hubspot_story.query("select count(*) from marts.dim_leads where list_contains(?, lead_id)", [contacts]) == [
        (0,)
    ]
    staged_deals = hubspot_story.query(
        "select count(*) filter (where is_deleted) from staging.stg_crm__deals where list_contains(?, deal_id)", [deals]
    )
    assert staged_deals == [(len(deals),)], "deleted deals are staged as soft-deleted deals"
    assert hubspot_story.query("select count(*) from marts.fct_deals where list_contains(?, deal_id)", [deals]) == [
        (0,)
    ]


def test_every_landed_row_is_accounted_for(hubspot_story):
    assert hubspot_story.query("select * from staging.staging_row_accounting where unaccounted_rows <> 0") == []
