{#
    The staged web events the tracker sent without a session id, each with
    the session the project derives for it.  They are sessionised among
    themselves (docs/raw_contract.md): tracked events do not bridge their gaps, so
    the rest of the events (most of them, on a site whose tracker sets session
    ids) never enter this window.  int_web__events_sessionized puts both back
    together.

    Incremental all the same, for sites whose tracker sends no session ids at
    all: a run rebuilds every untracked event of each visitor touched by new
    loads (delete+insert on anonymous_id), so a late event re-splits or
    merges that visitor's sessions exactly as a full refresh would.  Every
    window is partitioned by anonymous_id for that reason: a visitor's rows
    never depend on another visitor's.
#}

{#-
    delete+insert only replaces visitors that still have rows, so a visitor
    whose every untracked event left this set (a re-delivery with an invalid
    timestamp, or one that now carries a session id) would keep stale rows.
    Before an incremental run, drop every visitor with an event no longer
    staged as untracked: the run then finds the rest of their events missing
    here and sessionises them again (drifted_visitors).
-#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        pre_hook=(
            "{% if is_incremental() %}"
            ~ " delete from {{ this }} where anonymous_id in ("
            ~ " select this_table.anonymous_id from {{ this }} as this_table"
            ~ " where not exists (select 1 from {{ ref('stg_web__events') }} as staged"
            ~ " where staged.event_id = this_table.event_id and staged.session_id is null))"
            ~ " {% endif %}"
        ),
    )
}}

{#- The events this run sessionises: every untracked one, or on an incremental
    run those of the affected visitors.  No visitor, no session: delete+insert
    cannot replace rows keyed on null (stg_web__events warns when any exist). -#}
{%- set in_scope -%}
    events.session_id is null
    and events.anonymous_id is not null
    {%- if is_incremental() %}
        and events.anonymous_id in (select affected_visitors.anonymous_id from affected_visitors)
    {%- endif -%}
{%- endset %}

with

{% if is_incremental() %}

staged_events as (
    select
        events.event_id,
        events.anonymous_id,
        events._loaded_at
    from {{ ref('stg_web__events') }} as events
    where events.session_id is null and events.anonymous_id is not null
),

existing_events as (
    select
        this_table.event_id,
        this_table.anonymous_id,
        this_table._loaded_at
    from {{ this }} as this_table
),

reload_window as (
    select
        {{ dbt.dateadd('hour', -1 * (number_var('sessions_lookback_hours') | int), 'max(existing_events._loaded_at)') }}
            as reload_after
    from existing_events
),

recently_loaded_visitors as (
    select staged_events.anonymous_id
    from staged_events
    cross join reload_window
    where staged_events._loaded_at > reload_window.reload_after
),

-- Safety net for what a load-time window cannot see: an event staged only
-- now with an old _loaded_at (its occurred_at used to be after the as-of
-- day), a watermark pushed ahead by a bad _loaded_at, or an event that moved
-- to another visitor.
drifted_visitors as (
    select coalesce(staged_events.anonymous_id, existing_events.anonymous_id) as anonymous_id
    from staged_events
    full outer join existing_events
        on staged_events.event_id = existing_events.event_id
    where
        staged_events.event_id is null
        or existing_events.event_id is null
        or staged_events.anonymous_id != existing_events.anonymous_id
        or staged_events._loaded_at != existing_events._loaded_at
),

affected_visitors as (
    select recently_loaded_visitors.anonymous_id from recently_loaded_visitors
    union
    select drifted_visitors.anonymous_id from drifted_visitors
),

{% endif %}

gaps as (
    select
        events.event_id,
        events.anonymous_id,
        events.occurred_at,
        events._loaded_at,
        {{ elapsed_seconds(
            'lag(events.occurred_at) over (partition by events.anonymous_id order by events.occurred_at, events.event_id)',
            'events.occurred_at'
        ) }} as seconds_since_previous
    from {{ ref('stg_web__events') }} as events
    where {{ in_scope }}
),

numbered as (
    select
        gaps.event_id,
        gaps.anonymous_id,
        gaps.occurred_at,
        gaps._loaded_at,
        sum(
            -- more than the timeout starts a new session; exactly the timeout does not
            case
                when
                    gaps.seconds_since_previous is null
                    or gaps.seconds_since_previous > {{ number_var('session_timeout_minutes') }} * 60
                    then 1
                else 0
            end
        ) over (
            partition by gaps.anonymous_id
            order by gaps.occurred_at, gaps.event_id
            rows between unbounded preceding and current row
        ) as visitor_session_number
    from gaps
),

final as (
    select
        numbered.event_id,
        numbered.anonymous_id,
        numbered.visitor_session_number,
        -- '~' plus the visitor id: a derived key, told apart from tracker ids by
        -- the data tests on int_web__events_sessionized.session_key
        {{ dbt.concat([
            'numbered.anonymous_id',
            "'~'",
            'cast(numbered.visitor_session_number as ' ~ dbt.type_string() ~ ')',
        ]) }} as session_key,
        numbered.occurred_at,
        numbered._loaded_at
    from numbered
)

select * from final
