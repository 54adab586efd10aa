with

source as (
    select landed.* from {{ raw_table('marketing', 'social_post_metrics') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.post_id') }} as post_id,
        {{ clean_code('source.network') }} as network,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ valid_timestamp('source.posted_at') }} as posted_at,
        {{ is_timestamp_invalid('source.posted_at') }} as is_posted_at_invalid,
        cast(source.metric_date as date) as metric_date,
        {{ count_or_null('source.impressions') }} as impressions,
        {{ count_or_null('source.likes') }} as likes,
        {{ count_or_null('source.shares') }} as shares,  -- noqa: RF04
        {{ count_or_null('source.comments') }} as comments,  -- noqa: RF04
        {{ numeric_fault(
            counts=['source.impressions', 'source.likes', 'source.shares', 'source.comments']
        ) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='marketing',
    table_name='social_post_metrics',
    checks=event_time_checks('metric_date') + numeric_fault_checks(),
) }}
