{#
    The channel of each row of `relation` (a CTE name), by the channel_rules
    seed: the lowest rule_order that matches wins.  `relation` must have the
    columns id_column, utm_source, utm_medium, referrer_host and lead_source
    (null where they do not apply).  Returns a query with id_column and
    channel, one row per id.
#}
{% macro assign_channel(relation, id_column) -%}
    select
        tagged.{{ id_column }},
        coalesce(
            matched.channel,
            case
                when tagged.utm_source is null and tagged.utm_medium is null and tagged.referrer_host is null
                    then 'direct'
                else 'other'
            end
        ) as channel
    from {{ relation }} as tagged
    left join (
        select
            candidates.{{ id_column }},
            candidates.channel,
            row_number() over (
                partition by candidates.{{ id_column }} order by candidates.rule_order
            ) as rule_rank
        from (
            select
                entity.{{ id_column }},
                rules.channel,
                rules.rule_order
            from {{ relation }} as entity
            inner join {{ ref('channel_rules') }} as rules
                on
                    (rules.match_field = 'utm_medium' and lower(entity.utm_medium) = rules.match_value)
                    or (rules.match_field = 'utm_source' and lower(entity.utm_source) = rules.match_value)
                    or (rules.match_field = 'lead_source' and entity.lead_source = rules.match_value)
                    or (rules.match_field = 'referrer_host' and lower(entity.referrer_host) like rules.match_value)
        ) as candidates
    ) as matched
        on tagged.{{ id_column }} = matched.{{ id_column }} and matched.rule_rank = 1
{%- endmacro %}
