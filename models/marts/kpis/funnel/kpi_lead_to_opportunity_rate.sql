{#
    Cohort rate (docs/kpis.md, "Cohort rates"): each live lead sits in the month it
    was created and counts once a deal was created for it (or it was won), at
    any time up to the as-of date.
#}

{{ kpi_lead_cohort_rate('became_opportunity_at', 'created_month', referred_only=false) }}
