with

base as (
    select * from {{ ref('base_marketing__campaigns') }}
    where row_disposition = 'staged'
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        platform,
        utm_campaign,
        is_paid,
        start_date,
        end_date,
        budget,
        currency_code,
        budget_usd,
        _loaded_at
    from base
)

select * from final
