# Every target runs inside .venv, which `make install` builds from the hashed lock file.
# Nothing but python3 (>= 3.11) is needed on the machine: uv itself comes from PyPI.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.synced
HOST ?= 127.0.0.1
PORT ?= 8000
SPEC := openapi/openapi.yaml
APP := --factory app.main:create_app

.PHONY: help install run dev test test-fast generate check-generated lint fmt typecheck migrate lock clean

help: ## List targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

lock: | $(BIN)/uv ## Re-lock after editing pyproject.toml (names, versions, hashes; no URLs)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements-dev.lock

migrate: install ## Apply Alembic migrations to DATABASE_URL (default: SQLite under var/)
	@mkdir -p var
	$(BIN)/alembic upgrade head

run: migrate ## Install, migrate and serve on http://$(HOST):$(PORT)
	$(BIN)/uvicorn $(APP) --host $(HOST) --port $(PORT) --no-access-log

dev: migrate ## Like run, with auto-reload
	$(BIN)/uvicorn $(APP) --host $(HOST) --port $(PORT) --no-access-log --reload --reload-dir app --reload-dir openapi

test: install ## Run the whole test suite (fails when no test ran)
	$(BIN)/python scripts/run_tests.py

test-fast: install ## Run the suite without the live-server tests (Schemathesis, browser)
	$(BIN)/python scripts/run_tests.py -m "not contract and not e2e"

generate: install ## Regenerate generated/models.py from the spec
	$(BIN)/python scripts/generate_models.py $(SPEC) generated/models.py

check-generated: install ## Fail when generated/ differs from what the spec produces
	$(BIN)/python scripts/generate_models.py --check $(SPEC) generated/models.py

lint: install ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy --strict on app/
	$(BIN)/mypy app

clean: ## Remove the venv, caches and the embedded database
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
