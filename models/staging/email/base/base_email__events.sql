-- sqlfluff:indentation:template_blocks_indent:false
{#
    Incremental (delete+insert on event_id): email_events rows are appended,
    never edited in place, so a run reads only the raw rows loaded after the
    newest _loaded_at here and ranks them with the rows here they could
    change (macros/incremental.sql), which gives what a full build would. A
    change to the code_variants seed reaches only rows read from then on:
    rebuild with --full-refresh after one.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

{%- set watermark = load_watermark(raw_table('email', 'email_events')) %}

with

source as (
    select landed.* from {{ raw_table('email', 'email_events') }} as landed
    {{ loaded_after(watermark) }}
),

cleaned as (
    select
        {{ clean_text('source.event_id') }} as event_id,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ normalized_email('source.recipient_email') }} as recipient_email_normalized,
        {{ email_hash('source.recipient_email') }} as recipient_email_hash,
        {{ is_email_malformed('source.recipient_email') }} as is_recipient_email_malformed,
        {{ address_key('source.recipient_email') }} as recipient_key,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ canonical_code('email_event_type', 'source.event_type') }} as event_type,
        cast(source.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

to_rank as (
    {{ rows_to_rank('cleaned', 'event_id', 'occurred_at') }}
),

{{ base_labels(
    source_name='email',
    table_name='email_events',
    checks=event_time_checks('occurred_at'),
    relation='to_rank',
) }}
