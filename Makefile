# The README's commands. Every target sets up what it needs: a virtual environment in .venv with the pinned
# dependencies, and the dbt manifest the Dagster definitions are built from.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Variables people pass (make trace INDICATOR=... PERIOD=...) hold text, never make or shell syntax: each is
# taken as written ($(value), so a `$(shell ...)` in it is not run), kept simply expanded so that exporting it
# expands nothing, and handed to the commands through the environment, never pasted into them. The pipeline's
# settings (orchestration/resources.py reads them when a run starts) travel the same way.
USER_VARS := QUARTER REPORT INDICATOR PERIOD GEO SCALE YEAR VC_AS_OF_DATE WAIT WORKER_NAME
$(foreach v,$(USER_VARS),$(eval override $(v) := $$(value $(v))))
override VC_DATA_DIR := $(or $(value VC_DATA_DIR),$(CURDIR)/var)
override VC_REPORT_LANGUAGE := $(or $(value VC_REPORT_LANGUAGE),sv)
override VC_WAREHOUSE := $(or $(value VC_WAREHOUSE),duckdb)
override PORT := $(or $(value PORT),3000)
override DAGSTER_HOME := $(VC_DATA_DIR)/dagster
export $(USER_VARS) VC_DATA_DIR VC_REPORT_LANGUAGE VC_WAREHOUSE PORT DAGSTER_HOME
# The shared deployment's settings (docs/deployment.md) travel the same way, but only when given: to libpq, dbt
# and Dagster an empty PGHOST is not an absent one.
DEPLOY_VARS := VC_EXECUTOR VC_DAGSTER_YAML VC_DAGSTER_PGDATABASE VC_CELERY_BROKER VC_CELERY_BACKEND VC_SERVE_HOST \
	PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE
$(foreach v,$(DEPLOY_VARS),$(if $(filter undefined,$(origin $(v))),,$(eval override $(v) := $$(value $(v)))$(eval export $(v))))
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f) \
	dbt_project/dbt_project.yml dbt_project/profiles.yml

.PHONY: help setup run test test-slow dev serve submit worker lint demo trace verify bench templates clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@echo "setting up $(VENV) with the pinned dependencies (pyproject.toml)"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import dagster, dagster_dbt, dagster_dg_cli, dbt.version, duckdb, openpyxl, defusedxml"
	@rm -f $(VENV)/.installed-*
	touch $@

# One dbt parse, with the settings of a run in $(VC_DATA_DIR): its manifest is the one the definitions are built
# from, and its partial-parse file spares that directory's first run a parse (orchestration/lib/dbt_parse.py)
$(MANIFEST): $(STAMP) $(DBT_FILES)
	$(PY) -m orchestration.lib.dbt_parse

setup: $(STAMP) $(MANIFEST) ## Create .venv and the dbt manifest (done by every other target)

run: setup ## Run the pipeline on the demo data for the last closed quarter (QUARTER=2025Q2, VC_DEMO=0)
	$(PY) -m orchestration.run

test: setup ## Run the test suite
	$(PY) -m pytest

test-slow: setup ## The slow suite: the pipeline killed again and again, concurrent runs (minutes)
	$(PY) -m pytest -m slow

dev: setup ## The Dagster UI (dg dev) on http://127.0.0.1:$PORT (PORT=3000); Ctrl-C or SIGTERM stops it
	$(PY) -m orchestration.dev

serve: setup ## The shared deployment: dagster-webserver and dagster-daemon until Ctrl-C (PORT=3000; docs/deployment.md)
	$(PY) -m orchestration.deploy serve

submit: setup ## Queue a run on the deployment's daemon (QUARTER=2025Q2; WAIT=1 follows it to its end)
	$(PY) -m orchestration.deploy submit

worker: setup ## One Celery worker for the deployment's steps (WORKER_NAME=...; docs/deployment.md)
	$(PY) -m orchestration.deploy worker

lint: setup ## ruff and sqlfluff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# the dbt templater opens the warehouse to compile: give it a throw-away one
	VC_DATA_DIR=$$(mktemp -d) $(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

trace: setup ## Evidence behind one figure: INDICATOR=<id> PERIOD=<period> [GEO=<code>] [REPORT=<published .xlsx>]
	$(PY) -m orchestration.trace

verify: setup ## Rebuild a published workbook from the archive and compare bytes: REPORT=<path to .xlsx>
	$(PY) -m orchestration.verify

bench: setup ## Time the pipeline against a bare baseline: SCALE=demo|sweden|europe [VC_WAREHOUSE=postgres] -> $VC_DATA_DIR/bench/
	$(PY) -m tests.benchmarks.bench --scale "$${SCALE:-demo}"

templates: export VC_TEMPLATE_YEAR = $(YEAR)
templates: setup ## Pre-filled follow-up templates for the contract municipalities: YEAR=2026 -> $VC_DATA_DIR/templates/
	$(PY) -m sources.klimatkontrakt_followup.handout

demo: setup ## Only write the demo data into $VC_DATA_DIR/landing
	$(PY) -m sources.demo.generate

clean: ## Remove the data directory (var/) and dbt's target folder
	rm -rf var dbt_project/target dbt_project/logs
