-- sqlfluff:indentation:template_blocks_indent:false
{#
    The largest raw table, so this base model is built for volume:

    - Incremental (delete+insert on event_id): a run reads only the rows
      loaded after the newest _loaded_at already here, plus the rows here that
      share an event_id with them (a re-delivery changes which copy wins), the
      rows quarantined as dated after the as-of day and the rows dated after
      this run's as-of day: the as-of day moves with the loads (or the var),
      so those rows may have changed side.  A file landed with _loaded_at
      values not after that watermark is not seen, and a change to the
      code_variants or bot pattern seeds reaches only rows read from then on:
      rebuild with --full-refresh after either.
    - No CTE over the events is read twice: DuckDB holds such a CTE (or a
      correlated subquery's input) aside in full, which on this table cost
      more than everything else.  So a full build reads the raw table once
      per branch, and the event type and bot lookups are literals from their
      seeds (canonical_code, is_bot_user_agent).
    - raw_row (the row as landed, as JSON) is built and kept for quarantined
      rows only, the only ones anybody needs to inspect.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

{%- set watermark = load_watermark(raw_table('web', 'web_events')) -%}

{%- set event_id = clean_text('landed.event_id') -%}
{%- set occurred_at = 'cast(landed.occurred_at as ' ~ dbt.type_timestamp() ~ ')' -%}
{%- set new_row_reason = quarantine_reason([event_id], event_time_checks(occurred_at)) -%}

{#- The cleaned columns of one raw row (alias landed), shared by the branches below. -#}
-- noqa: disable=LT02
{%- set cleaned_columns -%}
        {{ event_id }} as event_id,
        {{ clean_text('landed.anonymous_id') }} as anonymous_id,
        -- a blank session id is no session id: the visitor's events are sessionised downstream
        {{ clean_text('landed.session_id') }} as session_id,
        {{ canonical_code('web_event_type', 'landed.event_type') }} as event_type,
        {{ occurred_at }} as occurred_at,
        {{ clean_text('landed.page_url') }} as page_url,
        lower({{ clean_text('landed.page_path') }}) as page_path,
        {{ clean_text('landed.referrer_url') }} as referrer_url,
        {{ url_host(clean_text('landed.referrer_url')) }} as referrer_host,
        {{ url_query_parameter(clean_text('landed.page_url'), 'utm_source') }} as utm_source,
        {{ url_query_parameter(clean_text('landed.page_url'), 'utm_medium') }} as utm_medium,
        {{ url_query_parameter(clean_text('landed.page_url'), 'utm_campaign') }} as utm_campaign,
        {{ clean_text('landed.user_agent') }} as user_agent,
        {{ is_bot_user_agent(clean_text('landed.user_agent')) }} as is_bot,
        {{ clean_code('landed.device_type') }} as device_type,
        {{ clean_upper_code('landed.country_code') }} as country_code,
        {{ clean_text('landed.lead_id') }} as lead_id,
        {{ clean_text('landed.user_id') }} as user_id,
        cast(landed._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        -- the same checks as quarantine_reason below, on the raw columns, so that
        -- the JSON is only built for the few rows that need it
        case when {{ new_row_reason }} is not null then {{ row_as_json('landed') }} end as raw_row
{%- endset %}
-- noqa: enable=LT02

with

{% if is_incremental() %}

landed as (
    select landed.* from {{ raw_table('web', 'web_events') }} as landed
    {{ loaded_after(watermark) }}
),

new_rows as (
    select
        {{ cleaned_columns }}
    from landed
),

carried_rows as (
    select
        this_table.event_id,
        this_table.anonymous_id,
        this_table.session_id,
        this_table.event_type,
        this_table.occurred_at,
        this_table.page_url,
        this_table.page_path,
        this_table.referrer_url,
        this_table.referrer_host,
        this_table.utm_source,
        this_table.utm_medium,
        this_table.utm_campaign,
        this_table.user_agent,
        this_table.is_bot,
        this_table.device_type,
        this_table.country_code,
        this_table.lead_id,
        this_table.user_id,
        this_table._loaded_at,
        this_table.raw_row
    from {{ this }} as this_table
    where {{ rows_to_rerank('event_id', 'new_rows', 'occurred_at') }}
),

to_rank as (
    select * from new_rows
    union all
    select * from carried_rows
),

{% else %}

-- Keys delivered more than once.  On a full build only their rows need a
-- delivery rank: most events arrive once, and a window over every event was
-- the costliest step of this model.  Each branch reads the raw table itself,
-- since a CTE read twice is held aside in full.
redelivered_keys as (
    select {{ event_id }} as event_id
    from {{ raw_table('web', 'web_events') }} as landed
    group by {{ event_id }}
    having count(*) > 1
),

to_rank as (
    -- null keys too: they are quarantined, ranked among themselves as before
    select
        {{ cleaned_columns }}
    from {{ raw_table('web', 'web_events') }} as landed
    where {{ event_id }} is null or {{ event_id }} in (select redelivered_keys.event_id from redelivered_keys)
),

delivered_once as (
    select
        {{ cleaned_columns }},
        1 as delivery_rank
    from {{ raw_table('web', 'web_events') }} as landed
    where
        {{ event_id }} is not null
        and {{ event_id }} not in (
            select redelivered_keys.event_id from redelivered_keys
            where redelivered_keys.event_id is not null
        )
),

{% endif %}

ranked as (
    select
        to_rank.*,
        -- ties on _loaded_at go by every landed column (docs/raw_contract.md: by the full row)
        {{ delivery_rank(['to_rank.event_id'], [
            'to_rank.anonymous_id', 'to_rank.session_id', 'to_rank.event_type', 'to_rank.occurred_at',
            'to_rank.page_url', 'to_rank.page_path', 'to_rank.referrer_url', 'to_rank.user_agent',
            'to_rank.device_type', 'to_rank.country_code', 'to_rank.lead_id', 'to_rank.user_id',
        ]) }} as delivery_rank
    from to_rank
),

batch as (
    select * from ranked
    {%- if not is_incremental() %}
    union all
    select * from delivered_once
    {%- endif %}
),

checked as (
    select
        batch.*,
        batch.event_type in ('form_submit', 'demo_request', 'signup') as is_conversion,
        {{ quarantine_reason(['batch.event_id'], event_time_checks('batch.occurred_at')) }} as quarantine_reason
    from batch
),

dispositions as (
    select
        *,
        {{ row_disposition(['event_id']) }} as row_disposition,
        {{ natural_key_text(['event_id']) }} as natural_key
    from checked
),

final as (
    select
        event_id,
        anonymous_id,
        session_id,
        event_type,
        occurred_at,
        page_url,
        page_path,
        referrer_url,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        user_agent,
        is_bot,
        device_type,
        country_code,
        lead_id,
        user_id,
        _loaded_at,
        case when row_disposition = 'quarantined' then raw_row end as raw_row,
        is_conversion,
        delivery_rank,
        quarantine_reason,
        row_disposition,
        natural_key
    from dispositions
)

select * from final
