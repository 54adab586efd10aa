{#
    Every staged web event (bots included, flagged) with the session it
    belongs to.  Sessionisation is the one window over all events, so it runs
    incrementally: an incremental run rebuilds every event of each visitor
    touched by new loads (delete+insert on anonymous_id), which is what lets a
    late event re-split or merge that visitor's sessions exactly as a full
    refresh would.  Every window is partitioned by anonymous_id for the same
    reason: a visitor's rows never depend on another visitor's.
#}

{#-
    delete+insert only replaces visitors that still have events, so a visitor
    whose every event left staging (say, a re-delivery with an invalid
    timestamp) would keep stale rows.  Before an incremental run, drop every
    visitor with an event no longer staged: the run then finds the rest of
    their events missing here and sessionises them again (drifted_visitors).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        pre_hook=(
            "{% if is_incremental() %}"
            ~ " delete from {{ this }} where anonymous_id in ("
            ~ " select this_table.anonymous_id from {{ this }} as this_table"
            ~ " where not exists (select 1 from {{ ref('stg_web__events') }} as staged"
            ~ " where staged.event_id = this_table.event_id))"
            ~ " {% endif %}"
        ),
    )
}}

{#- The events this run sessionises: all, or on an incremental run those of the affected visitors.
    No visitor, no session: delete+insert cannot replace rows keyed on null
    (stg_web__events warns when any exist). -#}
{%- set in_scope -%}
    events.anonymous_id is not null
    {%- if is_incremental() %}
        and events.anonymous_id in (select affected_visitors.anonymous_id from affected_visitors)
    {%- endif -%}
{%- endset %}

with

{% if is_incremental() %}

staged_events as (
    select * from {{ ref('stg_web__events') }}
    where anonymous_id is not null
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
        {{ dbt.dateadd('hour', -1 * var('sessions_lookback_hours'), 'max(existing_events._loaded_at)') }}
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
-- day), a watermark pushed ahead by a bad _loaded_at, an event that left
-- staging, or one that moved to another visitor.
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

events as (
    select * from {{ ref('stg_web__events') }} as events
    where {{ in_scope }}
),

untracked_gaps as (
    -- only the events without a tracker session id are sessionised, and only
    -- among themselves (raw_contract.md): tracked events do not bridge gaps
    select
        events.event_id,
        events.anonymous_id,
        events.occurred_at,
        {{ elapsed_seconds(
            'lag(events.occurred_at) over (partition by events.anonymous_id order by events.occurred_at, events.event_id)',
            'events.occurred_at'
        ) }} as seconds_since_previous
    -- the staged table read again, not the events CTE: a CTE read twice is
    -- held aside in full, and this branch needs only the few untracked events
    from {{ ref('stg_web__events') }} as events
    where events.session_id is null and {{ in_scope }}
),

untracked_sessions as (
    select
        untracked_gaps.event_id,
        sum(
            -- more than the timeout starts a new session; exactly the timeout does not
            case
                when
                    untracked_gaps.seconds_since_previous is null
                    or untracked_gaps.seconds_since_previous > {{ var('session_timeout_minutes') }} * 60
                    then 1
                else 0
            end
        ) over (
            partition by untracked_gaps.anonymous_id
            order by untracked_gaps.occurred_at, untracked_gaps.event_id
            rows between unbounded preceding and current row
        ) as untracked_session_number
    from untracked_gaps
),

keyed as (
    select
        events.event_id,
        events.anonymous_id,
        -- '~' plus the visitor id: a derived key, told apart from tracker ids by
        -- the data tests on session_key (one visitor, one kind of key each)
        coalesce(
            events.session_id,
            {{ dbt.concat([
                'events.anonymous_id',
                "'~'",
                'cast(untracked_sessions.untracked_session_number as ' ~ dbt.type_string() ~ ')',
            ]) }}
        ) as session_key,
        events.session_id is null as is_sessionised,
        events.event_type,
        events.is_conversion,
        events.occurred_at,
        events.page_path,
        events.page_url,
        events.referrer_host,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.device_type,
        events.country_code,
        events.lead_id,
        events.user_id,
        events.is_bot,
        events._loaded_at
    from events
    left join untracked_sessions
        on events.event_id = untracked_sessions.event_id
),

final as (
    select
        keyed.event_id,
        keyed.anonymous_id,
        keyed.session_key,
        keyed.is_sessionised,
        -- is_sessionised in the partition: a tracker id equal to a derived key
        -- then gives two first events, which the session_key tests catch
        row_number() over (
            partition by keyed.anonymous_id, keyed.session_key, keyed.is_sessionised
            order by keyed.occurred_at, keyed.event_id
        ) as session_event_number,
        keyed.event_type,
        keyed.is_conversion,
        keyed.occurred_at,
        keyed.page_path,
        keyed.page_url,
        keyed.referrer_host,
        keyed.utm_source,
        keyed.utm_medium,
        keyed.utm_campaign,
        keyed.device_type,
        keyed.country_code,
        keyed.lead_id,
        keyed.user_id,
        keyed.is_bot,
        keyed._loaded_at
    from keyed
)

select * from final
