with

base as (
    select * from {{ ref('base_billing__invoices') }}
    where row_disposition = 'staged'
),

final as (
    select
        invoice_id,
        subscription_id,
        account_id,
        issued_at,
        paid_at,
        amount,
        currency_code,
        amount_usd,
        status,
        coalesce(status = 'paid', false) as is_paid,
        is_issued_at_invalid,
        _loaded_at
    from base
)

select * from final
