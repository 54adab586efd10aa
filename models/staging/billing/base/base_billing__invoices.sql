with

source as (
    select landed.* from {{ raw_table('billing', 'billing_invoices') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.invoice_id') }} as invoice_id,
        {{ clean_text('source.subscription_id') }} as subscription_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ valid_timestamp('source.issued_at') }} as issued_at,
        {{ is_timestamp_invalid('source.issued_at') }} as is_issued_at_invalid,
        cast(source.paid_at as {{ dbt.type_timestamp() }}) as paid_at,
        {{ money_or_null('source.amount') }} as amount,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ clean_code('source.status') }} as status,
        {{ numeric_fault(money=['source.amount']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{#-
    paid_at defines the invoice (docs/raw_contract.md) but only a paid
    invoice must have one.  Revenue counts by the month of paid_at; an
    unpaid invoice has only its issue month (qualified: inside to_usd's
    subquery a bare currency_code is the fx table's own).
#}
{{ base_labels(
    source_name='billing',
    table_name='billing_invoices',
    checks=event_time_checks('paid_at', required=false)
    + numeric_fault_checks()
    + [
        ("status = 'paid' and paid_at is null", 'null_timestamp'),
        ('amount < 0', 'negative_amount'),
        ('amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(
        to_usd('cleaned.amount', 'cleaned.currency_code', 'coalesce(cleaned.paid_at, cleaned.issued_at)'),
        'amount_usd',
    )],
) }}
