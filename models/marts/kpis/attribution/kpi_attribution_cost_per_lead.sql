{#
    Ad spend per new lead of paid campaigns (docs/kpis.md kpi_attribution_cost_per_lead), per attribution model.  The
    credited side takes the credits (fct_attribution_credits) of conversion
    point lead_created on touches of a paid campaign; spend is not attributed: every
    model divides by the same ad spend of the month (int_ad_spend_months).
    As in kpi_cost_per_lead, both sides take the campaign's own channel
    (dim_campaigns).  The overall row is the first_touch figure, which
    equals kpi_cost_per_lead.
#}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where conversion_point = 'lead_created'
),

spend_months as (
    select * from {{ ref('int_ad_spend_months') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

{{ kpi_attribution_paid_units('credits.credit', spend_side='numerator') }},

{{ kpi_attribution_series('units', 'ratio') }}
