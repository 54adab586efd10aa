{#
    Ad spend per new lead bought with it (docs/kpis.md cost_per_lead): all ad spend
    of the month over the live leads created in the month whose first-touch
    campaign is a paid one.  Spend counts in the month of its report_date.
    Both sides take the campaign's own channel (dim_campaigns), so the spend
    and the leads of a channel or campaign always describe the same money.
#}

with

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

leads as (
    select * from {{ ref('int_leads') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

spend_units as (
    select
        {{ month_of('ad_spend.report_date') }} as period_month,
        campaigns.channel,
        ad_spend.campaign_id as campaign,
        coalesce(ad_spend.spend_usd, 0) as numerator,
        0 as denominator
    from ad_spend
    left join campaigns
        on ad_spend.campaign_id = campaigns.campaign_id
),

paid_lead_units as (
    select
        leads.created_month as period_month,
        campaigns.channel,
        campaigns.campaign_id as campaign,
        0 as numerator,
        1 as denominator
    from leads
    inner join attribution
        on leads.lead_id = attribution.lead_id
    inner join campaigns
        on attribution.campaign_id = campaigns.campaign_id
    where campaigns.is_paid
),

units as (
    select
        period_month,
        channel,
        campaign,
        numerator,
        denominator
    from spend_units
    union all
    select
        period_month,
        channel,
        campaign,
        numerator,
        denominator
    from paid_lead_units
),

final as (
    {{ kpi_series('units', 'ratio', ['channel', 'campaign']) }}
)

select * from final
