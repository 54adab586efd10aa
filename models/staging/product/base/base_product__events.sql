-- sqlfluff:indentation:template_blocks_indent:false
{#
    Incremental (delete+insert on event_id): product_events rows are
    appended, never edited in place, so a run reads only the raw rows loaded
    after the newest _loaded_at here and ranks them with the rows here they
    could change (macros/incremental.sql), which gives what a full build
    would.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

{%- set watermark = load_watermark(raw_table('product', 'product_events')) %}

with

source as (
    select landed.* from {{ raw_table('product', 'product_events') }} as landed
    {{ loaded_after(watermark) }}
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

to_rank as (
    {{ rows_to_rank('cleaned', 'event_id', 'occurred_at') }}
),

{{ base_labels(
    source_name='product',
    table_name='product_events',
    checks=event_time_checks('occurred_at'),
    relation='to_rank',
) }}
