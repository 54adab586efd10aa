{#
    The KPI catalogue as a table: one row per KPI with its name, process,
    unit, direction, breakdowns, definition and formula (from the
    kpi_definitions seed, the single list of KPIs), the model that holds it,
    and whether it is a cohort KPI: its table has is_mature (kpi_cohort_ids).
#}

{%- set cohort_ids = kpi_cohort_ids() %}

with

catalog as (
    select * from {{ ref('kpi_definitions') }}
),

final as (
    select
        kpi_id,
        kpi_name,
        process,
        unit,
        is_fraction,
        higher_is_better,
        breakdowns,
        definition,
        formula,
        {{ dbt.concat(["'kpi_'", 'kpi_id']) }} as model_name,
        {% if cohort_ids -%}
            kpi_id in ('{{ cohort_ids | join("', '") }}')
        {%- else -%}
            false
        {%- endif %} as is_cohort
    from catalog
)

select * from final
