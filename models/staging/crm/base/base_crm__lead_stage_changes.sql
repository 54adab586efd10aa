-- sqlfluff:indentation:template_blocks_indent:false
{#
    Incremental (delete+insert on change_id): crm_lead_stage_changes rows
    are appended, never edited in place, so a run reads only the raw rows
    loaded after the newest _loaded_at here and ranks them with the rows
    here they could change (macros/incremental.sql), which gives what a full
    build would. A change to the code_variants seed reaches only rows read
    from then on: rebuild with --full-refresh after one.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='change_id',
        on_schema_change='fail',
    )
}}

{%- set watermark = load_watermark(raw_table('crm', 'crm_lead_stage_changes')) %}

with

source as (
    select landed.* from {{ raw_table('crm', 'crm_lead_stage_changes') }} as landed
    {{ loaded_after(watermark) }}
),

cleaned as (
    select
        {{ clean_text('source.change_id') }} as change_id,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ canonical_code('lead_stage', 'source.stage') }} as stage,  -- noqa: RF04
        cast(source.changed_at as {{ dbt.type_timestamp() }}) as changed_at,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

to_rank as (
    {{ rows_to_rank('cleaned', 'change_id', 'changed_at') }}
),

{#-
    a change dated before its lead's creation is valid here: the
    intermediate layer moves it to the lead's creation (needs the lead)
#}
{{ base_labels(
    source_name='crm',
    table_name='crm_lead_stage_changes',
    checks=event_time_checks('changed_at'),
    relation='to_rank',
) }}
