{#
    Cohort rate by SQL month (docs/kpis.md): each live lead that became sql sits in
    the month it did, and counts once a deal was created for it (or it was
    won), at any time up to the as-of date.  With the cumulative funnel a lead
    whose deal came without a logged sql step became sql at the deal's
    creation, so it is an SQL of that month and converted at once.
#}

{{ kpi_lead_cohort_rate('became_opportunity_at', 'became_sql_month', referred_only=false) }}
