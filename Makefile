# The project's commands. Each target is a thin wrapper a person could type by hand.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Exported: settings build SITE_URL (links in mail) from it when SITE_URL is unset.
export PORT ?= 8000
export DEBUG ?= 1

.PHONY: run test lint format check install node-deps clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --group dev
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

node-deps: node_modules/.installed

## run: install, migrate, load the demo content, then serve on 127.0.0.1:$(PORT) with a task worker
## (which also fires the scheduled jobs: digests, clean-ups; there is no cron).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/). Ctrl-C stops both."
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite (browser tests need Chromium and the npm packages: see .ci/run), in
## TEST_PROCESSES parallel processes (pytest-xdist; "auto" is one per CPU, 0 runs it in this one).
TEST_PROCESSES ?= auto
test: install
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node-deps; fi
	DEBUG=0 TESTING=1 $(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	DEBUG=0 TESTING=1 $(BIN)/python manage.py check
	DEBUG=0 TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run

## bench: page throughput under gunicorn, measured with wrk, page cache off and on. Fill the database
## first: DATABASE_URL=postgres://… $(BIN)/python manage.py seed_bench --articles 50000 --subscribers 100000
bench: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to the PostgreSQL database seed_bench filled."; exit 2; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles
