{#
    One row per live product sign-up: whether it became a Product Qualified
    Lead (docs/kpis.md, pqls) and when.  A user is a PQL when every pql_rules row
    is met within var pql_window_days of signing up, both ends in; the user
    becomes one the moment the last rule is met, which is the
    min_count-th event of that rule.
#}

with

app_users as (
    select * from {{ ref('int_app_users') }}
),

product_events as (
    select * from {{ ref('stg_product__events') }}
),

pql_rules as (
    select * from {{ ref('pql_rules') }}
),

rule_totals as (
    select count(*) as rules_required
    from pql_rules
),

windowed_rule_events as (
    -- events at the same instant: the lower event_id comes first
    select
        app_users.user_id,
        pql_rules.rule_id,
        pql_rules.min_count,
        product_events.occurred_at,
        row_number() over (
            partition by app_users.user_id, pql_rules.rule_id
            order by product_events.occurred_at, product_events.event_id
        ) as event_number
    from app_users
    inner join product_events
        on
            app_users.user_id = product_events.user_id
            and app_users.signed_up_at <= product_events.occurred_at
            and {{ dbt.dateadd('day', number_var('pql_window_days'), 'app_users.signed_up_at') }}
            >= product_events.occurred_at
    inner join pql_rules
        on product_events.event_name = pql_rules.event_name
),

rules_met as (
    select
        windowed_rule_events.user_id,
        windowed_rule_events.rule_id,
        windowed_rule_events.occurred_at as met_at
    from windowed_rule_events
    where windowed_rule_events.event_number = windowed_rule_events.min_count
),

user_progress as (
    select
        rules_met.user_id,
        count(*) as pql_rules_met,
        max(rules_met.met_at) as last_rule_met_at
    from rules_met
    group by rules_met.user_id
),

qualified as (
    -- no rules at all qualifies nobody rather than everybody
    select
        app_users.user_id,
        app_users.account_id,
        app_users.email_hash,
        app_users.signed_up_at,
        app_users.signup_month,
        coalesce(user_progress.pql_rules_met, 0) as pql_rules_met,
        rule_totals.rules_required > 0
        and coalesce(user_progress.pql_rules_met, 0) = rule_totals.rules_required as is_pql,
        user_progress.last_rule_met_at
    from app_users
    cross join rule_totals
    left join user_progress
        on app_users.user_id = user_progress.user_id
),

final as (
    select
        qualified.user_id,
        qualified.account_id,
        qualified.email_hash,
        qualified.signed_up_at,
        qualified.signup_month,
        qualified.pql_rules_met,
        qualified.is_pql,
        case when qualified.is_pql then qualified.last_rule_met_at end as became_pql_at,
        case when qualified.is_pql then {{ month_of('qualified.last_rule_met_at') }} end as pql_month,
        case
            when qualified.is_pql
                then {{ elapsed_seconds('qualified.signed_up_at', 'qualified.last_rule_met_at') }} / 86400.0
        end as days_to_pql
    from qualified
)

select * from final
