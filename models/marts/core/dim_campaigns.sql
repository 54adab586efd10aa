with

campaigns as (
    select * from {{ ref('stg_marketing__campaigns') }}
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
        budget_usd
    from campaigns
)

select * from final
