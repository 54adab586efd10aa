{%- set text = raw_sql_type('varchar') -%}

with lead_history as (
    select * from {{ vendor_source('salesforce', 'lead_history') }}
    where not coalesce(is_deleted, false)
),

leads as (
    select * from {{ vendor_source('salesforce', 'lead') }}
    where {{ salesforce_is_current('lead') }}
),

owner_changes as (
    -- Salesforce logs a change of a lookup field twice, once with the ids
    -- (data_type EntityId) and once with the display names: the ids are the assignment
    select *
    from lead_history
    where
        lower(field) = 'owner'
        and data_type = 'EntityId'
),

rule_changes as (
    -- the routing rule is a custom field; its history has a row only when the value changes
    select
        lead_id,
        created_date as changed_at,
        new_value as routing_rule
    from lead_history
    where lower(field) = 'routing_rule__c'
),

rules_in_force as (
    -- the rule of an assignment is the value the field held at that moment
    select
        owner_changes.id,
        rule_changes.routing_rule,
        row_number() over (
            partition by owner_changes.id
            order by rule_changes.changed_at desc
        ) as recency
    from owner_changes
    left join rule_changes
        on
            owner_changes.lead_id = rule_changes.lead_id
            and owner_changes.created_date >= rule_changes.changed_at
),

final as (
    select
        cast(owner_changes.id as {{ text }}) as assignment_id,
        cast(owner_changes.lead_id as {{ text }}) as lead_id,
        cast(owner_changes.new_value as {{ text }}) as owner_id,
        cast(owner_changes.created_date as {{ raw_sql_type('timestamp') }}) as assigned_at,
        -- no change of the field before the assignment: its value now
        cast(coalesce(rules_in_force.routing_rule, leads.routing_rule__c) as {{ text }}) as rule,  -- noqa: RF04
        cast(owner_changes._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from owner_changes
    inner join rules_in_force
        on
            owner_changes.id = rules_in_force.id
            and rules_in_force.recency = 1
    left join leads
        on owner_changes.lead_id = leads.id
)

select * from final
