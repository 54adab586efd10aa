{#
    One row per live lead: when it became each funnel stage, where it is now
    and how long it spent in each stage.  Funnel stages are cumulative
    (docs/kpis.md): the date a lead became stage S is the first time it entered S
    or any later stage, so a skipped stage takes the date of the stage that
    skipped it and a repeated stage counts at its first entry.  nurture and
    disqualified are side states: they never move a lead along the funnel.
#}

with

stage_events as (
    select * from {{ ref('int_lead_stage_events') }}
),

-- every live lead has at least its 'lead' entry (logged, or taken at its
-- creation), so the stage events hold every lead and its creation
leads as (
    select
        stage_events.lead_id,
        min(stage_events.lead_created_at) as created_at
    from stage_events
    group by stage_events.lead_id
),

funnel_dates as (
    select
        stage_events.lead_id,
        min(
            case when stage_events.stage in ('mql', 'sql', 'opportunity', 'customer') then stage_events.entered_at end
        ) as became_mql_at,
        min(
            case when stage_events.stage in ('sql', 'opportunity', 'customer') then stage_events.entered_at end
        ) as became_sql_at,
        min(
            case when stage_events.stage in ('opportunity', 'customer') then stage_events.entered_at end
        ) as became_opportunity_at,
        min(case when stage_events.stage = 'customer' then stage_events.entered_at end) as became_customer_at,
        -- any funnel entry, repeats included: a later one takes the lead out of a side state
        max(
            case
                when stage_events.stage in ('lead', 'mql', 'sql', 'opportunity', 'customer')
                    then stage_events.entered_at
            end
        ) as last_funnel_entry_at
    from stage_events
    group by stage_events.lead_id
),

ranked_side_states as (
    select
        stage_events.lead_id,
        stage_events.stage,
        stage_events.entered_at,
        -- two side states at the same instant: disqualified ranks first
        row_number() over (
            partition by stage_events.lead_id
            order by stage_events.entered_at desc, stage_events.stage asc, stage_events.source_id desc
        ) as recency_rank
    from stage_events
    where stage_events.stage in ('nurture', 'disqualified')
),

current_side_states as (
    -- the lead is in a side state when its latest stage entry is one; a side
    -- state logged at the same instant as a funnel entry counts as the later
    select
        ranked_side_states.lead_id,
        ranked_side_states.stage as side_state
    from ranked_side_states
    inner join funnel_dates
        on ranked_side_states.lead_id = funnel_dates.lead_id
    where
        ranked_side_states.recency_rank = 1
        and (
            funnel_dates.last_funnel_entry_at is null
            or ranked_side_states.entered_at >= funnel_dates.last_funnel_entry_at
        )
),

lifecycle as (
    select
        leads.lead_id,
        leads.created_at,
        funnel_dates.became_mql_at,
        funnel_dates.became_sql_at,
        funnel_dates.became_opportunity_at,
        funnel_dates.became_customer_at,
        current_side_states.side_state
    from leads
    left join funnel_dates
        on leads.lead_id = funnel_dates.lead_id
    left join current_side_states
        on leads.lead_id = current_side_states.lead_id
),

final as (
    select
        lifecycle.lead_id,
        lifecycle.created_at,
        lifecycle.became_mql_at,
        lifecycle.became_sql_at,
        lifecycle.became_opportunity_at,
        lifecycle.became_customer_at,
        case
            when lifecycle.became_customer_at is not null then 'customer'
            when lifecycle.became_opportunity_at is not null then 'opportunity'
            when lifecycle.became_sql_at is not null then 'sql'
            when lifecycle.became_mql_at is not null then 'mql'
            else 'lead'
        end as current_stage,
        coalesce(lifecycle.side_state = 'nurture', false) as is_nurture,
        coalesce(lifecycle.side_state = 'disqualified', false) as is_disqualified,
        {{ month_of('lifecycle.created_at') }} as created_month,
        {{ month_of('lifecycle.became_mql_at') }} as became_mql_month,
        {{ month_of('lifecycle.became_sql_at') }} as became_sql_month,
        {{ month_of('lifecycle.became_opportunity_at') }} as became_opportunity_month,
        {{ month_of('lifecycle.became_customer_at') }} as became_customer_month,
        -- a stage's time ends when the next stage is reached; a skipped
        -- stage shares its date with the next one and so spends 0 days
        {{ elapsed_seconds('lifecycle.created_at', 'lifecycle.became_mql_at') }} / 86400.0 as days_in_lead,
        {{ elapsed_seconds('lifecycle.became_mql_at', 'lifecycle.became_sql_at') }} / 86400.0 as days_in_mql,
        {{ elapsed_seconds('lifecycle.became_sql_at', 'lifecycle.became_opportunity_at') }} / 86400.0 as days_in_sql,
        {{ elapsed_seconds('lifecycle.became_opportunity_at', 'lifecycle.became_customer_at') }} / 86400.0
            as days_in_opportunity,
        {{ elapsed_seconds('lifecycle.became_mql_at', 'lifecycle.became_opportunity_at') }} / 86400.0
            as days_mql_to_opportunity,
        {{ elapsed_seconds('lifecycle.created_at', 'lifecycle.became_customer_at') }} / 86400.0 as days_to_customer
    from lifecycle
)

select * from final
