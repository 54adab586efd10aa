-- sqlfluff:indentation:template_blocks_indent:false
{#
    Incremental (delete+insert on activity_id): crm_activities rows are
    appended, never edited in place, so a run reads only the raw rows loaded
    after the newest _loaded_at here and ranks them with the rows here they
    could change (macros/incremental.sql), which gives what a full build
    would. A change to the code_variants seed reaches only rows read from
    then on: rebuild with --full-refresh after one, and after a change of the
    var crm_activities_passthrough_columns (check_passthrough_held stops the
    run until then).
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='activity_id',
        on_schema_change='fail',
    )
}}

{%- set watermark = load_watermark(raw_table('crm', 'crm_activities')) %}
{%- do check_passthrough_held('activities') %}

with

source as (
    select landed.* from {{ raw_table('crm', 'crm_activities') }} as landed
    {{ loaded_after(watermark) }}
),

cleaned as (
    select
        {{ clean_text('source.activity_id') }} as activity_id,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ clean_text('source.deal_id') }} as deal_id,
        {{ clean_text('source.owner_id') }} as owner_id,
        {{ clean_code('source.activity_type') }} as activity_type,
        {{ clean_code('source.direction') }} as direction,
        cast(source.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        {{ canonical_code('activity_outcome', 'source.outcome') }} as outcome,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    {{ crm_passthrough('activities', 'source', mode='raw') }}
    from source
),

to_rank as (
    {{ rows_to_rank('cleaned', 'activity_id', 'occurred_at') }}
),

{{ base_labels(
    source_name='crm',
    table_name='crm_activities',
    checks=event_time_checks('occurred_at'),
    relation='to_rank',
) }}
