{#
    Distinct (session, page_path) pairs with a human page view: a page seen
    twice in one visit counts once.  A pair falls in the month its session
    started (docs/kpis.md, "Sessions"), even when the view itself came later.

    The page_path breakdown ranks paths exactly as kpi_page_views does (by
    human page views over the whole period, ties by path; the var
    kpi_top_page_paths, default 50), so both tables name the same pages.  The
    pairs are made distinct before paths are bucketed: two different pages
    outside the top list in one session are two unique page views of 'other'.
    The pairs come from int_web__session_pages, kept per visitor.
#}

with

session_pages as (
    select * from {{ ref('int_web__session_pages') }}
),

page_ranks as (
    -- summed page views per path are kpi_page_views' counts of human page
    -- views, so the ranking is the same
    select
        session_pages.page_path,
        row_number() over (order by sum(session_pages.page_views) desc, session_pages.page_path) as page_rank
    from session_pages
    where session_pages.page_path is not null
    group by session_pages.page_path
),

units as (
    select
        session_pages.session_month as period_month,
        -- a view without a path stays null and is reported under 'unknown'
        case
            when page_ranks.page_rank <= {{ number_var('kpi_top_page_paths') }} then session_pages.page_path
            when session_pages.page_path is not null then 'other'
        end as page_path
    from session_pages
    left join page_ranks
        on session_pages.page_path = page_ranks.page_path
),

final as (
    {{ kpi_series('units', 'count', ['page_path']) }}
)

select * from final
