# Every target runs inside .venv, built from the hashed lock files: serving (run, dev, serve,
# worker, migrate) needs only requirements.lock; `make install` (tests, linters, codegen)
# syncs requirements-dev.lock, a superset.
# Nothing but python3 (>= 3.11) is needed on the machine: uv itself comes from PyPI.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.synced
RUNTIME_STAMP := $(VENV)/.synced-runtime
# HOST and PORT: the environment (or `make run PORT=8001`), else .env, else the default,
# as `python -m app` reads them.
dotenv = $(shell sed -n 's/^$(1)=//p' .env 2>/dev/null | tail -n 1 | tr -d "\"' ")
ifeq ($(origin HOST),undefined)
HOST := $(or $(call dotenv,HOST),127.0.0.1)
endif
ifeq ($(origin PORT),undefined)
PORT := $(or $(call dotenv,PORT),8000)
endif
FUZZ_MAX_EXAMPLES ?= 300
SPEC := openapi/openapi.yaml
BUNDLE := generated/openapi.yaml
BENCH_ARGS ?=

.PHONY: help install install-runtime run dev serve worker test test-fast test-bench bench bench-smoke bench-ablate fuzz generate check-generated lint fmt typecheck migrate lock clean nginx-check

help: ## List targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' -v host='$(HOST)' -v port='$(PORT)' \
		'{gsub(/\$$\(HOST\)/, host, $$2); gsub(/\$$\(PORT\)/, port, $$2); printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-dev.lock
	@touch $(STAMP) $(RUNTIME_STAMP)

# The runtime lock alone (half the size and time of the dev lock), unless the dev lock,
# which holds it, is already in sync: syncing would remove the dev tools.
$(RUNTIME_STAMP): requirements.lock | $(BIN)/uv
	@if [ ! $(STAMP) -nt requirements-dev.lock ]; then \
		echo "$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock"; \
		$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock; \
		rm -f $(STAMP); \
	fi
	@touch $(RUNTIME_STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies (with the dev tools)

install-runtime: $(RUNTIME_STAMP)

lock: | $(BIN)/uv ## Re-lock after editing pyproject.toml (names, versions, hashes; no URLs)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements-dev.lock

migrate: install-runtime ## Apply Alembic migrations to DATABASE_URL (default: SQLite under var/)
	@mkdir -p var
	$(BIN)/alembic upgrade head

run: migrate ## Install, migrate and serve on http://$(HOST):$(PORT) (python -m app)
	$(BIN)/python -m app --host $(HOST) --port $(PORT)

dev: migrate ## Like run, restarting when app/ or openapi/ changes
	$(BIN)/python -m app --host $(HOST) --port $(PORT) --reload

serve: migrate ## Production server: gunicorn + uvicorn workers on $(HOST):$(PORT) (GUNICORN_* settings)
	$(BIN)/gunicorn --config python:app.serving.gunicorn_conf --bind $(HOST):$(PORT) 'app.main:create_app()'

worker: migrate ## Run a Celery worker for async AI jobs (needs REDIS_URL; threads pool, JOBS_CONCURRENCY)
	$(BIN)/celery -A app.tasks.celery_app worker --pool=threads --loglevel=INFO

test: install ## Run the whole test suite on parallel workers (TEST_WORKERS; fails when no test ran)
	$(BIN)/python scripts/run_tests.py

test-fast: install ## Run the suite without the live-server tests (Schemathesis, browser, lockout)
	$(BIN)/python scripts/run_tests.py -m "not contract and not e2e and not live"

bench: install ## Benchmark vs plain Flask and FastAPI on PostgreSQL+Redis with wrk (~15 min)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-ablate: install ## Revert each request-path fix alone (bench/ablations/) and measure it (~15 min)
	$(BIN)/python -m bench.ablate $(BENCH_ARGS)

bench-smoke: install ## One short bench round into a temp dir (checks the harness; numbers not meaningful)
	$(BIN)/python -m bench.run --smoke $(BENCH_ARGS)

test-bench: install ## The harness's smoke test only (pytest marker `bench`; not part of `make test`)
	$(BIN)/python scripts/run_tests.py -m bench tests/bench

fuzz: install ## Deep Schemathesis run: every operation as every caller, 300 examples each (minutes)
	FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) $(BIN)/python scripts/run_tests.py -m fuzz tests/contract/test_schemathesis.py

generate: install ## Regenerate from openapi/: generated/ (bundled spec, models) and docs/api/
	$(BIN)/python scripts/bundle_spec.py $(SPEC) $(BUNDLE)
	$(BIN)/python scripts/generate_models.py $(SPEC) generated/models.py
	$(BIN)/python scripts/generate_docs.py --spec $(SPEC) --out docs/api

check-generated: install ## Fail when generated/ or docs/api/ differs from what openapi/ produces
	$(BIN)/python scripts/bundle_spec.py --check $(SPEC) $(BUNDLE)
	$(BIN)/python scripts/generate_models.py --check $(SPEC) generated/models.py
	$(BIN)/python scripts/generate_docs.py --check --spec $(SPEC) --out docs/api

nginx-check: ## nginx -t on nginx/nginx.conf, its upstream rendered as HOST:PORT (needs nginx)
	$(PYTHON) scripts/nginx_check.py --upstream $(HOST):$(PORT)

lint: install ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy --strict on app/
	$(BIN)/mypy app

TMP := $(or $(TMPDIR),/tmp)

clean: ## Remove the venv, the embedded database, every cache, and temp files of stopped servers
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis \
		.coverage htmlcov $(TMP)/bench-smoke-*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	@# gunicorn's metrics directories (app-metrics-<master pid>) whose master is gone
	@for d in $(TMP)/app-metrics-*; do [ -d "$$d" ] && [ ! -d "/proc/$${d##*-}" ] && rm -rf "$$d"; done; true
