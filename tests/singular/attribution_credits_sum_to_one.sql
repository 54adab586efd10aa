{#
    Under every attribution model, the credits of every conversion of
    fct_touchpoints add up to 1 (to 1e-9): a conversion without credits
    under a model, or with credits summing to anything else, returns a row.
#}

with

conversions as (
    select distinct
        conversion_point,
        conversion_id
    from {{ ref('fct_touchpoints') }}
),

attribution_models as (
    select distinct attribution_model
    from {{ ref('fct_attribution_credits') }}
),

sums as (
    select
        conversion_point,
        conversion_id,
        attribution_model,
        sum(credit) as total_credit
    from {{ ref('fct_attribution_credits') }}
    group by
        conversion_point,
        conversion_id,
        attribution_model
),

final as (
    select
        conversions.conversion_point,
        conversions.conversion_id,
        attribution_models.attribution_model,
        sums.total_credit
    from conversions
    cross join attribution_models
    left join sums
        on
            conversions.conversion_point = sums.conversion_point
            and conversions.conversion_id = sums.conversion_id
            and attribution_models.attribution_model = sums.attribution_model
    where
        sums.total_credit is null
        or abs(sums.total_credit - 1) > 1e-9
)

select * from final
