{#
    One row: the as-of date that closes the data set.  Set it with the
    as_of_date var; by default it is the date of the greatest _loaded_at across
    the raw tables, since nothing can have happened after it was extracted.
    A _loaded_at after the build started is a clock fault, quarantined as
    loaded_in_future by staging; it must not drag the as-of day (and every
    month spine) into the future, so it is left out here too.
#}

{%- set as_of_var = date_var('as_of_date') %}

with

latest_loads as (
    {%- for raw in raw_tables() %}
        select max(landed._loaded_at) as max_loaded_at
        from {{ raw_table(raw.source, raw.table) }} as landed
        where cast(landed._loaded_at as {{ dbt.type_timestamp() }}) <= {{ load_cutoff().literal }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

resolved as (
    {%- if as_of_var is not none %}
        select
            cast('{{ as_of_var }}' as date) as as_of_date,
            'var as_of_date' as as_of_source
    {%- else %}
        select
            -- an entirely empty warehouse still gets a usable date
            coalesce(cast(max(max_loaded_at) as date), current_date) as as_of_date,
            'greatest _loaded_at of the raw tables' as as_of_source
        from latest_loads
    {%- endif %}
),

final as (
    select
        as_of_date,
        {{ dbt.dateadd('day', 1, 'cast(as_of_date as ' ~ dbt.type_timestamp() ~ ')') }} as as_of_end,
        as_of_source
    from resolved
)

select * from final
