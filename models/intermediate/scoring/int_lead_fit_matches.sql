{#
    One row per (live lead, ICP criterion it meets): the firmographic half of
    the lead score.  The lead's attributes are unpivoted into one row each so
    that a criterion on any attribute is a plain join, and new criteria need
    only a seed row.  Within an attribute only the best criterion counts
    (is_counted), so overlapping title keywords never stack.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

criteria as (
    select * from {{ ref('icp_criteria') }}
),

lead_attributes as (
    select
        leads.lead_id,
        'employee_count' as lead_attribute,
        cast(null as {{ dbt.type_string() }}) as text_value,
        leads.employee_count as number_value
    from leads

    union all

    -- 'Financial Services' and 'financial-services' are the same industry
    select
        leads.lead_id,
        'industry' as lead_attribute,
        {{ icp_industry_code('leads.industry') }} as text_value,
        cast(null as integer) as number_value
    from leads

    union all

    select
        leads.lead_id,
        'country_code' as lead_attribute,
        lower(leads.country_code) as text_value,
        cast(null as integer) as number_value
    from leads

    union all

    -- words padded with single spaces so "has word" is a LIKE on ' word '
    -- and 'VP, Marketing' or 'Co-Founder' split into their words
    select
        leads.lead_id,
        'job_title' as lead_attribute,
        ' ' || trim({{ regex_replace('lower(leads.job_title)', "'[^a-z0-9]+'", "' '") }}) || ' ' as text_value,
        cast(null as integer) as number_value
    from leads
),

matches as (
    select
        lead_attributes.lead_id,
        criteria.criterion_id,
        criteria.lead_attribute,
        criteria.points,
        criteria.is_icp_requirement
    from lead_attributes
    inner join criteria
        on lead_attributes.lead_attribute = criteria.lead_attribute
    where {{ icp_criterion_met('lead_attributes', 'criteria') }}
),

ranked as (
    select
        matches.lead_id,
        matches.criterion_id,
        matches.lead_attribute,
        matches.points,
        matches.is_icp_requirement,
        row_number() over (
            partition by matches.lead_id, matches.lead_attribute
            order by matches.points desc, matches.criterion_id asc
        ) as attribute_rank
    from matches
),

final as (
    select
        ranked.lead_id,
        ranked.criterion_id,
        ranked.lead_attribute,
        ranked.points,
        ranked.is_icp_requirement,
        ranked.attribute_rank = 1 as is_counted
    from ranked
)

select * from final
