{#
    Ad spend in USD per month (of report_date) and campaign: the denominator
    side of the attribution lab's cost per lead and return on ad spend
    (kpi_attribution_cost_per_lead, kpi_attribution_return_on_ad_spend).
    Spend is never attributed: every attribution model divides by the same
    spend.  A row without a campaign keeps campaign_id null.
#}

with

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

final as (
    select
        {{ month_of('report_date') }} as period_month,
        campaign_id,
        coalesce({{ exact_sum('coalesce(spend_usd, 0)') }}, 0) as spend_usd
    from ad_spend
    group by
        {{ month_of('report_date') }},
        campaign_id
)

select * from final
