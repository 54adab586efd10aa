{#
    Incremental base_ models of append-only event tables (web, email and
    product events, CRM activities and lead stage changes): a run reads only
    the raw rows loaded after the newest _loaded_at the model holds, and
    ranks them with the rows it already holds that their delivery could
    change.  delete+insert on the natural key then
    replaces every copy of those keys, so the row accounting stays whole.
#}

{# The newest _loaded_at this model holds, or none outside an incremental run. #}
{% macro load_watermark() -%}
    {%- if is_incremental() and execute and model.resource_type == 'model' -%}
        {{ return(run_query('select max(_loaded_at) from ' ~ this).columns[0].values()[0]) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#
    The where clause that keeps the raw rows loaded after the watermark.  A
    literal, so the Parquet reader skips the files and row groups loaded
    before it.  A file landed with _loaded_at values not after the watermark
    is never read: rebuild with --full-refresh after such a load.
#}
{% macro loaded_after(watermark) -%}
    {%- if watermark is not none -%}
        where cast(_loaded_at as {{ dbt.type_timestamp() }}) > cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#
    The rows already held (alias this_table) an incremental run must rank
    again: those sharing a key with the new rows (a re-delivery changes which
    copy wins), and those on either side of the as-of day, which moves with
    the loads (or the var): a row quarantined as dated after it, or a row
    now dated after it.
#}
{% macro rows_to_rerank(key_column, new_rows, time_column) -%}
    (
        this_table.{{ key_column }} in (select {{ new_rows }}.{{ key_column }} from {{ new_rows }})
        or this_table.quarantine_reason = 'timestamp_after_as_of'
        or this_table.{{ time_column }} >= {{ as_of_end() }}
    )
{%- endmacro %}

{#
    The columns this model holds before ranking: every column of the table
    but the labels ranking adds.  Read from the warehouse so that no model
    lists its columns twice; on_schema_change='fail' keeps them in step
    with the model's cleaned columns.
#}
{% macro held_columns() -%}
    {%- set labels = ['delivery_rank', 'quarantine_reason', 'row_disposition', 'natural_key'] -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- if column.name | lower not in labels -%}
            {%- do columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#
    The body of the CTE a base_ model ranks: its new rows (the CTE named by
    new_rows, whose columns come first in the table, in the same order) and,
    on an incremental run, the held rows they could change.
#}
{% macro rows_to_rank(new_rows, key_column, time_column) -%}
    select * from {{ new_rows }}
    {%- if is_incremental() %}
    union all
    select
        {%- for column in held_columns() %}
        this_table.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ this }} as this_table
    where {{ rows_to_rerank(key_column, new_rows, time_column) }}
    {%- endif %}
{%- endmacro %}
