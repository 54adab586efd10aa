{#
    Run scoping of the web models kept per visitor (int_web__sessions; any
    model whose rows depend on one visitor's events only can use it too).
    An incremental run recomputes every row of the visitors that the loads
    since the model's last run can change, and no other: delete+insert on anonymous_id, since a visitor's sessions (their
    numbering, the first session, a derived session split or merged by a late
    event) depend on all of that visitor's events and on no one else's.

    The state a run starts from is read once, when the model compiles, and
    written into its SQL as literals: the pre-hook that removes the visitors
    in scope and the model's own query then name the same visitors, although
    the pre-hook runs first.

    A visitor is in scope when a row of base_web__events (every delivered
    copy, staged or not) names it and
      - that event has a copy loaded after the newest _loaded_at the model
        holds, less the var sessions_lookback_hours: a new event, a late
        one, or a re-delivery, whose older copies name the visitor the event
        used to belong to;
      - or the event happened after the newest event the model holds: the
        as-of day moved on and let in events it used to quarantine as dated
        after it, whatever their _loaded_at.
    Every visitor is in scope (a full recompute inside the incremental run)
    when the model is empty, when it holds events dated on or after today's
    as-of day (the day was moved back), or when the reference data its rows
    depend on changed (the fingerprint, see web_reference_fingerprint).
#}

{#
    The compile-time state of a run-scoped web model: none outside an
    incremental run, else a dict with `full` (recompute every visitor) and
    the literals web_scope_visitors needs.  `loaded_column` and
    `event_column` are the model's columns holding the newest _loaded_at and
    the newest occurred_at of its events; `fingerprint` is the SQL of a
    one-value query (web_reference_fingerprint) compared with the model's
    reference_fingerprint column, or none.
#}
{% macro web_scope_state(loaded_column, event_column, fingerprint=none) -%}
    {%- if not (is_incremental() and execute) -%}
        {{ return(none) }}
    {%- endif -%}
    {#- a table built before the model kept its state (it was rebuilt in
        full on every run) has no watermark: say so rather than fail on SQL -#}
    {%- set held_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for column in [loaded_column, event_column] + (['reference_fingerprint'] if fingerprint is not none else []) -%}
        {%- if column | lower not in held_columns -%}
            {{ exceptions.raise_compiler_error(
                this.identifier ~ ": the table in the warehouse has no column " ~ column
                ~ ", which an incremental run starts from (it was built before the model became incremental)."
                ~ " Rebuild it once: dbt build --full-refresh --select " ~ this.identifier ~ "+"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set held = run_query(
        "select max(" ~ loaded_column ~ "), max(" ~ event_column ~ "),"
        ~ " coalesce(max(case when " ~ event_column ~ " >= " ~ as_of_end() ~ " then 1 else 0 end), 0)"
        ~ (", max(reference_fingerprint), (" ~ fingerprint ~ ")" if fingerprint is not none else "")
        ~ " from " ~ this
    ).rows[0] -%}
    {%- set reasons = [] -%}
    {%- if held[0] is none or held[1] is none -%}
        {%- do reasons.append('nothing held yet') -%}
    {%- endif -%}
    {%- if held[2] == 1 -%}
        {%- do reasons.append('events held are dated on or after the as-of day, which moved back') -%}
    {%- endif -%}
    {%- if fingerprint is not none and held[3] != held[4] -%}
        {%- do reasons.append('the channel rules or the campaigns changed') -%}
    {%- endif -%}
    {%- if reasons -%}
        {% do log(this.identifier ~ ": every visitor recomputed (" ~ reasons | join('; ') ~ ")", info=true) %}
    {%- endif -%}
    {{ return({
        'full': reasons | length > 0,
        'reload_after': held[0],
        'last_event_at': held[1],
    }) }}
{%- endmacro %}

{#
    The visitors an incremental run recomputes (one column, anonymous_id,
    possibly repeated), from a web_scope_state that is not `full`.
#}
{% macro web_scope_visitors(state) -%}
    {%- set timestamp = dbt.type_timestamp() -%}
    {%- set reload_after = dbt.dateadd(
        'hour', -1 * (number_var('sessions_lookback_hours') | int),
        "cast('" ~ state.reload_after ~ "' as " ~ timestamp ~ ")"
    ) -%}
    select deliveries.anonymous_id
    from {{ ref('base_web__events') }} as deliveries
    where
        deliveries.anonymous_id is not null
        and (
            deliveries._loaded_at > {{ reload_after }}
            or deliveries.occurred_at > cast('{{ state.last_event_at }}' as {{ timestamp }})
            -- the older copies of a re-delivered event: the visitor it leaves
            or (
                deliveries.row_disposition != 'staged'
                and deliveries.event_id in (
                    select recent.event_id from {{ ref('base_web__events') }} as recent
                    where recent._loaded_at > {{ reload_after }}
                )
            )
        )
{%- endmacro %}

{#
    The where clause that keeps a run's visitors, on a relation aliased
    `alias`: nothing outside an incremental run or in a full recompute.
#}
{% macro web_scope_filter(state, alias) -%}
    {%- if state is not none and not state.full -%}
        where {{ alias }}.anonymous_id in (
            select scope.anonymous_id from ({{ web_scope_visitors(state) }}) as scope
        )
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook of the run-scoped web models: remove the visitors the run
    recomputes, so that one whose events all left (a re-delivery without a
    valid timestamp, a visitor id corrected) keeps no stale row; delete+insert
    alone replaces only the visitors the run writes again.
#}
{% macro web_scope_delete(loaded_column, event_column, fingerprint=none) -%}
    {%- set state = web_scope_state(loaded_column, event_column, fingerprint) -%}
    {%- if state is not none -%}
        delete from {{ this }} as held {{ web_scope_filter(state, 'held') }}
    {%- endif -%}
{%- endmacro %}

{#
    One value that changes whenever the reference data behind a session's
    channel and campaign_id changes: the channel_rules seed and, of each
    campaign, the columns that pick it for a session.  Its SQL is a scalar
    query, run at compile time and stored on every row.
#}
{% macro web_reference_fingerprint() -%}
    {{ return(adapter.dispatch('web_reference_fingerprint', 'leadgen')()) }}
{%- endmacro %}

{% macro default__web_reference_fingerprint() -%}
    {%- set text = dbt.type_string() -%}
    select {{ dbt.hash(dbt.listagg('reference_rows.reference_row', "'|'", 'order by reference_rows.reference_row')) }}
    from (
        select
            {{ dbt.concat([
                "'rule:'", 'cast(rules.rule_order as ' ~ text ~ ')',
                "':'", "coalesce(rules.match_field, '')",
                "':'", "coalesce(rules.match_value, '')",
                "':'", "coalesce(rules.channel, '')",
            ]) }} as reference_row
        from {{ ref('channel_rules') }} as rules
        union all
        select
            {{ dbt.concat([
                "'campaign:'", "coalesce(campaigns.campaign_id, '')",
                "':'", "coalesce(campaigns.utm_campaign, '')",
                "':'", "coalesce(cast(campaigns.start_date as " ~ text ~ "), '')",
                "':'", "coalesce(cast(campaigns.end_date as " ~ text ~ "), '')",
            ]) }} as reference_row
        from {{ ref('stg_marketing__campaigns') }} as campaigns
    ) as reference_rows
{%- endmacro %}

{#
    Spark's listagg cannot order, so its fingerprint would change from run
    to run; the models are tables there (incremental_materialization), rebuilt
    in full, and never read it.
#}
{% macro spark__web_reference_fingerprint() -%}
    select cast(null as {{ dbt.type_string() }})
{%- endmacro %}
