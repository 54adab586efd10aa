{#
    kpi_attribution_labels(units): `units` (a CTE of a kpi_attribution_* model,
    docs/kpis.md "Attribution") with two more columns, the breakdown values
    that tell the attribution model apart:

        attribution_model_channel    '<model>/<channel>', e.g. 'linear/paid_search'
        attribution_model_campaign   '<model>/<campaign_id>'

    A missing channel or campaign reads 'unknown', as in every KPI.  `units`
    must have attribution_model, channel and campaign_id.
#}
{% macro kpi_attribution_labels(units) -%}
    select
        {{ units }}.*,
        {{ dbt.concat([
            units ~ '.attribution_model', "'/'",
            "coalesce(cast(" ~ units ~ ".channel as " ~ dbt.type_string() ~ "), 'unknown')"
        ]) }} as attribution_model_channel,
        {{ dbt.concat([
            units ~ '.attribution_model', "'/'",
            "coalesce(cast(" ~ units ~ ".campaign_id as " ~ dbt.type_string() ~ "), 'unknown')"
        ]) }} as attribution_model_campaign
    from {{ units }}
{%- endmacro %}
