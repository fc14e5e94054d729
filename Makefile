# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they share.
SHELL := /bin/bash  # `wait -n` in run
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-fast lint typecheck check-deploy bench demo clean help

help:
	@echo "make run    set up, load the demo data and serve http://127.0.0.1:8000 with a worker"
	@echo "make test   set up and run the whole test suite"

install: $(VENV)/.installed node_modules/.installed var/.static
	@scripts/ensure-chromium

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end assets come from the npm package nhsuk-frontend; collectstatic gathers them for WhiteNoise.
var/.static: node_modules/.installed $(VENV)/.installed $(shell find src/openips -path '*/static/*' -type f 2>/dev/null)
	mkdir -p var
	$(BIN)/openips collectstatic --noinput --verbosity 0 -i '*.scss' -i '*.map' -i '*.d.mts' -i '*.mjs'
	touch $@

# The web server and one worker for background tasks, together: Ctrl-C (or either one stopping)
# stops both. They get TERM, as background jobs of a script ignore the terminal's Ctrl-C.
run: install
	$(BIN)/openips migrate --verbosity 0
	$(BIN)/openips migrate --database progress --verbosity 0
	$(BIN)/openips demo
	@trap 'kill -TERM $$web $$worker 2>/dev/null; wait' EXIT; \
	$(BIN)/openips worker --no-reload & worker=$$!; \
	$(BIN)/openips runserver 127.0.0.1:8000 & web=$$!; \
	wait -n

test: install
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not browser"

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests

check-deploy: install
	DJANGO_SETTINGS_MODULE=openips.config.settings.production SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | base64) \
	  ALLOWED_HOSTS=openips.example.nhs.uk $(BIN)/openips check --deploy --fail-level WARNING

# Speed budgets live here, not in the test suite. Results: bench/results.json and
# docs/performance.md. SCALE=small|medium|national (the synthetic network is built once, kept).
SCALE ?= medium
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench: install
	$(BIN)/python bench/import_contacts.py
	$(BIN)/python bench/reports.py
	BENCH_DATABASE_URL=$(BENCH_PG)/openips_bench_reports $(BIN)/python bench/reports.py
	BENCH_DATABASE_URL=$(BENCH_PG)/openips_bench_$(SCALE) $(BIN)/python bench/pages.py $(SCALE)
	# The load and failure tests at full size: 50 users for 60 s through gunicorn, and a real
	# PostgreSQL restart under the running server, on PostgreSQL.
	DATABASE_URL=$(BENCH_PG)/openips LOAD_USERS=50 LOAD_SECONDS=60 LOAD_RESTART_POSTGRES=1 $(BIN)/pytest -q -s tests/resilience

clean:
	rm -rf $(VENV) node_modules var
