{#
    The KPI catalogue as a table: one row per KPI with its name, process,
    unit, direction, breakdowns, definition and formula (from the
    kpi_definitions seed, the single list of KPIs), the model that holds it,
    and whether it is a cohort KPI: its table has is_mature (kpi_cohort_ids).
    The optional systems each KPI needs, and whether it is available in this
    build, come from kpi_required_systems and the using_* vars: an
    unavailable KPI is absent from kpi_monthly and says why here.
#}

{%- set cohort_ids = kpi_cohort_ids() %}
{%- set required = kpi_required_systems() %}
{%- set unavailable = {} %}
{%- for kpi_id in kpi_ids() %}
    {%- set reason = kpi_unavailable_reason(kpi_id) %}
    {%- if reason is not none %}
        {%- do unavailable.update({kpi_id: reason}) %}
    {%- endif %}
{%- endfor %}

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
        {%- endif %} as is_cohort,
        cast(
            case kpi_id
                {%- for kpi_id, systems in required.items() %}
                    when '{{ kpi_id }}' then '{{ systems | join(", ") }}'
                {%- endfor %}
                else ''
            end as {{ dbt.type_string() }}
        ) as required_systems,
        {% if unavailable -%}
            kpi_id not in ('{{ unavailable.keys() | join("', '") }}')
        {%- else -%}
            true
        {%- endif %} as is_available,
        cast(
            {% if unavailable -%}
                case kpi_id
                    {%- for kpi_id, reason in unavailable.items() %}
                        when '{{ kpi_id }}' then '{{ reason }}'
                    {%- endfor %}
                end
            {%- else -%}
                null
            {%- endif %} as {{ dbt.type_string() }}
        ) as unavailable_reason
    from catalog
)

select * from final
