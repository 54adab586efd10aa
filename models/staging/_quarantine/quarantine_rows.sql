-- sqlfluff:indentation:template_blocks_indent:false
{{ config(materialized='table') }}

{#
    Every raw row staging set aside, from every raw table, with why.  Each
    base_ model labels its rows; this model keeps the quarantined ones.
#}

with

{% for raw in raw_tables() %}
{{ raw.table }}_quarantined as (
    select
        '{{ raw.table }}' as source_table,
        natural_key,
        quarantine_reason,
        raw_row,
        _loaded_at
    from {{ ref('base_' ~ raw.model[4:]) }}
    where row_disposition = 'quarantined'
),

{% endfor %}
final as (
    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_quarantined
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
