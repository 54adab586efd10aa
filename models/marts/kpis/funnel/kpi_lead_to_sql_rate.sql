{#
    Cohort rate (docs/kpis.md, "Cohort rates"): each live lead sits in the month it
    was created and counts once it reached sql or any later stage, at any time
    up to the as-of date.  The funnel is cumulative, so a lead that went
    straight to a deal counts as having passed sql (fct_lead_lifecycle).
#}

{{ kpi_lead_cohort_rate('became_sql_at', 'created_month', referred_only=false) }}
