{#
    USD amount of the deals won in the month, credited to touches (docs/kpis.md kpi_attribution_won_revenue): the credits
    (fct_attribution_credits) of conversion point deal_won, summed by the month
    of the conversion, per attribution model.  The overall row is the
    first_touch figure; every model's total is the same, since a
    conversion's credits add up to 1.
#}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where conversion_point = 'deal_won'
),

units as (
    select
        conversion_month as period_month,
        attribution_model,
        channel,
        campaign_id,
        credited_amount_usd as amount
    from credits
),

{{ kpi_attribution_series('units', 'sum') }}
