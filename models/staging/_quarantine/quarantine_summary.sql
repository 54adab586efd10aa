with

quarantined as (
    select * from {{ ref('quarantine_rows') }}
),

final as (
    select
        source_table,
        quarantine_reason,
        count(*) as quarantined_rows,
        min(_loaded_at) as first_loaded_at,
        max(_loaded_at) as last_loaded_at
    from quarantined
    group by source_table, quarantine_reason
)

select * from final
