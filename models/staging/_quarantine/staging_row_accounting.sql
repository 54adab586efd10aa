-- sqlfluff:indentation:template_blocks_indent:false
{#
    raw rows = staged rows + quarantined rows + duplicate deliveries, per raw
    table (docs/raw_contract.md).  Each term is counted from a different model, so
    a row lost anywhere between the source and the staging model shows up as
    unaccounted_rows; a test requires 0.
#}

with

{% for raw in raw_tables() %}
{{ raw.table }}_counts as (
    select
        '{{ raw.table }}' as source_table,
        -- the alias names raw_table()'s empty stand-in, a subquery, for PostgreSQL
        (select count(*) from {{ raw_table(raw.source, raw.table) }} as landed) as raw_rows,  -- noqa: AL05
        (select count(*) from {{ ref(raw.model) }}) as staged_rows,
        (
            select count(*) from {{ ref('quarantine_rows') }} as quarantined
            where quarantined.source_table = '{{ raw.table }}'
        ) as quarantined_rows,
        (
            select count(*) from {{ ref('base_' ~ raw.model[4:]) }} as labelled
            where labelled.row_disposition = 'duplicate'
        ) as duplicate_rows
),

{% endfor %}
all_tables as (
    {% for raw in raw_tables() %}
    select * from {{ raw.table }}_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        raw_rows,
        staged_rows,
        quarantined_rows,
        duplicate_rows,
        raw_rows - staged_rows - quarantined_rows - duplicate_rows as unaccounted_rows
    from all_tables
)

select * from final
