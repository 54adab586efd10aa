{#
    Won-deal revenue per dollar of ad spend (docs/kpis.md return_on_ad_spend):
    the USD amount of deals won in the month (closed_at month, amount at that
    month's rate) whose lead's first-touch campaign is paid, over all ad
    spend of the month.  A won deal without a live lead has no campaign and
    is left out.  The channel is the campaign's own (dim_campaigns), on both
    sides, so a channel's return is its own deals over its own spend.
#}

with

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

spend_units as (
    select
        {{ month_of('ad_spend.report_date') }} as period_month,
        campaigns.channel,
        ad_spend.campaign_id as campaign,
        0 as numerator,
        coalesce(ad_spend.spend_usd, 0) as denominator
    from ad_spend
    left join campaigns
        on ad_spend.campaign_id = campaigns.campaign_id
),

won_deal_units as (
    select
        deals.closed_month as period_month,
        campaigns.channel,
        campaigns.campaign_id as campaign,
        coalesce(deals.amount_usd, 0) as numerator,
        0 as denominator
    from deals
    inner join attribution
        on deals.lead_id = attribution.lead_id
    inner join campaigns
        on attribution.campaign_id = campaigns.campaign_id
    where
        deals.outcome = 'won'
        and campaigns.is_paid
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
    from won_deal_units
),

final as (
    {{ kpi_series('units', 'ratio', ['channel', 'campaign']) }}
)

select * from final
