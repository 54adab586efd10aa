# leadgen: two commands on a fresh clone.
#   make build   virtualenv + pinned dependencies, demo data if none, dbt build, docs
#   make test    dbt build on a small faulty data set, lint (sqlfluff, ruff), data checks,
#                the same build on a throwaway PostgreSQL (make test-postgres) and on Spark
#                in-process (make test-spark), pytest
# Environment (all optional):
#   LEADGEN_RAW_DIR      folder of landed raw Parquet, <table>/*.parquet (default data/raw,
#                        filled with generated demo data when empty)
#   LEADGEN_DUCKDB_PATH  DuckDB file the build writes (default warehouse/leadgen.duckdb)
#   LEADGEN_SERVING_PATH DuckDB file BI tools read: the marts of the last successful build, in
#                        DuckDB 1.1 format (default warehouse/marts.duckdb; leadgen publish)
#   PYTHON               interpreter used to create the virtualenv (default python3, 3.11+)
#   LEADGEN_TARGET       dbt target: dev (DuckDB, default) or postgres (PGHOST, PGPORT, PGUSER,
#                        PGPASSWORD, PGDATABASE; raw tables in schema raw, see `leadgen load`)
#                        or spark (Spark in the dbt process; LEADGEN_SPARK_DIR, see README "Spark")
#   LEADGEN_PG_BIN       PostgreSQL server binaries for make test-postgres
#                        (default /usr/lib/postgresql/15/bin)
#   DBT_VARS             dbt vars for make build, as YAML, e.g. '{using_product: false, using_billing: false}'
#                        (systems you do not have; README "Optional systems"); validate raw and load
#                        read it too
#   LEADGEN_CRM_SOURCE   contract (default), hubspot or salesforce: where the CRM tables come from
#                        (README "Your CRM"); demo data is generated in that shape

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A second interpreter with DuckDB 1.1, for the test that a 1.1 client opens the serving file.
VENV_DUCKDB11 := .venv-duckdb11
STAMP_DUCKDB11 := $(VENV_DUCKDB11)/.installed

DEMO_RAW_DIR := $(CURDIR)/data/raw
DEMO_SCALE ?= 1
SEED ?= 42
export LEADGEN_DUCKDB_PATH ?= warehouse/leadgen.duckdb
export LEADGEN_SERVING_PATH ?= warehouse/marts.duckdb
export DBT_VARS ?=
export LEADGEN_CRM_SOURCE ?= contract
# dbt gets the vars only when some are given (the shell expands $DBT_VARS, so any quoting survives).
DBT_VARS_ARG = $(if $(strip $(DBT_VARS)),--vars "$$DBT_VARS",)

# The test data set: small (CI has 2 cores) and carrying every contract fault.
TEST_DIR := $(CURDIR)/data/test
TEST_RAW_DIR := $(TEST_DIR)/raw
TEST_DUCKDB_PATH := $(TEST_DIR)/leadgen_test.duckdb
TEST_SCALE ?= 0.02
# Mart checks keep a snapshot of the last build to report drift: outside target/
# so that dbt clean does not reset the baseline.
QUALITY_DIR := warehouse/data_quality

DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir . --project-dir .

.PHONY: help venv venv-duckdb11 build test test-data test-duckdb test-postgres test-spark lint generate-demo docs clean bench

help:
	@echo "make build   install, generate demo data if needed, dbt build, publish the marts, dbt docs generate"
	@echo "make test    sqlfluff and ruff lint, dbt build on a small faulty data set, pytest"
	@echo "make test-postgres   build the test data on a throwaway PostgreSQL, compare kpi_monthly with DuckDB"
	@echo "make test-spark      build the test data on Spark (in-process, throwaway warehouse), compare kpi_monthly"
	@echo "make clean   remove the warehouse, generated data and dbt artefacts (keeps .venv)"
	@echo "make bench   time dbt build (full, incremental) against floors: make bench SCALES=1,10"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

venv: $(STAMP)

$(STAMP_DUCKDB11): requirements-duckdb11.lock
	@test -x $(VENV_DUCKDB11)/bin/python || $(PYTHON) -m venv $(VENV_DUCKDB11)
	$(VENV_DUCKDB11)/bin/python -m pip install --quiet -r requirements-duckdb11.lock
	@touch $@

venv-duckdb11: $(STAMP_DUCKDB11)

# Demo data only when the user has not pointed the project at their own files.
generate-demo: venv
	@if [ -z "$${LEADGEN_RAW_DIR:-}" ] && [ -z "$$(ls -A $(DEMO_RAW_DIR) 2>/dev/null)" ]; then \
		echo "generating demo data into $(DEMO_RAW_DIR) (scale $(DEMO_SCALE), seed $(SEED))"; \
		$(BIN)/leadgen generate --out $(DEMO_RAW_DIR) --scale $(DEMO_SCALE) --seed $(SEED) \
			--crm-format "$$LEADGEN_CRM_SOURCE"; \
	fi

# preflight: the raw folder exists and no other process holds the warehouse (one line, exit 2
# otherwise); it also creates the warehouse folder.  publish: only after every step before it
# passed (and it checks target/run_results.json itself), the marts go to the serving file.
# With LEADGEN_TARGET=postgres the raw folder is landed in the server's raw schema first, and
# the DuckDB-only steps (lock preflight, mart and fault checks, serving file) are skipped.
ifeq ($(LEADGEN_TARGET),postgres)
build: generate-demo
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(BIN)/leadgen validate raw
	$(BIN)/leadgen load --raw-dir "$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}"
	$(DBT) build $(DBT_FLAGS) $(DBT_VARS_ARG)
	$(DBT) docs generate $(DBT_FLAGS) $(DBT_VARS_ARG)
	@echo "warehouse: PostgreSQL $${PGHOST:-localhost}:$${PGPORT:-5432}/$${PGDATABASE:-leadgen}, schema marts" \
		"(granted to the dbt var bi_role, default leadgen_bi)   docs: target/index.html"
