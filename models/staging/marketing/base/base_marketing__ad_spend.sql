with

source as (
    select * from {{ raw_table('marketing', 'ad_spend') }} as landed
),

cleaned as (
    select
        cast(source.report_date as date) as report_date,
        {{ canonical_code('platform', 'source.platform') }} as platform,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ count_or_null('source.impressions') }} as impressions,
        {{ count_or_null('source.clicks') }} as clicks,
        {{ money_or_null('source.spend') }} as spend,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ numeric_fault(money=['source.spend'], counts=['source.impressions', 'source.clicks']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{#- platforms restate recent days: the latest delivery of a day's report wins -#}
{{ base_labels(
    source_name='marketing',
    table_name='ad_spend',
    checks=event_time_checks('report_date')
    + numeric_fault_checks()
    + [
        ('spend < 0', 'negative_amount'),
        ('spend is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(to_usd('cleaned.spend', 'cleaned.currency_code', 'cleaned.report_date'), 'spend_usd')],
) }}
