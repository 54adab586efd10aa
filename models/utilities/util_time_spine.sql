{#
    The day spine of the semantic layer (MetricFlow's time spine): one row per
    day of the KPI months of util_months, from the first day of the first
    month to the as-of date.  Built from util_months, so a metric joined to
    the spine covers exactly the months kpi_monthly reports, and a day,
    week or month without activity still has a row.
#}

with

months as (
    select * from {{ ref('util_months') }}
),

as_of as (
    select * from {{ ref('util_as_of_date') }}
),

-- 0 to 30: enough day offsets for the longest month, without a date_spine package
digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

day_offsets as (
    select ones.digit + 10 * tens.digit as day_offset
    from digits as ones
    cross join digits as tens
    where ones.digit + 10 * tens.digit < 31
),

days as (
    select cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'months.period_month') }} as date) as date_day
    from months
    cross join day_offsets
    -- a month's own days only: offset 30 of February lies in March
    where {{ dbt.dateadd('day', 'day_offsets.day_offset', 'months.period_month') }} < months.next_month
),

final as (
    select days.date_day
    from days
    cross join as_of
    where days.date_day <= as_of.as_of_date
)

select * from final
