with

source as (
    select * from {{ source('marketing', 'social_post_metrics') }}
),

cleaned as (
    select
        {{ clean_text('source.post_id') }} as post_id,
        {{ clean_code('source.network') }} as network,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ valid_timestamp('source.posted_at') }} as posted_at,
        {{ is_timestamp_invalid('source.posted_at') }} as is_posted_at_invalid,
        cast(source.metric_date as date) as metric_date,
        cast(source.impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(source.likes as {{ dbt.type_bigint() }}) as likes,
        cast(source.shares as {{ dbt.type_bigint() }}) as shares,  -- noqa: RF04
        cast(source.comments as {{ dbt.type_bigint() }}) as comments,  -- noqa: RF04
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

checked as (
    select
        *,
        {{ delivery_rank(['post_id', 'metric_date']) }} as delivery_rank,
        {{ quarantine_reason(['post_id', 'metric_date'], event_time_checks('metric_date')) }} as quarantine_reason
    from cleaned
),

final as (
    select
        *,
        {{ row_disposition(['post_id', 'metric_date']) }} as row_disposition,
        {{ natural_key_text(['post_id', 'metric_date']) }} as natural_key
    from checked
)

select * from final
