{#
    One row per staged sales touch (call, email, meeting), where an
    activity's custom CRM fields (var crm_activities_passthrough_columns)
    end: no mart holds activities one row each.  The models that read
    activities for a KPI read stg_crm__activities themselves.  A view: no
    model reads it, so a table would only copy every activity.
#}

{{ config(materialized='view') }}

with

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

final as (
    select
        activity_id,
        lead_id,
        deal_id,
        owner_id,
        activity_type,
        direction,
        occurred_at,
        outcome
    {{ crm_passthrough('activities', none) }}
    from activities
)

select * from final
