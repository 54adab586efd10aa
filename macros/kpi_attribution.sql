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


{#
    kpi_attribution_paid_units(credited_value, spend_side): the units of a
    paid-campaign ratio by attribution model (kpi_attribution_cost_per_lead,
    kpi_attribution_return_on_ad_spend), as CTEs up to `units`.  The model
    defines the CTEs credits (fct_attribution_credits of its conversion
    point), spend_months (int_ad_spend_months) and campaigns
    (dim_campaigns).  Spend is not attributed: every model gets the whole
    month's spend of each campaign, on the side `spend_side` (numerator or
    denominator); the credited side is `credited_value` of credits on paid
    campaigns.  Both take the campaign's own channel, as the plain KPIs do.
#}
{% macro kpi_attribution_paid_units(credited_value, spend_side) -%}
    {%- if spend_side not in ['numerator', 'denominator'] -%}
        {{ exceptions.raise_compiler_error(
            "kpi_attribution_paid_units: spend_side must be 'numerator' or 'denominator', not '" ~ spend_side ~ "'"
        ) }}
    {%- endif -%}
    {%- set spend_is_numerator = spend_side == 'numerator' -%}
attribution_models as (
    select distinct attribution_model from credits
),

spend_units as (
    select
        spend_months.period_month,
        attribution_models.attribution_model,
        campaigns.channel,
        spend_months.campaign_id,
        {{ 'spend_months.spend_usd' if spend_is_numerator else '0' }} as numerator,
        {{ '0' if spend_is_numerator else 'spend_months.spend_usd' }} as denominator
    from spend_months
    cross join attribution_models
    left join campaigns
        on spend_months.campaign_id = campaigns.campaign_id
),

credited_units as (
    select
        credits.conversion_month as period_month,
        credits.attribution_model,
        campaigns.channel,
        campaigns.campaign_id,
        {{ '0' if spend_is_numerator else credited_value }} as numerator,
        {{ credited_value if spend_is_numerator else '0' }} as denominator
    from credits
    inner join campaigns
        on credits.campaign_id = campaigns.campaign_id
    where campaigns.is_paid
),

units as (
    select
        period_month,
        attribution_model,
        channel,
        campaign_id,
        numerator,
        denominator
    from spend_units
    union all
    select
        period_month,
        attribution_model,
        channel,
        campaign_id,
        numerator,
        denominator
    from credited_units
)
{%- endmacro %}
