{#
    Human page_view events, each in the month it happened (docs/kpis.md, "Which
    month": events by their own time).

    The page_path breakdown keeps the var kpi_top_page_paths (default 50)
    most viewed paths, ranked once over the whole period so a page keeps its
    own row in every month; the rest are summed under 'other'.  Ties in the
    ranking go to the alphabetically first path, so the list is stable.
    kpi_unique_page_views ranks the same way, so both tables name the same
    pages.
#}

with

events as (
    select * from {{ ref('int_web__events_sessionized') }}
),

human_page_views as (
    select
        events.occurred_at,
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

units as (
    select
        {{ month_of('human_page_views.occurred_at') }} as period_month,
        -- a view without a path stays null and is reported under 'unknown'
        case
            when page_ranks.page_rank <= {{ number_var('kpi_top_page_paths') }} then human_page_views.page_path
            when human_page_views.page_path is not null then 'other'
        end as page_path
    from human_page_views
    left join page_ranks
        on human_page_views.page_path = page_ranks.page_path
),

final as (
    {{ kpi_series('units', 'count', ['page_path']) }}
)

select * from final
