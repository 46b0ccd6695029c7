# The README's commands. Every target sets up what it needs: a virtual environment in .venv with the pinned
# dependencies, and the dbt manifest the Dagster definitions are built from.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export VC_DATA_DIR ?= $(CURDIR)/var
# the Dagster instance settings (docs/deployment.md: deploy/dagster.postgres.yaml keeps Dagster's storage in PostgreSQL)
DAGSTER_YAML := $(or $(VC_DAGSTER_YAML),dagster.yaml)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f) \
	dbt_project/dbt_project.yml dbt_project/profiles.yml

.PHONY: help setup run test test-slow dev serve submit worker lint demo trace verify bench clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@echo "setting up $(VENV) with the pinned dependencies (pyproject.toml)"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import dagster, dagster_dbt, dbt.version, duckdb, openpyxl, defusedxml"
	@rm -f $(VENV)/.installed-*
	touch $@

$(MANIFEST): $(STAMP) $(DBT_FILES)
	cd dbt_project && ../$(VENV)/bin/dbt parse --profiles-dir . --quiet

setup: $(STAMP) $(MANIFEST) ## Create .venv and the dbt manifest (done by every other target)

run: setup ## Run the pipeline on the demo data for the last closed quarter (QUARTER=2025Q2, VC_DEMO=0)
	$(PY) -m orchestration.run $(if $(QUARTER),--quarter $(QUARTER))

test: setup ## Run the test suite
	$(PY) -m pytest

test-slow: setup ## The slow suite: the pipeline killed again and again, concurrent runs (minutes)
	$(PY) -m pytest -m slow

dev: setup ## Open the Dagster UI on the project (dagster dev)
	mkdir -p $(VC_DATA_DIR)/dagster && cp $(DAGSTER_YAML) $(VC_DATA_DIR)/dagster/dagster.yaml
	DAGSTER_HOME=$(VC_DATA_DIR)/dagster $(VENV)/bin/dagster dev -m orchestration.definitions

serve: setup ## The shared deployment: dagster-webserver and dagster-daemon until Ctrl-C (PORT=3000; docs/deployment.md)
	$(PY) -m orchestration.deploy serve $(if $(PORT),--port $(PORT))

submit: setup ## Queue a run on the deployment's daemon (QUARTER=2025Q2, WAIT=1 to follow it to its end)
	$(PY) -m orchestration.deploy submit $(if $(QUARTER),--quarter $(QUARTER)) $(if $(WAIT),--wait)

worker: setup ## Start one Celery worker for the deployment's steps (WORKER_NAME=...; docs/deployment.md)
	mkdir -p $(VC_DATA_DIR)/dagster && cp $(DAGSTER_YAML) $(VC_DATA_DIR)/dagster/dagster.yaml
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" DAGSTER_HOME=$(VC_DATA_DIR)/dagster \
		dagster-celery worker start -A dagster_celery.app -y deploy/worker.yaml $(if $(WORKER_NAME),-n $(WORKER_NAME))

lint: setup ## ruff and sqlfluff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# the dbt templater opens the warehouse to compile: give it a throw-away one
	VC_DATA_DIR=$$(mktemp -d) $(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

trace: setup ## Evidence behind one figure: INDICATOR=<id> PERIOD=<period> [GEO=<code>] -> $VC_DATA_DIR/traces/
	$(PY) -m reports.trace --indicator "$(INDICATOR)" --period "$(PERIOD)" $(if $(GEO),--geo "$(GEO)")

verify: setup ## Rebuild a published workbook from the archive and compare bytes: REPORT=<path to .xlsx>
	$(PY) -m reports.verify "$(REPORT)"

bench: setup ## Time the pipeline against a bare baseline: SCALE=demo|sweden|europe [WAREHOUSE=postgres] -> $VC_DATA_DIR/bench/
	$(PY) -m tests.benchmarks.bench --scale $(or $(SCALE),demo) $(if $(WAREHOUSE),--warehouse $(WAREHOUSE))

demo: setup ## Only write the demo data into $VC_DATA_DIR/landing
	$(PY) -m sources.demo.generate

clean: ## Remove the data directory (var/) and dbt's target folder
	rm -rf var dbt_project/target dbt_project/logs
