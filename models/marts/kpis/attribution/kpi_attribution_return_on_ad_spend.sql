{#
    Won-deal USD per dollar of ad spend (docs/kpis.md kpi_attribution_return_on_ad_spend), per attribution model.  The
    credited side takes the credits (fct_attribution_credits) of conversion
    point deal_won on touches of a paid campaign; spend is not attributed: every
    model divides by the same ad spend of the month (int_ad_spend_months).
    As in kpi_return_on_ad_spend, both sides take the campaign's own channel
    (dim_campaigns).  The overall row is the first_touch figure, which
    equals kpi_return_on_ad_spend.
#}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where conversion_point = 'deal_won'
),

spend_months as (
    select * from {{ ref('int_ad_spend_months') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

attribution_models as (
    select distinct attribution_model from credits
),

spend_units as (
    select
        spend_months.period_month,
        attribution_models.attribution_model,
        campaigns.channel,
        spend_months.campaign_id,
        0 as numerator,
        spend_months.spend_usd as denominator
    from spend_months
    cross join attribution_models
    left join campaigns
        on spend_months.campaign_id = campaigns.campaign_id
),

credited_units as (
    select
        credits.conversion_month as period_month,
        credits.attribution_model,
        campaigns.channel,
        campaigns.campaign_id,
        credits.credited_amount_usd as numerator,
        0 as denominator
    from credits
    inner join campaigns
        on credits.campaign_id = campaigns.campaign_id
    where campaigns.is_paid
),

units as (
    select
        period_month,
        attribution_model,
        channel,
        campaign_id,
        numerator,
        denominator
    from spend_units
    union all
    select
        period_month,
        attribution_model,
        channel,
        campaign_id,
        numerator,
        denominator
    from credited_units
),

{{ kpi_attribution_series('units', 'ratio') }}
