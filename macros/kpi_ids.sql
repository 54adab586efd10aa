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

{#
    The optional systems each KPI needs (macros/raw_tables.sql,
    system_switches: a system's var is using_<system>).  With one of them
    switched off the KPI is unavailable: kpi_monthly leaves it out, its
    kpi_<id> table is emptied, and kpi_catalog says why.  A KPI not listed
    needs only the CRM (with its campaigns and the fx rates), which is always
    read.

    A system counts as needed when the KPI's definition is about its data,
    not when it only enriches a breakdown: lead counts stay available without
    web tracking, their channel then comes from the CRM's own utm fields.
    Lead scores add web, email and product engagement to CRM fit, so the
    scoring KPIs need all three.  A pytest checks that every system named
    here really lies upstream of the KPI's model.
#}
{% macro kpi_required_systems() %}
    {%- set web = ['web'] -%}
    {%- set unit_economics = ['billing', 'ad_spend', 'expenses'] -%}
    {{ return({
        'monthly_signups': ['product'],
        'website_traffic': web,
        'page_views': web,
        'unique_page_views': web,
        'unique_visitors': web,
        'new_visitors': web,
        'traffic_source_distribution': web,
        'landing_page_conversion_rate': web,
        'conversion_rate': web,
        'pqls': ['product'],
        'pqas': ['product'],
        'lead_quality_score': ['web', 'email', 'product'],
        'mqls_meeting_criteria_pct': ['web', 'email', 'product'],
        'signup_source_quality_rate': ['product', 'billing'],
        'signup_to_subscriber_rate': ['product', 'billing'],
        'trial_to_paid_rate': ['billing'],
        'cost_per_lead': ['ad_spend'],
        'return_on_ad_spend': ['ad_spend'],
        'cac': unit_economics,
        'ltv': ['billing'],
        'ltv_to_cac_ratio': unit_economics,
        'payback_period': unit_economics,
        'revenue_growth': ['billing'],
        'market_share': ['billing'],
        'customer_segmentation': ['billing'],
        'open_rate': ['email'],
        'unsubscribe_rate': ['email'],
        'newsletter_subscription_growth': ['email'],
        'social_engagement': ['social'],
        'virality_coefficient': ['product'],
        'viral_cycle_time': ['product'],
        'attribution_leads': web,
        'attribution_opportunities': web,
        'attribution_won_revenue': web,
        'attribution_cost_per_lead': ['web', 'ad_spend'],
        'attribution_return_on_ad_spend': ['web', 'ad_spend'],
    }) }}
{% endmacro %}

{# Why a KPI is unavailable in this run ('needs web data, switched off (var using_web is false)'), or none. #}
{% macro kpi_unavailable_reason(kpi_id) -%}
    {%- set off = systems_off() -%}
    {%- set missing = [] -%}
    {%- for system in kpi_required_systems().get(kpi_id, []) if system in off -%}
        {%- do missing.append(system) -%}
    {%- endfor -%}
    {%- if not missing -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set switches = [] -%}
    {%- for system in missing -%}
        {%- do switches.append('using_' ~ system ~ ' is false') -%}
    {%- endfor -%}
    {{ return('needs ' ~ (missing | join(' and ')) ~ ' data, switched off (var ' ~ (switches | join(', ')) ~ ')') }}
{%- endmacro %}

{# The KPIs of kpi_ids() available in this run, in catalogue order. #}
{% macro available_kpi_ids() -%}
    {%- set available = [] -%}
    {%- for kpi_id in kpi_ids() if kpi_unavailable_reason(kpi_id) is none -%}
        {%- do available.append(kpi_id) -%}
    {%- endfor -%}
    {{ return(available) }}
{%- endmacro %}

{#
    Post-hook of every kpi_<id> model: the table of an unavailable KPI is
    emptied, so a BI tool reading it directly sees no rows rather than zeros
    computed from a system that was never read.  The KPI tables are full
    rebuilds (tables), so the next run with the system on fills it again.
#}
{% macro empty_if_unavailable() -%}
    {%- set kpi_id = this.identifier[4:] if this.identifier.startswith('kpi_') else none -%}
    {%- if kpi_id in kpi_ids() and kpi_unavailable_reason(kpi_id) is not none -%}
        truncate table {{ this }}
    {%- endif -%}
{%- endmacro %}
