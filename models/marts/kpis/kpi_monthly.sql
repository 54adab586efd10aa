-- sqlfluff:indentation:template_blocks_indent:false
{#
    The long table BI tools read (docs/kpis.md, "kpi_monthly"): every row of every
    kpi_<id> model, with the KPI's name and unit from the catalogue.  Its
    columns and types are an enforced contract.

    is_mature comes from the cohort tables (kpi_cohort_ids: those whose yml
    lists an is_mature column) and is null for every other KPI.
    is_partial_month marks the rows of the as-of month while that month is
    not over, i.e. unless the as-of date is its last day.
#}

{%- set cohort_ids = kpi_cohort_ids() %}
{#- KPIs needing a system switched off (using_* vars) are left out; kpi_catalog says why. #}
{%- set kpi_ids_in_run = available_kpi_ids() %}

with

{% for kpi_id in kpi_ids_in_run %}
{{ kpi_id }}_rows as (
    select
        '{{ kpi_id }}' as kpi_id,
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        {% if kpi_id in cohort_ids -%}
        is_mature
        {%- else -%}
        cast(null as {{ dbt.type_boolean() }}) as is_mature
        {%- endif %}
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

as_of as (
    select as_of_date
    from {{ ref('util_as_of_date') }}
),

unioned as (
    {% for kpi_id in kpi_ids_in_run %}
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
        cast(catalog.unit as {{ dbt.type_string() }}) as unit,
        cast(unioned.is_mature as {{ dbt.type_boolean() }}) as is_mature,
        cast(
            unioned.period_month = {{ month_of('as_of.as_of_date') }}
            and as_of.as_of_date < {{ dbt.last_day('as_of.as_of_date', 'month') }}
            as {{ dbt.type_boolean() }}
        ) as is_partial_month,
        cast(as_of.as_of_date as date) as as_of_date
    from unioned
    inner join catalog
        on unioned.kpi_id = catalog.kpi_id
    cross join as_of
)

select * from final
