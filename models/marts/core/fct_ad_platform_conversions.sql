{#
    What the ad platforms claim against what our tracking credits them, per
    platform and month (issue #19, "platform claims against tracking").

    Claimed: the conversions each platform reports in ad_spend
    (int_ad_spend_months, by the reporting platform and the month of the
    report day); null when no report of the month carried a claim.

    Tracked: the month's new leads (conversion point lead_created, the
    conversion a lead-gen ad is bought for), credited by fct_attribution_credits
    to touches of a paid campaign (dim_campaigns.is_paid) that runs on the
    platform, under two models: first_touch (the project's default, so it
    matches lead_generation and cost_per_lead) and linear (every touch of the
    path shares the lead, the closest of our models to a platform that counts
    any lead its ad touched).  Leads are filed in the month they were
    created, as the platforms file a conversion under the day of the ad it
    follows, so the two sides are only comparable by month, not by day.

    A platform-month appears when it has spend or claims, or tracked credit.
#}

with

spend_months as (
    select * from {{ ref('int_ad_spend_months') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where
        conversion_point = 'lead_created'
        and attribution_model in ('first_touch', 'linear')
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

claimed as (
    select
        platform,
        period_month,
        spend_usd,
        claimed_conversions,
        0.0 as first_touch_credit,
        0.0 as linear_credit
    from spend_months
),

tracked as (
    select
        campaigns.platform,
        credits.conversion_month as period_month,
        0.0 as spend_usd,
        cast(null as {{ dbt.type_bigint() }}) as claimed_conversions,
        case when credits.attribution_model = 'first_touch' then credits.credit else 0.0 end as first_touch_credit,
        case when credits.attribution_model = 'linear' then credits.credit else 0.0 end as linear_credit
    from credits
    inner join campaigns
        on credits.campaign_id = campaigns.campaign_id
    where campaigns.is_paid
),

units as (
    select
        platform,
        period_month,
        spend_usd,
        claimed_conversions,
        first_touch_credit,
        linear_credit
    from claimed
    union all
    select
        platform,
        period_month,
        spend_usd,
        claimed_conversions,
        first_touch_credit,
        linear_credit
    from tracked
),

platform_months as (
    select
        platform,
        period_month,
        coalesce({{ exact_sum('spend_usd') }}, 0) as spend_usd,
        -- sum() over nulls only is null: a month without any claim stays null
        cast(sum(claimed_conversions) as {{ dbt.type_bigint() }}) as claimed_conversions,
        coalesce({{ exact_sum('first_touch_credit') }}, 0) as tracked_leads_first_touch,
        coalesce({{ exact_sum('linear_credit') }}, 0) as tracked_leads_linear
    from units
    group by
        platform,
        period_month
),

final as (
    select
        platform,
        period_month,
        spend_usd,
        claimed_conversions,
        tracked_leads_first_touch,
        tracked_leads_linear,
        cast(
            claimed_conversions / nullif(tracked_leads_first_touch, 0) as {{ type_double() }}
        ) as over_claim_ratio_first_touch,
        cast(claimed_conversions / nullif(tracked_leads_linear, 0) as {{ type_double() }}) as over_claim_ratio_linear
    from platform_months
)

select * from final
