{#
    The touches of each conversion (docs/kpis.md, "Attribution"): one row per
    (conversion point, conversion, touch).  The conversion points are
    lead_created (the lead's created_at), mql and opportunity_created (the
    cumulative funnel dates of fct_lead_lifecycle) and deal_won (each won
    deal of a live lead, at its closed_at; conversion_id is the deal).

    A web session or email click is in the path (is_in_path) when it happened
    at or before the conversion and no more than attribution_lookback_days
    before it.  The lead record (int_lead_touchpoints) is always listed, as
    the first touch of the first_touch model (is_first_touch); it is in the
    path only when nothing else is and it lies in the window itself.
#}

with

touches as (
    select * from {{ ref('int_lead_touchpoints') }}
),

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

conversions as (
    select
        'lead_created' as conversion_point,
        cast(lead_id as {{ dbt.type_string() }}) as conversion_id,
        lead_id,
        created_at as converted_at,
        cast(null as {{ type_double() }}) as conversion_amount_usd
    from lifecycle
    union all
    select
        'mql' as conversion_point,
        cast(lead_id as {{ dbt.type_string() }}) as conversion_id,
        lead_id,
        became_mql_at as converted_at,
        cast(null as {{ type_double() }}) as conversion_amount_usd
    from lifecycle
    where became_mql_at is not null
    union all
    select
        'opportunity_created' as conversion_point,
        cast(lead_id as {{ dbt.type_string() }}) as conversion_id,
        lead_id,
        became_opportunity_at as converted_at,
        cast(null as {{ type_double() }}) as conversion_amount_usd
    from lifecycle
    where became_opportunity_at is not null
    union all
    select
        'deal_won' as conversion_point,
        cast(deal_id as {{ dbt.type_string() }}) as conversion_id,
        lead_id,
        closed_at as converted_at,
        cast(coalesce(amount_usd, 0) as {{ type_double() }}) as conversion_amount_usd
    from deals
    where
        outcome = 'won'
        and lead_id is not null
),

candidates as (
    select
        conversions.conversion_point,
        conversions.conversion_id,
        conversions.lead_id,
        conversions.converted_at,
        conversions.conversion_amount_usd,
        touches.touchpoint_id,
        touches.touch_type,
        touches.touch_type_order,
        touches.touched_at,
        touches.channel,
        touches.campaign_id,
        {{ elapsed_seconds('touches.touched_at', 'conversions.converted_at') }} / 86400.0 as age_days,
        touches.touched_at <= conversions.converted_at
        and touches.touched_at
        >= {{ dbt.dateadd('day', '-' ~ number_var('attribution_lookback_days'), 'conversions.converted_at') }}
            as is_in_window
    from conversions
    inner join touches
        on conversions.lead_id = touches.lead_id
),

paths as (
    select
        conversion_point,
        conversion_id,
        max(case when is_in_window and touch_type <> 'lead_record' then 1 else 0 end) as has_marketing_touch
    from candidates
    group by
        conversion_point,
        conversion_id
),

final as (
    select
        candidates.conversion_point,
        candidates.conversion_id,
        candidates.lead_id,
        candidates.converted_at,
        {{ month_of('candidates.converted_at') }} as conversion_month,
        candidates.conversion_amount_usd,
        candidates.touchpoint_id,
        candidates.touch_type,
        candidates.touch_type_order,
        candidates.touched_at,
        cast(candidates.age_days as {{ type_double() }}) as age_days,
        candidates.channel,
        candidates.campaign_id,
        candidates.touch_type = 'lead_record' as is_first_touch,
        case
            when candidates.touch_type <> 'lead_record' then candidates.is_in_window
            else candidates.is_in_window and paths.has_marketing_touch = 0
        end as is_in_path
    from candidates
    inner join paths
        on
            candidates.conversion_point = paths.conversion_point
            and candidates.conversion_id = paths.conversion_id
    where
        candidates.is_in_window
        or candidates.touch_type = 'lead_record'
)

select * from final
