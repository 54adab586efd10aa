{#
    Every KPI of the catalogue (seeds/kpi_definitions.csv), in catalogue order:
    kpi_monthly unions one kpi_<id> model per entry.  A pytest checks this
    list against the seed and the models.
#}
{% macro kpi_ids() %}
    {{ return([
        'lead_generation',
        'inbound_lead_volume',
        'monthly_signups',
        'website_traffic',
        'page_views',
        'unique_page_views',
        'unique_visitors',
        'new_visitors',
        'traffic_source_distribution',
        'landing_page_conversion_rate',
        'conversion_rate',
        'lead_conversion_rate',
        'lead_to_sql_rate',
        'lead_to_opportunity_rate',
        'sql_to_opportunity_rate',
        'mqls',
        'sqls',
        'pqls',
        'pqas',
        'lead_quality_score',
        'mqls_meeting_criteria_pct',
        'referral_mql_rate',
        'referral_conversion_rate',
        'signup_source_quality_rate',
        'signup_to_subscriber_rate',
        'trial_to_paid_rate',
        'first_contact_engagement_rate',
        'time_to_first_contact',
        'time_to_first_meeting',
        'opportunity_creation_velocity',
        'pipeline_value',
        'sales_pipeline_growth',
        'pipeline_velocity',
        'deal_velocity',
        'close_rate',
        'forecasted_win_rate',
        'cost_per_lead',
        'return_on_ad_spend',
        'cac',
        'ltv',
        'ltv_to_cac_ratio',
        'payback_period',
        'revenue_growth',
        'market_share',
        'customer_segmentation',
        'open_rate',
        'unsubscribe_rate',
        'newsletter_subscription_growth',
        'social_engagement',
        'virality_coefficient',
        'viral_cycle_time',
        'attribution_leads',
        'attribution_opportunities',
        'attribution_won_revenue',
        'attribution_cost_per_lead',
        'attribution_return_on_ad_spend',
    ]) }}
{% endmacro %}

{#
    The cohort KPIs (docs/kpis.md, "Cohort rates"): the ids whose kpi_<id>
    model documents an is_mature column in its yml.  That column list is the
    one place that says it: kpi_monthly carries is_mature from these tables
    and kpi_catalog flags them (is_cohort).  The test
    kpi_tables_with_is_mature_are_cohorts compares the list with the columns
    the built tables really have.  Empty while dbt parses (no graph yet).
    A unit test compiles without the graph: it names the cohort KPIs of its
    fixtures itself (overrides: macros: kpi_cohort_ids: [...]).
#}
{% macro kpi_cohort_ids() %}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- set nodes = graph.get('nodes') -%}
        {%- if not nodes -%}
            {{ exceptions.raise_compiler_error(
                "kpi_cohort_ids: the dbt graph is not available here; a unit test must override "
                ~ "the macro with its cohort KPI ids (overrides: macros: kpi_cohort_ids: [...])"
            ) }}
        {%- endif -%}
        {%- for kpi_id in kpi_ids() -%}
            {%- set node = nodes.get('model.' ~ project_name ~ '.kpi_' ~ kpi_id) -%}
            {%- if node is not none and 'is_mature' in node.columns -%}
                {%- do found.append(kpi_id) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{% endmacro %}
