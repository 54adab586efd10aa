{#
    crm_deal_stage_history from deal_stage: one row each time a deal entered
    a stage.  HubSpot keeps no amount with a stage change: the amount then is
    the deal's amount as it last changed at or before the moment it entered
    the stage (deal_property_history), in the deal's currency.
#}
with

deal_stages as (
    select * from {{ vendor_source('hubspot', 'deal_stage') }}
),

deals as (
    select * from {{ vendor_source('hubspot', 'deal') }}
),

stages as (
    select * from {{ vendor_source('hubspot', 'deal_pipeline_stage') }}
),

deal_history as (
    select * from {{ vendor_source('hubspot', 'deal_property_history') }}
),

amount_changes as (
    select
        {{ hubspot_id('deal_history.deal_id') }} as deal_id,
        deal_history.timestamp as changed_at,
        nullif(trim(deal_history.value), '') as amount
    from deal_history
    where deal_history.name = 'amount'
),

stage_entries as (
    select
        {{ hubspot_id('deal_stages.deal_id') }} as deal_id,
        {{ hubspot_id('deals.deal_pipeline_id') }} as pipeline_id,
        {{ hubspot_id('deal_stages.value') }} as stage_id,
        deal_stages.date_entered,
        deals.property_deal_currency_code as currency_code,
        deal_stages._fivetran_synced
    from deal_stages
    left join deals
        on {{ hubspot_id('deal_stages.deal_id') }} = {{ hubspot_id('deals.deal_id') }}
),

amounts_then as (
    select
        stage_entries.deal_id,
        stage_entries.stage_id,
        stage_entries.date_entered,
        amount_changes.amount,
        row_number() over (
            partition by stage_entries.deal_id, stage_entries.stage_id, stage_entries.date_entered
            order by amount_changes.changed_at desc
        ) as recency
    from stage_entries
    inner join amount_changes
        on
            stage_entries.deal_id = amount_changes.deal_id
            and stage_entries.date_entered >= amount_changes.changed_at
),

stage_names as (
    select
        {{ hubspot_id('stages.pipeline_id') }} as pipeline_id,
        {{ hubspot_id('stages.stage_id') }} as stage_id,
        replace(lower(trim(stages.label)), ' ', '_') as stage  -- noqa: RF04
    from stages
),

final as (
    select
        stage_entries.deal_id,
        -- a stage id no pipeline knows is passed on as it is, for staging to judge like any unknown stage
        coalesce(stage_names.stage, stage_entries.stage_id) as stage,  -- noqa: RF04
        cast(stage_entries.date_entered as {{ dbt.type_timestamp() }}) as entered_at,
        cast(amounts_then.amount as decimal(18, 2)) as amount,
        stage_entries.currency_code,
        cast(stage_entries._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from stage_entries
    left join stage_names
        on
            stage_entries.pipeline_id = stage_names.pipeline_id
            and stage_entries.stage_id = stage_names.stage_id
    left join amounts_then
        on
            stage_entries.deal_id = amounts_then.deal_id
            and stage_entries.stage_id = amounts_then.stage_id
            and stage_entries.date_entered = amounts_then.date_entered
            and amounts_then.recency = 1
)

select * from final
