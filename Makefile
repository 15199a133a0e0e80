# Every target runs inside .venv, built from the hashed lock files: serving (run, dev, serve,
# worker, migrate) needs only requirements.lock; `make install` (tests, linters, codegen)
# syncs requirements-dev.lock, a superset.
# Nothing but python3 (>= 3.11) is needed on the machine: uv itself comes from PyPI. The spec
# linters (`make spec-lint`, part of `make lint`) also need Node.js and npm: `npm ci` installs
# package-lock.json into node_modules/.
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
# The Node tools (package.json, exact pins; package-lock.json without registry addresses).
NODE_STAMP := node_modules/.installed
NODE_BIN := node_modules/.bin
CLIENTS := generated/clients
# No telemetry, no update check: the linters read local files only.
REDOCLY := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(NODE_BIN)/redocly

.PHONY: evals help install install-runtime node-install spec-lint run dev serve worker test test-fast test-slow test-bench bench bench-smoke bench-ablate fuzz generate sdk check-generated resource lint fmt typecheck migrate lock clean nginx-check

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

# npm ci: exactly package-lock.json (pinned versions and integrity hashes, no registry URLs:
# .npmrc), into a fresh node_modules/.
$(NODE_STAMP): package.json package-lock.json
	SCARF_ANALYTICS=false npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node-install: $(NODE_STAMP) ## Install the pinned Node tools (npm ci: SDK generator, tsc, spec linters)

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

test: install ## Run the suite on parallel workers (TEST_WORKERS; fails when no test ran), all but the `slow` and `fuzz` lanes
	$(BIN)/python scripts/run_tests.py

test-fast: install ## Run the suite without the live-server tests (Schemathesis, browser, lockout)
	$(BIN)/python scripts/run_tests.py -m "not contract and not e2e and not live and not slow"

test-slow: install ## The heavy end-to-end checks CI runs after `make test`: scaffold + generate in a copy, Quick start on a clone, every schema in Chromium, the non-admin Schemathesis passes (minutes)
	$(BIN)/python scripts/run_tests.py -m slow

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

generate: install $(NODE_STAMP) ## Regenerate from openapi/: generated/ (bundled spec, models, SDKs) and docs/api/
	$(BIN)/python scripts/bundle_spec.py $(SPEC) $(BUNDLE)
	$(BIN)/python scripts/generate_models.py $(SPEC) generated/models.py
	$(BIN)/python scripts/generate_sdks.py $(SPEC) $(CLIENTS)
	$(BIN)/python scripts/generate_docs.py --spec $(SPEC) --out docs/api

sdk: install $(NODE_STAMP) ## Generate the Python and TypeScript SDKs into generated/clients/
	$(BIN)/python scripts/generate_sdks.py $(SPEC) $(CLIENTS)

check-generated: install $(NODE_STAMP) ## Fail when generated/ or docs/api/ differs from what openapi/ produces
	$(BIN)/python scripts/bundle_spec.py --check $(SPEC) $(BUNDLE)
	$(BIN)/python scripts/generate_models.py --check $(SPEC) generated/models.py
	$(BIN)/python scripts/generate_sdks.py --check $(SPEC) $(CLIENTS)
	$(BIN)/python scripts/generate_docs.py --check --spec $(SPEC) --out docs/api

evals: install ## Prompt evals on the configured provider (fake by default): report in var/evals/
	$(BIN)/flask ai eval $(EVAL_ARGS)

resource: install ## Scaffold an owned resource: make resource NAME=notes (then make generate migrate)
	@test -n "$(NAME)" || { echo "usage: make resource NAME=<plural name, e.g. notes>"; exit 2; }
	$(BIN)/flask dev new-resource $(NAME)

nginx-check: ## nginx -t on nginx/nginx.conf, its upstream rendered as HOST:PORT (needs nginx)
	$(PYTHON) scripts/nginx_check.py --upstream $(HOST):$(PORT)

.PHONY: swagger-ui
swagger-ui: ## Re-vendor Swagger UI from npm's swagger-ui-dist as pinned (VERSION=5.x.y moves the pin; needs npm)
	$(PYTHON) scripts/vendor_swagger_ui.py $(VERSION)

lint: install spec-lint ## ruff lint + format check, the import contracts (lint-imports) and the spec linters (spec-lint)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

spec-lint: $(NODE_STAMP) ## Redocly and Spectral on openapi/ and its bundle: no error, no warning
	$(REDOCLY) lint $(SPEC) $(BUNDLE)
	$(NODE_BIN)/spectral lint --fail-severity=hint $(SPEC) $(BUNDLE)

fmt: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install $(NODE_STAMP) ## mypy --strict on app/; tsc --noEmit on the TypeScript SDK and examples
	$(BIN)/mypy app
	node_modules/.bin/tsc --noEmit -p tsconfig.json

TMP := $(or $(TMPDIR),/tmp)

clean: ## Remove the venv, the embedded database, every cache, and temp files of stopped servers
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis \
		.coverage htmlcov $(TMP)/bench-smoke-*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	@# gunicorn's metrics directories (app-metrics-<master pid>) whose master is gone
	@for d in $(TMP)/app-metrics-*; do [ -d "$$d" ] && [ ! -d "/proc/$${d##*-}" ] && rm -rf "$$d"; done; true
