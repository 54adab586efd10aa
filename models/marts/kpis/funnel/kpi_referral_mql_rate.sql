{#
    Cohort rate (docs/kpis.md, "Cohort rates"): each referred live lead sits in the
    month it was created and counts once it reached mql or any later stage,
    at any time up to the as-of date.  The funnel is cumulative, so a referred
    lead that skipped mql still counts (fct_lead_lifecycle).
#}

{{ kpi_lead_cohort_rate('became_mql_at', 'created_month', referred_only=true) }}
