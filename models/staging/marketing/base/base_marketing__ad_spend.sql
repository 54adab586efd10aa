{#-
    conversions is optional in the contract: landed files may lack it.  DuckDB's
    union_by_name reads it as null from the files without it, but when no file
    has it (or the PostgreSQL load found none) the relation has no such column,
    so it is looked up once at run time and read as null when absent.  A unit
    test's fixture states its own columns and always carries it.
-#}
{%- set landed = raw_table('marketing', 'ad_spend') -%}
{%- set has_conversions = true -%}
{%- if execute and not (model is mapping and model.get('resource_type') == 'unit_test') -%}
    {%- set landed_columns = get_columns_in_query('select * from ' ~ landed ~ ' as landed') | map('lower') | list -%}
    {%- set has_conversions = 'conversions' in landed_columns -%}
{%- endif -%}
{%- set counts = ['source.impressions', 'source.clicks'] + (['source.conversions'] if has_conversions else []) -%}
{%- if has_conversions -%}
    {#- null above what the contract's INTEGER holds: such a row is quarantined (implausible_count) -#}
    {%- set conversions = number_or_null('source.conversions', dbt.type_int(), '2147483648') -%}
    {%- set conversions_fault = "case when abs(cast(source.conversions as " ~ type_double()
        ~ ")) >= 2147483648 then 'implausible_count' end" -%}
{%- else -%}
    {%- set conversions = 'cast(null as ' ~ dbt.type_int() ~ ')' -%}
    {%- set conversions_fault = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- endif %}

with

source as (
    -- the alias is required: PostgreSQL wants the empty stand-in of raw_table() named
    select landed.* from {{ landed }} as landed
),

cleaned as (
    select
        cast(source.report_date as date) as report_date,
        {{ canonical_code('platform', 'source.platform') }} as platform,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ count_or_null('source.impressions') }} as impressions,
        {{ count_or_null('source.clicks') }} as clicks,
        {{ conversions }} as conversions,
        {{ money_or_null('source.spend') }} as spend,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        coalesce({{ numeric_fault(money=['source.spend'], counts=counts) }}, {{ conversions_fault }}) as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{#- platforms restate recent days: the latest delivery of a day's report wins -#}
{{ base_labels(
    source_name='marketing',
    table_name='ad_spend',
    checks=event_time_checks('report_date')
    + numeric_fault_checks()
    + [
        ("numeric_fault = 'implausible_count'", 'implausible_count'),
        ('spend < 0', 'negative_amount'),
        ('spend is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(to_usd('cleaned.spend', 'cleaned.currency_code', 'cleaned.report_date'), 'spend_usd')],
) }}
