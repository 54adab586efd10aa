{#
    The first_touch figures of the attribution lab are today's KPIs: for
    every month, kpi_attribution_cost_per_lead and
    kpi_attribution_return_on_ad_spend under first_touch (overall, per
    channel and per campaign) equal kpi_cost_per_lead and
    kpi_return_on_ad_spend, and kpi_attribution_leads per first_touch
    channel equals kpi_lead_generation per channel (to 1e-9 relative).  A
    row present on one side only is a difference too.  Each differing row
    is returned.  A pair whose KPI is unavailable in the run (a system
    switched off, kpi_unavailable_reason) is not compared.
#}

{%- set pairs = [
    ('kpi_attribution_cost_per_lead', 'kpi_cost_per_lead', ['channel', 'campaign']),
    ('kpi_attribution_return_on_ad_spend', 'kpi_return_on_ad_spend', ['channel', 'campaign']),
    ('kpi_attribution_leads', 'kpi_lead_generation', ['channel']),
] %}
{%- set pairs_in_run = [] %}
{%- for lab, today, dimensions in pairs
    if kpi_unavailable_reason(lab[4:]) is none and kpi_unavailable_reason(today[4:]) is none %}
    {%- do pairs_in_run.append((lab, today, dimensions)) %}
{%- endfor %}

with

{% for lab, today, dimensions in pairs_in_run %}
{{ lab }}_rows as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator
    from {{ ref(lab) }}
    where dimension = 'all'
    {%- for dimension in dimensions %}
    union all
    select
        period_month,
        '{{ dimension }}' as dimension,
        {{ dbt.right('dimension_value', dbt.length('dimension_value') ~ ' - ' ~ ('first_touch/' | length)) }}
            as dimension_value,
        value,
        numerator,
        denominator
    from {{ ref(lab) }}
    where
        dimension = 'attribution_model_{{ dimension }}'
        and dimension_value like 'first_touch/%'
    {%- endfor %}
),

{{ lab }}_differences as (
    select
        '{{ lab }}' as kpi,
        coalesce(lab.period_month, today.period_month) as period_month,
        coalesce(lab.dimension, today.dimension) as dimension,
        coalesce(lab.dimension_value, today.dimension_value) as dimension_value,
        lab.value as lab_value,
        today.value as today_value
    from {{ lab }}_rows as lab
    full outer join {{ ref(today) }} as today
        on
            lab.period_month = today.period_month
            and lab.dimension = today.dimension
            and lab.dimension_value = today.dimension_value
    where
        coalesce(lab.dimension, today.dimension) in ('all'{% for d in dimensions %}, '{{ d }}'{% endfor %})
        and (
            lab.period_month is null
            or today.period_month is null
            or (lab.value is null and today.value is not null)
            or (lab.value is not null and today.value is null)
            {%- for column in ['value', 'numerator', 'denominator'] %}
            or abs(coalesce(lab.{{ column }}, 0) - coalesce(today.{{ column }}, 0))
            > 1e-9 * greatest(1, abs(coalesce(today.{{ column }}, 0)))
            {%- endfor %}
        )
),

{% endfor %}
final as (
    {%- for lab, today, dimensions in pairs_in_run %}
    select * from {{ lab }}_differences
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as kpi
    where 1 = 0
    {%- endfor %}
)

select * from final
