"""One story, landed as the raw contract and as Salesforce's Fivetran tables, gives the same KPIs.

The story (conftest STORY_SCALE, STORY_SEED) is generated twice: in the
contract shape and with ``--crm-format salesforce``, whose CRM and campaign
tables the dbt adapter models/adapters/salesforce/ maps back onto the
contract.  Every KPI the Salesforce shape can carry must come out of
kpi_monthly exactly as in the contract shape; the KPIs listed in
leadgen.vendors.salesforce.UNSUPPORTED_KPIS must really differ, so the list
cannot hide a KPI that works.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest import REPO, Warehouse, build_story, kpi_monthly_differences
from leadgen.vendors import salesforce

MACROS = REPO / "macros" / "adapters" / "salesforce.sql"


@pytest.fixture(scope="session")
def salesforce_story(tmp_path_factory) -> Warehouse:
    return build_story(tmp_path_factory.mktemp("story_salesforce"), "salesforce")


def landed(story: Warehouse, table: str, sql: str) -> list[tuple]:
    """Run sql over one landed Salesforce table, known as `landed` in it."""
    files = str(story.raw_dir / "salesforce" / table / "*.parquet")
    with duckdb.connect() as con:
        con.execute("create view landed as select * from read_parquet('{}')".format(files.replace("'", "''")))
        return con.execute(sql).fetchall()


def test_contract_tables_match_the_dbt_macro():
    body = re.search(
        r"macro salesforce_contract_tables\(\)\s*-?%}(.*?)endmacro", MACROS.read_text(), flags=re.DOTALL
    ).group(1)
    assert tuple(re.findall(r"'([a-z_]+)'", body)) == salesforce.CONTRACT_TABLES


def test_unsupported_kpis_have_reasons():
    for kpi_id, reason in salesforce.UNSUPPORTED_KPIS.items():
        assert re.fullmatch(r"[a-z0-9_]+", kpi_id), kpi_id
        assert reason.strip(), f"{kpi_id}: give the reason"


def test_same_story_same_kpis(contract_story, salesforce_story):
    kpis = contract_story.query("select count(distinct kpi_id), count(*) from marts.kpi_monthly")[0]
    assert kpis[1] > 0, "the contract story's kpi_monthly is empty"
    differences = kpi_monthly_differences(contract_story, salesforce_story, skip_kpis=salesforce.UNSUPPORTED_KPIS)
    assert not differences, f"{len(differences)} kpi_monthly rows differ:\n" + "\n".join(differences[:30])


def test_unsupported_kpis_really_differ(contract_story, salesforce_story):
    all_kpis = {row[0] for row in contract_story.query("select distinct kpi_id from marts.kpi_monthly")}
    all_kpis |= {row[0] for row in salesforce_story.query("select distinct kpi_id from marts.kpi_monthly")}
    for kpi_id in salesforce.UNSUPPORTED_KPIS:
        others = sorted(all_kpis - {kpi_id})
        assert kpi_monthly_differences(contract_story, salesforce_story, skip_kpis=others), (
            f"{kpi_id} is listed as unsupported but comes out the same: take it off UNSUPPORTED_KPIS"
        )


def test_generated_data_has_soft_deletes_and_history_mode(salesforce_story):
    for table in ("lead", "opportunity", "task", "campaign"):
        deleted = landed(salesforce_story, table, "select count(*) from landed where is_deleted")[0][0]
        assert deleted > 0, f"salesforce.{table}: no soft-deleted rows"
    for table in ("lead", "opportunity"):
        older, records_with_older = landed(
            salesforce_story,
            table,
            "select count(*), count(distinct id) from landed where not _fivetran_active",
        )[0]
        assert older > 0, f"salesforce.{table}: no earlier history-mode versions"
        active_per_id = landed(
            salesforce_story,
            table,
            "select max(n) from (select count(*) as n from landed where _fivetran_active group by id)",
        )[0][0]
        assert active_per_id == 1, f"salesforce.{table}: a record with {active_per_id} active versions"
        assert records_with_older > 0


def test_deleted_and_older_versions_reach_the_marts_once_or_not_at_all(salesforce_story):
    lead_versions = landed(
        salesforce_story,
        "lead",
        "select id, count(*) as versions, bool_or(_fivetran_active and is_deleted) as deleted from landed group by id",
    )
    deleted_leads = {lead_id for lead_id, _, deleted in lead_versions if deleted}
    versioned_leads = {lead_id for lead_id, versions, _ in lead_versions if versions > 1}
    assert deleted_leads and versioned_leads

    staged = dict(salesforce_story.query("select lead_id, count(*) from staging.stg_crm__leads group by lead_id"))
    assert all(staged.get(lead_id) == 1 for lead_id in versioned_leads), "a history-mode lead staged twice"
    marts = salesforce_story.query("select lead_id, count(*) from marts.dim_leads group by lead_id")
    assert all(n == 1 for _, n in marts), "a lead twice in dim_leads"
    assert not deleted_leads & {lead_id for lead_id, _ in marts}, "a deleted lead reached dim_leads"
    # a deleted lead's earlier live version must not bring it back
    assert deleted_leads & versioned_leads

    deleted_deals = {
        row[0]
        for row in landed(
            salesforce_story, "opportunity", "select id from landed where _fivetran_active and is_deleted"
        )
    }
    deals = salesforce_story.query("select deal_id, count(*) from marts.fct_deals group by deal_id")
    assert deleted_deals and all(n == 1 for _, n in deals), "a deal twice in fct_deals"
    assert not deleted_deals & {deal_id for deal_id, _ in deals}, "a deleted opportunity reached fct_deals"

    deleted_tasks = {row[0] for row in landed(salesforce_story, "task", "select id from landed where is_deleted")}
    activities = {row[0] for row in salesforce_story.query("select activity_id from staging.stg_crm__activities")}
    assert deleted_tasks and not deleted_tasks & activities, "a deleted task was staged as an activity"

    deleted_campaigns = {
        row[0] for row in landed(salesforce_story, "campaign", "select id from landed where is_deleted")
    }
    campaigns = {row[0] for row in salesforce_story.query("select campaign_id from marts.dim_campaigns")}
    assert deleted_campaigns and not deleted_campaigns & campaigns, "a deleted campaign reached dim_campaigns"
