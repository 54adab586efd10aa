{#
    Which funnel stage a live lead was in at any instant: one row per
    (lead, funnel stage it spent time in), valid over [valid_from, valid_to).
    Built from the cumulative dates of fct_lead_lifecycle, so a stage ends
    exactly when the next one reached begins and intervals never overlap.
    A skipped stage (or one left at the very instant it was reached) has no
    time in it and no row.  Side states (nurture, disqualified) are flags on
    fct_lead_lifecycle, not intervals here.
#}

with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

stage_starts as (
    -- cumulative dates never decrease and a stage not reached leaves every
    -- later one unreached, so the next stage's date closes the interval
    select
        lifecycle.lead_id,
        'lead' as stage,  -- noqa: RF04
        1 as stage_order,
        lifecycle.created_at as valid_from,
        lifecycle.became_mql_at as valid_to
    from lifecycle
    union all
    select
        lifecycle.lead_id,
        'mql' as stage,  -- noqa: RF04
        2 as stage_order,
        lifecycle.became_mql_at as valid_from,
        lifecycle.became_sql_at as valid_to
    from lifecycle
    union all
    select
        lifecycle.lead_id,
        'sql' as stage,  -- noqa: RF04
        3 as stage_order,
        lifecycle.became_sql_at as valid_from,
        lifecycle.became_opportunity_at as valid_to
    from lifecycle
    union all
    select
        lifecycle.lead_id,
        'opportunity' as stage,  -- noqa: RF04
        4 as stage_order,
        lifecycle.became_opportunity_at as valid_from,
        lifecycle.became_customer_at as valid_to
    from lifecycle
    union all
    select
        lifecycle.lead_id,
        'customer' as stage,  -- noqa: RF04
        5 as stage_order,
        lifecycle.became_customer_at as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from lifecycle
),

final as (
    select
        stage_starts.lead_id,
        stage_starts.stage,
        stage_starts.stage_order,
        stage_starts.valid_from,
        stage_starts.valid_to,
        stage_starts.valid_to is null as is_current,
        {{ elapsed_seconds('stage_starts.valid_from', 'stage_starts.valid_to') }} / 86400.0 as days_in_stage
    from stage_starts
    where
        stage_starts.valid_from is not null
        and (stage_starts.valid_to is null or stage_starts.valid_to > stage_starts.valid_from)
)

select * from final
