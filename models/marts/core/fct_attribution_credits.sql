{#
    The credit each touch earns for a conversion under six attribution models
    (docs/kpis.md, "Attribution"): one row per (conversion point, conversion,
    attribution model, touch).  The credits of one conversion under one model
    add up to 1.

      first_touch            the lead record, 1 (today's first-touch rule, window ignored)
      last_touch             the last touch of the path, 1
      last_non_direct_touch  the last touch whose channel is not direct, 1
                             (the last touch when every touch is direct)
      linear                 1 / n to each of the n touches
      position_based         n = 1: 1; n = 2: 1/2 each; n > 2: the first and the
                             last attribution_position_end_share each, the
                             middle touches the rest in equal parts
      time_decay             weight 2^(-age_days / attribution_half_life_days),
                             credit = weight / sum of the path's weights

    The path is ordered by touched_at, then touch_type_order, then
    touchpoint_id, so equal instants always break the same way.  A
    conversion whose path is empty gets one credit of 1 per model (other than
    first_touch) on touch 'unattributed', channel 'direct'.
#}

with

touches as (
    select * from {{ ref('fct_touchpoints') }}
),

path as (
    select
        conversion_point,
        conversion_id,
        lead_id,
        converted_at,
        conversion_month,
        conversion_amount_usd,
        touchpoint_id,
        touch_type,
        touched_at,
        channel,
        campaign_id,
        age_days,
        row_number() over (
            partition by conversion_point, conversion_id
            order by touched_at, touch_type_order, touchpoint_id
        ) as path_position,
        row_number() over (
            partition by conversion_point, conversion_id
            order by touched_at desc, touch_type_order desc, touchpoint_id desc
        ) as reverse_position,
        row_number() over (
            partition by conversion_point, conversion_id
            order by
                case when channel = 'direct' then 1 else 0 end,
                touched_at desc,
                touch_type_order desc,
                touchpoint_id desc
        ) as non_direct_position,
        count(*) over (partition by conversion_point, conversion_id) as path_length,
        min(age_days) over (partition by conversion_point, conversion_id) as newest_age_days
    from touches
    where is_in_path
),

decay as (
    -- weights relative to the newest touch (weight 1), the same shares as
    -- 2^(-age / half-life) but never all rounded to zero
    select
        path.*,
        cast(
            power(2.0, -(path.age_days - path.newest_age_days) / {{ number_var('attribution_half_life_days') }})
            as {{ type_double() }}
        ) as decay_weight
    from path
),

weighted as (
    select
        decay.*,
        sum(decay.decay_weight) over (partition by decay.conversion_point, decay.conversion_id) as decay_total
    from decay
),

empty_paths as (
    -- every conversion lists its lead record, so every conversion is here
    select
        conversion_point,
        conversion_id,
        lead_id,
        converted_at,
        conversion_month,
        conversion_amount_usd
    from touches
    group by
        conversion_point,
        conversion_id,
        lead_id,
        converted_at,
        conversion_month,
        conversion_amount_usd
    having max(case when is_in_path then 1 else 0 end) = 0
),

path_models as (
    select 'last_touch' as attribution_model
    union all
    select 'last_non_direct_touch' as attribution_model
    union all
    select 'linear' as attribution_model
    union all
    select 'position_based' as attribution_model
    union all
    select 'time_decay' as attribution_model
),

credits as (
    select
        conversion_point,
        conversion_id,
        lead_id,
        converted_at,
        conversion_month,
        conversion_amount_usd,
        'first_touch' as attribution_model,
        touchpoint_id,
        touch_type,
        touched_at,
        channel,
        campaign_id,
        1.0 as credit
    from touches
    where is_first_touch
    union all
    select
        weighted.conversion_point,
        weighted.conversion_id,
        weighted.lead_id,
        weighted.converted_at,
        weighted.conversion_month,
        weighted.conversion_amount_usd,
        path_models.attribution_model,
        weighted.touchpoint_id,
        weighted.touch_type,
        weighted.touched_at,
        weighted.channel,
        weighted.campaign_id,
        case path_models.attribution_model
            when 'last_touch' then case when weighted.reverse_position = 1 then 1.0 else 0.0 end
            when 'last_non_direct_touch' then case when weighted.non_direct_position = 1 then 1.0 else 0.0 end
            when 'linear' then 1.0 / weighted.path_length
            when 'position_based'
                then
                    case
                        when weighted.path_length = 1 then 1.0
                        when weighted.path_length = 2 then 0.5
                        when weighted.path_position = 1 or weighted.reverse_position = 1
                            then {{ number_var('attribution_position_end_share') }}
                        else
                            (1.0 - 2 * {{ number_var('attribution_position_end_share') }})
                            / (weighted.path_length - 2)
                    end
            when 'time_decay' then weighted.decay_weight / weighted.decay_total
        end as credit
    from weighted
    cross join path_models
    union all
    select
        empty_paths.conversion_point,
        empty_paths.conversion_id,
        empty_paths.lead_id,
        empty_paths.converted_at,
        empty_paths.conversion_month,
        empty_paths.conversion_amount_usd,
        path_models.attribution_model,
        'unattributed' as touchpoint_id,
        'unattributed' as touch_type,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at,
        'direct' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        1.0 as credit
    from empty_paths
    cross join path_models
),

final as (
    select
        conversion_point,
        conversion_id,
        lead_id,
        converted_at,
        conversion_month,
        attribution_model,
        touchpoint_id,
        touch_type,
        touched_at,
        channel,
        campaign_id,
        cast(credit as {{ type_double() }}) as credit,
        cast(credit * conversion_amount_usd as {{ type_double() }}) as credited_amount_usd
    from credits
    -- last_touch and last_non_direct_touch give the other touches no row
    where credit > 0
)

select * from final
