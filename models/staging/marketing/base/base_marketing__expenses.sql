with

source as (
    select landed.* from {{ raw_table('marketing', 'marketing_expenses') }} as landed
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

{{ base_labels(
    source_name='marketing',
    table_name='marketing_expenses',
    checks=event_time_checks('expense_month')
    + numeric_fault_checks()
    + [
        ('amount < 0', 'negative_amount'),
        ('amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(to_usd('cleaned.amount', 'cleaned.currency_code', 'cleaned.expense_month'), 'amount_usd')],
) }}
