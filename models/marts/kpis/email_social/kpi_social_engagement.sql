{#
    Likes, shares and comments on our social posts, by the day the figures
    are for.  The figures are daily increments, so they add up.
#}

with

post_metrics as (
    select * from {{ ref('stg_marketing__social_post_metrics') }}
),

units as (
    select
        {{ month_of('metric_date') }} as period_month,
        network,
        campaign_id as campaign,
        coalesce(likes, 0) + coalesce(shares, 0) + coalesce(comments, 0) as amount,
        likes,
        shares,
        comments,
        impressions
    from post_metrics
),

series as (
    {{ kpi_series('units', 'sum', ['network', 'campaign'], extra_sums=['likes', 'shares', 'comments', 'impressions']) }}
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        likes,
        shares,
        comments,
        impressions,
        value / nullif(impressions, 0) as engagement_rate
    from series
)

select * from final
