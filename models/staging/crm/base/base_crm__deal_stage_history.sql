with

source as (
    select * from {{ source('crm', 'crm_deal_stage_history') }}
),

cleaned as (
    select
        {{ clean_text('source.deal_id') }} as deal_id,
        -- canonical before keying, so 'Closed Won' and 'won' are the same delivery
        {{ canonical_code('deal_stage', 'source.stage') }} as stage,  -- noqa: RF04
        cast(source.entered_at as {{ dbt.type_timestamp() }}) as entered_at,
        {{ money_or_null('source.amount') }} as amount,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ numeric_fault(money=['source.amount']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

checked as (
    select
        *,
        {{ to_usd('cleaned.amount', 'cleaned.currency_code', 'cleaned.entered_at') }} as amount_usd,
        {{ delivery_rank(['deal_id', 'stage', 'entered_at']) }} as delivery_rank,
        -- entered_at is part of the key, so a null one is already a null_key
        {{ quarantine_reason(['deal_id', 'stage', 'entered_at'],
            event_time_checks('entered_at')
            + numeric_fault_checks()
            + [
                ('amount < 0', 'negative_amount'),
                ('amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
            ]) }} as quarantine_reason
    from cleaned
),

final as (
    select
        *,
        {{ row_disposition(['deal_id', 'stage', 'entered_at']) }} as row_disposition,
        {{ natural_key_text(['deal_id', 'stage', 'entered_at']) }} as natural_key
    from checked
)

select * from final
