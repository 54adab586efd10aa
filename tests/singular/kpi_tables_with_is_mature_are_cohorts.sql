{#
    Every kpi_<id> table that really has an is_mature column (as built in
    the warehouse) is treated as a cohort KPI, and no other is: kpi_cohort_ids
    (read from the columns the yml documents) lists it, kpi_catalog flags it
    is_cohort, and kpi_monthly carries its is_mature.  A cohort model whose
    yml forgets the column, or a yml that names it for a table without it,
    returns a row here.  An unavailable KPI (a system switched off) has no
    rows in kpi_monthly, so nothing is expected of it there.
#}

{%- set cohort_ids = kpi_cohort_ids() %}

with

kpi_tables as (
    {%- for kpi_id in kpi_ids() %}
        {%- set relation = ref('kpi_' ~ kpi_id) %}
        {%- set found = [] %}
        {%- if execute %}
            {%- for column in adapter.get_columns_in_relation(relation) %}
                {%- if column.name | lower == 'is_mature' %}
                    {%- do found.append(column.name) %}
                {%- endif %}
            {%- endfor %}
        {%- endif %}
        select
            cast('{{ kpi_id }}' as {{ dbt.type_string() }}) as kpi_id,
            {{ 'true' if found else 'false' }} as has_is_mature_column,
            {{ 'true' if kpi_id in cohort_ids else 'false' }} as in_kpi_cohort_ids,
            {{ 'true' if kpi_unavailable_reason(kpi_id) is none else 'false' }} as is_available
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

catalog as (
    select
        kpi_id,
        is_cohort
    from {{ ref('kpi_catalog') }}
),

monthly as (
    select
        kpi_id,
        count(is_mature) as rows_with_is_mature
    from {{ ref('kpi_monthly') }}
    group by kpi_id
),

checked as (
    select
        kpi_tables.kpi_id,
        kpi_tables.has_is_mature_column,
        kpi_tables.in_kpi_cohort_ids,
        kpi_tables.is_available,
        coalesce(catalog.is_cohort, false) as is_cohort_in_catalog,
        coalesce(monthly.rows_with_is_mature, 0) > 0 as has_is_mature_in_monthly
    from kpi_tables
    left join catalog
        on kpi_tables.kpi_id = catalog.kpi_id
    left join monthly
        on kpi_tables.kpi_id = monthly.kpi_id
)

select *
from checked
where
    has_is_mature_column != in_kpi_cohort_ids
    or has_is_mature_column != is_cohort_in_catalog
    or (is_available and has_is_mature_column != has_is_mature_in_monthly)
