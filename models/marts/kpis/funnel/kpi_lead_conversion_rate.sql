{#
    Cohort rate (docs/kpis.md, "Cohort rates"): each live lead sits in the month it
    was created and counts as converted once a deal of it has been won, at any
    time up to the as-of date (staging quarantines anything later).
#}

{{ kpi_lead_cohort_rate('became_customer_at', 'created_month', referred_only=false) }}
