{#
    Funnel by cohort: of the leads created in each month through each
    channel, how many have reached mql, sql, opportunity and customer so far?

    One row per (created_month, channel).  Funnel stages are cumulative
    (fct_lead_lifecycle): a lead that skipped a stage still counts as having
    reached it, so each count is at most the one before it.  Young cohorts
    have had less time to move on; compare cohorts of the same age, or only
    those older than the cohort_maturity_days var.
#}

with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

cohorts as (
    select
        lifecycle.created_month,
        leads.channel,
        count(*) as leads,
        count(lifecycle.became_mql_at) as reached_mql,
        count(lifecycle.became_sql_at) as reached_sql,
        count(lifecycle.became_opportunity_at) as reached_opportunity,
        count(lifecycle.became_customer_at) as reached_customer
    from lifecycle
    inner join leads
        on lifecycle.lead_id = leads.lead_id
    group by lifecycle.created_month, leads.channel
)

select
    cohorts.created_month,
    cohorts.channel,
    cohorts.leads,
    cohorts.reached_mql,
    cohorts.reached_sql,
    cohorts.reached_opportunity,
    cohorts.reached_customer,
    cohorts.reached_mql * 1.0 / cohorts.leads as lead_to_mql_rate,
    cohorts.reached_customer * 1.0 / cohorts.leads as lead_to_customer_rate
from cohorts
order by cohorts.created_month asc, cohorts.channel asc
