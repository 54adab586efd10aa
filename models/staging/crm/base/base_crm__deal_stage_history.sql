with

source as (
    select landed.* from {{ raw_table('crm', 'crm_deal_stage_history') }} as landed
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

{#- entered_at is part of the key, so a null one is already a null_key -#}
{{ base_labels(
    source_name='crm',
    table_name='crm_deal_stage_history',
    checks=event_time_checks('entered_at')
    + numeric_fault_checks()
    + [
        ('amount < 0', 'negative_amount'),
        ('amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(to_usd('cleaned.amount', 'cleaned.currency_code', 'cleaned.entered_at'), 'amount_usd')],
) }}
