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


{#
    kpi_attribution_series(units, kind): the closing CTEs of every
    kpi_attribution_* model, from its `units` CTE (attribution_model,
    channel, campaign_id and kpi_series' value columns for `kind`) to the
    final select: the overall row is the first_touch figure (equal to the
    KPI it mirrors), and the breakdowns attribution_model,
    attribution_model_channel and attribution_model_campaign cover every
    model.
#}
{% macro kpi_attribution_series(units, kind) -%}
labelled as (
    {{ kpi_attribution_labels(units) }}
),

first_touch_units as (
    select * from labelled
    where attribution_model = 'first_touch'
),

overall as (
    {{ kpi_series('first_touch_units', kind) }}
),

breakdowns as (
    {{ kpi_series(
        'labelled', kind, ['attribution_model', 'attribution_model_channel', 'attribution_model_campaign']
    ) }}
),

final as (
    select * from overall
    union all
    select * from breakdowns
    where dimension <> 'all'
)

select * from final
{%- endmacro %}