else
build: generate-demo
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(BIN)/leadgen preflight
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(BIN)/leadgen validate raw
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(DBT) build $(DBT_FLAGS) $(DBT_VARS_ARG)
	$(BIN)/leadgen validate marts --report-dir $(QUALITY_DIR)
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(BIN)/leadgen validate faults --report-dir $(QUALITY_DIR)
	$(BIN)/leadgen publish
	LEADGEN_RAW_DIR="$${LEADGEN_RAW_DIR:-$(DEMO_RAW_DIR)}" $(DBT) docs generate $(DBT_FLAGS) $(DBT_VARS_ARG)
	@echo "warehouse: $(LEADGEN_DUCKDB_PATH)   docs: target/index.html ($(DBT) docs serve $(DBT_FLAGS))"
	@echo "data quality reports: target/data_quality/raw/index.html, $(QUALITY_DIR)/"
	@echo "serving file for BI tools (marts only, DuckDB 1.1+): $(LEADGEN_SERVING_PATH)"
endif

lint: venv
	LEADGEN_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_DUCKDB_PATH=$(TEST_DIR)/lint.duckdb $(BIN)/sqlfluff lint models analyses
	@# a vendor's adapter models exist only when crm_source names it
	for vendor in hubspot salesforce; do \
		LEADGEN_CRM_SOURCE=$$vendor LEADGEN_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_DUCKDB_PATH=$(TEST_DIR)/lint.duckdb \
			$(BIN)/sqlfluff lint models/adapters/$$vendor; \
	done
	$(BIN)/ruff check src tests/python
	$(BIN)/ruff format --check src tests/python

# The tests build the contract-shaped test data with every system on, whatever the caller's
# DBT_VARS and LEADGEN_CRM_SOURCE (pytest builds the other shapes and switches itself).
test test-data test-duckdb test-postgres test-spark lint: export DBT_VARS =
test test-data test-duckdb test-postgres test-spark lint: export LEADGEN_CRM_SOURCE = contract

# The test data set and its DuckDB build, shared by `make test` and the engine checks.
test-data: venv
	@mkdir -p $(TEST_DIR)
	$(BIN)/leadgen generate --out $(TEST_RAW_DIR) --scale $(TEST_SCALE) --seed $(SEED) --faults
	rm -f $(TEST_DUCKDB_PATH)
	$(BIN)/leadgen validate raw --raw-dir $(TEST_RAW_DIR) --duckdb $(TEST_DUCKDB_PATH) \
		--report-dir $(TEST_DIR)/data_quality --no-docs

test-duckdb: test-data
	LEADGEN_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_DUCKDB_PATH=$(TEST_DUCKDB_PATH) $(BIN)/leadgen preflight
	LEADGEN_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_DUCKDB_PATH=$(TEST_DUCKDB_PATH) $(DBT) build $(DBT_FLAGS)

# The same project on a throwaway PostgreSQL 15 (started and stopped here, on a
# free port of 127.0.0.1): load, dbt build, kpi_monthly compared with DuckDB's,
# BI role checked.
ENGINE_CHECK_POSTGRES = $(BIN)/leadgen engine-check postgres --raw-dir $(TEST_RAW_DIR) --duckdb $(TEST_DUCKDB_PATH)

test-postgres: test-duckdb
	$(ENGINE_CHECK_POSTGRES)

# The same project on Spark (dbt-spark's session method: local[2] inside the dbt
# process, Java 17+), in a throwaway warehouse and metastore: dbt build, kpi_monthly
# compared with DuckDB's, a second dbt run, compared again.
# SPARK_CHECK_FLAGS=--skip-unit-tests leaves the unit tests out of the Spark build
# (about a third of its time; they still run on DuckDB and PostgreSQL).
SPARK_CHECK_FLAGS ?=
ENGINE_CHECK_SPARK = $(BIN)/leadgen engine-check spark --raw-dir $(TEST_RAW_DIR) --duckdb $(TEST_DUCKDB_PATH) \
	$(SPARK_CHECK_FLAGS)

test-spark: test-duckdb
	$(ENGINE_CHECK_SPARK)

test: venv-duckdb11 test-duckdb
	LEADGEN_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_DUCKDB_PATH=$(TEST_DUCKDB_PATH) DBT_PROFILES_DIR=$(CURDIR) $(BIN)/mf validate-configs
	$(MAKE) --no-print-directory lint
	$(BIN)/leadgen validate marts --duckdb $(TEST_DUCKDB_PATH) --report-dir $(TEST_DIR)/data_quality --no-docs
	$(BIN)/leadgen validate faults --raw-dir $(TEST_RAW_DIR) --duckdb $(TEST_DUCKDB_PATH) --report-dir $(TEST_DIR)/data_quality
	$(ENGINE_CHECK_POSTGRES)
	$(ENGINE_CHECK_SPARK)
	LEADGEN_TEST_RAW_DIR=$(TEST_RAW_DIR) LEADGEN_TEST_DUCKDB_PATH=$(TEST_DUCKDB_PATH) \
		LEADGEN_TEST_DUCKDB11_PYTHON=$(CURDIR)/$(VENV_DUCKDB11)/bin/python $(BIN)/pytest

# Benchmark: generates its own data under /tmp; results go to bench/results.
SCALES ?= 1
bench: venv
	$(BIN)/leadgen bench --scales $(SCALES) --seed $(SEED) --results-dir bench/results

clean:
	rm -rf target logs warehouse data/test
