{#
    Matching firmographics against the icp_criteria seed, shared by the lead
    score (int_lead_fit_matches) and the account fit (int_account_icp_fit).
    Both unpivot their attributes into rows of (attribute, text_value,
    number_value) and join them to the criteria on the attribute name; these
    macros say how a value is normalised and when a criterion is met.
#}

{# An industry as criteria name it: 'Financial Services' and 'financial-services' are one. #}
{% macro icp_industry_code(column) -%}
    {{ regex_replace(clean_code(column), "'[[:space:]-]+'", "'_'") }}
{%- endmacro %}

{#
    True when the attribute row (alias `attributes`) meets the criterion
    (alias `criteria`): a number within [min_value, max_value], a text equal
    to match_value, or, for has_word, a text (padded with spaces) holding
    match_value as a whole word.
#}
{% macro icp_criterion_met(attributes='attributes', criteria='criteria') -%}
    (
        (
            {{ criteria }}.operator = 'between'
            and {{ attributes }}.number_value between {{ criteria }}.min_value and {{ criteria }}.max_value
        )
        or (
            {{ criteria }}.operator = 'equals'
            and {{ attributes }}.text_value = lower(trim({{ criteria }}.match_value))
        )
        or (
            {{ criteria }}.operator = 'has_word'
            and {{ attributes }}.text_value like '% ' || lower(trim({{ criteria }}.match_value)) || ' %'
        )
    )
{%- endmacro %}
