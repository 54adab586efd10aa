{#
    Distinct (session, page_path) pairs with a human page view: a page seen
    twice in one visit counts once.  A pair falls in the month its session
    started (docs/kpis.md, "Sessions"), even when the view itself came later.

    The page_path breakdown ranks paths exactly as kpi_page_views does (by
    human page views over the whole period, ties by path; the var
    kpi_top_page_paths, default 50), so both tables name the same pages.  The
    pairs are made distinct before paths are bucketed: two different pages
    outside the top list in one session are two unique page views of 'other'.
#}

with

events as (
    select * from {{ ref('int_web__events_sessionized') }}
),

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

human_page_views as (
    select
        events.session_key,
        events.page_path
    from events
    where
        not events.is_bot
        and events.event_type = 'page_view'
),

page_ranks as (
    select
        human_page_views.page_path,
        row_number() over (order by count(*) desc, human_page_views.page_path) as page_rank
    from human_page_views
    where human_page_views.page_path is not null
    group by human_page_views.page_path
),

session_pages as (
    select distinct
        human_page_views.session_key,
        human_page_views.page_path
    from human_page_views
),

units as (
    -- every session with a human page view is a human session, so the inner
    -- join loses nothing
    select
        sessions.session_month as period_month,
        -- a view without a path stays null and is reported under 'unknown'
        case
            when page_ranks.page_rank <= {{ number_var('kpi_top_page_paths') }} then session_pages.page_path
            when session_pages.page_path is not null then 'other'
        end as page_path
    from session_pages
    inner join sessions
        on session_pages.session_key = sessions.session_key
    left join page_ranks
        on session_pages.page_path = page_ranks.page_path
),

final as (
    {{ kpi_series('units', 'count', ['page_path']) }}
)

select * from final
