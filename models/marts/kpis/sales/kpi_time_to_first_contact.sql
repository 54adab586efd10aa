{#
    Median exact minutes from a lead's creation to its first outbound
    activity at or after creation, over the leads first contacted in the
    month (docs/kpis.md, "Sales activities").  The table also shows the mean and
    the share of those leads reached within var contact_sla_minutes, the
    two figures routing teams are usually held to besides the median.
#}

with

first_contacts as (
    select * from {{ ref('int_lead_first_contacts') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    -- a left join: a lead without attribution still counts, under 'unknown'
    select
        first_contacts.first_contact_month as period_month,
        attribution.channel,
        first_contacts.minutes_to_first_contact as measure,
        first_contacts.minutes_to_first_contact as total_minutes,
        case when first_contacts.is_within_sla then 1 else 0 end as leads_within_sla
    from first_contacts
    left join attribution
        on first_contacts.lead_id = attribution.lead_id
    where first_contacts.first_contact_at is not null
),

series as (
    {{ kpi_series('units', 'median', ['channel'], extra_sums=['total_minutes', 'leads_within_sla']) }}
),

final as (
    select
        series.period_month,
        series.dimension,
        series.dimension_value,
        series.value,
        series.numerator,
        series.denominator,
        series.total_minutes / nullif(series.denominator, 0) as mean_minutes,
        series.leads_within_sla / nullif(series.denominator, 0) as share_within_sla
    from series
)

select * from final
