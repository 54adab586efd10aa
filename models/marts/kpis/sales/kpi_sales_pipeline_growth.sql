{#
    Change of the month-end open pipeline against the previous month end, as
    a fraction of the previous one (docs/kpis.md, "Growth KPIs").  The first month
    of the spine has no previous month end to compare with, and a previous
    pipeline of 0 leaves nothing to divide: both give null.
#}

with

snapshots as (
    select * from {{ ref('fct_deal_month_end_snapshots') }}
),

months as (
    select * from {{ ref('util_months') }}
),

month_end_pipeline as (
    -- every month of the spine, 0 when nothing was open, so lag always sees the month before
    select
        months.period_month,
        coalesce({{ exact_sum('snapshots.amount_usd') }}, 0) as pipeline_value_usd
    from months
    left join snapshots
        on months.period_month = snapshots.period_month
    group by months.period_month
),

with_previous as (
    select
        month_end_pipeline.period_month,
        month_end_pipeline.pipeline_value_usd,
        lag(month_end_pipeline.pipeline_value_usd) over (
            order by month_end_pipeline.period_month
        ) as previous_pipeline_value_usd
    from month_end_pipeline
),

final as (
    select
        with_previous.period_month,
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        cast(
            (with_previous.pipeline_value_usd - with_previous.previous_pipeline_value_usd)
            / nullif(with_previous.previous_pipeline_value_usd, 0)
            as {{ type_double() }}
        ) as value,  -- noqa: RF04
        cast(
            with_previous.pipeline_value_usd - with_previous.previous_pipeline_value_usd
            as {{ type_double() }}
        ) as numerator,
        cast(with_previous.previous_pipeline_value_usd as {{ type_double() }}) as denominator,
        cast(with_previous.pipeline_value_usd as {{ type_double() }}) as pipeline_value_usd
    from with_previous
)

select * from final
