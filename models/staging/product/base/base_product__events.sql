with

source as (
    select * from {{ source('product', 'product_events') }}
),

cleaned as (
    select
        {{ clean_text('source.event_id') }} as event_id,
        {{ clean_text('source.user_id') }} as user_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_code('source.event_name') }} as event_name,
        cast(source.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

checked as (
    select
        *,
        {{ delivery_rank(['event_id']) }} as delivery_rank,
        {{ quarantine_reason(['event_id'], event_time_checks('occurred_at')) }} as quarantine_reason
    from cleaned
),

final as (
    select
        *,
        {{ row_disposition(['event_id']) }} as row_disposition,
        {{ natural_key_text(['event_id']) }} as natural_key
    from checked
)

select * from final
