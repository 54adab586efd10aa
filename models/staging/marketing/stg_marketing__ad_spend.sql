with

base as (
    select * from {{ ref('base_marketing__ad_spend') }}
    where row_disposition = 'staged'
),

final as (
    select
        report_date,
        platform,
        campaign_id,
        impressions,
        clicks,
        conversions,
        spend,
        currency_code,
        spend_usd,
        _loaded_at
    from base
)

select * from final
