{#
    The KPI catalogue as a table: one row per KPI with its name, process,
    unit, direction, breakdowns, definition and formula (from the
    kpi_definitions seed, the single list of KPIs) and the model that holds it.
#}

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
        {{ dbt.concat(["'kpi_'", 'kpi_id']) }} as model_name
    from catalog
)

select * from final
