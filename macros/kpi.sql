{#
    The shape every kpi_<id> model shares (docs/kpis.md, "kpi_monthly"):

        period_month, dimension, dimension_value, value, numerator, denominator

    one row per month of util_months for the overall figure (dimension and
    dimension_value 'all'), plus one row per month and value of each
    breakdown.  A month without units still has its row: 0 for counts and
    sums, null for ratios, means and medians with nothing to divide.

    `units` is a CTE with one row per unit the KPI counts, carrying
    period_month, the breakdown columns and the measure columns the
    aggregation reads:

        count   value = number of rows where `counted` is true (or every row)
        sum     value = sum(amount)
        ratio   numerator = sum(numerator), denominator = sum(denominator),
                value = numerator / denominator
        mean    value = avg(measure), numerator = sum(measure), denominator = count(measure)
        median  value = interpolated median of measure, denominator = count(measure)

    `extra_sums` names more columns of `units` to sum alongside (0 when none),
    for KPI tables that show the parts of their value.  Sums and means go
    through exact_sum / exact_avg, so a rebuild gives the same figures.
#}
{% macro kpi_series(units, aggregation, dimensions=[], extra_sums=[]) -%}
    {%- set breakdowns = [none] + dimensions -%}
    {#- Counts and sums are added up per month and breakdown value first, so
        the month spine is joined to a few hundred groups instead of to every
        unit (millions for the web KPIs); sums of exact decimals are exact,
        so the figures do not change.  Means and medians need every unit. -#}
    {%- set pre_aggregate = aggregation in ('count', 'sum', 'ratio') -%}
    {%- for dimension in breakdowns %}
    select
        months.period_month,
        {% if dimension is none -%}
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        {%- else -%}
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension,
        breakdown_values.dimension_value,
        {%- endif %}
        {{ kpi_aggregate(aggregation, 'grouped_units', pre_aggregated=pre_aggregate) }}
        {%- for column in extra_sums %},
        coalesce({{ exact_sum('grouped_units.' ~ column) }}, 0) as {{ column }}
        {%- endfor %}
    from {{ ref('util_months') }} as months
    {%- if dimension is not none %}
    cross join (
        select distinct {{ kpi_dimension_value(dimension, units) }} as dimension_value
        from {{ units }}
    ) as breakdown_values
    {%- endif %}
    {%- if pre_aggregate %}
    left join (
        select
            {{ units }}.period_month,
            {%- if dimension is not none %}
            {{ kpi_dimension_value(dimension, units) }} as dimension_value,
            {%- endif %}
            {%- if aggregation == 'count' %}
            count(*) as unit_count
            {%- elif aggregation == 'sum' %}
            sum(cast({{ units }}.amount as {{ exact_decimal() }})) as amount
            {%- else %}
            sum(cast({{ units }}.numerator as {{ exact_decimal() }})) as numerator,
            sum(cast({{ units }}.denominator as {{ exact_decimal() }})) as denominator
            {%- endif %}
            {%- for column in extra_sums %},
            sum(cast({{ units }}.{{ column }} as {{ exact_decimal() }})) as {{ column }}
            {%- endfor %}
        from {{ units }}
        group by
            {{ units }}.period_month
            {%- if dimension is not none %},
            {{ kpi_dimension_value(dimension, units) }}
            {%- endif %}
    ) as grouped_units
        on
            months.period_month = grouped_units.period_month
            {%- if dimension is not none %}
            and breakdown_values.dimension_value = grouped_units.dimension_value
            {%- endif %}
    {%- else %}
    left join {{ units }} as grouped_units
        on
            months.period_month = grouped_units.period_month
            {%- if dimension is not none %}
            and breakdown_values.dimension_value = {{ kpi_dimension_value(dimension, 'grouped_units') }}
            {%- endif %}
    {%- endif %}
    group by
        months.period_month
        {%- if dimension is not none %},
        breakdown_values.dimension_value
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{# A breakdown value as text; a missing one is reported as 'unknown', never dropped. #}
{% macro kpi_dimension_value(dimension, relation) -%}
    coalesce(cast({{ relation }}.{{ dimension }} as {{ dbt.type_string() }}), 'unknown')
{%- endmacro %}

{#
    The value, numerator and denominator columns of one aggregation over the
    rows of `relation` joined to a month.  `pre_aggregated`: the rows are
    kpi_series' groups (unit_count, or partial sums named like the unit
    columns) rather than units.
#}
{% macro kpi_aggregate(aggregation, relation, pre_aggregated=false) -%}
    {%- set double = type_double() -%}
    {%- if aggregation == 'count' and pre_aggregated -%}
        cast(coalesce(sum({{ relation }}.unit_count), 0) as {{ double }}) as value,
        cast(null as {{ double }}) as numerator,
        cast(null as {{ double }}) as denominator
    {%- elif aggregation == 'count' -%}
        cast(count({{ relation }}.period_month) as {{ double }}) as value,
        cast(null as {{ double }}) as numerator,
        cast(null as {{ double }}) as denominator
    {%- elif aggregation == 'sum' -%}
        coalesce({{ exact_sum(relation ~ '.amount') }}, 0) as value,
        cast(null as {{ double }}) as numerator,
        cast(null as {{ double }}) as denominator
    {%- elif aggregation == 'ratio' -%}
        {{ exact_sum(relation ~ '.numerator') }}
        / nullif({{ exact_sum(relation ~ '.denominator') }}, 0) as value,
        coalesce({{ exact_sum(relation ~ '.numerator') }}, 0) as numerator,
        coalesce({{ exact_sum(relation ~ '.denominator') }}, 0) as denominator
    {%- elif aggregation == 'mean' -%}
        {{ exact_avg(relation ~ '.measure') }} as value,
        {{ exact_sum(relation ~ '.measure') }} as numerator,
        cast(count({{ relation }}.measure) as {{ double }}) as denominator
    {%- elif aggregation == 'median' -%}
        cast(percentile_cont(0.5) within group (order by {{ relation }}.measure) as {{ double }}) as value,
        cast(null as {{ double }}) as numerator,
        cast(count({{ relation }}.measure) as {{ double }}) as denominator
    {%- else -%}
        {{ exceptions.raise_compiler_error("kpi_aggregate: unknown aggregation " ~ aggregation) }}
    {%- endif -%}
{%- endmacro %}

{#
    A cohort is mature once its month ended more than cohort_maturity_days
    before the as-of date (docs/kpis.md, "Cohort rates").
#}
{% macro kpi_is_mature(period_month) -%}
    {{ dbt.dateadd('day', number_var('cohort_maturity_days'), dbt.dateadd('month', 1, period_month)) }}
    <= cast({{ as_of_date() }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#
    A cohort rate (docs/kpis.md, "Cohort rates"): kpi_series' ratio over `units`
    (numerator 1 when the unit converted at any time up to the as-of date,
    denominator 1), plus is_mature.
#}
{% macro kpi_cohort_series(units, dimensions=[]) -%}
    select
        series.period_month,
        series.dimension,
        series.dimension_value,
        series.value,
        series.numerator,
        series.denominator,
        {{ kpi_is_mature('series.period_month') }} as is_mature
    from (
        {{ kpi_series(units, 'ratio', dimensions) }}
    ) as series
{%- endmacro %}

{#
    The whole body of a lead cohort rate: live leads (fct_lead_lifecycle) in
    the month of `cohort_month_column` (leads with a null one are not in any
    cohort), converted when `converted_at_column` is set.  By first-touch
    channel, or overall only for referred leads (lead source 'referral').  A
    lead without attribution counts under 'unknown'.
#}
{% macro kpi_lead_cohort_rate(converted_at_column, cohort_month_column='created_month', referred_only=false) -%}
with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

{% if referred_only -%}
leads as (
    select * from {{ ref('int_leads') }}
),
{%- else -%}
attribution as (
    select * from {{ ref('int_lead_attribution') }}
),
{%- endif %}

units as (
    select
        lifecycle.{{ cohort_month_column }} as period_month,
        {% if not referred_only -%}
        attribution.channel,
        {% endif -%}
        case when lifecycle.{{ converted_at_column }} is not null then 1 else 0 end as numerator,
        1 as denominator
    from lifecycle
    {% if referred_only -%}
    inner join leads
        on lifecycle.lead_id = leads.lead_id
    where leads.lead_source = 'referral' and lifecycle.{{ cohort_month_column }} is not null
    {%- else -%}
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
    where lifecycle.{{ cohort_month_column }} is not null
    {%- endif %}
),

final as (
    {{ kpi_cohort_series('units', [] if referred_only else ['channel']) }}
)

select * from final
{%- endmacro %}
