{#
    Unsubscribes among delivered (campaign, recipient) pairs, by the month of the
    campaign's first send (docs/kpis.md, "Email").  Repeated unsubscribes count once.
#}

with

pairs as (
    select * from {{ ref('int_email_campaign_recipients') }}
),

units as (
    select
        pairs.first_send_month as period_month,
        pairs.campaign_id as campaign,
        case when pairs.has_unsubscribed then 1 else 0 end as numerator,
        1 as denominator
    from pairs
    where pairs.is_delivered
),

final as (
    {{ kpi_series('units', 'ratio', ['campaign']) }}
)

select * from final
