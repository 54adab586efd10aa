{#
    Read access for BI tools (README, "Connect a BI tool").  The marts carry
    dbt grants (dbt_project.yml): select for the role named by var bi_role,
    default leadgen_bi.  A role also needs usage on the schema to see the
    tables, which dbt's grants do not give, so an on-run-end hook adds it.
    Nothing else is granted: staging (personal data) and intermediate stay
    closed, and the role cannot create anything.
#}

{# The BI role's name, checked as an identifier before it reaches SQL. #}
{% macro bi_role() -%}
    {{ return(identifier_var('bi_role', 'leadgen_bi')) }}
{%- endmacro %}

{#
    On-run-start: a grant to a role that does not exist fails model by model
    with the server's message; say it once, up front, with the remedy.
#}
{% macro check_bi_role() -%}
    {{ return(adapter.dispatch('check_bi_role', 'leadgen')()) }}
{%- endmacro %}

{% macro default__check_bi_role() -%}
    {%- do bi_role() -%}
{%- endmacro %}

{% macro postgres__check_bi_role() -%}
    {%- set role = bi_role() -%}
    {%- if execute -%}
        {%- set found = run_query("select 1 from pg_roles where rolname = '" ~ role ~ "'") -%}
        {%- if found.rows | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var 'bi_role': role '" ~ role ~ "' does not exist on this server. The marts grant it "
                ~ "select; create it first (create role " ~ role ~ " login password '...'), "
                ~ "or name an existing role with --vars '{bi_role: <role>}'."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{# On-run-end: usage on the marts schema for the BI role, where the schema exists. #}
{% macro grant_bi_schema_usage() -%}
    {{ return(adapter.dispatch('grant_bi_schema_usage', 'leadgen')()) }}
{%- endmacro %}

{% macro default__grant_bi_schema_usage() -%}
{%- endmacro %}

{% macro postgres__grant_bi_schema_usage() -%}
    {%- set role = bi_role() -%}
    {%- set schema = generate_schema_name('marts', none) -%}
    do $$
    begin
        if exists (select 1 from pg_namespace where nspname = '{{ schema }}') then
            execute 'grant usage on schema {{ schema }} to {{ role }}';
        end if;
    end
    $$
{%- endmacro %}

{#
    A DuckDB file has no roles: its access boundary is the file, which is why
    BI tools read the published serving file (marts only).  dbt-duckdb warns
    on every build that grants are not supported; this keeps the build quiet.
#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}

{#
    Apache Spark has no SQL GRANT (the statement does not parse): access to
    its tables is the storage's and the catalog's.  On Databricks, whose
    adapter (dbt-databricks) is not this one, Unity Catalog applies the
    marts' grants.
#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}
