with

source as (
    select landed.* from {{ raw_table('crm', 'crm_deals') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.deal_id') }} as deal_id,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_text('source.owner_id') }} as owner_id,
        {{ clean_text('source.deal_name') }} as deal_name,
        {{ clean_code('source.deal_type') }} as deal_type,
        cast(source.created_at as {{ dbt.type_timestamp() }}) as created_at,
        {{ canonical_code('deal_stage', 'source.stage') }} as stage,  -- noqa: RF04
        {{ money_or_null('source.amount') }} as amount,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        -- not validated: an expected close after the as-of day is normal for an open deal
        cast(source.expected_close_date as date) as expected_close_date,
        {{ valid_timestamp('source.closed_at') }} as closed_at,
        {{ is_timestamp_invalid('source.closed_at') }} as is_closed_at_invalid,
        coalesce(cast(source.is_deleted as boolean), false) as is_deleted,
        {{ numeric_fault(money=['source.amount']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    {{ crm_passthrough('deals', 'source', mode='raw') }}
    from source
),

{#-
    A closed deal's money belongs to the month it closed; an open one's to
    its creation.  closed_without_closed_at looks at the raw value: a closed
    deal whose closed_at was nulled as invalid is repaired and flagged, not
    quarantined.
#}
{{ base_labels(
    source_name='crm',
    table_name='crm_deals',
    checks=event_time_checks('created_at')
    + numeric_fault_checks()
    + [
        ('amount < 0', 'negative_amount'),
        ('amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
        ("stage in ('closed_won', 'closed_lost') and closed_at is null and not is_closed_at_invalid",
            'closed_without_closed_at'),
    ],
    extra_columns=[(
        to_usd('cleaned.amount', 'cleaned.currency_code', 'coalesce(cleaned.closed_at, cleaned.created_at)'),
        'amount_usd',
    )],
) }}
