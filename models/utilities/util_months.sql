{#
    The month spine every KPI reports on (docs/kpis.md, "Period"): from the month
    of the earliest valid lead or human web event to the as-of month, the
    partial as-of month included.  One row per month, gaps filled.
#}

with

first_lead as (
    select min(created_at) as first_at from {{ ref('int_leads') }}
),

first_human_event as (
    select min(occurred_at) as first_at
    from {{ ref('stg_web__events') }}
    where not is_bot
),

bounds as (
    select
        {{ month_of('coalesce(least(first_lead.first_at, first_human_event.first_at), '
            'first_lead.first_at, first_human_event.first_at, as_of.as_of_date)') }} as first_month,
        {{ month_of('as_of.as_of_date') }} as last_month
    from first_lead
    cross join first_human_event
    cross join {{ ref('util_as_of_date') }} as as_of
),

-- enough consecutive integers for 100 years of months, without a date_spine package
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

offsets as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as month_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    where ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit < 1200
),

final as (
    select
        cast({{ dbt.dateadd('month', 'offsets.month_offset', 'bounds.first_month') }} as date) as period_month,
        cast({{ dbt.dateadd('month', 'offsets.month_offset + 1', 'bounds.first_month') }} as date) as next_month,
        -- the instant a month ends: its last day in full, or the end of the as-of day
        case
            when {{ dbt.dateadd('month', 'offsets.month_offset', 'bounds.first_month') }} = bounds.last_month
                then (select as_of.as_of_end from {{ ref('util_as_of_date') }} as as_of)
            else cast(
                {{ dbt.dateadd('month', 'offsets.month_offset + 1', 'bounds.first_month') }}
                as {{ dbt.type_timestamp() }}
            )
        end as period_end,
        {{ dbt.dateadd('month', 'offsets.month_offset', 'bounds.first_month') }} = bounds.last_month as is_as_of_month
    from bounds
    cross join offsets
    where {{ dbt.dateadd('month', 'offsets.month_offset', 'bounds.first_month') }} <= bounds.last_month
)

select * from final
