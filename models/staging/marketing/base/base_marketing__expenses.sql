with

source as (
    select * from {{ source('marketing', 'marketing_expenses') }}
),

cleaned as (
    select
        cast(source.month as date) as expense_month,
        {{ clean_code('source.category') }} as category,
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
        {{ to_usd('cleaned.amount', 'cleaned.currency_code', 'cleaned.expense_month') }} as amount_usd,
        {{ delivery_rank(['expense_month', 'category', 'currency_code']) }} as delivery_rank,
        {{ quarantine_reason(['expense_month', 'category', 'currency_code'],
            event_time_checks('expense_month')
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
        {{ row_disposition(['expense_month', 'category', 'currency_code']) }} as row_disposition,
        {{ natural_key_text(['expense_month', 'category', 'currency_code']) }} as natural_key
    from checked
)

select * from final
