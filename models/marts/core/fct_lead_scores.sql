{#
    One row per live lead: its fit score (firmographics against the ICP
    seed), engagement score (signals in its first var
    lead_score_engagement_days days) and total score, capped to 0..100
    (docs/kpis.md, lead_quality_score).  No personal data: the rules that fired
    explain the score.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

icp_criteria as (
    select * from {{ ref('icp_criteria') }}
),

fit_matches as (
    select * from {{ ref('int_lead_fit_matches') }}
),

engagement_signals as (
    select * from {{ ref('int_lead_engagement_signals') }}
),

icp_requirements as (
    select count(distinct icp_criteria.lead_attribute) as required_attributes
    from icp_criteria
    where icp_criteria.is_icp_requirement
),

lead_fit as (
    select
        fit_matches.lead_id,
        sum(case when fit_matches.is_counted then fit_matches.points else 0 end) as fit_points,
        count(distinct case when fit_matches.is_icp_requirement then fit_matches.lead_attribute end)
            as icp_attributes_met
    from fit_matches
    group by fit_matches.lead_id
),

lead_engagement as (
    select
        engagement_signals.lead_id,
        sum(engagement_signals.points) as engagement_points
    from engagement_signals
    group by engagement_signals.lead_id
),

fired_rules as (
    select
        fit_matches.lead_id,
        fit_matches.criterion_id as rule_id
    from fit_matches
    where fit_matches.is_counted

    union all

    select
        engagement_signals.lead_id,
        engagement_signals.rule_id
    from engagement_signals
),

fired_rule_lists as (
    select
        fired_rules.lead_id,
        {{ dbt.listagg('fired_rules.rule_id', "','", 'order by fired_rules.rule_id') }} as rules_fired
    from fired_rules
    group by fired_rules.lead_id
),

scored as (
    select
        leads.lead_id,
        leads.created_at,
        leads.created_month,
        -- an ICP with no required attribute defines nobody as a fit
        coalesce(
            icp_requirements.required_attributes > 0
            and lead_fit.icp_attributes_met = icp_requirements.required_attributes,
            false
        ) as is_icp_fit,
        -- a student penalty can lower the fit, never below nothing
        greatest(coalesce(lead_fit.fit_points, 0), 0) as fit_score,
        coalesce(lead_engagement.engagement_points, 0) as engagement_score,
        fired_rule_lists.rules_fired,
        {{ elapsed_seconds('leads.created_at', as_of_end()) }} / 86400.0 as days_since_creation
    from leads
    cross join icp_requirements
    left join lead_fit
        on leads.lead_id = lead_fit.lead_id
    left join lead_engagement
        on leads.lead_id = lead_engagement.lead_id
    left join fired_rule_lists
        on leads.lead_id = fired_rule_lists.lead_id
),

final as (
    select
        scored.lead_id,
        scored.created_at,
        scored.created_month,
        scored.is_icp_fit,
        scored.fit_score,
        scored.engagement_score,
        least(greatest(scored.fit_score + scored.engagement_score, 0), 100) as total_score,
        scored.is_icp_fit
        and least(greatest(scored.fit_score + scored.engagement_score, 0), 100)
        >= {{ number_var('sql_score_threshold') }} as meets_qualification_criteria,
        scored.rules_fired,
        -- a young lead has been watched for part of its window only
        least(scored.days_since_creation, {{ number_var('lead_score_engagement_days') }}) as scored_at_days,
        scored.days_since_creation >= {{ number_var('lead_score_engagement_days') }} as is_window_complete
    from scored
)

select * from final
