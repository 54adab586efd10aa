{#
    Share of the leads first contacted in the month that engaged within the
    engagement window after that first contact (docs/kpis.md, "Sales
    activities").  The window, the engaging outcomes and the first contact
    itself are decided once, in int_lead_first_contacts; a lead never
    contacted is in no month.  Broken down by the team of whoever made the
    first contact, since that is the team whose outreach is judged.
#}

with

first_contacts as (
    select * from {{ ref('int_lead_first_contacts') }}
),

units as (
    select
        first_contacts.first_contact_month as period_month,
        first_contacts.first_contact_owner_team as owner_team,
        case when first_contacts.is_engaged then 1 else 0 end as numerator,
        1 as denominator
    from first_contacts
    where first_contacts.first_contact_at is not null
),

final as (
    {{ kpi_series('units', 'ratio', ['owner_team']) }}
)

select * from final
