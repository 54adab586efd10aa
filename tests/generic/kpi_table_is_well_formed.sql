{#
    The checks every kpi_<id> table must pass, in one test so each KPI's yml
    needs one line (docs/kpis.md, "kpi_monthly"):
      - one row per (period_month, dimension, dimension_value);
      - an overall row (dimension 'all') for every month of util_months, and
        no month outside it, nor a null period_month (so the KPI tables need
        no not_null test of their own on it);
      - fractions (is_fraction) between 0 and 1, numerator <= denominator;
      - counts never negative.
    The table of a KPI unavailable in the run (a system it needs is
    switched off: kpi_unavailable_reason) must instead be empty.
    Each failing row says which rule it broke.
#}
{% test kpi_table_is_well_formed(model, is_fraction=false, is_count=false) %}

with

duplicated_grain as (
    select
        'duplicate grain' as failure,
        period_month
    from {{ model }}
    group by period_month, dimension, dimension_value
    having count(*) > 1
),

missing_overall as (
    {%- if kpi_unavailable_reason(model.identifier[4:]) is not none %}
    select
        'rows in the table of an unavailable KPI' as failure,
        period_month
    from {{ model }}
    {%- else %}
    select
        'month without an overall row' as failure,
        months.period_month
    from {{ ref('util_months') }} as months
    where not exists (
        select 1
        from {{ model }} as kpi
        where kpi.period_month = months.period_month and kpi.dimension = 'all' and kpi.dimension_value = 'all'
    )
    {%- endif %}
),

outside_spine as (
    select
        case when kpi.period_month is null then 'null period_month' else 'month outside the spine' end as failure,
        kpi.period_month
    from {{ model }} as kpi
    where
        kpi.period_month is null
        or kpi.period_month not in (select months.period_month from {{ ref('util_months') }} as months)
),

out_of_range as (
    select
        'value out of range' as failure,
        period_month
    from {{ model }}
    where
        {% if is_fraction -%}
        value < 0 or value > 1 or numerator > denominator
        {%- elif is_count -%}
        value < 0 or value is null
        {%- else -%}
        false
        {%- endif %}
)

select * from duplicated_grain
union all
select * from missing_overall
union all
select * from outside_spine
union all
select * from out_of_range

{% endtest %}
