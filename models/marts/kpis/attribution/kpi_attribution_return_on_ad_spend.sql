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

{{ kpi_attribution_paid_units('credits.credited_amount_usd', spend_side='denominator') }},

{{ kpi_attribution_series('units', 'ratio') }}
