{#
    Live leads created in the month, credited to touches (docs/kpis.md kpi_attribution_leads): the credits
    (fct_attribution_credits) of conversion point lead_created, summed by the month
    of the conversion, per attribution model.  The overall row is the
    first_touch figure; every model's total is the same, since a
    conversion's credits add up to 1.
#}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where conversion_point = 'lead_created'
),

units as (
    select
        conversion_month as period_month,
        attribution_model,
        channel,
        campaign_id,
        credit as amount
    from credits
),

{{ kpi_attribution_series('units', 'sum') }}
