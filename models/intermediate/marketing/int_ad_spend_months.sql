{#
    Ad spend in USD and the conversions the ad platform claims, per month (of
    report_date), campaign and reporting platform: the denominator side of
    the attribution lab's cost per lead and return on ad spend
    (kpi_attribution_cost_per_lead, kpi_attribution_return_on_ad_spend), and
    the claimed side of fct_ad_platform_conversions.  Spend is never
    attributed: every attribution model divides by the same spend.  A row
    without a campaign keeps campaign_id null.  A campaign runs on one
    platform, so in practice there is one row per month and campaign; the
    platform is the one that reported (and claims), not the campaign's.
#}

with

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

final as (
    select
        {{ month_of('report_date') }} as period_month,
        campaign_id,
        platform,
        coalesce({{ exact_sum('coalesce(spend_usd, 0)') }}, 0) as spend_usd,
        -- null, not 0, when no day of the month carried a claim: "not
        -- reported" must stay apart from "claimed nothing"
        cast(sum(conversions) as {{ dbt.type_bigint() }}) as claimed_conversions
    from ad_spend
    group by
        {{ month_of('report_date') }},
        campaign_id,
        platform
)

select * from final
