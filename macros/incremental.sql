{#
    Incremental base_ models of append-only event tables (web, email and
    product events, CRM activities and lead stage changes): a run reads only
    the raw rows loaded after the newest _loaded_at the model holds, and
    ranks them with the rows it already holds that their delivery could
    change.  delete+insert on the natural key then
    replaces every copy of those keys, so the row accounting stays whole.
#}

{#
    The newest _loaded_at this model holds, or none outside an incremental
    run.  Rows set aside as loaded in the future do not count: one bad clock
    would otherwise freeze the watermark for good.

    Before trusting it, the run checks that the raw table holds, at or below
    the watermark (or with a null _loaded_at), exactly as many rows as the
    model does.  More means a backfill landed with old _loaded_at values (or
    rows without one), which a run that reads only newer loads would never
    see; fewer means landed files were removed.  Either way the run stops
    with the remedy instead of dropping rows silently.
#}
{% macro load_watermark(source_relation) -%}
    {%- if not (is_incremental() and execute and model.resource_type == 'model') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermark = run_query(
        "select max(_loaded_at) from " ~ this
        ~ " where quarantine_reason is null or quarantine_reason != 'loaded_in_future'"
    ).columns[0].values()[0] -%}
    {%- set at_or_below = "_loaded_at is null" ~ (
        " or cast(_loaded_at as " ~ dbt.type_timestamp() ~ ") <= cast('" ~ watermark ~ "' as "
        ~ dbt.type_timestamp() ~ ")" if watermark is not none else ""
    ) -%}
    {%- set counts = run_query(
        "select (select count(*) from " ~ this ~ " where " ~ at_or_below ~ "),"
        ~ " (select count(*) from " ~ source_relation ~ " as landed where " ~ at_or_below ~ ")"
    ).rows[0] -%}
    {%- if counts[0] != counts[1] -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": the raw table " ~ (
                source_relation.identifier if source_relation is not string else "(switched off)"
            ) ~ " holds " ~ counts[1]
            ~ " rows loaded at or before " ~ (watermark or "(no load yet)") ~ " or with a null _loaded_at, but this"
            ~ " model holds " ~ counts[0] ~ ". Rows landed with an old _loaded_at (a backfill) or none are never"
            ~ " read by an incremental run, and removed files leave rows behind. Rebuild it: dbt build"
            ~ " --full-refresh --select " ~ this.identifier ~ "+"
        ) }}
    {%- endif -%}
    {{ return(watermark) }}
{%- endmacro %}

{#
    The where clause that keeps the raw rows loaded after the watermark.  A
    literal, so the Parquet reader skips the files and row groups loaded
    before it.  In an incremental run with no watermark yet (every row held
    lacks a _loaded_at or lies in the future), every row with a _loaded_at
    is new.
#}
{% macro loaded_after(watermark) -%}
    {%- if watermark is not none -%}
        where cast(_loaded_at as {{ dbt.type_timestamp() }}) > cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
    {%- elif is_incremental() -%}
        where _loaded_at is not null
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook of the staging models (dbt_project.yml): before an incremental
    run, drop the rows it quarantined as loaded_in_future.  load_watermark
    leaves them out, so the run reads them again from the raw table and
    stages them once their time has come; kept, they would stand twice.
#}
{% macro drop_future_loads() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where quarantine_reason = 'loaded_in_future'
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

{#
    The materialization of the incremental models, in one place.  They need
    delete+insert on a key, and a pre-hook that deletes rows: Spark without a
    table format that can delete (Delta, Iceberg, Hudi) has neither (append
    and insert_overwrite cannot remove a re-delivered key's old copy), so on
    Spark they are tables, rebuilt in full on every run; is_incremental() is
    then false and their full-build branch runs, so a run equals a full
    refresh.  On a Delta cluster, return 'incremental' (README, "Spark").
#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'leadgen')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
