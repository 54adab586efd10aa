-- sqlfluff:indentation:template_blocks_indent:false
{#
    The long table BI tools read (docs/kpis.md, "kpi_monthly"): every row of every
    kpi_<id> model, with the KPI's name and unit from the catalogue.  Its
    columns and types are an enforced contract.
#}

with

{% for kpi_id in kpi_ids() %}
{{ kpi_id }}_rows as (
    select
        '{{ kpi_id }}' as kpi_id,
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator
    from {{ ref('kpi_' ~ kpi_id) }}
),

{% endfor %}
catalog as (
    select
        kpi_id,
        kpi_name,
        unit
    from {{ ref('kpi_catalog') }}
),

unioned as (
    {% for kpi_id in kpi_ids() %}
    select * from {{ kpi_id }}_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        cast(unioned.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(catalog.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(unioned.period_month as date) as period_month,
        cast(unioned.dimension as {{ dbt.type_string() }}) as dimension,
        cast(unioned.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        -- parallel sums of doubles differ in the last bits from run to run;
        -- 9 decimals keep every figure exact to the unit's meaning and make
        -- reruns on the same data identical
        cast({{ round_decimals('unioned.value', 9) }} as {{ type_double() }}) as value,  -- noqa: RF04
        cast({{ round_decimals('unioned.numerator', 9) }} as {{ type_double() }}) as numerator,
        cast({{ round_decimals('unioned.denominator', 9) }} as {{ type_double() }}) as denominator,
        cast(catalog.unit as {{ dbt.type_string() }}) as unit
    from unioned
    inner join catalog
        on unioned.kpi_id = catalog.kpi_id
)

select * from final
