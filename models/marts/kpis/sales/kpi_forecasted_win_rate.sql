{#
    The chance the deals open at a month end will be won, judged by how
    deals that passed through their stage fared up to then (docs/kpis.md,
    "forecasted_win_rate"): each open deal takes the win probability of its
    stage at that month end, and the KPI is the mean over the open deals.
    Written as a ratio, the numerator is the expected number of wins.  A
    deal whose stage has no closed history yet has no probability and is
    left out of both sides; open_deals shows how many deals were open in
    all.  The amount-weighted rate weighs each deal by its USD amount, so
    large deals count more; deals without an amount are left out of it.
#}

with

snapshots as (
    select * from {{ ref('fct_deal_month_end_snapshots') }}
),

stage_probabilities as (
    select * from {{ ref('int_stage_win_probabilities') }}
),

units as (
    select
        snapshots.period_month,
        snapshots.stage_at_month_end as stage,  -- noqa: RF04
        coalesce(stage_probabilities.win_probability, 0) as numerator,
        case when stage_probabilities.win_probability is not null then 1 else 0 end as denominator,
        1 as open_deals,
        case
            when snapshots.amount_usd is not null
                then stage_probabilities.win_probability * snapshots.amount_usd
        end as expected_won_usd,
        case
            when stage_probabilities.win_probability is not null then snapshots.amount_usd
        end as scored_pipeline_usd
    from snapshots
    left join stage_probabilities
        on
            snapshots.period_month = stage_probabilities.period_month
            and snapshots.stage_at_month_end = stage_probabilities.stage
),

series as (
    {{ kpi_series('units', 'ratio', ['stage'], extra_sums=['open_deals', 'expected_won_usd', 'scored_pipeline_usd']) }}
),

final as (
    select
        series.period_month,
        series.dimension,
        series.dimension_value,
        series.value,
        series.numerator,
        series.denominator,
        series.open_deals,
        series.expected_won_usd,
        series.scored_pipeline_usd,
        series.expected_won_usd / nullif(series.scored_pipeline_usd, 0) as amount_weighted_win_rate
    from series
)

select * from final
