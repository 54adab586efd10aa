with

base as (
    select * from {{ ref('base_marketing__social_post_metrics') }}
    where row_disposition = 'staged'
),

final as (
    select
        post_id,
        network,
        campaign_id,
        posted_at,
        metric_date,
        impressions,
        likes,
        shares,
        comments,
        is_posted_at_invalid,
        _loaded_at
    from base
)

select * from final
