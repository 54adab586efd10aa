{#
    The tail the base_ models share (docs/raw_contract.md, "Natural keys"
    and "Repair or quarantine"): the model writes its source and cleaned
    CTEs (an incremental one also its to_rank CTE, macros/incremental.sql),
    then calls base_labels, which ranks and labels the rows on the natural
    key its source declares once (the sources' meta natural_key, which
    tests/python/test_contract.py checks against src/leadgen/contract.py).
    base_web__events, built for volume, labels its rows itself.
#}

{#
    The natural key of a raw table, in the column names its base_ model
    stages: the source table's meta natural_key.  A unit test's graph holds
    no sources, so there the test states the key itself with
    overrides: vars: {unit_test_natural_key: [...]}.
#}
{% macro source_natural_key(source_name, table_name) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for node in (graph.get('sources') or {}).values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {%- set config_meta = (node.config or {}).get('meta', {}) if node.config is mapping else {} -%}
                {%- do found.append(config_meta.get('natural_key') or (node.meta or {}).get('natural_key')) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if found and found[0] -%}
        {{ return(found[0]) }}
    {%- endif -%}
    {%- set stated = var('unit_test_natural_key', none) -%}
    {%- if stated is not none and model.resource_type == 'unit_test' -%}
        {#- column names from a var: identifiers only, like every var that reaches SQL -#}
        {%- for column in stated if not is_identifier(column) -%}
            {{ var_error('unit_test_natural_key', column, 'column names: letters, digits and _') }}
        {%- endfor -%}
        {{ return(stated) }}
    {%- endif -%}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error(
            "No natural_key for source('" ~ source_name ~ "', '" ~ table_name ~ "'): declare it in the"
            ~ " source table's config meta (models/staging/" ~ source_name ~ "/_" ~ source_name ~ "__sources.yml)"
            ~ (", and in a unit test with overrides: vars: {unit_test_natural_key: [...]}"
               if model.resource_type == 'unit_test' else "") ~ "."
        ) }}
    {%- endif -%}
    {#- parsing: any key renders, the SQL is not run -#}
    {{ return(['natural_key']) }}
{%- endmacro %}

{#
    The checked and final CTEs and the closing select of a base_ model, read
    from the CTE `relation` (cleaned, or to_rank in an incremental model):
    the model's extra columns (e.g. an amount in USD), delivery_rank on the
    natural key, quarantine_reason (the key, load_checks, then the model's
    checks), row_disposition and natural_key, in that column order.
#}
{% macro base_labels(
    source_name,
    table_name,
    checks=[],
    invalid_delivery=none,
    invalid_delivery_reasons=[],
    extra_columns=[],
    relation='cleaned'
) -%}
    {%- set key = source_natural_key(source_name, table_name) -%}
checked as (
    select
        *,
        {%- for expression, name in extra_columns %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        {{ delivery_rank(key, invalid_delivery=invalid_delivery) }} as delivery_rank,
        {{ quarantine_reason(key, checks) }} as quarantine_reason
    from {{ relation }}
),

final as (
    select
        *,
        {{ row_disposition(key, invalid_delivery_reasons=invalid_delivery_reasons) }} as row_disposition,
        {{ natural_key_text(key) }} as natural_key
    from checked
)

select * from final
{%- endmacro %}
