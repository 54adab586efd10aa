with

source as (
    select landed.* from {{ raw_table('marketing', 'marketing_campaigns') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ clean_text('source.campaign_name') }} as campaign_name,
        {{ clean_code('source.channel') }} as channel,
        {{ clean_code('source.channel') }} in ('paid_search', 'paid_social', 'display') as is_paid,
        {{ canonical_code('platform', 'source.platform') }} as platform,
        -- the join key to web and lead tracking, which staging also lower-cases
        {{ clean_code('source.utm_campaign') }} as utm_campaign,
        -- dates of a plan, not events: a campaign may start after the as-of day
        cast(source.start_date as date) as start_date,
        cast(source.end_date as date) as end_date,
        {{ money_or_null('source.budget') }} as budget,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ numeric_fault(money=['source.budget']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='marketing',
    table_name='marketing_campaigns',
    checks=numeric_fault_checks() + [
        ('budget < 0', 'negative_amount'),
        ('budget is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(to_usd('cleaned.budget', 'cleaned.currency_code', 'cleaned.start_date'), 'budget_usd')],
) }}
